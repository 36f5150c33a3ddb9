import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { copyDatabase, DATASET_DB, databaseUrl, dropDatabase, RUN_DB, withAdmin } from './lib/db';
import type { DatasetMeta } from './lib/generate';
import { interleave, measure, median, type Contender, type Interleaved, type LoadOptions, type LoadSummary } from './lib/load';
import { cpuSeconds, NODE22, PEER_DIR, peakRssMiB, resetPeakRss, rssMiB, startPeer, startTs, type Server } from './lib/servers';
import { settled, startMain, treeCpuSeconds, type MainServer } from './lib/app';
import { postgresBin, startPrimaryAndReplica, type PgPair } from './lib/pg-pair';

/**
 * `npm run bench`: our server, the peer (PostGraphile 5) and the limit (bare http + pg) on one copy of the
 * data set, loaded from this process over loopback. Knobs: BENCH_SECONDS (per run, default 10), BENCH_RUNS
 * (measured runs per case, default 3), BENCH_CONNECTIONS (default 10), BENCH_ONLY (comma-separated case numbers; 6 and 7
 * are the scale-out cases), BENCH_REPLICA_SCALE (the county of the scale-out cases, default 0.1).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ONLY = process.env.BENCH_ONLY?.split(',').map(Number) ?? null;
const PORTS = { ours: 4701, limit: 4702, peer: 4703, ours22: 4704 };

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
    // the same server on the peer's Node, so the comparison is not one of Node versions
    const ours22 = await startTs('ours22', 'bench/servers/ours.ts', PORTS.ours22, runUrl, NODE22);
    servers.push(ours22);
    const limit = await startTs('limit', 'bench/servers/limit.ts', PORTS.limit, runUrl);
    servers.push(limit);
    const peer = await startPeer(PORTS.peer, runUrl);
    servers.push(peer);
    say(`servers up: ours :${ours.port}, ours on Node 22 :${ours22.port}, limit :${limit.port}, peer :${peer.port}`);
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

    await step(1, 'trace(code), rotated codes, interleaved', () => traceCase(rows, extra, meta, { ours, ours22, peer, limit }, runUrl));
    await step(2, 'scanAtGate', () => gateCase(rows, extra, meta, ours, runUrl));
    await step(3, 'traceForward + recall', () => forwardCase(rows, extra, meta, ours));
    await step(4, 'creditArchive', () => archiveCase(rows, extra, meta, ours, runUrl));
    await step(5, 'GET /t/:code', () => pageCase(rows, extra, meta, ours));
    // the county's four servers leave the cores before the scale-out cases start their own
    for (const s of servers.splice(0).reverse()) await s.stop();
    const county = scaleOutCounty();
    try {
      await step(6, 'one process vs two (WEB_CONCURRENCY)', async () => processesCase(rows, extra, await county.get()));
      await step(7, 'primary only vs replica reads (READ_DATABASE_URL)', async () => replicaCase(rows, extra, await county.get()));
    } finally {
      await county.stop();
    }
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

async function traceCase(rows: Row[], extra: Record<string, unknown>, meta: DatasetMeta, servers: TraceServers, runUrl: string) {
  const { ours, ours22, peer, limit } = servers;
  const codes = await traceCodes(meta, runUrl);
  const askOurs = async (url: string, code: string) => (await post(`${url}/graphql`, gql(TRACE_QUERY, { code }))).json.data?.trace;
  const ids = (xs: (string | number)[]) => xs.map(Number).sort((x, y) => x - y).join(',');

  // every system must answer the same batches for the same codes before its speed means anything
  const sample = [meta.traceCode, ...codes.list.slice(0, 24)];
  const nodeCounts: number[] = [];
  for (const code of sample) {
    const a = await askOurs(ours.url, code);
    const a22 = await askOurs(ours22.url, code);
    const b = await post(`${peer.url}/graphql`, gql(PEER_QUERY, { code }));
    const c = await (await fetch(`${limit.url}/trace?code=${code}`)).json() as { nodes: { id: number }[] };
    if (!a || b.json.errors) throw new Error(`no answer for ${code}: ours ${!!a}, peer ${JSON.stringify(b.json.errors ?? '').slice(0, 200)}`);
    const sets = {
      ours: ids(a.nodes.map((n: { id: string }) => n.id)),
      ours22: ids(a22.nodes.map((n: { id: string }) => n.id)),
      peer: ids(b.json.data.traceUpstreamList.map((n: { rowId: number }) => n.rowId)),
      limit: ids(c.nodes.map((n) => n.id)),
    };
    if (new Set(Object.values(sets)).size !== 1) throw new Error(`the systems disagree on the chain of ${code}: ${JSON.stringify(sets)}`);
    nodeCounts.push(a.nodes.length);
  }
  if (nodeCounts[0] !== meta.traceNodes) throw new Error(`the 20-node chain answered ${nodeCounts[0]} nodes`);
  const first = await post(`${ours.url}/graphql`, gql(TRACE_QUERY, { code: meta.traceCode }));
  extra.traceCodes = { rotated: codes.list.length, nodes: codes.nodes, sampleChecked: sample.length };
  extra.traceBytes = {
    ours: first.bytes,
    peer: (await post(`${peer.url}/graphql`, gql(PEER_QUERY, { code: meta.traceCode }))).bytes,
    limit: Buffer.byteLength(await (await fetch(`${limit.url}/trace?code=${meta.traceCode}`)).text()),
  };

  const rotate = () => {
    let i = 0;
    return () => codes.list[(i = (i + 1) % codes.list.length)];
  };
  const contenders = (connections: number, seconds: number): Contender[] => {
    const graphql = (server: Server, query: string): Contender => {
      const next = rotate();
      return {
        name: server.name, pid: server.child.pid!,
        load: { url: `${server.url}/graphql`, method: 'POST', headers: JSON_HEADERS, nextBody: () => gql(query, { code: next() }), connections, seconds, check: noErrors },
      };
    };
    const next = rotate();
    return [
      graphql(ours, TRACE_QUERY),
      graphql(ours22, TRACE_QUERY),
      graphql(peer, PEER_QUERY),
      { name: limit.name, pid: limit.child.pid!, load: { url: `${limit.url}/trace`, method: 'GET', nextPath: () => `/trace?code=${next()}`, connections, seconds, check: (st) => st === 200 } },
    ];
  };

  const label = `${codes.list.length} codes rotated (${codes.nodes.min}–${codes.nodes.max} nodes, mean ${round(codes.nodes.mean)})`;
  for (const connections of [CONNECTIONS, 1]) {
    const seconds = connections === 1 ? Math.max(3, SECONDS / 2) : SECONDS;
    const result = await interleave(contenders(connections, seconds), RUNS, connections === 1 ? 1 : WARMUP, seconds, cpuSeconds);
    for (const [system, r] of Object.entries(result.systems)) {
      rows.push({
        case: `1. trace(code), ${label}, c=${connections}`, system, rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed,
        note: `${round(r.cpuMsPerRequest, 2)} CPU ms/req${connections === CONNECTIONS && system !== 'ours22' ? `; ${(extra.traceBytes as Record<string, number>)[system]} B for the 20-node chain` : ''}`,
      });
    }
    const perRound = result.rounds.map((round) => ({
      order: round.order,
      oursVsPeer: round.runs.ours.rps / round.runs.peer.rps,
      ours22VsPeer: round.runs.ours22.rps / round.runs.peer.rps,
      oursVsLimit: round.runs.ours.rps / round.runs.limit.rps,
    }));
    const key = connections === 1 ? 'traceSingle' : 'trace';
    extra[key] = { ...result, perRound };
    if (connections === CONNECTIONS) {
      const sys = result.systems;
      extra.traceRps = { ours: sys.ours.rps, ours22: sys.ours22.rps, peer: sys.peer.rps, limit: sys.limit.rps };
      extra.traceRatios = {
        rpsVsPeer: sys.ours.rps / sys.peer.rps,
        rps22VsPeer: sys.ours22.rps / sys.peer.rps,
        rpsVsLimit: sys.ours.rps / sys.limit.rps,
        p99VsPeer: sys.ours.p99 / sys.peer.p99,
        p99VsLimit: sys.ours.p99 / sys.limit.p99,
        roundsVsPeer: perRound.map((x) => round(x.oursVsPeer, 2)),
        roundsVsLimit: perRound.map((x) => round(x.oursVsLimit, 2)),
      };
    }
  }
}

interface TraceServers {
  ours: Server;
  ours22: Server;
  peer: Server;
  limit: Server;
}

/**
 * The codes every system is asked in turn: the 20-node chain, tips of the long linear chains, tips of random hand-overs
 * and random lots of every kind (most of them short), drawn the same way every run (by a hash of the id, not at random).
 */
