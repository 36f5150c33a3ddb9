import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { copyDatabase, DATASET_DB, databaseUrl, dropDatabase, RUN_DB, withAdmin } from './lib/db';
import type { DatasetMeta } from './lib/generate';
import { measure, median, type LoadOptions, type LoadSummary } from './lib/load';
import { NODE22, PEER_DIR, peakRssMiB, resetPeakRss, rssMiB, startPeer, startTs, type Server } from './lib/servers';

/**
 * `npm run bench`: our server, the peer (PostGraphile 5) and the limit (bare http + pg) on one copy of the
 * data set, loaded from this process over loopback. Knobs: BENCH_SECONDS (per run, default 10), BENCH_RUNS
 * (measured runs per case, default 3), BENCH_CONNECTIONS (default 10), BENCH_ONLY (comma-separated case numbers).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ONLY = process.env.BENCH_ONLY?.split(',').map(Number) ?? null;
const PORTS = { ours: 4701, limit: 4702, peer: 4703 };

const say = (line: string) => console.log(`[bench] ${line}`);
const round = (x: number, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : NaN);

interface Row {
  case: string;
  system: string;
  rps?: number;
  p50?: number;
  p99?: number;
  note?: string;
  failed?: number;
}

const TRACE_QUERY = `query Trace($code: String!) {
  trace(code: $code) {
    code url origin recalled truncated
    producer { name kind village grade registrationNumber }
    nodes { id publicCode productName category lotCode quantity unit producedAt originPlace status depth
      owner { name kind village grade } }
    edges { parentId childId kind quantity createdAt }
    certificates { batchId number quantity unit issuedAt bases status }
    inspections { batchId kind result inspectedAt items { item value unit result } }
    marketEntries { batchId marketName vendorName declaredQuantity unit decision at }
    recall { reason recalledAt }
  }
}`;

/** The same answer from PostGraphile: its function for the walk, its relations for everything hanging off a node. */
const PEER_QUERY = `query Trace($code: String!) {
  traceUpstreamList(code: $code) {
    rowId publicCode productName category lotCode quantity unit producedAt originPlace status
    operatorByOwnerId { name kind village creditGrade creditCode registrationCardNo }
    batchLinksByChildId { nodes { parentId childId kind quantity createdAt } }
    originCertificatesByBatchId { nodes { number quantity unit issuedAt bases status } }
    inspectionsByBatchId { nodes { kind result inspectedAt items } }
    marketEntriesByBatchId { nodes { marketByMarketId { name } operatorByVendorId { name } declaredQuantity unit decision createdAt decidedAt } }
    recallByBatchId { reason createdAt }
  }
}`;

const gql = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
const JSON_HEADERS = { 'content-type': 'application/json' };
const noErrors = (status: number, body: string) => status === 200 && !body.includes('"errors"');

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any; bytes: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body });
  const text = await res.text();
  const ms = performance.now() - t0;
  return { status: res.status, json: JSON.parse(text), bytes: Buffer.byteLength(text), ms };
}

