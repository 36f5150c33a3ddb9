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

async function once(o: LoadOptions, seconds: number): Promise<LoadRun> {
  let rejected = 0;
  const request: Record<string, unknown> = {};
  if (o.nextBody) request.setupRequest = (req: Record<string, unknown>) => ({ ...req, body: o.nextBody!() });
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
