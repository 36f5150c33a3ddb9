import { Role } from '../src/entities/enums';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeOperator, ok, token } from './support/factories';

const { t, f } = useTestApp({ app: { poolMax: 10 } });

const BATCH = 'id lotCode productName category quantity remaining unit status ownerId: owner { id }';
const SPLIT = `mutation($input: SplitBatchInput!) { splitBatch(input: $input) { ${BATCH} } }`;
const MERGE = `mutation($input: MergeBatchesInput!) { mergeBatches(input: $input) { ${BATCH} originPlace } }`;
const PROCESS = `mutation($input: ProcessBatchesInput!) { processBatches(input: $input) { batch { ${BATCH} } inputQuantity inputUnit yield } }`;
const TRANSFER = `mutation($input: TransferBatchInput!) { transferBatch(input: $input) { ${BATCH} } }`;
const LINK = `mutation($input: RecordBatchLinkInput!) { recordBatchLink(input: $input) { parentId childId kind quantity } }`;
const NODES = 'nodes { id lotCode depth quantity remaining unit status owner { name } } edges { parentId childId kind quantity } truncated';
const BACKWARD = `query($id: ID!, $d: Int, $n: Int) { traceBackward(batchId: $id, maxDepth: $d, maxNodes: $n) { batch { id } ${NODES} maxDepth maxNodes } }`;
const FORWARD = `query($id: ID!, $d: Int, $n: Int) { traceForward(batchId: $id, maxDepth: $d, maxNodes: $n) {
  ${NODES} totalBatches affectedOperators { name batches } markets { name entries accepted } entryCount quantities { unit batches onHand }
  marketEntries { batchId receivedBatchId marketName vendorName decision } } }`;

const remaining = async (id: string | number) => (await t.sql('select remaining::float as r, status from batch where id = $1', [id]))[0];
const counts = async () => (await t.sql('select (select count(*)::int from batch) as batches, (select count(*)::int from batch_link) as links'))[0];