async function main(): Promise<void> {
  const started = new Date();
  const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(' ');
  const rows: Row[] = [];
  const extra: Record<string, unknown> = {};
  const meta = await readMeta();
  say(`data set ${DATASET_DB}: scale ${meta.scale}, ${JSON.stringify(meta.counts)}`);
  ensurePeerInstalled();

  say(`copying ${DATASET_DB} to ${RUN_DB} (writes of this run land in the copy)`);
  const copyStart = Date.now();
  await withAdmin((c) => copyDatabase(c, DATASET_DB, RUN_DB));
  extra.copySeconds = (Date.now() - copyStart) / 1000;
  const runUrl = databaseUrl(RUN_DB);
  await sql(runUrl, readFileSync(join(PEER_DIR, 'trace.sql'), 'utf8'));

  const servers: Server[] = [];
  try {
    const ours = await startTs('ours', 'bench/servers/ours.ts', PORTS.ours, runUrl);
    servers.push(ours);
    const limit = await startTs('limit', 'bench/servers/limit.ts', PORTS.limit, runUrl);
    servers.push(limit);
    const peer = await startPeer(PORTS.peer, runUrl);
    servers.push(peer);
    say(`servers up: ours :${ours.port}, limit :${limit.port}, peer :${peer.port}`);
    const want = (n: number) => !ONLY || ONLY.includes(n);
    const step = async (n: number, name: string, fn: () => Promise<void>) => {
      if (!want(n)) return;
      say(`(${n}) ${name}`);
      try {
        await fn();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        say(`(${n}) ${name} failed: ${message}`);
        rows.push({ case: `${n}. ${name}`, system: 'ours', note: `not measured: ${message.slice(0, 200)}` });
      }
    };

    await step(1, 'trace(code), 20-node chain', () => traceCase(rows, extra, meta, ours, peer, limit));
    await step(2, 'scanAtGate', () => gateCase(rows, extra, meta, ours, runUrl));
    await step(3, 'traceForward + recall', () => forwardCase(rows, extra, meta, ours));
    await step(4, 'creditArchive', () => archiveCase(rows, extra, meta, ours, runUrl));
    await step(5, 'GET /t/:code', () => pageCase(rows, extra, meta, ours));
  } finally {
    for (const s of servers.reverse()) await s.stop();
    if (!process.env.BENCH_KEEP_COPY) await withAdmin((c) => dropDatabase(c, RUN_DB));
  }

  const env = { ...environment(meta), loadAverageAtStart: loadAtStart };
  const report = render(started, env, rows, extra);
  console.log(`\n${report}`);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(dir, `run-${stamp}.json`), `${JSON.stringify({ started, env, rows, extra }, null, 2)}\n`);
  writeFileSync(join(dir, `run-${stamp}.md`), report);
  writeFileSync(join(dir, 'latest.md'), report);
  say(`written to bench/results/run-${stamp}.md and latest.md`);
}

// ---------------------------------------------------------------------------------------------------------------