async function traceCodes(meta: DatasetMeta, runUrl: string): Promise<{ list: string[]; nodes: { min: number; max: number; mean: number } }> {
  // the generator makes the long linear chains (20–40 generations) right after the 20-node one and before the fan-out lot
  const long = await sql<{ code: string }>(runUrl, `
    select b.public_code as code from batch b
     where b.id > $1 and b.id < $2 and not exists (select 1 from batch_link l where l.parent_id = b.id)
     order by md5(b.id::text) limit 100`, [meta.traceBatchId, meta.fanOutRootId]);
  const handed = await sql<{ code: string }>(runUrl, `
    select b.public_code as code from batch b
     where exists (select 1 from batch_link l where l.child_id = b.id) and not exists (select 1 from batch_link l where l.parent_id = b.id)
     order by md5(b.id::text) limit 100`);
  const any = await sql<{ code: string }>(runUrl, `select public_code as code from batch order by md5(id::text || 'x') limit 100`);
  // the three kinds in turn, so every stretch of requests mixes long and short chains
  const list = [meta.traceCode];
  for (let i = 0; i < 100; i++) {
    for (const c of [long[i]?.code, handed[i]?.code, any[i]?.code]) if (c && !list.includes(c)) list.push(c);
  }
  const counts = await sql<{ n: number }>(runUrl, `
    select (select count(*) from (
      with recursive walk(id, depth) as (select b.id, 0 from batch b where b.public_code = c.code
        union select l.parent_id, w.depth + 1 from walk w join batch_link l on l.child_id = w.id where w.depth < 100)
      select distinct id from walk) x)::int as n from unnest($1::text[]) as c(code)`, [list]);
  const ns = counts.map((r) => r.n);
  return { list, nodes: { min: Math.min(...ns), max: Math.max(...ns), mean: ns.reduce((a, b) => a + b, 0) / ns.length } };
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
    // CPU per scan, of our process and of the PostgreSQL backends serving the run's copy: unlike throughput, it hardly
    // moves when other work shares the machine
    const cpuBefore = { ours: cpuSeconds(ours.child.pid!), db: backendCpuSeconds(RUN_DB) };
    // autocannon sets the body per request; the token follows the market of the vendor picked
    const r = await measureWithHeaders(o, () => {
      const lot = pick();
      const s = scan(lot.code, lot.unit);
      return { body: s.body, headers: { ...JSON_HEADERS, authorization: `Bearer ${s.token}` } };
    });
    const dbAfter = backendCpuSeconds(RUN_DB);
    // the target counts admitted loads: the throughput times the share of ACCEPTED answers (warm-up included in the tally)
    const answered = Object.values(decisions).reduce((a, b) => a + b, 0);
    const acceptedPerSecond = answered ? round((r.rps * (decisions.ACCEPTED ?? 0)) / answered) : 0;
    const perScan = (seconds: number) => (answered ? round((seconds * 1000) / answered, 2) : NaN);
    const cpuMs = {
      ours: perScan(cpuSeconds(ours.child.pid!) - cpuBefore.ours),
      db: perScan([...dbAfter].reduce((sum, [pid, cpu]) => sum + cpu - (cpuBefore.db.get(pid) ?? 0), 0)),
    };
    rows.push({
      case: `2. scanAtGate, ${label}, c=${CONNECTIONS}`, system: 'ours', rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed,
      note: `accepted ${acceptedPerSecond}/s; CPU ms/scan ours ${cpuMs.ours}, PostgreSQL ${cpuMs.db}; decisions ${JSON.stringify(decisions)}`,
    });
    (extra.gate as Record<string, unknown>)[label] = { ...r, acceptedPerSecond, cpuMs, decisions: { ...decisions } };
  };
  extra.gate = {};
  let i = 0;
  await run(`${lots.length} lots × ${vendors.length} vendors`, () => lots[(i = (i + 7919) % lots.length)]);
  await run('one hot certificate', () => ({ code: meta.hotCode, unit: 'KG' }));
  // the hot lot's producer is at grade D in the data set, so every load above is sent to a test (its quantity is
  // claimed, nothing is handed over); for the claim and the transfer under the one lot's lock, this run's copy puts
  // the producer at grade A (2 % of loads are still drawn for a test)
  await sql(runUrl, `update operator set credit_grade = 'A' where id in (
    select c.issuer_id from origin_certificate c join batch b on b.id = c.batch_id where b.public_code = $1)`, [meta.hotCode]);
  await run('one hot certificate, producer at grade A', () => ({ code: meta.hotCode, unit: 'KG' }));
}

