import 'reflect-metadata';
import cluster from 'node:cluster';
import { ConfigError, ensureSamplingSecret, loadConfig, type Config } from './config';
import { forkWorkers, workerNumber } from './cluster';
import { exitOnUnhandledErrors } from './crash';
import { openDatabase, SCHEMA_READY_ENV, type Database } from './database';
import { createApp } from './server';
import { startCreditUpkeep } from './credit/upkeep';
import { auditRetentionDays, startAuditRetention } from './audit/retention';
import { installNotificationQueue, startNotificationQueue } from './notify/queue';
import { startReminders } from './banquet/reminders';
import { startOverdueOrders } from './supervision/overdue';
import { CAPTURE_QUEUE, captureWorker } from './exchange/capture.queue';

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
  if (config.webConcurrency > 1 && cluster.isPrimary) return runPrimary(config);
  await runServer(config, retentionDays);
}

/**
 * WEB_CONCURRENCY above 1: this process migrates, installs the queue, starts an embedded PostgreSQL if asked and loads
 * the demo town — the one-time work — then forks the workers that serve the port, and replaces one that dies.
 */
async function runPrimary(config: Config): Promise<void> {
  const say = (line: string) => console.log(`[foodtrace] ${line}`);
  const db = await openDatabase(config, say);
  await installNotificationQueue({ connectionString: db.appUrl, ownerConnectionString: db.ownerUrl, queues: [CAPTURE_QUEUE] });
  if (db.embedded && config.nodeEnv !== 'production') await loadDemoTownIfEmpty(db, config.publicUrl, say);
  await db.readRoute?.close();
  await db.orm.close(true);
  const workers = forkWorkers(
    config.webConcurrency,
    { DATABASE_URL: db.appUrl, DATABASE_OWNER_URL: '', SAMPLING_SECRET: config.samplingSecret ?? '', [SCHEMA_READY_ENV]: '1' },
    say,
  );
  say(`Started ${config.webConcurrency} workers on port ${config.port}`);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the workers`);
    await workers.stop(signal);
    await db.embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** One server process: alone, or a worker of the cluster (where worker 1 alone runs the schedules). */
async function runServer(config: Config, retentionDays: number): Promise<void> {
  const worker = cluster.isWorker ? ` (worker ${workerNumber()}, pid ${process.pid})` : '';
  const say = (line: string) => console.log(`[foodtrace${worker}] ${line}`);
  const db = await openDatabase(config, say);

  const app = await createApp(db.orm, config, { readRoute: db.readRoute });
  // notifications: pg-boss on the same database delivers the outbox to inboxes and live connections, and runs the
  // EPCIS capture jobs; started before the server listens, so a stop signal never finds it half started. Every process
  // works the queues (pg-boss hands each job to one of them) and listens for new inbox rows, whichever process delivered them.
  const notifications = await startNotificationQueue({
    orm: db.orm, connectionString: db.appUrl, ownerConnectionString: db.ownerUrl, hub: app.notificationHub, log: app.fastify.log,
    installed: process.env[SCHEMA_READY_ENV] === '1',
    workers: [captureWorker({ orm: db.orm, config, log: app.fastify.log })],
  });
  const address = await app.fastify.listen({ port: config.port, host: config.host });
  // with an ephemeral port and no PUBLIC_URL, links and QR codes point at the address actually bound
  if (!process.env.PUBLIC_URL && config.port === 0) config.publicUrl = address;
  say(`Listening on ${address}; GraphQL at ${config.publicUrl}/graphql${db.readRoute ? '; public lookups read the replica while it keeps up' : ''}`);
  // the schedules run in one process of a cluster; checkpoint signing also takes turns through the database, so
  // separate instances on one database never sign the same heads twice either
  const schedules = workerNumber() === 1;
  const stopCreditUpkeep = schedules ? startCreditUpkeep(db.orm, app.fastify.log, undefined, config) : () => undefined;
  const stopAuditRetention = schedules ? startAuditRetention(db.orm, app.fastify.log, retentionDays) : () => undefined;
  const stopReminders = schedules ? startReminders(db.orm, config, app.fastify.log) : () => undefined;
  const stopOverdueOrders = schedules ? startOverdueOrders(db.orm, app.fastify.log) : () => undefined;

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