async function traceCase(rows: Row[], extra: Record<string, unknown>, meta: DatasetMeta, ours: Server, peer: Server, limit: Server) {
  const vars = { code: meta.traceCode };
  // every system must answer the same 20 batches before its speed means anything
  const a = await post(`${ours.url}/graphql`, gql(TRACE_QUERY, vars));
  const b = await post(`${peer.url}/graphql`, gql(PEER_QUERY, vars));
  const cRes = await fetch(`${limit.url}/trace?code=${meta.traceCode}`);
  const c = await cRes.json() as { nodes: unknown[]; details: unknown[] };
  const counts = { ours: a.json.data?.trace?.nodes?.length, peer: b.json.data?.traceUpstreamList?.length, limit: c.nodes.length };
  extra.traceNodes = counts;
  extra.traceBytes = { ours: a.bytes, peer: b.bytes, limit: Buffer.byteLength(JSON.stringify(c)) };
  if (a.json.errors) throw new Error(`ours answered errors: ${JSON.stringify(a.json.errors).slice(0, 200)}`);
  if (b.json.errors) throw new Error(`peer answered errors: ${JSON.stringify(b.json.errors).slice(0, 200)}`);
  for (const [k, n] of Object.entries(counts)) if (n !== meta.traceNodes) throw new Error(`${k} returned ${n} nodes, expected ${meta.traceNodes}`);
  const ids = (xs: (string | number)[]) => xs.map(Number).sort((x, y) => x - y).join(',');
  const sets = {
    ours: ids(a.json.data.trace.nodes.map((n: { id: string }) => n.id)),
    peer: ids(b.json.data.traceUpstreamList.map((n: { rowId: number }) => n.rowId)),
    limit: ids(c.nodes.map((n) => (n as { id: number }).id)),
  };
  if (sets.ours !== sets.peer || sets.ours !== sets.limit) throw new Error(`the systems disagree on the chain: ${JSON.stringify(sets)}`);

  const base = { connections: CONNECTIONS, seconds: SECONDS, check: noErrors };
  const results: Record<string, LoadSummary> = {};
  results.ours = await measure({ ...base, url: `${ours.url}/graphql`, method: 'POST', headers: JSON_HEADERS, body: gql(TRACE_QUERY, vars) }, RUNS, WARMUP);
  results.peer = await measure({ ...base, url: `${peer.url}/graphql`, method: 'POST', headers: JSON_HEADERS, body: gql(PEER_QUERY, vars) }, RUNS, WARMUP);
  results.limit = await measure({ ...base, url: `${limit.url}/trace?code=${meta.traceCode}`, method: 'GET', check: (s) => s === 200 }, RUNS, WARMUP);
  for (const system of ['ours', 'peer', 'limit'] as const) {
    const r = results[system];
    rows.push({ case: `1. trace(code), ${meta.traceNodes} nodes, c=${CONNECTIONS}`, system, rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed, note: `${extra.traceBytes && (extra.traceBytes as Record<string, number>)[system]} B/answer` });
  }
  // the same at one connection: latency without queueing behind other requests
  const single: Record<string, LoadSummary> = {};
  const one = { ...base, connections: 1, seconds: Math.max(3, SECONDS / 2) };
  single.ours = await measure({ ...one, url: `${ours.url}/graphql`, method: 'POST', headers: JSON_HEADERS, body: gql(TRACE_QUERY, vars) }, RUNS, 1);
  single.peer = await measure({ ...one, url: `${peer.url}/graphql`, method: 'POST', headers: JSON_HEADERS, body: gql(PEER_QUERY, vars) }, RUNS, 1);
  single.limit = await measure({ ...one, url: `${limit.url}/trace?code=${meta.traceCode}`, method: 'GET', check: (st) => st === 200 }, RUNS, 1);
  for (const system of ['ours', 'peer', 'limit'] as const) {
    const r = single[system];
    rows.push({ case: `1. trace(code), ${meta.traceNodes} nodes, c=1`, system, rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed });
  }
  extra.traceSingle = Object.fromEntries(Object.entries(single).map(([k, v]) => [k, v.runs]));
  extra.traceRps = { ours: results.ours.rps, peer: results.peer.rps, limit: results.limit.rps };
  extra.traceRatios = {
    rpsVsPeer: results.ours.rps / results.peer.rps,
    rpsVsLimit: results.ours.rps / results.limit.rps,
    p99VsPeer: results.ours.p99 / results.peer.p99,
    p99VsLimit: results.ours.p99 / results.limit.p99,
  };
  extra.traceRuns = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.runs]));

  // what if (BENCH_WHATIF=1): a second index on the gate-entry lookup by received batch, which the schema now has
  // (market_entry_received_batch_idx); kept to compare runs made before and after that migration.
  // Built on the run's copy only, measured, then dropped so every later case runs on the schema as committed.
  if (process.env.BENCH_WHATIF !== '1') return;
  const runUrl = databaseUrl(RUN_DB);
  await sql(runUrl, 'create index bench_whatif_received_idx on market_entry (received_batch_id); analyze market_entry');
  const whatIf: Record<string, LoadSummary> = {};
  extra.whatIf = whatIf;
  try {
    for (const [system, o] of [
      ['ours', { ...base, url: `${ours.url}/graphql`, method: 'POST' as const, headers: JSON_HEADERS, body: gql(TRACE_QUERY, vars) }],
      ['limit', { ...base, url: `${limit.url}/trace?code=${meta.traceCode}`, method: 'GET' as const, check: (st: number) => st === 200 }],
    ] as const) {
      const r = await measure(o, RUNS, WARMUP);
      rows.push({ case: '1b. what if: trace with an index on market_entry.received_batch_id (run copy only)', system, rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed });
      whatIf[system] = r;
    }
  } finally {
    await sql(runUrl, 'drop index bench_whatif_received_idx');
  }
}

