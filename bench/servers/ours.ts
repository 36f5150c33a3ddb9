import 'reflect-metadata';
import { loadConfig } from '../../src/config';
import { openOrm } from '../../src/db/orm';
import { createApp } from '../../src/server';

/**
 * Our server as production runs it (NODE_ENV=production, same pool, same plugins), on the benchmark copy.
 * The rate limits stay on but are raised above what one load generator can send.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    RATE_LIMIT_PUBLIC: '1000000',
    RATE_LIMIT_GATE_SCANS: '1000000',
    RATE_LIMIT_WRITES: '1000000',
  });
  const orm = await openOrm({ clientUrl: config.databaseUrl! });
  const app = await createApp(orm, config);
  await app.fastify.listen({ port, host: '127.0.0.1' });
  process.send?.({ ready: port });
  process.on('SIGTERM', () => {
    void app.fastify.close().then(() => orm.close(true)).then(() => process.exit(0));
  });
}

main().catch((e) => {
  console.error('[bench ours] failed to start:', e);
  process.exit(1);
});
