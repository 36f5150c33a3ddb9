import 'reflect-metadata';
import { ConfigError, ensureSamplingSecret, loadConfig } from './config';
import { exitOnUnhandledErrors } from './crash';
import { openDatabase, type Database } from './database';
import { createApp } from './server';
import { startCreditUpkeep } from './credit/upkeep';
import { auditRetentionDays, startAuditRetention } from './audit/retention';
import { startNotificationQueue } from './notify/queue';
import { startReminders } from './banquet/reminders';
import { startOverdueOrders } from './supervision/overdue';
import { captureWorker } from './exchange/capture.queue';

async function main(): Promise<void> {
  exitOnUnhandledErrors((line) => console.error(line));
  let config;
  try {
    config = loadConfig();
    ensureSamplingSecret(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  let retentionDays: number;
  try {
    retentionDays = auditRetentionDays();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const say = (line: string) => console.log(`[foodtrace] ${line}`);
  const db = await openDatabase(config, say);

  const app = await createApp(db.orm, config);
  // notifications: pg-boss on the same database delivers the outbox to inboxes and live connections, and runs the
  // EPCIS capture jobs; started before the server listens, so a stop signal never finds it half started
  const notifications = await startNotificationQueue({
    orm: db.orm, connectionString: db.appUrl, ownerConnectionString: db.ownerUrl, hub: app.notificationHub, log: app.fastify.log,
    workers: [captureWorker({ orm: db.orm, config, log: app.fastify.log })],
  });
  const address = await app.fastify.listen({ port: config.port, host: config.host });
  // with an ephemeral port and no PUBLIC_URL, links and QR codes point at the address actually bound
  if (!process.env.PUBLIC_URL && config.port === 0) config.publicUrl = address;
  say(`Listening on ${address}; GraphQL at ${config.publicUrl}/graphql`);
  const stopCreditUpkeep = startCreditUpkeep(db.orm, app.fastify.log, undefined, config);
  const stopAuditRetention = startAuditRetention(db.orm, app.fastify.log, retentionDays);
  const stopReminders = startReminders(db.orm, config, app.fastify.log);
  const stopOverdueOrders = startOverdueOrders(db.orm, app.fastify.log);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopCreditUpkeep();
    stopAuditRetention();
    stopReminders();
    stopOverdueOrders();
    say(`${signal}: finishing requests in flight, then stopping`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.fastify.close(); // stops accepting, drains Apollo
      await notifications.stop(); // a delivery or capture in flight finishes; one cut short is run again at the next start
      await db.close(); // closes the pool, stops an embedded PostgreSQL
      process.exit(0);
    } catch (e) {
      console.error('shutdown failed', e);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // a newcomer's first start on an empty embedded database gets the demo town; production never does
  if (db.embedded && config.nodeEnv !== 'production') await loadDemoTownIfEmpty(db, config.publicUrl, say);
}

/** The demo town's code is loaded only when an empty embedded database asks for it. */
async function loadDemoTownIfEmpty(db: Database, publicUrl: string, say: (line: string) => void): Promise<void> {
  const { seedDemoTown, isEmpty } = await import('../seeds/town');
  if (await isEmpty(db.orm.em.fork())) {
    const demo = await seedDemoTown(db.orm.em.fork(), publicUrl);
    say('Loaded the demo town. Tokens (shown once, keep them):');
    for (const [role, token] of Object.entries(demo.tokens)) say(`  ${role.padEnd(10)} ${token}`);
    say(`Try a trace: ${demo.sampleTraceUrl}`);
  }
}

main().catch((e) => {
  console.error('[foodtrace] failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