async function gateCase(rows: Row[], extra: Record<string, unknown>, meta: DatasetMeta, ours: Server, runUrl: string) {
  // certified lots still on their way, and the vendors each market has admitted loads for
  const lots = await sql<{ code: string; unit: string }>(runUrl, `
    select b.public_code as code, b.unit from batch b join origin_certificate c on c.batch_id = b.id
     where b.status = 'ACTIVE' and b.remaining >= 10 and c.status = 'VALID' and c.quantity - c.quantity_admitted >= 10 and b.unit in ('KG', 'L', 'BOTTLE')
     order by b.id limit 5000`);
  const vendors = await sql<{ market_id: number; vendor_id: number }>(runUrl, `
    select distinct on (vendor_id) market_id, vendor_id from market_entry where decision = 'ACCEPTED' order by vendor_id, id limit 3000`);
  if (!lots.length || !vendors.length) throw new Error('no certified lots in transit or no vendors in the data set');
  extra.gateLots = lots.length;
  extra.gateVendors = vendors.length;
  const tag = Date.now().toString(36);
  let n = 0;
  const scan = (code: string, unit: string) => {
    const v = vendors[n % vendors.length];
    n++;
    return {
      body: gql('mutation Scan($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision reasons { code } } }', {
        input: { code, marketId: String(v.market_id), vendorOperatorId: String(v.vendor_id), declaredQuantity: 1, unit, scanId: `b-${tag}-${n}` },
      }),
      token: meta.tokens.gate[v.market_id],
    };
  };
  const decisions: Record<string, number> = {};
  const tally = (status: number, body: string) => {
    const m = /"decision":"(\w+)"/.exec(body);
    if (m) decisions[m[1]] = (decisions[m[1]] ?? 0) + 1;
    return noErrors(status, body);
  };
  // one check by hand so a broken mutation is reported, not benchmarked
  const first = scan(lots[0].code, lots[0].unit);
  const probe = await post(`${ours.url}/graphql`, first.body, { authorization: `Bearer ${first.token}` });
  if (probe.json.errors || !probe.json.data?.scanAtGate) throw new Error(`scanAtGate answered ${JSON.stringify(probe.json).slice(0, 300)}`);

  const run = async (label: string, pick: () => { code: string; unit: string }) => {
    for (const k of Object.keys(decisions)) delete decisions[k];
    const o: LoadOptions = {
      url: `${ours.url}/graphql`,
      method: 'POST',
      headers: JSON_HEADERS,
      connections: CONNECTIONS,
      seconds: SECONDS,
      check: tally,
    };
    // autocannon sets the body per request; the token follows the market of the vendor picked
    const r = await measureWithHeaders(o, () => {
      const lot = pick();
      const s = scan(lot.code, lot.unit);
      return { body: s.body, headers: { ...JSON_HEADERS, authorization: `Bearer ${s.token}` } };
    });
    rows.push({ case: `2. scanAtGate, ${label}, c=${CONNECTIONS}`, system: 'ours', rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed, note: `decisions ${JSON.stringify(decisions)}` });
    (extra.gate as Record<string, unknown>)[label] = { ...r, decisions: { ...decisions } };
  };
  extra.gate = {};
  let i = 0;
  await run(`${lots.length} lots × ${vendors.length} vendors`, () => lots[(i = (i + 7919) % lots.length)]);
  await run('one hot certificate', () => ({ code: meta.hotCode, unit: 'KG' }));
}