/** CPU seconds used so far by each PostgreSQL backend connected to `database`, by pid (a local server's processes). */
function backendCpuSeconds(database: string): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres: ') && cmdline.split(/[\s\0]+/).includes(database)) cpu.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // the process ended while the list was read
    }
  }
  return cpu;
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
// Scale-out (docs/SCALING.md): our server as `npm start` runs it, one process against two on one port, and public
// lookups on the primary against a streaming replica, the contenders of each interleaved like the trace case.

const SCALE_OUT_PORTS = { one: 4711, oneShared: 4712, two: 4713, primary: 4714, replica: 4715 };
const REPLICA_SCALE = Number(process.env.BENCH_REPLICA_SCALE ?? 0.1);
const SCAN_MUTATION = 'mutation Scan($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision reasons { code } } }';

/** A contender asking `server` for the trace of each code in turn. */
function traceContender(server: Server, codes: string[]): Contender {
  let i = 0;
  return {
    name: server.name, pid: server.child.pid!,
    load: { url: `${server.url}/graphql`, method: 'POST', headers: JSON_HEADERS, nextBody: () => gql(TRACE_QUERY, { code: codes[(i = (i + 1) % codes.length)] }), connections: CONNECTIONS, seconds: SECONDS, check: noErrors },
  };
}

