import { get } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { archivePageSql, encodeArchiveCursor } from '../src/credit/archive.service';
import { appendCreditEvent } from '../src/credit/ledger.service';
import { CreditSource, Role } from '../src/entities/enums';
import { refill, useTestApp } from './support/use-test-app';
import { makeOperator, token } from './support/factories';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const live = useTestApp({ listen: true, each: 'none' });
const { t, f } = live;

/** GETs the export, handing each received chunk to `onChunk` and keeping none of it. */
function download(path: string, bearer: string | null, onChunk: (chunk: Buffer) => void = () => undefined): Promise<{ status: number; headers: Record<string, unknown>; bytes: number }> {
  return new Promise((resolve, reject) => {
    get(`${live.base}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        onChunk(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function text(path: string, bearer: string | null): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const chunks: Buffer[] = [];
  const res = await download(path, bearer, (c) => chunks.push(c));
  return { status: res.status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
}

describe('GET /exports/credit.csv', () => {
  beforeAll(async () => {
    await refill(t, f);
  });

  it('writes the filtered archive as CSV, oldest first, escaping text and defusing formulas', async () => {
    const op = await makeOperator(t, f.admin, { name: 'Wang, "Green" Farm', village: 'East' });
    const other = await makeOperator(t, f.admin, { village: 'West' });
    const add = (operatorId: string, ruleCode: string, reason: string, at: string) =>
      t.orm.em.fork().transactional((em) => appendCreditEvent({ em }, { operatorId: Number(operatorId), ruleCode, reason, source: CreditSource.ENTRY, sourceRef: '7', occurredAt: new Date(at) }));
    const e1 = await add(op.id, 'NO_CERTIFICATE', 'No certificate, said "tomorrow"', '2026-11-01T01:00:00Z');
    const e2 = await add(op.id, 'TRAINING_COMPLETED', '=HYPERLINK("http://x")', '2026-11-02T01:00:00Z');
    await add(other.id, 'NO_CERTIFICATE', 'elsewhere', '2026-11-01T02:00:00Z');

    const res = await text('/exports/credit.csv?village=East', f.regulator);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="credit-archive.csv"');
    expect(res.body.split('\r\n')).toEqual([
      '\uFEFFevent_id,occurred_at,operator_id,operator_name,operator_kind,village,grade,score,seq,rule_code,points,reason,source,source_ref,recorded_by_id,expires_at,forces_d_until,reverses_id,reversed_by_id,hash',
      `${e1.id},2026-11-01T01:00:00.000Z,${op.id},"Wang, ""Green"" Farm",FARM,East,A,96,1,NO_CERTIFICATE,-5,"No certificate, said ""tomorrow""",ENTRY,7,,2027-11-01T01:00:00.000Z,,,,${e1.hash}`,
      `${e2.id},2026-11-02T01:00:00.000Z,${op.id},"Wang, ""Green"" Farm",FARM,East,A,96,2,TRAINING_COMPLETED,1,"'=HYPERLINK(""http://x"")",ENTRY,7,,2028-11-02T01:00:00.000Z,,,,${e2.hash}`,
      '',
    ]);
    const none = await text('/exports/credit.csv?rule=LAB_TEST_FAILED', f.regulator);
    expect(none.body).toBe('\uFEFFevent_id,occurred_at,operator_id,operator_name,operator_kind,village,grade,score,seq,rule_code,points,reason,source,source_ref,recorded_by_id,expires_at,forces_d_until,reverses_id,reversed_by_id,hash\r\n');
  });

  it('is for regulators: 401 without a token, 403 for an operator', async () => {
    expect(await text('/exports/credit.csv', null)).toMatchObject({ status: 401, body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'A valid bearer token is required' } }) });
    const op = await makeOperator(t, f.admin);
    const denied = await text('/exports/credit.csv', await token(t, Role.OPERATOR, { operatorId: op.id }));
    expect(denied).toMatchObject({ status: 403, body: JSON.stringify({ error: { code: 'FORBIDDEN', message: 'Requires role ADMIN or REGULATOR' } }) });
  });

  it.each([
    ['scoreMin=abc', 'scoreMin', 'scoreMin: must be an integer'],
    ['scoreMin=101', 'filter.scoreMin', 'filter.scoreMin: must be an integer from 0 to 100'],
    ['from=yesterday', 'from', 'from: must be an ISO date or date-time'],
    ['grade=E', 'filter.grade', 'filter.grade: must be one of A, B, C, D'],
    ['rule=X', 'filter.rule', 'filter.rule: unknown rule X'],
    ['colour=red', 'colour', 'colour: is not a filter (use grade, kind, village, scoreMin, scoreMax, rule, from, to, operatorId)'],
    ['grade=A&grade=B', 'grade', 'grade: must be given once'],
  ])('refuses %s with 400 naming the field', async (query, field, message) => {
    const res = await text(`/exports/credit.csv?${query}`, f.regulator);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'BAD_USER_INPUT', message, field } });
  });
});

describe('100,000 events', () => {
  const N = 100_000;
  const HAMLET = 300;
  let ops: number[];

  beforeAll(async () => {
    await refill(t, f);
    ops = [];
    for (const village of ['East', 'West', 'North', 'South']) ops.push(Number((await makeOperator(t, f.admin, { village })).id));
    // a small operator among the big ones: its 300 events are 0.3 % of the archive
    const hamlet = Number((await makeOperator(t, f.admin, { village: 'Hamlet' })).id);
    // bulk history written behind the application (triggers and hash chain are not the point here)
    await t.sql(`
      set session_replication_role = replica;
      insert into credit_event (operator_id, seq, rule_code, points, reason, source, occurred_at, expires_at, prev_hash, hash)
      select (array[${ops.join(',')}])[g % 4 + 1], g / 4 + 1,
             case when g % 5 = 0 then 'NO_CERTIFICATE' else 'TRAINING_COMPLETED' end,
             case when g % 5 = 0 then -5 else 1 end,
             'Lot ' || g || ', gate "north"', 'ENTRY',
             timestamptz '2024-01-01T00:00:00Z' + g * interval '5 minutes',
             case when g % 5 = 0 then timestamptz '2025-01-01T00:00:00Z' + g * interval '5 minutes' end,
             repeat('0', 64), encode(sha256(('h' || g)::bytea), 'hex')
        from generate_series(0, ${N - HAMLET - 1}) g;
      insert into credit_event (operator_id, seq, rule_code, points, reason, source, occurred_at, prev_hash, hash)
      select ${hamlet}, g + 1, 'TRAINING_COMPLETED', 1, 'Hamlet course ' || g, 'REGULATOR',
             timestamptz '2024-01-01T00:00:00Z' + g * interval '1 day', repeat('0', 64), encode(sha256(('hamlet' || g)::bytea), 'hex')
        from generate_series(0, ${HAMLET - 1}) g;
      set session_replication_role = origin;
      analyze credit_event;`);
  });

  it('streams the whole archive with flat memory and the exact row count', async () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let lines = 0;
    let sinceGc = 0;
    const res = await download('/exports/credit.csv', f.regulator, (chunk) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
      sinceGc += chunk.length;
      if (sinceGc > 1 << 20) {
        sinceGc = 0;
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    });
    expect(res.status).toBe(200);
    expect(lines).toBe(N + 1);
    // the file is far larger than what the server ever holds: one fetch of rows and the chunk being written
    expect(res.bytes).toBeGreaterThan(18 * 2 ** 20);
    expect(peak).toBeLessThan(8 * 2 ** 20);
    console.log(`export: ${N} rows, ${(res.bytes / 2 ** 20).toFixed(1)} MiB sent, peak heap growth ${(peak / 2 ** 20).toFixed(1)} MiB`);
  });

  it('streams a filtered export with the exact row count', async () => {
    let lines = 0;
    // NO_CERTIFICATE rows of East (g % 4 = 0 and g % 5 = 0, so g % 20 = 0) in 2024-02: g from 8928 to 17279
    const res = await download(`/exports/credit.csv?village=East&rule=NO_CERTIFICATE&from=2024-02-01T00:00:00Z&to=2024-03-01T00:00:00Z`, f.regulator, (chunk) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    });
    expect(res.status).toBe(200);
    const expected = Array.from({ length: N }, (_, g) => g).filter((g) => g % 20 === 0 && g >= 8928 && g < 17280).length;
    expect(lines - 1).toBe(expected);
    expect(expected).toBe(417);
  });

  it('refuses a third export while two run, and a client that goes away frees its connection', async () => {
    const openCursors = async () =>
      (await t.sql(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle' and query like '%credit_export%'`))[0].n;
    // two slow readers: each takes the first chunk, then stops reading, so the server waits on back-pressure
    const stalled = await Promise.all([0, 1].map(() => new Promise<ReturnType<typeof get>>((resolve, reject) => {
      const req = get(`${live.base}/exports/credit.csv`, { headers: { authorization: `Bearer ${f.regulator}` } }, (res) => {
        res.once('data', () => {
          res.pause();
          resolve(req);
        });
      });
      req.on('error', () => undefined);
      setTimeout(() => reject(new Error('no first chunk')), 20_000).unref();
    })));
    expect(await openCursors()).toBe(2);
    const third = await text('/exports/credit.csv', f.regulator);
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('30');
    expect(JSON.parse(third.body)).toEqual({ error: { code: 'UNAVAILABLE', message: '2 exports are already running; try again shortly' } });

    for (const req of stalled) req.destroy();
    for (let i = 0; i < 100 && (await openCursors()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await openCursors()).toBe(0);
    const after = await text('/exports/credit.csv?rule=LAB_TEST_FAILED', f.regulator);
    expect(after.status).toBe(200);
  });

  it('reads page 1,000 of the archive by keyset as cheaply as page 1', async () => {
    const plan = async (after: string | null) => {
      const { sql, params } = archivePageSql({}, 100, after);
      let i = 0;
      const [row] = await t.sql(`explain (analyze, format json) ${sql.replace(/\?/g, () => `$${++i}`)}`, params);
      return row['QUERY PLAN'][0];
    };
    const scans = (node: any): any[] => [node, ...(node.Plans ?? []).flatMap(scans)];
    const eventScan = (p: any) => scans(p.Plan).find((n) => n['Relation Name'] === 'credit_event' && n['Alias'] === 'e');

    // page 1,000 of 100 starts after the 99,900th-newest event and is the last page
    const [deep] = await t.sql(`select id, (extract(epoch from occurred_at) * 1000000)::bigint::text as us from credit_event order by occurred_at desc, id desc offset ${100 * 999 - 1} limit 1`);
    const first = await plan(null);
    const thousandth = await plan(encodeArchiveCursor(deep.us, deep.id));
    // both walk the index from their starting point and read only the rows they return (+1 to know if more follow)
    const walk = { 'Node Type': 'Index Scan', 'Scan Direction': 'Backward', 'Index Name': 'credit_event_occurred_idx' };
    expect(eventScan(first)).toMatchObject({ ...walk, 'Actual Rows': 101 });
    expect(eventScan(thousandth)).toMatchObject({ ...walk, 'Actual Rows': 100 });
    const page = await t.gql(`query($after: String) { creditArchive(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }`, { after: encodeArchiveCursor(deep.us, deep.id) }, f.regulator);
    expect(page.data.creditArchive.edges).toHaveLength(100);
    expect(page.data.creditArchive.pageInfo.hasNextPage).toBe(false);
    console.log(`archive page 1: ${first['Execution Time']} ms, page 1,000: ${thousandth['Execution Time']} ms`);
  });

  it.each([
    // a common operator: its events are dense in time, so walking time is as good as anything
    [{ village: 'East', rule: 'NO_CERTIFICATE' }, null],
    // a rare one: read from its own index range instead of walking 99.7 % of the archive past it
    [{ village: 'Hamlet' }, 'credit_event_operator_occurred_idx'],
  ])('pages the operator filter %j with the same rows as walking the archive (index %s)', async (filter: { village: string; rule?: string }, index: string | null) => {
    const numbered = (sql: string) => {
      let i = 0;
      return sql.replace(/\?/g, () => `$${++i}`);
    };
    const Q = `query($filter: CreditArchiveFilter, $after: String) { creditArchive(filter: $filter, first: 100, after: $after) { edges { node { id } } pageInfo { endCursor } } }`;
    let after: string | null = null;
    for (let page = 1; page <= 3; page++) {
      const res: any = (await t.gql(Q, { filter, after }, f.regulator)).data.creditArchive;
      const walked = archivePageSql(filter, 100, after);
      const expected = (await t.sql(numbered(walked.sql), walked.params)).slice(0, 100).map((r: any) => String(r.id));
      expect(expected).toHaveLength(100);
      expect(res.edges.map((e: any) => e.node.id)).toEqual(expected);
      after = res.pageInfo.endCursor;
    }
    const [op] = await t.sql(`select id from operator where village = $1`, [filter.village]);
    const perOperator = archivePageSql(filter, 100, null, [op.id]);
    const [row] = await t.sql(`explain (analyze, format json) ${numbered(perOperator.sql)}`, perOperator.params);
    const scans = (node: any): any[] => [node, ...(node.Plans ?? []).flatMap(scans)];
    const eventScan = scans(row['QUERY PLAN'][0].Plan).find((n) => n['Relation Name'] === 'credit_event' && n['Alias'] === 'e');
    expect(eventScan).toMatchObject({ 'Scan Direction': 'Backward', 'Actual Rows': 101 });
    if (index) {
      expect(eventScan['Index Name']).toBe(index);
      expect(eventScan['Rows Removed by Filter'] ?? 0).toBe(0);
    }
    console.log(`filter ${JSON.stringify(filter)}: page 1 in ${row['QUERY PLAN'][0]['Execution Time']} ms, ${eventScan['Rows Removed by Filter'] ?? 0} rows read and discarded`);
  });
});