/** `measure` with a request builder that sets headers too (each gate clerk's own token). */
async function measureWithHeaders(o: LoadOptions, next: () => { body: string; headers: Record<string, string> }): Promise<LoadSummary> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon');
  let rejected = 0;
  const runOnce = async (seconds: number) => {
    rejected = 0;
    const r = await autocannon({
      url: o.url,
      method: 'POST',
      connections: o.connections,
      duration: seconds,
      requests: [{
        setupRequest: (req: Record<string, unknown>) => ({ ...req, ...next(), method: 'POST' }),
        onResponse: (status: number, body: string) => {
          if (o.check && !o.check(status, body)) rejected++;
        },
      }],
    });
    return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, failed: r.non2xx + r.errors + r.timeouts + rejected, bytesPerSecond: r.throughput.average };
  };
  if (WARMUP > 0) await runOnce(WARMUP);
  const runs = [];
  for (let k = 0; k < RUNS; k++) runs.push(await runOnce(o.seconds));
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    requests: runs.reduce((a, r) => a + r.requests, 0),
    failed: runs.reduce((a, r) => a + r.failed, 0),
    bytesPerSecond: median(runs.map((r) => r.bytesPerSecond)),
    runs,
  };
}

async function forwardCase(rows: Row[], extra: Record<string, unknown>, meta: DatasetMeta, ours: Server) {
  const auth = { authorization: `Bearer ${meta.tokens.regulator}` };
  const pid = ours.child.pid!;
  const forward = `query Forward($id: ID!, $maxNodes: Int) { traceForward(batchId: $id, maxDepth: 500, maxNodes: $maxNodes) {
    truncated maxNodes nodes { id depth status owner { id } } edges { parentId childId kind quantity }
    affectedOperators { id batches } markets { id entries accepted } quantities { unit batches onHand }
    marketEntries { id } inspections { id } } }`;
  // the default bounds (1000 nodes) and the largest a regulator may ask for (10000); a failure is a result too
  const forwardRuns: Record<string, unknown> = {};
  for (const maxNodes of [1000, 10000]) {
    const times: number[] = [];
    const peaks: number[] = [];
    let last: any = null;
    let failure: string | null = null;
    for (let k = 0; k < (maxNodes === 1000 ? 4 : 3) && !failure; k++) {
      const before = rssMiB(pid);
      resetPeakRss(pid);
      const r = await post(`${ours.url}/graphql`, gql(forward, { id: String(meta.fanOutRootId), maxNodes }), auth);
      if (r.json.errors) failure = `${r.json.errors[0]?.extensions?.code ?? 'ERROR'} after ${Math.round(r.ms)} ms`;
      else if (k > 0 || maxNodes === 10000) {
        // the first call at the default bounds warms up and is not counted
        times.push(r.ms);
        peaks.push(peakRssMiB(pid) - before);
        last = { nodes: r.json.data.traceForward.nodes.length, edges: r.json.data.traceForward.edges.length, truncated: r.json.data.traceForward.truncated, bytes: r.bytes };
      }
    }
    rows.push({
      case: `3. traceForward, lot with ${meta.fanOutDescendants} descendants, maxNodes ${maxNodes}`,
      system: 'ours', p50: times.length ? median(times) : undefined,
      note: failure
        ? `failed: ${failure}${times.length ? ` (${times.length} calls answered first)` : ''}`
        : `${last.nodes} nodes, ${last.edges} edges, truncated ${last.truncated}, ${(last.bytes / 1048576).toFixed(1)} MiB answer; server peak +${round(median(peaks))} MiB over ${round(rssMiB(pid))} MiB`,
    });
    forwardRuns[maxNodes] = { times, peaks, failure, ...last };
  }
  extra.forward = forwardRuns;

  // the recall is a write: it runs once, on this run's copy
  const recall = `mutation Recall($input: InitiateRecallInput!) { initiateRecall(input: $input) {
    created batches newlyRecalled entries operators { id batches } markets { id entries } quantities { unit batches onHand } } }`;
  const before = rssMiB(pid);
  resetPeakRss(pid);
  const r = await post(`${ours.url}/graphql`, gql(recall, { input: { batchId: String(meta.fanOutRootId), reason: 'Benchmark: residue above limit in the source lot' } }), auth);
  if (r.json.errors) throw new Error(`initiateRecall answered after ${Math.round(r.ms)} ms: ${JSON.stringify(r.json.errors).slice(0, 300)}`);
  const impact = r.json.data.initiateRecall;
  const peak = peakRssMiB(pid) - before;
  rows.push({
    case: `3. initiateRecall, same lot (once, on the run's copy)`,
    system: 'ours', p50: r.ms,
    note: `${impact.batches} batches, ${impact.newlyRecalled} newly recalled, ${impact.operators.length} operators, ${impact.markets.length} markets, ${impact.entries} entries; server peak +${round(peak)} MiB`,
  });
  extra.recall = { ms: r.ms, peakMiB: peak, batches: impact.batches, newlyRecalled: impact.newlyRecalled, operators: impact.operators.length, markets: impact.markets.length, entries: impact.entries };
}