/** Every server must answer the same batches for the same codes before their speeds mean anything. */
async function sameTraces(servers: Server[], codes: string[]): Promise<void> {
  for (const code of codes) {
    const sets = await Promise.all(servers.map(async (s) => {
      const trace = (await post(`${s.url}/graphql`, gql(TRACE_QUERY, { code }))).json.data?.trace;
      return trace ? trace.nodes.map((n: { id: string }) => Number(n.id)).sort((x: number, y: number) => x - y).join(',') : 'no answer';
    }));
    if (new Set(sets).size !== 1) throw new Error(`the servers disagree on the chain of ${code}: ${JSON.stringify(Object.fromEntries(servers.map((s, k) => [s.name, sets[k]])))}`);
  }
}

/** Each contender's rows, and its throughput as a ratio of `base`'s: over the medians and round by round. */
function scaleOutRows(rows: Row[], label: string, result: Interleaved, base: string, note: (system: string) => string = () => ''): Record<string, unknown> {
  const vs: Record<string, unknown> = {};
  for (const [system, r] of Object.entries(result.systems)) {
    rows.push({ case: label, system, rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed, note: `${round(r.cpuMsPerRequest, 2)} CPU ms/req${note(system)}` });
    if (system !== base) {
      vs[system] = {
        rps: r.rps / result.systems[base].rps,
        p99: r.p99 / result.systems[base].p99,
        rounds: result.rounds.map((x) => round(x.runs[system].rps / x.runs[base].rps, 2)),
      };
    }
  }
  return { base, vs };
}

