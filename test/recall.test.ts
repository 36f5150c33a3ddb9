import { buildContext } from '../src/context';
import { Role } from '../src/entities/enums';
import { initiateRecall, RECALL_SLICE } from '../src/trace/recall.service';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeMarket, makeOperator, ok, token } from './support/factories';

const { t, f } = useTestApp();

const SPLIT = `mutation($input: SplitBatchInput!) { splitBatch(input: $input) { id publicCode } }`;
const TRANSFER = `mutation($input: TransferBatchInput!) { transferBatch(input: $input) { id publicCode } }`;
const RECALL = `mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) {
  recallId batchId reason created batches newlyRecalled entries
  operators { name kind batches } markets { name entries accepted } quantities { unit batches onHand }
} }`;

const statusCounts = async () =>
  Object.fromEntries((await t.sql('select status, count(*)::int as n from batch group by status order by status')).map((r) => [r.status, r.n]));

describe('initiateRecall', () => {
  it('recalls a lot with 1,101 descendants in one transaction, reports exact counts, and is idempotent', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Source Farm' });
    const vendor = await makeOperator(t, f.admin, { name: 'Stall 3', kind: 'MARKET_VENDOR' });
    const bystander = await makeOperator(t, f.admin, { name: 'Other Farm' });
    const market = await makeMarket(t, f.admin, 'East Market');
    const root = await makeBatch(t, f.admin, farm.id, { quantity: 1000, lotCode: 'R' });
    const other = await makeBatch(t, f.admin, bystander.id, { quantity: 5 });
    const parts = ok(await t.gql(SPLIT, { input: { batchId: root.id, parts: Array.from({ length: 100 }, () => ({ quantity: 10 })) } }, f.admin)).splitBatch;
    const grandchildren: { id: string; publicCode: string }[] = [];
    for (let i = 0; i < parts.length; i += 10) {
      const done = await Promise.all(
        parts.slice(i, i + 10).map(async (p: { id: string }) => ok(await t.gql(SPLIT, { input: { batchId: p.id, parts: Array.from({ length: 10 }, () => ({ quantity: 1 })) } }, f.admin)).splitBatch),
      );
      grandchildren.push(...done.flat());
    }
    const atVendor = ok(await t.gql(TRANSFER, { input: { batchId: grandchildren[0].id, toOperatorId: vendor.id, quantity: 0.5 } }, f.admin)).transferBatch;
    const [{ id: staff }] = await t.sql(`insert into account (name, role, market_id, token_hash) values ('gate', 'GATE_STAFF', $1, repeat('a', 64)) returning id`, [market.id]);
    await t.sql(
      `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, vendor_id, declared_quantity, unit, decision, received_batch_id)
       values ($1, $2, 's1', repeat('b', 64), 'x', $3, $4, 0.5, 'KG', 'ACCEPTED', $5)`,
      [market.id, staff, grandchildren[0].id, vendor.id, atVendor.id],
    );
    expect(await statusCounts()).toEqual({ ACTIVE: 1002, CONSUMED: 101 });

    const impact = ok(await t.gql(RECALL, { input: { batchId: root.id, reason: 'Chlorpyrifos above the limit in lab test' } }, f.regulator)).initiateRecall;
    const expected = {
      recallId: '1',
      batchId: root.id,
      reason: 'Chlorpyrifos above the limit in lab test',
      batches: 1102,
      newlyRecalled: 1102,
      entries: 1,
      operators: [{ name: 'Source Farm', kind: 'FARM', batches: 1101 }, { name: 'Stall 3', kind: 'MARKET_VENDOR', batches: 1 }],
      markets: [{ name: 'East Market', entries: 1, accepted: 1 }],
      quantities: [{ unit: 'KG', batches: 1102, onHand: 1000 }],
    };
    expect(impact).toEqual({ ...expected, created: true });
    expect(await statusCounts()).toEqual({ ACTIVE: 1, RECALLED: 1102 });
    expect(await t.sql('select status from batch where id = $1', [other.id])).toEqual([{ status: 'ACTIVE' }]);
    const events = await t.sql(`select operator_id::text as op, rule_code, points, source, source_ref from credit_event`);
    expect(events).toEqual([{ op: farm.id, rule_code: 'RECALL_SOURCE', points: -20, source: 'RECALL', source_ref: 'recall:1' }]);
    expect(await t.sql('select credit_score, credit_grade from operator where id = $1', [farm.id])).toEqual([{ credit_score: 80, credit_grade: 'B' }]);

    // again: the first answer, nothing written
    const again = ok(await t.gql(RECALL, { input: { batchId: root.id, reason: 'another reason' } }, f.regulator)).initiateRecall;
    expect(again).toEqual({ ...expected, created: false });
    expect(await t.sql('select count(*)::int as n from credit_event')).toEqual([{ n: 1 }]);
    expect(await t.sql('select count(*)::int as n from recall')).toEqual([{ n: 1 }]);

    // the consumer trace of the vendor's lot shows the recall of its ancestor
    const tr = ok(await t.gql(`query($c: String!) { trace(code: $c) { recalled batch { status } recall { batchId batchCode reason } } }`, { c: atVendor.publicCode })).trace;
    expect(tr).toEqual({ recalled: true, batch: { status: 'RECALLED' }, recall: { batchId: root.id, batchCode: root.publicCode, reason: 'Chlorpyrifos above the limit in lab test' } });

    // nothing can be taken from a recalled lot
    const moved = await t.gql(TRANSFER, { input: { batchId: grandchildren[5].id, toOperatorId: vendor.id, quantity: 0.1 } }, f.admin);
    expect(moved.errors?.[0]).toMatchObject({ message: `quantity: batch ${grandchildren[5].id} is RECALLED`, extensions: { code: 'BAD_USER_INPUT', field: 'quantity' } });
  });

  it('recalls only the subtree of a mid-chain lot, and a recall inside an earlier one marks nothing new', async () => {
    const farm = await makeOperator(t, f.admin);
    const wholesaler = await makeOperator(t, f.admin, { name: 'Wholesaler', kind: 'WHOLESALER' });
    const root = await makeBatch(t, f.admin, farm.id);
    const mid = ok(await t.gql(TRANSFER, { input: { batchId: root.id, toOperatorId: wholesaler.id, quantity: 50 } }, f.admin)).transferBatch;
    const [leaf] = ok(await t.gql(SPLIT, { input: { batchId: mid.id, parts: [{ quantity: 20 }] } }, f.admin)).splitBatch;
    const first = ok(await t.gql(RECALL, { input: { batchId: mid.id, reason: 'Mould' } }, f.admin)).initiateRecall;
    expect([first.batches, first.newlyRecalled, first.operators]).toEqual([2, 2, [{ name: 'Wholesaler', kind: 'WHOLESALER', batches: 2 }]]);
    expect(await t.sql('select id::text, status from batch order by id')).toEqual([
      { id: root.id, status: 'ACTIVE' }, { id: mid.id, status: 'RECALLED' }, { id: leaf.id, status: 'RECALLED' },
    ]);
    const inner = ok(await t.gql(RECALL, { input: { batchId: leaf.id, reason: 'Mould, stall check' } }, f.regulator)).initiateRecall;
    expect([inner.created, inner.batches, inner.newlyRecalled]).toEqual([true, 1, 0]);
    expect(await t.sql('select operator_id::text as op from credit_event order by id')).toEqual([{ op: wholesaler.id }, { op: wholesaler.id }]);
  });

  it('serialises two simultaneous recalls of one lot: one records, the other returns it', async () => {
    const farm = await makeOperator(t, f.admin);
    const root = await makeBatch(t, f.admin, farm.id);
    ok(await t.gql(SPLIT, { input: { batchId: root.id, parts: [{ quantity: 1 }, { quantity: 2 }] } }, f.admin));
    const both = await Promise.all([1, 2].map((i) => t.gql(RECALL, { input: { batchId: root.id, reason: `Reason ${i}` } }, f.regulator)));
    const answers = both.map((r) => ok(r).initiateRecall);
    expect(answers.map((a) => a.created).sort()).toEqual([false, true]);
    expect(answers[0].recallId).toBe(answers[1].recallId);
    expect(await t.sql('select count(*)::int as n from credit_event')).toEqual([{ n: 1 }]);
  });

  it('racing with hand-overs from its lots, a recall still marks and counts every descendant', async () => {
    const farm = await makeOperator(t, f.admin);
    const buyers = await Promise.all(Array.from({ length: 4 }, () => makeOperator(t, f.admin, { kind: 'WHOLESALER' })));
    const root = await makeBatch(t, f.admin, farm.id, { quantity: 1000 });
    const parts = ok(await t.gql(SPLIT, { input: { batchId: root.id, parts: Array.from({ length: 20 }, () => ({ quantity: 50 })) } }, f.admin)).splitBatch;
    const transfers = parts.flatMap((p: { id: string }, i: number) =>
      [0, 1].map((k) => t.gql(TRANSFER, { input: { batchId: p.id, toOperatorId: buyers[(i + k) % 4].id, quantity: 5 } }, f.admin)),
    );
    const [recall, ...moved] = await Promise.all([t.gql(RECALL, { input: { batchId: root.id, reason: 'Race' } }, f.regulator), ...transfers]);
    const impact = ok(recall).initiateRecall;
    const refused = moved.filter((r) => r.errors);
    for (const r of refused) expect(r.errors![0].message).toMatch(/^quantity: batch \d+ is RECALLED$/);
    const [{ n, active }] = await t.sql(
      `with recursive down(id) as (select $1::int union select l.child_id from batch_link l join down d on l.parent_id = d.id)
       select count(*)::int as n, count(*) filter (where b.status <> 'RECALLED')::int as active from down join batch b on b.id = down.id`,
      [root.id],
    );
    expect({ n, active, batches: impact.batches, newlyRecalled: impact.newlyRecalled }).toEqual({ n: 21 + 40 - refused.length, active: 0, batches: n, newlyRecalled: n });
  });

  it('marks a subtree larger than a slice a slice per statement, in the one transaction, and counts it whole', async () => {
    expect(RECALL_SLICE).toBe(100_000);
    const farm = await makeOperator(t, f.admin);
    const root = await makeBatch(t, f.admin, farm.id, { quantity: 100 });
    ok(await t.gql(SPLIT, { input: { batchId: root.id, parts: Array.from({ length: 10 }, () => ({ quantity: 1 })) } }, f.admin));
    const ctx = buildContext(t.orm, t.config, { accountId: null, name: 'Regulator', role: Role.REGULATOR, marketId: null, operatorId: null });
    const from = t.statements.length;
    const { impact } = await initiateRecall(ctx, { batchId: root.id, reason: 'Sliced' }, 4);
    const sent = t.statements.slice(from).map((s) => s.replace(/\u001b\[[0-9;]*m/g, '').replace(/^\s*\[query\]\s*/, ''));
    // 11 lots, 4 a statement: 4, 4, 3, then a pass that finds none left; all between one begin and one commit
    expect(sent.filter((s) => s.includes("set status = 'RECALLED'")).length).toBe(4);
    expect([sent.filter((s) => s === 'begin').length, sent.filter((s) => s === 'commit').length]).toEqual([1, 1]);
    expect([impact.batches, impact.newlyRecalled]).toEqual([11, 11]);
    expect(await statusCounts()).toEqual({ RECALLED: 11 });
  });

  it('is for regulators only and refuses an empty reason, writing nothing', async () => {
    const farm = await makeOperator(t, f.admin);
    const root = await makeBatch(t, f.admin, farm.id);
    const anon = await t.gql(RECALL, { input: { batchId: root.id, reason: 'x' } });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const owner = await t.gql(RECALL, { input: { batchId: root.id, reason: 'x' } }, await token(t, Role.OPERATOR, { operatorId: farm.id }));
    expect(owner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const empty = await t.gql(RECALL, { input: { batchId: root.id, reason: '  ' } }, f.regulator);
    expect(empty.errors?.[0]).toMatchObject({ message: 'reason: must not be empty', extensions: { code: 'BAD_USER_INPUT', field: 'reason' } });
    const missing = await t.gql(RECALL, { input: { batchId: '999', reason: 'x' } }, f.regulator);
    expect(missing.errors?.[0]).toMatchObject({ message: 'Batch 999 not found', extensions: { code: 'NOT_FOUND' } });
    expect(await statusCounts()).toEqual({ ACTIVE: 1 });
    expect(await t.sql('select (select count(*)::int from recall) as r, (select count(*)::int from credit_event) as e')).toEqual([{ r: 0, e: 0 }]);
  });
});