async function archiveCase(rows: Row[], extra: Record<string, unknown>, meta: DatasetMeta, ours: Server, runUrl: string) {
  const FIRST = 20;
  const filter = { kind: 'MARKET_VENDOR' };
  const [{ n }] = await sql<{ n: string }>(runUrl, `select count(*) as n from credit_event e join operator o on o.id = e.operator_id where o.kind = 'MARKET_VENDOR'`);
  const page = Math.min(10_000, Math.floor(Number(n) / FIRST));
  // the cursor a client holds after reading page - 1 pages: the last row of page - 1
  const [edge] = await sql<{ us: string; id: number }>(runUrl, `
    select (extract(epoch from e.occurred_at) * 1000000)::bigint::text as us, e.id from credit_event e join operator o on o.id = e.operator_id
     where o.kind = 'MARKET_VENDOR' order by e.occurred_at desc, e.id desc offset ${(page - 1) * FIRST - 1} limit 1`);
  const after = Buffer.from(`a:${edge.us}:${edge.id}`, 'utf8').toString('base64url');
  const query = `query Archive($filter: CreditArchiveFilter, $first: Int, $after: String) { creditArchive(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id seq ruleCode points reason occurredAt } } pageInfo { hasNextPage endCursor } } }`;
  const auth = { ...JSON_HEADERS, authorization: `Bearer ${meta.tokens.regulator}` };
  const probe = await post(`${ours.url}/graphql`, gql(query, { filter, first: FIRST, after }), auth);
  if (probe.json.errors) throw new Error(`creditArchive answered ${JSON.stringify(probe.json.errors).slice(0, 300)}`);
  const results: Record<string, LoadSummary> = {};
  for (const [label, vars] of [['page 1', { filter, first: FIRST }], [`page ${page}`, { filter, first: FIRST, after }]] as const) {
    results[label] = await measure({ url: `${ours.url}/graphql`, method: 'POST', headers: auth, body: gql(query, vars), connections: 1, seconds: Math.max(3, SECONDS / 2), check: noErrors }, RUNS, WARMUP);
    rows.push({ case: `4. creditArchive {kind: MARKET_VENDOR}, first ${FIRST}, ${label}, c=1`, system: 'ours', rps: results[label].rps, p50: results[label].p50, p99: results[label].p99, failed: results[label].failed, note: `${Number(n)} events match` });
  }
  extra.archive = { matching: Number(n), page, first: FIRST, ratio: results[`page ${page}`].p50 / results['page 1'].p50 };
}

async function pageCase(rows: Row[], extra: Record<string, unknown>, meta: DatasetMeta, ours: Server) {
  const url = `${ours.url}/t/${meta.traceCode}`;
  const res = await fetch(url);
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET /t/:code answered ${res.status}`);
  const bytes = Buffer.byteLength(html);
  const r = await measure({ url, method: 'GET', connections: CONNECTIONS, seconds: SECONDS, check: (s) => s === 200 }, RUNS, WARMUP);
  rows.push({ case: `5. GET /t/:code (consumer page, 20-node chain), c=${CONNECTIONS}`, system: 'ours', rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed, note: `${bytes} B HTML (${res.headers.get('content-encoding') ?? 'identity'})` });
  extra.page = { bytes, ...r };
}

// ---------------------------------------------------------------------------------------------------------------

async function readMeta(): Promise<DatasetMeta> {
  try {
    const [row] = await sql<{ value: DatasetMeta }>(databaseUrl(DATASET_DB), "select value from bench_meta where key = 'dataset'");
    return row.value;
  } catch {
    throw new Error(`no data set in ${DATASET_DB}: run \`npm run bench:data\` first`);
  }
}