/** The county both scale-out cases run on: a primary of its own and its streaming replica. */
interface ScaleOutCounty {
  pair: PgPair;
  primaryUrl: string;
  replicaUrl: string;
  meta: DatasetMeta;
  codes: string[];
  label: string;
  setupSeconds: number;
}

/**
 * A primary on a spare port loaded with a smaller county (BENCH_REPLICA_SCALE), and its replica made with
 * `pg_basebackup`: a base backup of the shared server would copy every database on it, and on a server of their own
 * the cases do not compete with whatever else runs on the shared one. Both run with the shared server's shared
 * buffers on the same cores. Made on first use, once for both cases.
 */
function scaleOutCounty(): { get(): Promise<ScaleOutCounty>; stop(): Promise<void> } {
  let made: Promise<ScaleOutCounty> | null = null;
  const make = async (): Promise<ScaleOutCounty> => {
    const bin = postgresBin();
    if (!bin) throw new Error('no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql/*/bin');
    const database = 'foodtrace_scaleout';
    const t0 = Date.now();
    const pair = await startPrimaryAndReplica(bin, {
      // the pair's default is a test's 32 MB
      settings: '-c shared_buffers=128MB',
      load: async (url) => {
        execFileSync(process.execPath, ['-r', '@swc-node/register', 'bench/data.ts'], {
          cwd: join(__dirname, '..'), stdio: 'inherit',
          env: { ...process.env, DATABASE_URL: url('postgres'), BENCH_DATABASE: database, BENCH_SCALE: String(REPLICA_SCALE) },
        });
      },
    });
    try {
      const primaryUrl = pair.primaryUrl(database);
      const [{ value: meta }] = await sql<{ value: DatasetMeta }>(primaryUrl, "select value from bench_meta where key = 'dataset'");
      const codes = (await traceCodes(meta, primaryUrl)).list;
      const label = `county at scale ${meta.scale} (${meta.counts.batch} lots)`;
      say(`scale-out ${label}: primary :${pair.primaryPort}, replica :${pair.replicaPort}`);
      return { pair, primaryUrl, replicaUrl: pair.replicaUrl(database), meta, codes, label, setupSeconds: (Date.now() - t0) / 1000 };
    } catch (e) {
      pair.stop();
      throw e;
    }
  };
  return {
    get: () => (made ??= make()),
    async stop() {
      const county = await made?.catch(() => null);
      county?.pair.stop();
    },
  };
}

/** Starts the servers one after another (the first to start installs the job queue's schema), then lets their start-up work finish. */
async function startAll(url: string, specs: [name: string, port: number, env: Record<string, string>][]): Promise<{ servers: MainServer[]; settleSeconds: number }> {
  const servers: MainServer[] = [];
  try {
    for (const [name, port, env] of specs) servers.push(await startMain(name, port, env));
    const settleSeconds = await settled(url, 25 * servers.reduce((n, s) => n + s.processes, 0));
    say(`scale-out servers up: ${servers.map((s) => `${s.name} :${s.port}`).join(', ')}; their start-up work done after ${round(settleSeconds)} s more`);
    return { servers, settleSeconds };
  } catch (e) {
    for (const s of servers.reverse()) await s.stop();
    throw e;
  }
}

/**
 * One process against two (WEB_CONCURRENCY=2: a primary forking two workers on one port), all on the primary. One
 * process is measured twice, with its rate-limit budgets in memory (its default) and in PostgreSQL (what several
 * processes use by default), so the cost of sharing the budgets is told apart from the gain of a second process. CPU
 * is counted over each server's processes (a cluster's primary and its workers).
 */
