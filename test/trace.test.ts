import { Role } from '../src/entities/enums';
import { traceByCode } from '../src/trace/trace.service';
import type { TestApp } from './support/app';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeCertificate, makeMarket, makeOperator, ok, token } from './support/factories';

const { t, f } = useTestApp();

const TRANSFER = `mutation($input: TransferBatchInput!) { transferBatch(input: $input) { id publicCode } }`;
const MERGE = `mutation($input: MergeBatchesInput!) { mergeBatches(input: $input) { id publicCode } }`;
const TRACE = `query($c: String!) { trace(code: $c) {
  code url origin recalled truncated
  batch { id lotCode productName depth owner { name kind village grade registrationNumber } }
  producer { name village grade }
  nodes { id depth status owner { name } }
  edges { parentId childId kind quantity }
  certificates { batchId number quantity unit bases statement status }
  inspections { batchId kind result tester marketName items { item value unit result } }
  marketEntries { batchId receivedBatchId marketName vendorName declaredQuantity unit decision at }
  recall { reason batchId }
} }`;
const SHAPE = `query($c: String!) { trace(code: $c) { nodes { id depth } edges { parentId childId } truncated } }`;

describe('trace(code)', () => {
  it('answers anyone with the chain, certificates, tests, gate entries and producer, in 1 SQL statement, prepared on the public lookups\' connections', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Qingshan Farm', village: 'Qingshan' });
    const vendor = await makeOperator(t, f.admin, { name: 'Stall 7', kind: 'MARKET_VENDOR', village: 'Town' });
    const market = await makeMarket(t, f.admin, 'East Market');
    const b = await makeBatch(t, f.admin, farm.id, { lotCode: 'QS-1', productName: 'Bok choy', originPlace: 'Qingshan plot 3' });
    const farmToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const cert = await makeCertificate(t, farmToken, b.id, { bases: ['SELF_TEST', 'SELF_COMMITMENT'] });
    const child = ok(await t.gql(TRANSFER, { input: { batchId: b.id, toOperatorId: vendor.id, quantity: 40 } }, f.admin)).transferBatch;
    const [{ id: staff }] = await t.sql(`insert into account (name, role, market_id, token_hash) values ('gate', 'GATE_STAFF', $1, repeat('a', 64)) returning id`, [market.id]);
    const [{ id: entry }] = await t.sql(
      `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, vendor_id, declared_quantity, unit, decision, received_batch_id, decided_at)
       values ($1, $2, 's1', repeat('b', 64), 'x', $3, $4, 40, 'KG', 'ACCEPTED', $5, '2026-11-02T08:00:00Z') returning id`,
      [market.id, staff, b.id, vendor.id, child.id],
    );
    await t.sql(
      `insert into inspection (batch_id, market_id, entry_id, kind, items, result, tester, inspected_at)
       values ($1, $2, $3, 'RAPID', '[{"item":"organophosphate inhibition","value":12.5,"unit":"%","result":"PASS"}]', 'PASS', 'Li', '2026-11-02T08:05:00Z')`,
      [child.id, market.id, entry],
    );

    let res: Awaited<ReturnType<TestApp['gql']>> | undefined;
    const statements = await t.countStatements(async () => {
      res = await t.gql(TRACE, { c: child.publicCode });
    });
    expect(statements).toBe(1);
    expect(t.statements.at(-1)).toBe('[public] foodtrace_trace');
    expect(ok(res!).trace).toEqual({
      code: child.publicCode,
      url: `http://foodtrace.test/t/${child.publicCode}`,
      origin: 'Qingshan plot 3',
      recalled: false,
      truncated: false,
      batch: { id: child.id, lotCode: 'QS-1/T1', productName: 'Bok choy', depth: 0, owner: { name: 'Stall 7', kind: 'MARKET_VENDOR', village: 'Town', grade: 'A', registrationNumber: expect.stringMatching(/^[0-9A-Z]{18}$/) } },
      producer: { name: 'Qingshan Farm', village: 'Qingshan', grade: 'A' },
      nodes: [
        { id: child.id, depth: 0, status: 'ACTIVE', owner: { name: 'Stall 7' } },
        { id: b.id, depth: 1, status: 'ACTIVE', owner: { name: 'Qingshan Farm' } },
      ],
      edges: [{ parentId: b.id, childId: child.id, kind: 'TRANSFER', quantity: 40 }],
      certificates: [{ batchId: b.id, number: cert.number, quantity: 100, unit: 'KG', bases: ['SELF_TEST', 'SELF_COMMITMENT'], statement: expect.any(String), status: 'VALID' }],
      // the tester is a person: the public page leaves the name out, and so does the anonymous GraphQL view
      inspections: [{ batchId: child.id, kind: 'RAPID', result: 'PASS', tester: '', marketName: 'East Market', items: [{ item: 'organophosphate inhibition', value: 12.5, unit: '%', result: 'PASS' }] }],
      marketEntries: [{ batchId: b.id, receivedBatchId: child.id, marketName: 'East Market', vendorName: 'Stall 7', declaredQuantity: 40, unit: 'KG', decision: 'ACCEPTED', at: '2026-11-02T08:00:00.000Z' }],
      recall: null,
    });
    expect(ok(await t.gql(TRACE, { c: child.publicCode }, f.admin)).trace.inspections.map((i: { tester: string }) => i.tester)).toEqual(['Li']);
  });

  it('never exposes contact data: the owner type has no phone field', async () => {
    const farm = await makeOperator(t, f.admin);
    const b = await makeBatch(t, f.admin, farm.id);
    const res = await t.gql(`query($c: String!) { trace(code: $c) { batch { owner { contactPhone } } } }`, { c: b.publicCode });
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it.each([['unknown', 'AAAAAAAAAAAAAAAA'], ['malformed', "x' or 1=1 --"], ['too long', 'a'.repeat(200)]])('answers NOT_FOUND for a %s code', async (_n, code) => {
    const res = await t.gql(TRACE, { c: code });
    expect(res.errors?.[0]).toMatchObject({ message: 'Trace code not found', extensions: { code: 'NOT_FOUND' } });
  });

  it('walks a 30-generation chain in 1 statement with exact depths', async () => {
    const ops = await Promise.all(['Farm', 'Wholesaler', 'Vendor'].map((name) => makeOperator(t, f.admin, { name })));
    const root = await makeBatch(t, f.admin, ops[0].id, { quantity: 1000 });
    let current = root;
    const ids = [root.id];
    for (let g = 1; g <= 30; g++) {
      current = ok(await t.gql(TRANSFER, { input: { batchId: current.id, toOperatorId: ops[g % 3].id, quantity: 1000 - g } }, f.admin)).transferBatch;
      ids.push(current.id);
    }
    let res: Awaited<ReturnType<TestApp['gql']>> | undefined;
    expect(await t.countStatements(async () => (res = await t.gql(SHAPE, { c: current.publicCode })))).toBe(1);
    const tr = ok(res!).trace;
    expect(tr.nodes).toEqual(ids.slice().reverse().map((id, depth) => ({ id, depth })));
    expect(tr.edges).toEqual(ids.slice(1).reverse().map((child, i) => ({ parentId: ids[29 - i], childId: child })));
    expect(tr.truncated).toBe(false);

    // the bounded walk behind the public trace stops and says so
    const bounded = await traceByCode(await t.app.contextFor(null), current.publicCode, { maxDepth: 10, maxNodes: 2000 });
    expect([bounded!.nodes.length, bounded!.nodes.at(-1)!.depth, bounded!.edges.length, bounded!.truncated]).toEqual([11, 10, 10, true]);
  });

  it('walks a 211-batch merge tree in 1 statement', async () => {
    const coop = await makeOperator(t, f.admin, { name: 'Coop', kind: 'COOPERATIVE' });
    const leaves: { id: string; publicCode: string }[] = [];
    for (let i = 0; i < 160; i += 20) {
      leaves.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => makeBatch(t, f.admin, coop.id, { lotCode: `L${i + j}`, quantity: 10 })))));
    }
    const mergeGroups = async (items: { id: string }[], size: number) => {
      const out: { id: string; publicCode: string }[] = [];
      for (let i = 0; i < items.length; i += size) {
        out.push(ok(await t.gql(MERGE, { input: { inputs: items.slice(i, i + size).map((x) => ({ batchId: x.id })) } }, f.admin)).mergeBatches);
      }
      return out;
    };
    const level1 = await mergeGroups(leaves, 4); // 40
    const level2 = await mergeGroups(level1, 4); // 10
    const [top] = await mergeGroups(level2, 10); // 1

    let res: Awaited<ReturnType<TestApp['gql']>> | undefined;
    expect(await t.countStatements(async () => (res = await t.gql(SHAPE, { c: top.publicCode })))).toBe(1);
    const tr = ok(res!).trace;
    const byDepth = [0, 1, 2, 3].map((d) => tr.nodes.filter((n: { depth: number }) => n.depth === d).length);
    expect(byDepth).toEqual([1, 10, 40, 160]);
    expect(tr.nodes).toHaveLength(211);
    expect(tr.edges).toHaveLength(210);
    expect(new Set(tr.nodes.filter((n: { depth: number }) => n.depth === 3).map((n: { id: string }) => n.id))).toEqual(new Set(leaves.map((l) => l.id)));
    expect(await t.sql('select quantity::float as q from batch where public_code = $1', [top.publicCode])).toEqual([{ q: 1600 }]);
  });
});
