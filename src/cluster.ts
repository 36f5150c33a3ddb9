import cluster, { type Worker } from 'node:cluster';

/** Each worker's number, 1…n, kept by its replacement: worker 1 runs the schedules. */
export const WORKER_NUMBER_ENV = 'FOODTRACE_WORKER';

/** A worker that died is replaced after this long, so one that cannot start does not spin. */
export const REFORK_DELAY_MS = 1000;

/** A worker not gone this long after the stop signal is killed. */
export const WORKER_STOP_MS = 20_000;

/** This process's worker number in a cluster; 1 when it runs alone. */
export function workerNumber(): number {
  return cluster.isWorker ? Number(process.env[WORKER_NUMBER_ENV]) || 1 : 1;
}

export interface Workers {
  /** Hands `signal` to every worker (each finishes its requests in flight) and resolves when all have exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Forks `count` workers of this same program with `env` added; they listen on the same port, the operating system's
 * connections shared between them by the primary. A worker that dies is replaced (with the same number) until `stop`.
 */
export function forkWorkers(count: number, env: Record<string, string>, say: (line: string) => void): Workers {
  const live = new Map<number, Worker>();
  let stopping = false;
  const fork = (n: number) => {
    const worker = cluster.fork({ ...env, [WORKER_NUMBER_ENV]: String(n) });
    live.set(n, worker);
    worker.on('exit', (code, signal) => {
      if (live.get(n) === worker) live.delete(n);
      if (stopping) return;
      say(`worker ${n} (pid ${worker.process.pid}) exited (${signal ?? code}); starting another`);
      setTimeout(() => !stopping && fork(n), REFORK_DELAY_MS).unref();
    });
  };
  for (let n = 1; n <= count; n++) fork(n);
  return {
    async stop(signal) {
      stopping = true;
      await Promise.all(
        [...live.values()].map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const kill = setTimeout(() => worker.process.kill('SIGKILL'), WORKER_STOP_MS);
              worker.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              worker.process.kill(signal);
            }),
        ),
      );
    },
  };
}
