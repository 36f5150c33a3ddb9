import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded';

declare global {
  // eslint-disable-next-line no-var
  var __EMBEDDED_PG__: { stop(): Promise<void> } | undefined;
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Picks the PostgreSQL the tests use: DATABASE_URL, the local server, or an embedded one. */
export default async function globalSetup(): Promise<void> {
  // databases are named per run, so concurrent jest runs on one server never share one
  process.env.FOODTRACE_TEST_RUN = `${process.pid}`;
  const candidates = [process.env.DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/postgres'].filter(Boolean) as string[];
  for (const url of candidates) {
    if (await reachable(url)) {
      process.env.FOODTRACE_TEST_ADMIN_URL = url;
      return;
    }
  }
  const db = await startEmbeddedPostgres('.data/test', 'postgres');
  globalThis.__EMBEDDED_PG__ = db;
  process.env.FOODTRACE_TEST_ADMIN_URL = db.url;
}
