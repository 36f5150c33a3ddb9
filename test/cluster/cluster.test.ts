import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Client } from 'pg';
import { connectOrm } from '../../src/db/orm';
import { ensureDatabase } from '../../src/db/embedded';
import { WRITTEN_AT_HEADER } from '../../src/db/read-route';
import type { Grade } from '../../src/entities/enums';
import { isSampled } from '../../src/gate/gate.service';
import { seedDemoTown } from '../../seeds/town';
import { postgresBin, startApp, startPrimaryAndReplica, freePort, type AppProcess, type PgPair } from './pg-cluster';

/**
 * The deployment of docs/SCALING.md on one machine: a primary and a streaming replica (pg_basebackup -R), process A
 * (WEB_CONCURRENCY=2: a primary forking two workers on one port) and process B, both on the same database, public
 * lookups on the replica, rate-limit budgets in PostgreSQL.
 */
const bin = postgresBin();
const ROOT = join(__dirname, '..', '..');
const SECRET = 'cluster-test-sampling-secret-0123456789abcdef';
const MAX_LAG_MS = 3000;
const SCANS = 40;

if (!bin) {
  // eslint-disable-next-line no-console
  console.warn('test/cluster skipped: no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql/*/bin');
}
const describeWithPostgres = bin ? describe : describe.skip;