async function processesCase(rows: Row[], extra: Record<string, unknown>, county: ScaleOutCounty) {
  const { primaryUrl: url, meta, codes } = county;
  const { servers, settleSeconds } = await startAll(url, [
    ['1 process', SCALE_OUT_PORTS.one, { DATABASE_URL: url, WEB_CONCURRENCY: '1' }],
    ['1 process, budgets in PostgreSQL', SCALE_OUT_PORTS.oneShared, { DATABASE_URL: url, WEB_CONCURRENCY: '1', RATE_LIMIT_STORE: 'postgres' }],
    ['2 processes', SCALE_OUT_PORTS.two, { DATABASE_URL: url, WEB_CONCURRENCY: '2' }],
  ]);
  try {
    await sameTraces(servers, codes.slice(0, 25));
    const trace = await interleave(servers.map((s) => traceContender(s, codes)), RUNS, WARMUP, SECONDS, treeCpuSeconds);
    const traceRatios = scaleOutRows(rows, `6. trace(code), ${county.label}, ${codes.length} codes rotated, c=${CONNECTIONS}`, trace, '1 process');

    // gate scans at the market with the most vendors, as its clerk; every scan id new, the lots in transit dealt out
    // across all servers in one sequence so none rescans a lot another has drained
    const [{ market_id: market }] = await sql<{ market_id: number }>(url, `
      select market_id from market_entry where decision = 'ACCEPTED' group by market_id order by count(distinct vendor_id) desc, market_id limit 1`);
    const vendors = await sql<{ vendor_id: number }>(url, `
      select distinct vendor_id from market_entry where decision = 'ACCEPTED' and market_id = $1 order by vendor_id`, [market]);
    const lots = await sql<{ code: string; unit: string }>(url, `
      select b.public_code as code, b.unit from batch b join origin_certificate c on c.batch_id = b.id
       where b.status = 'ACTIVE' and b.remaining >= 10 and c.status = 'VALID' and c.quantity - c.quantity_admitted >= 10 and b.unit in ('KG', 'L', 'BOTTLE')
       order by md5(b.id::text) limit 5000`);
    if (!lots.length || !vendors.length) throw new Error('no certified lots in transit or no vendors in the data set');
    const tag = Date.now().toString(36);
    let n = 0;
    const scanBody = () => {
      n++;
      const lot = lots[(n * 7919) % lots.length];
      return gql(SCAN_MUTATION, { input: { code: lot.code, marketId: String(market), vendorOperatorId: String(vendors[n % vendors.length].vendor_id), declaredQuantity: 1, unit: lot.unit, scanId: `p-${tag}-${n}` } });
    };
    const headers = { ...JSON_HEADERS, authorization: `Bearer ${meta.tokens.gate[market]}` };
    const probe = await post(`${servers[0].url}/graphql`, scanBody(), headers);
    if (probe.json.errors || !probe.json.data?.scanAtGate) throw new Error(`scanAtGate answered ${JSON.stringify(probe.json).slice(0, 300)}`);
    const decisions: Record<string, Record<string, number>> = {};
    const gateContender = (server: Server): Contender => {
      const tally: Record<string, number> = (decisions[server.name] = {});
      return {
        name: server.name, pid: server.child.pid!,
        load: {
          url: `${server.url}/graphql`, method: 'POST', headers, nextBody: scanBody, connections: CONNECTIONS, seconds: SECONDS,
          check: (status, body) => {
            const m = /"decision":"(\w+)"/.exec(body);
            if (m) tally[m[1]] = (tally[m[1]] ?? 0) + 1;
            return noErrors(status, body);
          },
        },
      };
    };
    const gate = await interleave(servers.map(gateContender), RUNS, WARMUP, SECONDS, treeCpuSeconds);
    const gateRatios = scaleOutRows(rows, `6. scanAtGate, ${county.label}, one market, ${lots.length} lots × ${vendors.length} vendors, c=${CONNECTIONS}`, gate, '1 process', (s) => `; decisions ${JSON.stringify(decisions[s])}`);
    extra.processes = {
      setupSeconds: county.setupSeconds, settleSeconds,
      trace: { ...trace, ratios: traceRatios }, gate: { ...gate, ratios: gateRatios, market, lots: lots.length, vendors: vendors.length, decisions },
    };
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
}

/**
 * Public traces read from the primary against the same server reading the streaming replica (READ_DATABASE_URL).
 * The replica's own count of scans on `batch` shows it was read.
 */
async function replicaCase(rows: Row[], extra: Record<string, unknown>, county: ScaleOutCounty) {
  const { primaryUrl, replicaUrl, codes } = county;
  const { servers, settleSeconds } = await startAll(primaryUrl, [
    ['primary only', SCALE_OUT_PORTS.primary, { DATABASE_URL: primaryUrl, WEB_CONCURRENCY: '1' }],
    ['replica reads', SCALE_OUT_PORTS.replica, { DATABASE_URL: primaryUrl, READ_DATABASE_URL: replicaUrl, WEB_CONCURRENCY: '1' }],
  ]);
  try {
    await sameTraces(servers, codes.slice(0, 25));
    const batchScans = async (url: string) =>
      Number((await sql<{ n: string }>(url, "select (coalesce(idx_scan, 0) + seq_scan)::text as n from pg_stat_user_tables where relname = 'batch'"))[0].n);
    const before = { primary: await batchScans(primaryUrl), replica: await batchScans(replicaUrl) };
    const result = await interleave(servers.map((s) => traceContender(s, codes)), RUNS, WARMUP, SECONDS, treeCpuSeconds);
    // a server's statistics reach the shared counts at most a second after its transactions, or when it goes idle
    await new Promise((r) => setTimeout(r, 1500));
    const scans = { primary: (await batchScans(primaryUrl)) - before.primary, replica: (await batchScans(replicaUrl)) - before.replica };
    const served = result.systems['replica reads'].requests;
    const ratios = scaleOutRows(rows, `7. trace(code), ${county.label}, ${codes.length} codes rotated, c=${CONNECTIONS}`, result, 'primary only',
      (s) => (s === 'replica reads' ? `; ${scans.replica} scans of batch on the replica for ${served} measured traces` : `; ${scans.primary} scans of batch on the primary`));
    extra.replica = { ...result, ratios, setupSeconds: county.setupSeconds, settleSeconds, batchScans: scans, replicaServed: served };
    if (scans.replica < served) throw new Error(`the replica counted ${scans.replica} scans of batch for ${served} traces: it was not read`);
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
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
    load: `autocannon in the harness process over loopback; ${WARMUP} s warm-up, then ${RUNS} runs of ${SECONDS} s, medians; the trace systems interleaved in ${RUNS} rounds (each round in a rotated order), every system asked the same rotating codes`,
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
    lines.push(
      `Trace, ours as a ratio (medians of interleaved rounds): throughput ${f(t.rpsVsPeer, 2)}× the peer's (on Node 22 as the peer: ${f(t.rps22VsPeer, 2)}×) and ${f(t.rpsVsLimit * 100, 0)} % of the limit's; p99 ${f(t.p99VsPeer, 2)}× the peer's and ${f(t.p99VsLimit, 2)}× the limit's.`,
      `Per round, ours ÷ peer: ${t.roundsVsPeer.join(', ')}; ours ÷ limit: ${t.roundsVsLimit.join(', ')}.`,
      `Answer sizes for the 20-node chain (bytes): ${JSON.stringify(extra.traceBytes)}.`,
    );
  }
  if (extra.archive) lines.push(`Archive: page ${extra.archive.page} p50 is ${f(extra.archive.ratio, 2)}× page 1's (${extra.archive.matching} matching events, ${extra.archive.first} per page).`);
  const vs = (x: { base: string; vs: Record<string, { rps: number; rounds: number[] }> }) =>
    Object.entries(x.vs).map(([system, r]) => `${system} ${f(r.rps, 2)}× (rounds ${r.rounds.join(', ')})`).join('; ');
  if (extra.processes) {
    lines.push(`Scale-out, throughput as a ratio of one process's (medians of interleaved rounds): trace — ${vs(extra.processes.trace.ratios)}; gate scans — ${vs(extra.processes.gate.ratios)}.`);
  }
  if (extra.replica) lines.push(`Scale-out, trace throughput reading the replica as a ratio of the primary's: ${vs(extra.replica.ratios)}.`);
  if (extra.copySeconds) lines.push(`Copy of the data set for this run: ${f(extra.copySeconds)} s.`);
  lines.push('');
  return lines.join('\n');
}

main().catch((e) => {
  console.error('[bench] failed:', e);
  process.exit(1);
});
