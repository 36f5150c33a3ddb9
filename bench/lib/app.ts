import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { cpuSeconds, type Server } from './servers';

const ROOT = join(__dirname, '..', '..');

/** A server started by `startMain`: how many processes serve its port, and the end of their output. */
export interface MainServer extends Server {
  processes: number;
  output(): string;
}

/**
 * `src/main.ts` as production starts it (`npm start`, NODE_ENV=production): with WEB_CONCURRENCY above 1 a primary
 * forking that many workers on one port, else one process; its schedules and job queue included. `env` is added to
 * ours (DATABASE_URL, WEB_CONCURRENCY, READ_DATABASE_URL …). Ready when every process says it listens. The rate limits
 * stay on (and are charged in their store) but are raised above what one load generator can send.
 */
export async function startMain(name: string, port: number, env: Record<string, string>, timeoutMs = 180_000): Promise<MainServer> {
  const processes = Number(env.WEB_CONCURRENCY ?? 1);
  const dataDir = mkdtempSync(join(tmpdir(), `foodtrace-bench-${name.replace(/\W+/g, '-')}-`));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir,
    RATE_LIMIT_PUBLIC: '1000000', RATE_LIMIT_GATE_SCANS: '1000000', RATE_LIMIT_WRITES: '1000000',
    ...env,
  };
  // the harness's own settings must not leak into the server (an owner role, a replica the case did not ask for)
  for (const k of ['DATABASE_OWNER_URL', 'READ_DATABASE_URL', 'RATE_LIMIT_STORE', 'WEB_CONCURRENCY']) if (!(k in env)) delete childEnv[k];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  // the last 64 KiB of output, for the error when it does not start
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-65_536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const server: MainServer = {
    name, port, url: `http://127.0.0.1:${port}`, child, processes, output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        // the primary hands SIGTERM to its workers and waits for them
        const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(force);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
  const end = Date.now() + timeoutMs;
  while ((out.match(/Listening on/g) ?? []).length < processes) {
    if (child.exitCode !== null || Date.now() > end) {
      await server.stop();
      throw new Error(`${name} did not start (${processes} processes on :${port}):\n${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return server;
}

/** The pids of a process and all its descendants (Linux: /proc/PID/task/TID/children). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    try {
      const children = readFileSync(`/proc/${all[i]}/task/${all[i]}/children`, 'utf8').trim();
      if (children) all.push(...children.split(/\s+/).map(Number));
    } catch {
      // exited meanwhile
    }
  }
  return all;
}

/** CPU seconds used so far by a process and its descendants alive now: a cluster's primary and its workers. */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (cpuSeconds(p) || 0), 0);
}

/**
 * Waits until `url`'s database commits fewer than `idlePerSecond` transactions a second for three seconds running, so
 * what a server does once when it starts — worker 1's first credit upkeep pass (a transaction per operator) and ledger
 * checkpoint, the job queue's set-up — is not measured as part of a contender's first run. An idle server process
 * still commits about a dozen a second (the job queue polling its queues): the bar is set above that per process.
 * Returns the seconds waited; gives up after `timeoutMs`.
 */
export async function settled(url: string, idlePerSecond: number, timeoutMs = 300_000): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const t0 = Date.now();
  const commits = async () =>
    Number((await client.query<{ n: string }>('select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()')).rows[0].n);
  try {
    let last = await commits();
    let quiet = 0;
    while (quiet < 3 && Date.now() - t0 < timeoutMs) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = await commits();
      quiet = now - last < idlePerSecond ? quiet + 1 : 0;
      last = now;
    }
    return (Date.now() - t0) / 1000;
  } finally {
    await client.end();
  }
}