describeWithPostgres('two app processes, a primary and a streaming replica', () => {
  let pg: PgPair;
  let a: AppProcess;
  let b: AppProcess;
  let primary: Client;
  let replica: Client;
  let dataDir: string;
  let town: Awaited<ReturnType<typeof seedDemoTown>>;

  beforeAll(async () => {
    pg = await startPrimaryAndReplica(bin!);
    await ensureDatabase(pg.primaryUrl('postgres'), 'foodtrace');
    dataDir = mkdtempSync(join(tmpdir(), 'foodtrace-cluster-data-'));
    const env = {
      DATABASE_URL: pg.primaryUrl('foodtrace'), READ_DATABASE_URL: pg.replicaUrl('foodtrace'), READ_MAX_LAG_MS: String(MAX_LAG_MS),
      RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_GATE_SCANS: '100000', RATE_LIMIT_PUBLIC: '100000', RATE_LIMIT_WRITES: '100000',
      SAMPLING_SECRET: SECRET, LOG_LEVEL: 'warn', DATA_DIR: dataDir, NODE_ENV: 'development',
    };
    // A migrates first; B then finds the schema in place
    a = startApp(ROOT, await freePort(), { ...env, WEB_CONCURRENCY: '2' });
    await a.waitFor(/worker 1, pid \d+\)\] Listening/, 60_000);
    await a.waitFor(/worker 2, pid \d+\)\] Listening/, 60_000);
    b = startApp(ROOT, await freePort(), env);
    await b.waitFor(/Listening on/, 60_000);
    const orm = await connectOrm({ clientUrl: pg.primaryUrl('foodtrace'), poolMax: 2 });
    town = await seedDemoTown(orm.em.fork(), `http://127.0.0.1:${a.port}`);
    await orm.close(true);
    primary = new Client({ connectionString: pg.primaryUrl('foodtrace') });
    replica = new Client({ connectionString: pg.replicaUrl('foodtrace') });
    await primary.connect();
    await replica.connect();
  }, 150_000);

  afterAll(async () => {
    await primary?.end();
    await replica?.end();
    for (const app of [a, b]) {
      if (app && app.child.exitCode === null && app.child.signalCode === null) {
        app.child.kill('SIGTERM');
        await app.exited;
      }
    }
    pg?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { entryId scanId decision } }`;

  /** One scan sent to `app`, sent again (same scan id) after a lost connection or an unavailable database; null once `app` is gone. */
  async function scanAt(app: AppProcess, scanId: string): Promise<{ entryId: string; decision: string } | null> {
    const input = { scanId, code: town.batches.peaches.publicCode, marketId: town.marketId, vendorOperatorId: town.operators.vendorZhang.id, declaredQuantity: 1, unit: 'KG' };
    for (let attempt = 0; attempt < 20; attempt++) {
      if (app.child.exitCode !== null || app.child.signalCode !== null) return null;
      try {
        const res = await fetch(`http://127.0.0.1:${app.port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${town.tokens.GATE_STAFF}`, connection: 'close' },
          body: JSON.stringify({ query: SCAN, variables: { input } }),
        });
        const body = (await res.json()) as { data?: { scanAtGate: { entryId: string; decision: string; scanId: string } }; errors?: unknown[] };
        if (body.data?.scanAtGate) return body.data.scanAtGate;
        if (res.status < 500) throw new Error(`scan ${scanId} refused: ${JSON.stringify(body)}`);
      } catch (e) {
        if ((e as Error).message.startsWith('scan ')) throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`scan ${scanId} never answered by port ${app.port}`);
  }

  it('records each scan once whichever processes it reaches, and loses no acknowledged scan when one process is killed', async () => {
    const [{ grade }] = (await primary.query(`select o.credit_grade as grade from batch b join operator o on o.id = b.owner_id where b.public_code = $1`, [town.batches.peaches.publicCode])).rows;
    const ids: string[] = [];
    for (let i = 0; ids.length < SCANS; i++) if (!isSampled(`cl-${i}`, grade as Grade, SECRET)) ids.push(`cl-${i}`);

    const acknowledged = new Map<string, string[]>();
    let sent = 0;
    const next = async (): Promise<void> => {
      while (sent < ids.length) {
        const scanId = ids[sent++];
        if (sent === SCANS / 2) b.child.kill('SIGKILL'); // mid-load, with scans in flight at B
        const answers = await Promise.all([scanAt(a, scanId), scanAt(b, scanId)]);
        acknowledged.set(scanId, answers.filter((x) => x !== null).map((x) => x!.entryId));
      }
    };
    await Promise.all([next(), next(), next(), next()]);
    expect(await b.exited).toBeNull();
    expect(b.child.signalCode).toBe('SIGKILL');

    const rows = (await primary.query(`select scan_id, id::text as id from market_entry where scan_id like 'cl-%' order by scan_id`)).rows as { scan_id: string; id: string }[];
    // every scan is in the database exactly once, under the entry every process answered with
    expect(rows.map((r) => r.scan_id).sort()).toEqual([...ids].sort());
    for (const row of rows) expect(new Set(acknowledged.get(row.scan_id))).toEqual(new Set([row.id]));
    // both processes answered scans before B was killed
    expect([...acknowledged.values()].filter((entries) => entries.length === 2).length).toBeGreaterThanOrEqual(SCANS / 2 - 4);
  }, 90_000);

  async function replicaCaughtUp(): Promise<void> {
    const [{ lsn }] = (await primary.query(`select pg_current_wal_lsn()::text as lsn`)).rows;
    for (let i = 0; i < 100; i++) {
      const [{ behind }] = (await replica.query(`select pg_last_wal_replay_lsn() < $1::pg_lsn as behind`, [lsn])).rows;
      if (!behind) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the replica did not catch up');
  }

  const trace = (code: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${a.port}/t/${code}?lang=en`, { headers: { connection: 'close', ...headers } });

  it('serves traces from the replica while it keeps up, and from the primary when it falls behind or for the client that just wrote', async () => {
    await replicaCaughtUp();
    expect((await trace(town.batches.peaches.publicCode)).status).toBe(200);

    // replay stops on the replica; a lot written now exists on the primary alone
    await replica.query(`select pg_wal_replay_pause()`);
    try {
      const res = await fetch(`http://127.0.0.1:${a.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${town.tokens.ADMIN}`, connection: 'close' },
        body: JSON.stringify({
          query: `mutation($input: CreateBatchInput!) { createBatch(input: $input) { publicCode } }`,
          variables: { input: { ownerId: town.operators.peachFarm.id, productName: 'Replica test peach', category: 'FRUIT', lotCode: 'RP-1', quantity: 10, unit: 'KG', producedAt: new Date().toISOString() } },
        }),
      });
      const written = res.headers.get(WRITTEN_AT_HEADER)!;
      expect(written).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      expect(res.headers.get('set-cookie')).toBe(`ft_written=${encodeURIComponent(written)}; Max-Age=60; Path=/; HttpOnly; SameSite=Lax`);
      const code = ((await res.json()) as { data: { createBatch: { publicCode: string } } }).data.createBatch.publicCode;

      // another client reads the replica, within its lag bound: the new lot is not there yet — the proof of where it read
      expect((await trace(code)).status).toBe(404);
      // the client that wrote it carries the primary's position and is answered by the primary
      expect((await trace(code, { [WRITTEN_AT_HEADER]: written })).status).toBe(200);
      expect((await trace(code, { cookie: `ft_written=${encodeURIComponent(written)}` })).status).toBe(200);

      // past READ_MAX_LAG_MS behind, every client reads the primary
      await new Promise((r) => setTimeout(r, MAX_LAG_MS + 800));
      expect((await trace(code)).status).toBe(200);
    } finally {
      await replica.query(`select pg_wal_replay_resume()`);
    }
    await replicaCaughtUp();
    await new Promise((r) => setTimeout(r, 1200));
    const before = await replicaBatchReads();
    for (let i = 0; i < 10; i++) expect((await trace(town.batches.peaches.publicCode)).status).toBe(200);
    // the ten lookups read the replica's batch table again (its own scan counts, which an idle pooled connection
    // flushes within seconds); nothing else reads that table there
    let read = 0;
    for (let waited = 0; waited < 15_000 && read < 10; waited += 500) {
      await new Promise((r) => setTimeout(r, 500));
      read = (await replicaBatchReads()) - before;
    }
    expect(read).toBeGreaterThanOrEqual(10);
  }, 60_000);

  async function replicaBatchReads(): Promise<number> {
    const [{ n }] = (await replica.query(`select (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int as n from pg_stat_user_tables where relname = 'batch'`)).rows;
    return n;
  }
});