describe('splitBatch', () => {
  it('splits a lot into parts for the same owner and keeps exact remaining quantity', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Green Farm' });
    const b = await makeBatch(t, f.admin, farm.id, { lotCode: 'BC-1', quantity: 100.5 });
    const owner = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const parts = ok(await t.gql(SPLIT, { input: { batchId: b.id, parts: [{ quantity: 30.25 }, { quantity: 50, lotCode: 'BC-1-B' }] } }, owner)).splitBatch;
    expect(parts).toEqual([
      { id: '2', lotCode: 'BC-1/S1', productName: 'Bok choy', category: 'VEGETABLE', quantity: 30.25, remaining: 30.25, unit: 'KG', status: 'ACTIVE', ownerId: { id: farm.id } },
      { id: '3', lotCode: 'BC-1-B', productName: 'Bok choy', category: 'VEGETABLE', quantity: 50, remaining: 50, unit: 'KG', status: 'ACTIVE', ownerId: { id: farm.id } },
    ]);
    expect(await remaining(b.id)).toEqual({ r: 20.25, status: 'ACTIVE' });
    const fwd = ok(await t.gql(`query($id: ID!) { traceForward(batchId: $id) { batch { quantity remaining consumed } } }`, { id: b.id }, f.regulator)).traceForward;
    expect(fwd.batch).toEqual({ quantity: 100.5, remaining: 20.25, consumed: 80.25 });
    const back = ok(await t.gql(BACKWARD, { id: '3' }, f.regulator)).traceBackward;
    expect(back).toEqual({
      batch: { id: '3' },
      nodes: [
        { id: '3', lotCode: 'BC-1-B', depth: 0, quantity: 50, remaining: 50, unit: 'KG', status: 'ACTIVE', owner: { name: 'Green Farm' } },
        { id: '1', lotCode: 'BC-1', depth: 1, quantity: 100.5, remaining: 20.25, unit: 'KG', status: 'ACTIVE', owner: { name: 'Green Farm' } },
      ],
      edges: [{ parentId: '1', childId: '3', kind: 'SPLIT', quantity: 50 }],
      truncated: false,
      maxDepth: 50,
      maxNodes: 1000,
    });
  });

  it('consumes the parent exactly when the parts take all of it', async () => {
    const farm = await makeOperator(t, f.admin);
    const b = await makeBatch(t, f.admin, farm.id, { quantity: 0.3 });
    ok(await t.gql(SPLIT, { input: { batchId: b.id, parts: [{ quantity: 0.1 }, { quantity: 0.2 }] } }, f.admin));
    expect(await remaining(b.id)).toEqual({ r: 0, status: 'CONSUMED' });
  });

  it.each([
    [[{ quantity: 60 }, { quantity: 50 }], 'parts', 'parts: batch 1 has only 100 KG left'],
    [[], 'parts', 'parts: must list 1 to 100 parts'],
    [[{ quantity: -1 }], 'parts[0].quantity', 'parts[0].quantity: must be a positive number'],
    [[{ quantity: 1, lotCode: 'a b' }], 'parts[0].lotCode', 'parts[0].lotCode: may contain only letters, digits, ".", "_", "-" and "/"'],
    [[{ quantity: 1, lotCode: 'X' }, { quantity: 1, lotCode: 'X' }], 'parts', 'parts: two parts have the same lot code'],
    [[{ quantity: 1, lotCode: 'LOT-A' }], 'parts', 'parts: a lot code is already used by this operator'],
  ])('refuses parts %j naming %s and writes nothing', async (parts, field, message) => {
    const farm = await makeOperator(t, f.admin);
    const b = await makeBatch(t, f.admin, farm.id, { lotCode: 'LOT-A' });
    const res = await t.gql(SPLIT, { input: { batchId: b.id, parts } }, f.admin);
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0].message).toBe(message);
    expect(await counts()).toEqual({ batches: 1, links: 0 });
    expect(await remaining(b.id)).toEqual({ r: 100, status: 'ACTIVE' });
  });

  it("refuses an operator account another operator's batch and gate staff any", async () => {
    const a = await makeOperator(t, f.admin);
    const other = await makeOperator(t, f.admin);
    const b = await makeBatch(t, f.admin, a.id);
    const res = await t.gql(SPLIT, { input: { batchId: b.id, parts: [{ quantity: 1 }] } }, await token(t, Role.OPERATOR, { operatorId: other.id }));
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const market = ok(await t.gql(`mutation { registerMarket(input: { name: "M" }) { id } }`, {}, f.admin)).registerMarket;
    const gate = await t.gql(SPLIT, { input: { batchId: b.id, parts: [{ quantity: 1 }] } }, await token(t, Role.GATE_STAFF, { marketId: market.id }));
    expect(gate.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual({ batches: 1, links: 0 });
  });
});

