// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request's body (unique ids per request). */
  nextBody?: () => string;
  /** Builds each request's path and query (rotating codes). */
  nextPath?: () => string;
  /** Sees each response body; return false to count it as failed. */
  check?: (status: number, body: string) => boolean;
  connections: number;
  seconds: number;
}

export interface LoadRun {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failed: number;
  bytesPerSecond: number;
}

export interface LoadSummary extends LoadRun {
  runs: LoadRun[];
}

export async function once(o: LoadOptions, seconds: number): Promise<LoadRun> {
  let rejected = 0;
  const request: Record<string, unknown> = {};
  if (o.nextBody || o.nextPath) {
    request.setupRequest = (req: Record<string, unknown>) => ({
      ...req, ...(o.nextBody ? { body: o.nextBody() } : {}), ...(o.nextPath ? { path: o.nextPath() } : {}),
    });
  }
  if (o.check) {
    request.onResponse = (status: number, body: string) => {
      if (!o.check!(status, body)) rejected++;
    };
  }
  const r = await autocannon({
    url: o.url,
    method: o.method ?? 'GET',
    headers: o.headers,
    body: o.body,
    connections: o.connections,
    duration: seconds,
    requests: Object.keys(request).length ? [request] : undefined,
  });
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    failed: r.non2xx + r.errors + r.timeouts + rejected,
    bytesPerSecond: r.throughput.average,
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A warm-up run that is thrown away, then `runs` measured runs; each figure is the median over the runs. */
export async function measure(o: LoadOptions, runs: number, warmupSeconds: number): Promise<LoadSummary> {
  if (warmupSeconds > 0) await once(o, warmupSeconds);
  const all: LoadRun[] = [];
  for (let i = 0; i < runs; i++) all.push(await once(o, o.seconds));
  return {
    rps: median(all.map((r) => r.rps)),
    p50: median(all.map((r) => r.p50)),
    p99: median(all.map((r) => r.p99)),
    requests: all.reduce((a, r) => a + r.requests, 0),
    failed: all.reduce((a, r) => a + r.failed, 0),
    bytesPerSecond: median(all.map((r) => r.bytesPerSecond)),
    runs: all,
  };
}

export interface Contender {
  name: string;
  pid: number;
  load: LoadOptions;
}

export interface InterleavedRun extends LoadRun {
  /** CPU seconds the system's process used during the run, and per thousand requests. */
  cpuSeconds: number;
  cpuMsPerRequest: number;
}

export interface Interleaved {
  /** Each system's medians over the rounds. */
  systems: Record<string, LoadSummary & { cpuMsPerRequest: number; runs: InterleavedRun[] }>;
  /** Per round: each system's run, in the order they ran. */
  rounds: { order: string[]; runs: Record<string, InterleavedRun> }[];
}

/**
 * Runs the contenders in rounds, one after another (A B C, then B C A, then C A B …, so no system always runs
 * first or last), after one thrown-away warm-up each; a noisy moment of the machine then lands in one round of every
 * system instead of all the runs of one. `cpu` reads a process's CPU seconds.
 */
export async function interleave(contenders: Contender[], rounds: number, warmupSeconds: number, seconds: number, cpu: (pid: number) => number): Promise<Interleaved> {
  if (warmupSeconds > 0) for (const c of contenders) await once(c.load, warmupSeconds);
  const out: Interleaved = { systems: {}, rounds: [] };
  const byName: Record<string, InterleavedRun[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    const runs: Record<string, InterleavedRun> = {};
    for (const c of order) {
      const before = cpu(c.pid);
      const run = await once(c.load, seconds);
      const used = cpu(c.pid) - before;
      runs[c.name] = { ...run, cpuSeconds: used, cpuMsPerRequest: run.requests ? (used * 1000) / run.requests : NaN };
      byName[c.name].push(runs[c.name]);
    }
    out.rounds.push({ order: order.map((c) => c.name), runs });
  }
  for (const [name, all] of Object.entries(byName)) {
    out.systems[name] = {
      rps: median(all.map((x) => x.rps)),
      p50: median(all.map((x) => x.p50)),
      p99: median(all.map((x) => x.p99)),
      requests: all.reduce((a, x) => a + x.requests, 0),
      failed: all.reduce((a, x) => a + x.failed, 0),
      bytesPerSecond: median(all.map((x) => x.bytesPerSecond)),
      cpuMsPerRequest: median(all.map((x) => x.cpuMsPerRequest)),
      runs: all,
    };
  }
  return out;
}
