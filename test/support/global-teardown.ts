import { Client } from 'pg';

/** Drops this run's worker databases and stops an embedded server if one was started. */
export default async function globalTeardown(): Promise<void> {
  const admin = process.env.FOODTRACE_TEST_ADMIN_URL;
  const run = process.env.FOODTRACE_TEST_RUN;
  if (admin && run) {
    const client = new Client({ connectionString: admin });
    try {
      await client.connect();
      const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`ft_test_${run}_%`]);
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    } catch {
      // a database left behind is harmless; the next run uses new names
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  await globalThis.__EMBEDDED_PG__?.stop();
}