describe('mergeBatches', () => {
  it('merges two farms’ lots at a cooperative; trace shows both producers at depth 2', async () => {
    const farmA = await makeOperator(t, f.admin, { name: 'Farm A', village: 'East' });
    const farmB = await makeOperator(t, f.admin, { name: 'Farm B', village: 'West' });
    const coop = await makeOperator(t, f.admin, { name: 'Coop', kind: 'COOPERATIVE', village: 'Centre' });
    const a = await makeBatch(t, f.admin, farmA.id, { lotCode: 'A1', originPlace: 'East' });
    const b = await makeBatch(t, f.admin, farmB.id, { lotCode: 'B1', originPlace: 'West' });
    const ca = ok(await t.gql(TRANSFER, { input: { batchId: a.id, toOperatorId: coop.id, quantity: 40 } }, f.admin)).transferBatch;
    const cb = ok(await t.gql(TRANSFER, { input: { batchId: b.id, toOperatorId: coop.id, quantity: 60 } }, f.admin)).transferBatch;
    const coopToken = await token(t, Role.OPERATOR, { operatorId: coop.id });
    const merged = ok(await t.gql(MERGE, { input: { inputs: [{ batchId: ca.id }, { batchId: cb.id, quantity: 59.5 }], lotCode: 'MIX-1' } }, coopToken)).mergeBatches;
    expect(merged).toEqual({
      id: '5', lotCode: 'MIX-1', productName: 'Bok choy', category: 'VEGETABLE', quantity: 99.5, remaining: 99.5, unit: 'KG', status: 'ACTIVE',
      ownerId: { id: coop.id }, originPlace: 'East / West',
    });
    expect(await remaining(ca.id)).toEqual({ r: 0, status: 'CONSUMED' });
    expect(await remaining(cb.id)).toEqual({ r: 0.5, status: 'ACTIVE' });
    const tr = ok(await t.gql(`query($c: String!) { trace(code: $c) { ${NODES} producer { name } producers { name village } } }`, {
      c: (await t.sql('select public_code from batch where id = 5'))[0].public_code,
    })).trace;
    expect(tr).toEqual({
      nodes: [
        { id: '5', lotCode: 'MIX-1', depth: 0, quantity: 99.5, remaining: 99.5, unit: 'KG', status: 'ACTIVE', owner: { name: 'Coop' } },
        { id: '3', lotCode: 'A1/T1', depth: 1, quantity: 40, remaining: 0, unit: 'KG', status: 'CONSUMED', owner: { name: 'Coop' } },
        { id: '4', lotCode: 'B1/T1', depth: 1, quantity: 60, remaining: 0.5, unit: 'KG', status: 'ACTIVE', owner: { name: 'Coop' } },
        { id: '1', lotCode: 'A1', depth: 2, quantity: 100, remaining: 60, unit: 'KG', status: 'ACTIVE', owner: { name: 'Farm A' } },
        { id: '2', lotCode: 'B1', depth: 2, quantity: 100, remaining: 40, unit: 'KG', status: 'ACTIVE', owner: { name: 'Farm B' } },
      ],
      edges: [
        { parentId: '3', childId: '5', kind: 'MERGE', quantity: 40 },
        { parentId: '4', childId: '5', kind: 'MERGE', quantity: 59.5 },
        { parentId: '1', childId: '3', kind: 'TRANSFER', quantity: 40 },
        { parentId: '2', childId: '4', kind: 'TRANSFER', quantity: 60 },
      ],
      truncated: false,
      producer: { name: 'Farm A' },
      producers: [{ name: 'Farm A', village: 'East' }, { name: 'Farm B', village: 'West' }],
    });
  });

  it.each([
    ['different units', { unit: 'BOX' }, {}, 'inputs', 'inputs: all inputs must have one unit; processing changes units'],
    ['different owners', {}, { other: true }, 'inputs', 'inputs: all inputs must belong to one operator; transfer them first'],
    ['different products without a name', { productName: 'Cabbage' }, {}, 'productName', 'productName: the inputs are different products: name the merged one'],
    ['the same batch twice', {}, { twice: true }, 'inputs', 'inputs: batch 1 is listed twice'],
  ])('refuses %s and writes nothing', async (_name, over, opts: { other?: boolean; twice?: boolean }, field, message) => {
    const farm = await makeOperator(t, f.admin);
    const other = await makeOperator(t, f.admin);
    const a = await makeBatch(t, f.admin, farm.id);
    const b = await makeBatch(t, f.admin, opts.other ? other.id : farm.id, over);
    const inputs = opts.twice ? [{ batchId: a.id }, { batchId: a.id }] : [{ batchId: a.id }, { batchId: b.id }];
    const res = await t.gql(MERGE, { input: { inputs } }, f.admin);
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0].message).toBe(message);
    expect(await counts()).toEqual({ batches: 2, links: 0 });
  });
});