function ensurePeerInstalled(): void {
  if (existsSync(NODE22) && existsSync(join(PEER_DIR, 'node_modules', 'postgraphile'))) return;
  say('installing the peer (bench/peer: PostGraphile 5 and its Node 22)');
  execSync('npm ci --no-audit --no-fund', { cwd: PEER_DIR, stdio: 'inherit' });
}

async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query(text, params);
    return (Array.isArray(r) ? r[r.length - 1].rows : r.rows) as T[];
  } finally {
    await client.end();
  }
}

function environment(meta: DatasetMeta): Record<string, string> {
  const tryRun = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const pkg = (dir: string, name: string) => {
    try {
      return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    } catch {
      return 'unknown';
    }
  };
  const root = join(__dirname, '..');
  return {
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    loadAverageAtEnd: loadavg().map((x) => x.toFixed(2)).join(' '),
    postgres: tryRun('psql', [databaseUrl(DATASET_DB), '-Atc', 'show server_version']),
    node: process.version,
    peerNode: tryRun(NODE22, ['-v']),
    commit: tryRun('git', ['-C', root, 'rev-parse', '--short', 'HEAD']),
    versions: `fastify ${pkg(root, 'fastify')}, @apollo/server ${pkg(root, '@apollo/server')}, type-graphql ${pkg(root, 'type-graphql')}, @mikro-orm/core ${pkg(root, '@mikro-orm/core')}, pg ${pkg(root, 'pg')}, autocannon ${pkg(root, 'autocannon')}, postgraphile ${pkg(PEER_DIR, 'postgraphile')}`,
    dataset: `scale ${meta.scale}: ${Object.entries(meta.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    load: `autocannon in the harness process over loopback; ${WARMUP} s warm-up, then ${RUNS} runs of ${SECONDS} s, medians`,
  };
}

function render(started: Date, env: Record<string, string>, rows: Row[], extra: Record<string, any>): string {
  const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '' : String(round(x, d)));
  const lines = [
    `# foodtrace benchmark, ${started.toISOString()}`,
    '',
    ...Object.entries(env).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '| case | system | req/s | p50 ms | p99 ms | failed | notes |',
    '|---|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.case} | ${r.system} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${r.failed ?? ''} | ${r.note ?? ''} |`),
    '',
  ];
  const t = extra.traceRatios;
  if (t) {
    const w = extra.whatIf;
    if (w?.ours && w?.limit) lines.push(`What if (1b): with the index, ours ${f(w.ours.rps, 0)} req/s (${f(w.ours.rps / extra.traceRps.peer, 2)}× the peer, ${f((w.ours.rps / w.limit.rps) * 100, 0)} % of the limit with the same index), p99 ${f(w.ours.p99)} ms.`);
    lines.push(
      `Trace, ours as a ratio: throughput ${f(t.rpsVsPeer, 2)}× the peer's and ${f(t.rpsVsLimit * 100, 0)} % of the limit's; p99 ${f(t.p99VsPeer, 2)}× the peer's and ${f(t.p99VsLimit, 2)}× the limit's.`,
      `Answer sizes (bytes): ${JSON.stringify(extra.traceBytes)}.`,
    );
  }
  if (extra.archive) lines.push(`Archive: page ${extra.archive.page} p50 is ${f(extra.archive.ratio, 2)}× page 1's (${extra.archive.matching} matching events, ${extra.archive.first} per page).`);
  if (extra.copySeconds) lines.push(`Copy of the data set for this run: ${f(extra.copySeconds)} s.`);
  lines.push('');
  return lines.join('\n');
}

main().catch((e) => {
  console.error('[bench] failed:', e);
  process.exit(1);
});
