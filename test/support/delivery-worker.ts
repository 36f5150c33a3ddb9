/**
 * The notification delivery worker alone, as its own process, for the test that kills it mid-delivery
 * (test/notify-restart.test.ts): pg-boss, the outbox relay and the webhook posts, exactly as main.ts starts them,
 * against DATABASE_URL. Prints `ready` once it works the queues; stops only when killed.
 */
import 'reflect-metadata';
import { connectOrm } from '../../src/db/orm';
import { startNotificationQueue } from '../../src/notify/queue';

async function run(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const orm = await connectOrm({ clientUrl: url });
  const log = { error: (obj: object, msg: string) => console.error(msg, JSON.stringify(obj)), warn: (obj: object, msg: string) => console.error(msg, JSON.stringify(obj)) };
  await startNotificationQueue({ orm, connectionString: url, log, sweepMs: 200, webhookRetryDelaySeconds: 1, webhookTimeoutMs: 5_000 });
  console.log('ready');
}

run().catch((e) => {
  console.error('delivery worker failed:', e);
  process.exit(1);
});