describe('processBatches', () => {
  it('turns raw milk into yoghurt with a unit change and records the yield', async () => {
    const dairy = await makeOperator(t, f.admin, { name: 'Dairy', kind: 'DAIRY_FARM', village: 'Hill' });
    const milk1 = await makeBatch(t, f.admin, dairy.id, { productName: 'Raw milk', category: 'DAIRY', unit: 'L', quantity: 200, lotCode: 'M1' });
    const milk2 = await makeBatch(t, f.admin, dairy.id, { productName: 'Raw milk', category: 'DAIRY', unit: 'L', quantity: 100, lotCode: 'M2' });
    const dairyToken = await token(t, Role.OPERATOR, { operatorId: dairy.id });
    const res = ok(await t.gql(PROCESS, {
      input: { inputs: [{ batchId: milk1.id, quantity: 150 }, { batchId: milk2.id, quantity: 100 }], productName: 'Yoghurt', category: 'DAIRY', quantity: 200, unit: 'KG', lotCode: 'Y1' },
    }, dairyToken)).processBatches;
    expect(res).toEqual({
      batch: { id: '3', lotCode: 'Y1', productName: 'Yoghurt', category: 'DAIRY', quantity: 200, remaining: 200, unit: 'KG', status: 'ACTIVE', ownerId: { id: dairy.id } },
      inputQuantity: 250,
      inputUnit: 'L',
      yield: 0.8,
    });
    expect(await t.sql('select process_yield::float as y, origin_place from batch where id = 3')).toEqual([{ y: 0.8, origin_place: 'Hill' }]);
    expect(await remaining(milk1.id)).toEqual({ r: 50, status: 'ACTIVE' });
    expect(await remaining(milk2.id)).toEqual({ r: 0, status: 'CONSUMED' });
    const fwd = ok(await t.gql(FORWARD, { id: milk1.id }, f.regulator)).traceForward;
    expect(fwd).toEqual({
      nodes: [
        { id: '1', lotCode: 'M1', depth: 0, quantity: 200, remaining: 50, unit: 'L', status: 'ACTIVE', owner: { name: 'Dairy' } },
        { id: '3', lotCode: 'Y1', depth: 1, quantity: 200, remaining: 200, unit: 'KG', status: 'ACTIVE', owner: { name: 'Dairy' } },
      ],
      edges: [{ parentId: '1', childId: '3', kind: 'PROCESS', quantity: 150 }],
      truncated: false,
      totalBatches: 2,
      affectedOperators: [{ name: 'Dairy', batches: 2 }],
      markets: [],
      entryCount: 0,
      marketEntries: [],
      quantities: [{ unit: 'KG', batches: 1, onHand: 200 }, { unit: 'L', batches: 1, onHand: 50 }],
    });
  });

  it('refuses an input without a quantity and more than an input holds, writing nothing', async () => {
    const dairy = await makeOperator(t, f.admin, { kind: 'DAIRY_FARM' });
    const milk = await makeBatch(t, f.admin, dairy.id, { category: 'DAIRY', unit: 'L', quantity: 10 });
    const base = { productName: 'Yoghurt', category: 'DAIRY', quantity: 8, unit: 'KG' };
    const noQty = await t.gql(PROCESS, { input: { ...base, inputs: [{ batchId: milk.id }] } }, f.admin);
    expect(noQty.errors?.[0]).toMatchObject({ message: 'inputs[0].quantity: must be given', extensions: { code: 'BAD_USER_INPUT', field: 'inputs[0].quantity' } });
    const tooMuch = await t.gql(PROCESS, { input: { ...base, inputs: [{ batchId: milk.id, quantity: 11 }] } }, f.admin);
    expect(tooMuch.errors?.[0]).toMatchObject({ message: 'inputs[0].quantity: batch 1 has only 10 L left', extensions: { code: 'BAD_USER_INPUT', field: 'inputs[0].quantity' } });
    expect(await counts()).toEqual({ batches: 1, links: 0 });
  });
});

describe('transferBatch', () => {
  it('hands goods farm → wholesaler → vendor; backward and forward traces give exact nodes and aggregates', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Farm', village: 'Qingshan' });
    const wholesaler = await makeOperator(t, f.admin, { name: 'Wholesaler', kind: 'WHOLESALER' });
    const vendor1 = await makeOperator(t, f.admin, { name: 'Vendor 1', kind: 'MARKET_VENDOR' });
    const vendor2 = await makeOperator(t, f.admin, { name: 'Vendor 2', kind: 'MARKET_VENDOR' });
    const b = await makeBatch(t, f.admin, farm.id, { lotCode: 'F1', quantity: 500 });
    const farmToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const wholesalerToken = await token(t, Role.OPERATOR, { operatorId: wholesaler.id });
    const w = ok(await t.gql(TRANSFER, { input: { batchId: b.id, toOperatorId: wholesaler.id, quantity: 300 } }, farmToken)).transferBatch;
    expect(w).toMatchObject({ id: '2', lotCode: 'F1/T1', quantity: 300, remaining: 300, ownerId: { id: wholesaler.id } });
    // the farm cannot pass on the wholesaler's goods
    const stolen = await t.gql(TRANSFER, { input: { batchId: w.id, toOperatorId: vendor1.id, quantity: 1 } }, farmToken);
    expect(stolen.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const v1 = ok(await t.gql(TRANSFER, { input: { batchId: w.id, toOperatorId: vendor1.id, quantity: 120 } }, wholesalerToken)).transferBatch;
    const v2 = ok(await t.gql(TRANSFER, { input: { batchId: w.id, toOperatorId: vendor2.id, quantity: 80 } }, f.regulator)).transferBatch;
    expect([v1.lotCode, v2.lotCode]).toEqual(['F1/T1/T1', 'F1/T1/T1']);

    const back = ok(await t.gql(BACKWARD, { id: v1.id }, f.regulator)).traceBackward;
    expect(back.nodes.map((n: { id: string; depth: number; owner: { name: string } }) => [n.id, n.depth, n.owner.name])).toEqual([['3', 0, 'Vendor 1'], ['2', 1, 'Wholesaler'], ['1', 2, 'Farm']]);
    expect(back.edges).toEqual([
      { parentId: '2', childId: '3', kind: 'TRANSFER', quantity: 120 },
      { parentId: '1', childId: '2', kind: 'TRANSFER', quantity: 300 },
    ]);

    const market = ok(await t.gql(`mutation { registerMarket(input: { name: "East Market" }) { id } }`, {}, f.admin)).registerMarket;
    const staff = (await t.sql(`insert into account (name, role, market_id, token_hash) values ('gate', 'GATE_STAFF', $1, repeat('a', 64)) returning id`, [market.id]))[0].id;
    await t.sql(
      `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, vendor_id, declared_quantity, unit, decision, received_batch_id)
       values ($1, $2, 's1', repeat('b', 64), 'x', 2, $3, 120, 'KG', 'ACCEPTED', 3), ($1, $2, 's2', repeat('b', 64), 'x', 2, $4, 90, 'KG', 'REJECTED', null)`,
      [market.id, staff, vendor1.id, vendor2.id],
    );
    const fwd = ok(await t.gql(FORWARD, { id: b.id }, f.regulator)).traceForward;
    expect(fwd).toEqual({
      nodes: [
        { id: '1', lotCode: 'F1', depth: 0, quantity: 500, remaining: 200, unit: 'KG', status: 'ACTIVE', owner: { name: 'Farm' } },
        { id: '2', lotCode: 'F1/T1', depth: 1, quantity: 300, remaining: 100, unit: 'KG', status: 'ACTIVE', owner: { name: 'Wholesaler' } },
        { id: '3', lotCode: 'F1/T1/T1', depth: 2, quantity: 120, remaining: 120, unit: 'KG', status: 'ACTIVE', owner: { name: 'Vendor 1' } },
        { id: '4', lotCode: 'F1/T1/T1', depth: 2, quantity: 80, remaining: 80, unit: 'KG', status: 'ACTIVE', owner: { name: 'Vendor 2' } },
      ],
      edges: [
        { parentId: '1', childId: '2', kind: 'TRANSFER', quantity: 300 },
        { parentId: '2', childId: '3', kind: 'TRANSFER', quantity: 120 },
        { parentId: '2', childId: '4', kind: 'TRANSFER', quantity: 80 },
      ],
      truncated: false,
      totalBatches: 4,
      affectedOperators: [{ name: 'Farm', batches: 1 }, { name: 'Wholesaler', batches: 1 }, { name: 'Vendor 1', batches: 1 }, { name: 'Vendor 2', batches: 1 }],
      markets: [{ name: 'East Market', entries: 2, accepted: 1 }],
      entryCount: 2,
      quantities: [{ unit: 'KG', batches: 4, onHand: 500 }],
      marketEntries: [
        { batchId: '2', receivedBatchId: '3', marketName: 'East Market', vendorName: 'Vendor 1', decision: 'ACCEPTED' },
        { batchId: '2', receivedBatchId: null, marketName: 'East Market', vendorName: 'Vendor 2', decision: 'REJECTED' },
      ],
    });

    // one statement resolves the token; then the walk (backward), or the walk with its aggregates and the entries (forward)
    expect(await t.countStatements(() => t.gql(BACKWARD, { id: v1.id }, f.regulator))).toBe(2);
    expect(await t.countStatements(() => t.gql(FORWARD, { id: b.id }, f.regulator))).toBe(3);

    // bounds: maxNodes cuts the list and says so, the aggregates still cover every descendant; maxDepth cuts both
    const cut = ok(await t.gql(FORWARD, { id: b.id, n: 2 }, f.regulator)).traceForward;
    expect([cut.nodes.map((n: { id: string }) => n.id), cut.edges.length, cut.truncated, cut.totalBatches, cut.affectedOperators.length]).toEqual([['1', '2'], 1, true, 4, 4]);
    const shallow = ok(await t.gql(FORWARD, { id: b.id, d: 1 }, f.regulator)).traceForward;
    expect([shallow.nodes.map((n: { id: string }) => n.id), shallow.truncated, shallow.totalBatches, shallow.quantities]).toEqual([['1', '2'], true, 2, [{ unit: 'KG', batches: 2, onHand: 300 }]]);
    const few = ok(await t.gql(BACKWARD, { id: v1.id, n: 2 }, f.regulator)).traceBackward;
    expect([few.nodes.map((n: { id: string }) => n.id), few.edges.length, few.truncated]).toEqual([['3', '2'], 1, true]);
    const bad = await t.gql(BACKWARD, { id: v1.id, d: 501 }, f.regulator);
    expect(bad.errors?.[0]).toMatchObject({ message: 'maxDepth: must be between 1 and 500', extensions: { code: 'BAD_USER_INPUT', field: 'maxDepth' } });
    const anon = await t.gql(BACKWARD, { id: v1.id });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const op = await t.gql(FORWARD, { id: b.id }, farmToken);
    expect(op.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('20 parallel transfers of 10 kg from 100 kg: exactly 10 succeed, the rest are refused, nothing is left', async () => {
    const farm = await makeOperator(t, f.admin);
    const receivers = await Promise.all(Array.from({ length: 4 }, () => makeOperator(t, f.admin, { kind: 'WHOLESALER' })));
    const b = await makeBatch(t, f.admin, farm.id, { quantity: 100 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.gql(TRANSFER, { input: { batchId: b.id, toOperatorId: receivers[i % 4].id, quantity: 10 } }, f.admin)),
    );
    const succeeded = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    expect(succeeded).toHaveLength(10);
    expect(refused.map((r) => [r.errors![0].extensions, r.errors![0].message])).toEqual(
      Array(10).fill([{ code: 'BAD_USER_INPUT', field: 'quantity' }, 'quantity: batch 1 is CONSUMED: nothing is left of it']),
    );
    expect(await remaining(b.id)).toEqual({ r: 0, status: 'CONSUMED' });
    expect(await t.sql(`select count(*)::int as n, sum(quantity)::float as q from batch_link where parent_id = $1`, [b.id])).toEqual([{ n: 10, q: 100 }]);
    expect(await t.sql(`select count(*)::int as n, sum(quantity)::float as q from batch where id <> $1`, [b.id])).toEqual([{ n: 10, q: 100 }]);
  });

  it('merges that share inputs in opposite orders run in parallel without deadlock and take exactly', async () => {
    const farm = await makeOperator(t, f.admin);
    const a = await makeBatch(t, f.admin, farm.id, { quantity: 10 });
    const b = await makeBatch(t, f.admin, farm.id, { quantity: 10 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const inputs = [{ batchId: a.id, quantity: 1 }, { batchId: b.id, quantity: 0.5 }];
        return t.gql(MERGE, { input: { inputs: i % 2 ? inputs : inputs.reverse() } }, f.admin);
      }),
    );
    const refused = results.filter((r) => r.errors).map((r) => [r.errors![0].extensions?.code, r.errors![0].message.replace(/^inputs\[\d\]/, 'inputs[i]')]);
    expect(results.filter((r) => !r.errors)).toHaveLength(10);
    // refused either when the inputs are read (already CONSUMED) or when taken under the row lock
    for (const [code, message] of refused) {
      expect([code, ['inputs[i].batchId: batch 1 is CONSUMED', 'inputs[i].quantity: batch 1 is CONSUMED: nothing is left of it'].includes(message as string)]).toEqual(['BAD_USER_INPUT', true]);
    }
    expect(refused).toHaveLength(2);
    expect(await remaining(a.id)).toEqual({ r: 0, status: 'CONSUMED' });
    expect(await remaining(b.id)).toEqual({ r: 5, status: 'ACTIVE' });
  });

  it('gives parallel hand-overs of equally named lots to one receiver distinct lot codes after the highest in use', async () => {
    const farms = await Promise.all([0, 1].map(() => makeOperator(t, f.admin)));
    const vendor = await makeOperator(t, f.admin, { kind: 'MARKET_VENDOR' });
    const lots = await Promise.all(farms.map((farm) => makeBatch(t, f.admin, farm.id, { lotCode: '2026-11-01' })));
    await makeBatch(t, f.admin, vendor.id, { lotCode: '2026-11-01/T3' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.gql(TRANSFER, { input: { batchId: lots[i % 2].id, toOperatorId: vendor.id, quantity: 1 } }, f.admin)),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const codes = await t.sql('select lot_code from batch where owner_id = $1 order by lot_code', [vendor.id]);
    expect(codes.map((r) => r.lot_code).sort((a, b) => Number(a.split('/T')[1]) - Number(b.split('/T')[1]))).toEqual(
      Array.from({ length: 11 }, (_, i) => `2026-11-01/T${i + 3}`),
    );
  });

  it('refuses a transfer to the owner itself, to a suspended operator, and more than remains', async () => {
    const farm = await makeOperator(t, f.admin);
    const suspended = await makeOperator(t, f.admin);
    await t.sql(`update operator set status = 'SUSPENDED' where id = $1`, [suspended.id]);
    const b = await makeBatch(t, f.admin, farm.id);
    const cases: [string, number, string][] = [
      [farm.id, 1, 'toOperatorId: a batch cannot be transferred to its own owner'],
      [suspended.id, 1, `toOperatorId: operator ${suspended.id} is SUSPENDED`],
      [suspended.id, 0, 'quantity: must be a positive number'],
    ];
    for (const [to, quantity, message] of cases) {
      const res = await t.gql(TRANSFER, { input: { batchId: b.id, toOperatorId: to, quantity } }, f.admin);
      expect(res.errors?.[0].message).toBe(message);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const other = await makeOperator(t, f.admin);
    const tooMuch = await t.gql(TRANSFER, { input: { batchId: b.id, toOperatorId: other.id, quantity: 100.001 } }, f.admin);
    expect(tooMuch.errors?.[0].message).toBe('quantity: batch 1 has only 100 KG left');
    expect(await counts()).toEqual({ batches: 1, links: 0 });
    expect(await remaining(b.id)).toEqual({ r: 100, status: 'ACTIVE' });
  });
});

describe('recordBatchLink and cycles', () => {
  it('records a late input between two lots of one owner and refuses a link that would close a cycle', async () => {
    const farm = await makeOperator(t, f.admin);
    const a = await makeBatch(t, f.admin, farm.id, { lotCode: 'A' });
    const [a1] = ok(await t.gql(SPLIT, { input: { batchId: a.id, parts: [{ quantity: 50 }] } }, f.admin)).splitBatch;
    const [a2] = ok(await t.gql(SPLIT, { input: { batchId: a1.id, parts: [{ quantity: 20 }] } }, f.admin)).splitBatch;
    const c = await makeBatch(t, f.admin, farm.id, { lotCode: 'C' });
    const link = ok(await t.gql(LINK, { input: { parentId: c.id, childId: a2.id, kind: 'MERGE', quantity: 5 } }, f.admin)).recordBatchLink;
    expect(link).toEqual({ parentId: c.id, childId: a2.id, kind: 'MERGE', quantity: 5 });
    expect(await remaining(c.id)).toEqual({ r: 95, status: 'ACTIVE' });

    const before = await counts();
    const cycle = await t.gql(LINK, { input: { parentId: a2.id, childId: a.id, kind: 'MERGE', quantity: 1 } }, f.admin);
    expect(cycle.errors?.[0]).toMatchObject({
      message: `parentId: batch ${a2.id} descends from batch ${a.id}: the link would close a cycle`,
      extensions: { code: 'BAD_USER_INPUT', field: 'parentId' },
    });
    const cycle2 = await t.gql(LINK, { input: { parentId: a2.id, childId: c.id, kind: 'MERGE', quantity: 1 } }, f.admin);
    expect(cycle2.errors?.[0].message).toBe(`parentId: batch ${a2.id} descends from batch ${c.id}: the link would close a cycle`);
    expect(await counts()).toEqual(before);
    expect(await remaining(a2.id)).toEqual({ r: 20, status: 'ACTIVE' });

    // the database refuses it too, whatever writes the link
    await expect(t.sql(`insert into batch_link (parent_id, child_id, kind, quantity) values ($1, $2, 'MERGE', 1)`, [a2.id, a.id])).rejects.toThrow(
      `batch_link ${a2.id} -> ${a.id} would close a cycle`,
    );
  });

  it('refuses TRANSFER links and links across owners', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    const x = await makeBatch(t, f.admin, a.id);
    const y = await makeBatch(t, f.admin, b.id);
    const z = await makeBatch(t, f.admin, a.id);
    const transfer = await t.gql(LINK, { input: { parentId: x.id, childId: z.id, kind: 'TRANSFER', quantity: 1 } }, f.admin);
    expect(transfer.errors?.[0]).toMatchObject({ message: 'kind: a transfer creates the receiver’s batch: use transferBatch', extensions: { field: 'kind' } });
    const across = await t.gql(LINK, { input: { parentId: x.id, childId: y.id, kind: 'MERGE', quantity: 1 } }, f.admin);
    expect(across.errors?.[0]).toMatchObject({ message: 'childId: both batches must belong to one operator', extensions: { field: 'childId' } });
    expect(await counts()).toEqual({ batches: 3, links: 0 });
  });
});
