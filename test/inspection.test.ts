import { Grade, Role } from '../src/entities/enums';
import { marketTestBoard } from '../src/gate/board.service';
import { isSampled } from '../src/gate/gate.service';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeCertificate, makeMarket, makeMarketScene, makeOperator, ok, token, type MarketScene } from './support/factories';

const { t, f } = useTestApp();
let market: string;
let gate: string;
let farm: MarketScene['farm'];
let vendor: MarketScene['vendor'];
let farmToken: string;

beforeEach(async () => {
  ({ market, gate, farm, vendor, farmToken } = await makeMarketScene(t, f.admin));
});

const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision reasons { code } receivedBatch { id } certificate { quantityAdmitted } } }`;
const ENTRY = `id decision reasons { code zh en } receivedBatchId decidedAt`;
const RAPID = `mutation($input: RecordTestInput!) { recordRapidTest(input: $input) {
  inspection { id kind batchId marketId entryId items { item value unit result } result tester }
  entry { ${ENTRY} } } }`;
const LAB = `mutation($input: RecordTestInput!) { recordLabTest(input: $input) { inspection { id kind result } entry { ${ENTRY} } } }`;

const OP = { item: '有机磷和氨基甲酸酯类农药 / organophosphate and carbamate', unit: '%' };
const pass = { ...OP, value: 12.5, result: 'PASS' };
const fail = { ...OP, value: 63.1, result: 'FAIL' };

function drawn(tag: string): string {
  for (let i = 0; ; i++) if (isSampled(`${tag}-${i}`, Grade.A, t.config.samplingSecret!)) return `${tag}-${i}`;
}
function notDrawn(tag: string): string {
  for (let i = 0; ; i++) if (!isSampled(`${tag}-${i}`, Grade.A, t.config.samplingSecret!)) return `${tag}-${i}`;
}

async function scan(code: string, scanId: string, declaredQuantity = 10) {
  return ok(await t.gql(SCAN, { input: { code, marketId: market, vendorOperatorId: vendor.id, declaredQuantity, unit: 'KG', scanId } }, gate)).scanAtGate;
}

async function counts() {
  const [r] = await t.sql(`select (select count(*)::int from inspection) as tests, (select count(*)::int from credit_event) as events,
    (select count(*)::int from batch_link) as links, (select count(*)::int from market_entry where decision = 'TEST_REQUIRED') as waiting`);
  return r as { tests: number; events: number; links: number; waiting: number };
}

async function credit(id: string) {
  const [r] = await t.sql(`select credit_score as score, credit_grade as grade from operator where id = $1`, [id]);
  return r;
}

describe('recordRapidTest on a gate entry', () => {
  it('a FAIL rejects a TEST_REQUIRED entry, marks the lot non-conformant and charges RAPID_TEST_FAILED', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'no-cert-1');
    expect([entry.decision, entry.reasons]).toEqual(['TEST_REQUIRED', [{ code: 'NO_CERTIFICATE' }]]);
    const res = ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [pass, fail], tester: 'Zhou (gate lab)' } }, gate)).recordRapidTest;
    expect(res.inspection).toEqual({
      id: expect.any(String), kind: 'RAPID', batchId: batch.id, marketId: market, entryId: entry.entryId,
      items: [{ item: OP.item, value: 12.5, unit: '%', result: 'PASS' }, { item: OP.item, value: 63.1, unit: '%', result: 'FAIL' }], result: 'FAIL', tester: 'Zhou (gate lab)',
    });
    expect(res.entry).toEqual({
      id: entry.entryId, decision: 'REJECTED', receivedBatchId: null, decidedAt: expect.any(String),
      reasons: [
        { code: 'NO_CERTIFICATE', zh: '未出示有效合格证，须快检', en: 'No valid certificate: a rapid test is required' },
        { code: 'RAPID_TEST_FAILED', zh: '快检不合格', en: 'Failed the rapid test' },
      ],
    });
    expect(await t.sql(`select non_conformant from batch where id = $1`, [batch.id])).toEqual([{ non_conformant: true }]);
    expect(await t.sql(`select rule_code, points, source, source_ref from credit_event order by id`)).toEqual([
      { rule_code: 'NO_CERTIFICATE', points: -5, source: 'ENTRY', source_ref: entry.entryId },
      { rule_code: 'RAPID_TEST_FAILED', points: -20, source: 'INSPECTION', source_ref: res.inspection.id },
    ]);
    expect(await credit(farm.id)).toEqual({ score: 75, grade: 'B' });
    expect(await counts()).toMatchObject({ links: 0, waiting: 0 });
    // the lot is refused at every gate from now on
    const next = await scan(batch.publicCode, notDrawn('after-fail'));
    expect([next.decision, next.reasons]).toEqual(['REJECTED', [{ code: 'BATCH_NON_CONFORMANT' }]]);
  });

  it('a PASS admits a sampled entry: the goods pass to the vendor; a retried scan still returns the first answer', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    await makeCertificate(t, farmToken, batch.id);
    const scanId = drawn('sampled');
    const first = await scan(batch.publicCode, scanId);
    expect([first.decision, first.certificate.quantityAdmitted]).toEqual(['TEST_REQUIRED', 10]);
    const res = ok(await t.gql(RAPID, { input: { entryId: first.entryId, items: [pass], tester: 'Zhou' } }, gate)).recordRapidTest;
    const [child] = await t.sql(`select id::text, owner_id::text, quantity::float from batch where id <> $1`, [batch.id]);
    expect(child).toEqual({ id: child.id, owner_id: vendor.id, quantity: 10 });
    expect(res.entry).toEqual({
      id: first.entryId, decision: 'ACCEPTED', receivedBatchId: child.id, decidedAt: expect.any(String),
      reasons: [
        { code: 'SAMPLED_FOR_RAPID_TEST', zh: '按生产者信用等级抽中快检', en: "Drawn for a rapid test at the rate the producer's credit grade sets" },
        { code: 'RAPID_TEST_PASSED', zh: '快检合格，准予进场', en: 'Passed the rapid test; admitted' },
      ],
    });
    expect(await t.sql(`select kind, quantity::float from batch_link`)).toEqual([{ kind: 'TRANSFER', quantity: 10 }]);
    expect(await t.sql(`select quantity_admitted::float from origin_certificate`)).toEqual([{ quantity_admitted: 10 }]);
    expect(await counts()).toMatchObject({ events: 0, waiting: 0 });
    // the scan's answer is kept as first given; the entry's current state is read with marketEntry
    expect(await scan(batch.publicCode, scanId)).toEqual(first);
    expect(ok(await t.gql(`query($id: ID!) { marketEntry(id: $id) { decision receivedBatchId } }`, { id: first.entryId }, gate)).marketEntry)
      .toEqual({ decision: 'ACCEPTED', receivedBatchId: child.id });
  });

  it('a test of an entry already decided is recorded but does not change the entry; a FAIL still charges the producer', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    await makeCertificate(t, farmToken, batch.id);
    const entry = await scan(batch.publicCode, notDrawn('accepted'));
    expect(entry.decision).toBe('ACCEPTED');
    const res = ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [fail], tester: 'Zhou' } }, gate)).recordRapidTest;
    expect([res.inspection.result, res.entry.decision, res.entry.reasons]).toEqual(['FAIL', 'ACCEPTED', []]);
    expect(await t.sql(`select rule_code from credit_event`)).toEqual([{ rule_code: 'RAPID_TEST_FAILED' }]);
  });

  it('decides a waiting entry once under 10 parallel tests', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    await makeCertificate(t, farmToken, batch.id);
    const entry = await scan(batch.publicCode, drawn('race'));
    const results = await Promise.all(Array.from({ length: 10 }, () => t.gql(RAPID, { input: { entryId: entry.entryId, items: [pass], tester: 'Zhou' } }, gate)));
    expect(results.map((r) => ok(r).recordRapidTest.entry.decision)).toEqual(Array(10).fill('ACCEPTED'));
    expect(await counts()).toMatchObject({ tests: 10, links: 1 });
    expect(await t.sql(`select remaining::float from batch where id = $1`, [batch.id])).toEqual([{ remaining: 90 }]);
  });

  it('is refused to gate staff of another market, operators and the public, and writes nothing', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'x-1');
    const otherGate = await token(t, Role.GATE_STAFF, { marketId: (await makeMarket(t, f.admin)).id });
    const codes = [];
    for (const tok of [otherGate, farmToken, null]) {
      codes.push((await t.gql(RAPID, { input: { entryId: entry.entryId, items: [fail], tester: 'Z' } }, tok)).errors?.map((e) => e.extensions?.code));
    }
    expect(codes).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['UNAUTHENTICATED']]);
    expect(await counts()).toMatchObject({ tests: 0, events: 1, waiting: 1 });
  });

  it.each([
    [{ batchId: '1' }, 'batchId', 'batchId: give exactly one of entryId or batchId'],
    [{ entryId: null }, 'entryId', 'entryId: give exactly one of entryId or batchId'],
    [{ items: [] }, 'items', 'items: name at least one tested item'],
    [{ items: [{ ...pass, item: ' ' }] }, 'items[0].item', 'items[0].item: must not be empty'],
    [{ tester: '' }, 'tester', 'tester: must not be empty'],
    [{ entryId: '999' }, undefined, 'Market entry 999 not found'],
    [{ testId: 'two words' }, 'testId', 'testId: must be 1 to 64 letters, digits or . _ : -'],
    [{ testId: 'x'.repeat(65) }, 'testId', 'testId: must be 1 to 64 letters, digits or . _ : -'],
  ])('refuses %j with a typed error and writes nothing', async (over, field, message) => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'bad-1');
    const res = await t.gql(RAPID, { input: { entryId: entry.entryId, items: [fail], tester: 'Zhou', ...over } }, gate);
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.message])).toEqual([[field ? 'BAD_USER_INPUT' : 'NOT_FOUND', field, message]]);
    expect(await counts()).toMatchObject({ tests: 0, events: 1, waiting: 1 });
    expect(await t.sql(`select non_conformant from batch`)).toEqual([{ non_conformant: false }]);
  });
});

/** The raw HTTP body of a rapid test, for byte-for-byte comparison of resends. */
async function rawTest(input: Record<string, unknown>, query = RAPID, tok = gate): Promise<string> {
  const res = await t.app.fastify.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
    payload: JSON.stringify({ query, variables: { input } }),
  });
  return res.body;
}

async function entryState(id: string) {
  const [r] = await t.sql(`select decision, reasons, received_batch_id::text, decided_at from market_entry where id = $1`, [id]);
  return r;
}

describe('test results: exactly once with a testId', () => {
  const TEST_ID = '0b7e2f9c-4d1a-4c55-9a3e-6f1d2c8b7a10';

  it('50 parallel sends of a PASS with one testId: one inspection, one decision, one transfer, identical answers', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    await makeCertificate(t, farmToken, batch.id);
    const entry = await scan(batch.publicCode, drawn('burst-pass'));
    const input = { entryId: entry.entryId, items: [pass], tester: 'Zhou', testId: TEST_ID };
    const bodies = await Promise.all(Array.from({ length: 50 }, () => rawTest(input)));
    expect(new Set(bodies).size).toBe(1);
    const res = JSON.parse(bodies[0]).data.recordRapidTest;
    const [child] = await t.sql(`select id::text from batch where id <> $1`, [batch.id]);
    expect([res.inspection.result, res.inspection.entryId, res.entry.decision, res.entry.receivedBatchId]).toEqual(['PASS', entry.entryId, 'ACCEPTED', child.id]);
    expect(await counts()).toEqual({ tests: 1, events: 0, links: 1, waiting: 0 });
    expect(await t.sql(`select id::text, test_id from inspection`)).toEqual([{ id: res.inspection.id, test_id: TEST_ID }]);
    expect(await t.sql(`select remaining::float from batch where id = $1`, [batch.id])).toEqual([{ remaining: 90 }]);
    expect(await t.sql(`select quantity_admitted::float from origin_certificate`)).toEqual([{ quantity_admitted: 10 }]);
    expect(ok(await t.gql(`mutation($input: RecordTestInput!) { recordRapidTest(input: $input) { inspection { testId } } }`, { input }, gate)).recordRapidTest)
      .toEqual({ inspection: { testId: TEST_ID } });
  });

  it('50 parallel sends of a FAIL with one testId: one inspection, one rejection, one credit event, identical answers', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'burst-fail');
    const input = { entryId: entry.entryId, items: [fail], tester: 'Zhou', testId: TEST_ID };
    const bodies = await Promise.all(Array.from({ length: 50 }, () => rawTest(input)));
    expect(new Set(bodies).size).toBe(1);
    const res = JSON.parse(bodies[0]).data.recordRapidTest;
    expect([res.inspection.result, res.entry.decision, res.entry.reasons.map((r: { code: string }) => r.code)]).toEqual(['FAIL', 'REJECTED', ['NO_CERTIFICATE', 'RAPID_TEST_FAILED']]);
    expect(await counts()).toEqual({ tests: 1, events: 2, links: 0, waiting: 0 });
    expect(await t.sql(`select rule_code, points, source_ref from credit_event order by id`)).toEqual([
      { rule_code: 'NO_CERTIFICATE', points: -5, source_ref: entry.entryId },
      { rule_code: 'RAPID_TEST_FAILED', points: -20, source_ref: res.inspection.id },
    ]);
    expect(await credit(farm.id)).toEqual({ score: 75, grade: 'B' });
  });

  it('50 parallel lab results of a lot with one testId: one inspection, one LAB_TEST_FAILED', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const input = { batchId: batch.id, items: [{ item: 'Chlorpyrifos', value: 0.12, unit: 'mg/kg', result: 'FAIL' }], tester: 'County lab', testId: 'lab-2026-0042' };
    const bodies = await Promise.all(Array.from({ length: 50 }, () => rawTest(input, LAB, f.regulator)));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]).data.recordLabTest.inspection.result).toBe('FAIL');
    expect(await counts()).toEqual({ tests: 1, events: 1, links: 0, waiting: 0 });
    expect(await credit(farm.id)).toEqual({ score: 70, grade: 'D' });
  });

  it('a resend returns the first answer byte for byte and writes nothing, even after a later test; another payload is a CONFLICT', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'resend-1');
    const input = { entryId: entry.entryId, items: [pass], tester: 'Zhou', testId: TEST_ID };
    const first = await rawTest(input);
    expect(JSON.parse(first).data.recordRapidTest.entry.decision).toBe('ACCEPTED');
    // a later lab test fails the lot: the entry stays admitted, the resend still answers as first given
    ok(await t.gql(LAB, { input: { entryId: entry.entryId, items: [fail], tester: 'County lab', testId: 'lab-1' } }, f.regulator));
    const before = { counts: await counts(), rows: await t.sql(`select id, test_id, request_hash, response from inspection order by id`), entry: await entryState(entry.entryId) };
    expect(await rawTest(input)).toBe(first);

    const conflicts = [];
    for (const over of [{ items: [fail] }, { tester: 'Li' }, { items: [{ ...pass, value: 12.6 }] }, { entryId: undefined, batchId: batch.id }]) {
      const res = await t.gql(RAPID, { input: { ...input, ...over } }, gate);
      conflicts.push([res.data, res.errors?.map((e) => [e.extensions?.code, e.message])]);
    }
    const lab = await t.gql(LAB, { input }, f.regulator);
    conflicts.push([lab.data, lab.errors?.map((e) => [e.extensions?.code, e.message])]);
    expect(conflicts).toEqual(Array(5).fill([null, [['CONFLICT', `testId ${TEST_ID} was already used for a different test result`]]]));
    expect({ counts: await counts(), rows: await t.sql(`select id, test_id, request_hash, response from inspection order by id`), entry: await entryState(entry.entryId) }).toEqual(before);
  });

  it('answers a resend with the token lookup, the entry and lot locks, the refused insert, one read and its audit row', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'cheap-1');
    const input = { entryId: entry.entryId, items: [pass], tester: 'Zhou', testId: TEST_ID };
    ok(await t.gql(RAPID, { input }, gate));
    const n = await t.countStatements(async () => ok(await t.gql(RAPID, { input }, gate)));
    expect(n).toBe(6);
    expect(t.statements.slice(-8).map((s) => s.replace(/\u001b\[[0-9;]*m/g, '').replace(/^\s*\[query\]\s*/, '').slice(0, 30))).toEqual([
      'with found as ( select id, nam', 'begin', 'select id, market_id, scan_id,', 'select id, owner_id, public_co', 'insert into inspection (batch_', 'select request_hash, response ', 'commit',
      'insert into audit_event (accou',
    ]);
  });

  it('a blank testId is the same as none: each send is recorded', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    for (let i = 0; i < 2; i++) ok(await t.gql(RAPID, { input: { batchId: batch.id, items: [pass], tester: 'Zhou', testId: '  ' } }, gate));
    expect(await t.sql(`select test_id, request_hash, response from inspection`)).toEqual([
      { test_id: null, request_hash: null, response: null }, { test_id: null, request_hash: null, response: null },
    ]);
  });
});

describe('a later, different result on an entry already decided', () => {
  it('after a PASS: a FAIL is recorded and charged once per kind of test, the entry keeps its decision and goods', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    await makeCertificate(t, farmToken, batch.id);
    const entry = await scan(batch.publicCode, drawn('later-fail'));
    const passed = ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [pass], tester: 'Zhou', testId: 'rapid-1' } }, gate)).recordRapidTest;
    const decided = await entryState(entry.entryId);
    expect([decided.decision, decided.reasons.map((r: { code: string }) => r.code), decided.received_batch_id]).toEqual(['ACCEPTED', ['SAMPLED_FOR_RAPID_TEST', 'RAPID_TEST_PASSED'], passed.entry.receivedBatchId]);

    const rapidFail = ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [fail], tester: 'Zhou', testId: 'rapid-2' } }, gate)).recordRapidTest;
    const labFail = ok(await t.gql(LAB, { input: { entryId: entry.entryId, items: [fail], tester: 'County lab', testId: 'lab-1' } }, f.regulator)).recordLabTest;
    const rapidAgain = ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [fail], tester: 'Li', testId: 'rapid-3' } }, gate)).recordRapidTest;
    const labAgain = ok(await t.gql(LAB, { input: { batchId: batch.id, items: [fail], tester: 'County lab' } }, f.regulator)).recordLabTest;
    // each later answer shows the entry as the first test left it
    for (const r of [rapidFail, labFail, rapidAgain]) expect([r.inspection.result, r.entry.decision, r.entry.receivedBatchId]).toEqual(['FAIL', 'ACCEPTED', passed.entry.receivedBatchId]);
    expect(labAgain.entry).toBeNull();
    expect(await entryState(entry.entryId)).toEqual(decided);
    expect(await counts()).toEqual({ tests: 5, events: 2, links: 1, waiting: 0 });
    expect(await t.sql(`select remaining::float, non_conformant from batch where id = $1`, [batch.id])).toEqual([{ remaining: 90, non_conformant: true }]);
    expect(await t.sql(`select rule_code, points, source_ref from credit_event order by id`)).toEqual([
      { rule_code: 'RAPID_TEST_FAILED', points: -20, source_ref: rapidFail.inspection.id },
      { rule_code: 'LAB_TEST_FAILED', points: -30, source_ref: labFail.inspection.id },
    ]);
    expect(await credit(farm.id)).toEqual({ score: 50, grade: 'D' });
  });

  it('after a FAIL: a PASS is recorded but neither admits the load nor clears the lot', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'later-pass');
    ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [fail], tester: 'Zhou', testId: 'rapid-1' } }, gate));
    const decided = await entryState(entry.entryId);
    const later = ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [pass], tester: 'Li', testId: 'rapid-2' } }, gate)).recordRapidTest;
    expect([later.inspection.result, later.entry.decision, later.entry.receivedBatchId]).toEqual(['PASS', 'REJECTED', null]);
    expect(await entryState(entry.entryId)).toEqual(decided);
    expect(await counts()).toEqual({ tests: 2, events: 2, links: 0, waiting: 0 });
    expect(await t.sql(`select remaining::float, non_conformant from batch where id = $1`, [batch.id])).toEqual([{ remaining: 100, non_conformant: true }]);
  });

  it('10 parallel different results on one waiting entry: ten inspections, one decision, one transfer', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    await makeCertificate(t, farmToken, batch.id);
    const entry = await scan(batch.publicCode, drawn('race-keys'));
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.gql(RAPID, { input: { entryId: entry.entryId, items: [pass], tester: `Tester ${i}`, testId: `race-${i}` } }, gate)));
    const answers = results.map((r) => ok(r).recordRapidTest);
    expect(new Set(answers.map((a) => JSON.stringify(a.entry)))).toEqual(new Set([JSON.stringify(answers[0].entry)]));
    expect(answers[0].entry.decision).toBe('ACCEPTED');
    expect(await counts()).toEqual({ tests: 10, events: 0, links: 1, waiting: 0 });
    expect(await t.sql(`select remaining::float from batch where id = $1`, [batch.id])).toEqual([{ remaining: 90 }]);
  });
});

describe('recordLabTest', () => {
  it('a FAIL on a lot charges LAB_TEST_FAILED (−30) and holds the producer at grade D', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const res = ok(await t.gql(LAB, { input: { batchId: batch.id, items: [{ item: 'Chlorpyrifos', value: 0.12, unit: 'mg/kg', result: 'FAIL' }], tester: 'County lab' } }, f.regulator)).recordLabTest;
    expect([res.inspection.kind, res.inspection.result, res.entry]).toEqual(['LAB', 'FAIL', null]);
    expect(await t.sql(`select rule_code, points, source from credit_event`)).toEqual([{ rule_code: 'LAB_TEST_FAILED', points: -30, source: 'INSPECTION' }]);
    expect(await credit(farm.id)).toEqual({ score: 70, grade: 'D' });
    expect(await t.sql(`select non_conformant from batch`)).toEqual([{ non_conformant: true }]);
  });

  it('decides a waiting entry like a rapid test', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const entry = await scan(batch.publicCode, 'lab-entry');
    const res = ok(await t.gql(LAB, { input: { entryId: entry.entryId, items: [{ item: 'Chlorpyrifos', value: 0.2, unit: 'mg/kg', result: 'FAIL' }], tester: 'County lab' } }, f.regulator)).recordLabTest;
    expect([res.entry.decision, res.entry.reasons.map((r: { code: string }) => r.code)]).toEqual(['REJECTED', ['NO_CERTIFICATE', 'LAB_TEST_FAILED']]);
  });

  it('is for regulators: gate staff are refused', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const res = await t.gql(LAB, { input: { batchId: batch.id, items: [fail], tester: 'Z' } }, gate);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(await counts()).toMatchObject({ tests: 0, events: 0 });
  });
});

describe('marketTestBoard', () => {
  const BOARD = `query($m: ID!, $d: String) { marketTestBoard(marketId: $m, date: $d) { marketName date tests { kind productName batchPublicCode vendorName items { item value unit result } result tester } } }`;

  it("lists every test of the market day (China Standard Time) with product, vendor, item and result, for anyone", async () => {
    const batch = await makeBatch(t, f.admin, farm.id, { productName: 'Spinach' });
    const entry = await scan(batch.publicCode, 'board-1');
    ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [pass], tester: 'Zhou' } }, gate));
    const other = await makeBatch(t, f.admin, farm.id, { productName: 'Celery' });
    ok(await t.gql(RAPID, { input: { batchId: other.id, items: [fail], tester: 'Zhou' } }, gate));
    const elsewhere = (await makeMarket(t, f.admin)).id;
    ok(await t.gql(RAPID, { input: { batchId: other.id, marketId: elsewhere, items: [pass], tester: 'Li' } }, f.regulator));
    // 23:59:59 and 24:00:00 at +08:00 on 2026-11-20
    await t.sql(`update inspection set inspected_at = '2026-11-20T15:59:59Z' where id = 1`);
    await t.sql(`update inspection set inspected_at = '2026-11-20T16:00:00Z' where id = 2`);
    await t.sql(`update inspection set inspected_at = '2026-11-20T10:00:00Z' where id = 3`);

    const day20 = ok(await t.gql(BOARD, { m: market, d: '2026-11-20' })).marketTestBoard;
    expect(day20).toEqual({
      marketName: 'Qingshan market', date: '2026-11-20',
      // the tester is a person: the board page leaves the name out, and so does the anonymous GraphQL view
      tests: [{ kind: 'RAPID', productName: 'Spinach', batchPublicCode: batch.publicCode, vendorName: 'Stall 12', items: [{ item: OP.item, value: 12.5, unit: '%', result: 'PASS' }], result: 'PASS', tester: '' }],
    });
    expect(ok(await t.gql(BOARD, { m: market, d: '2026-11-20' }, gate)).marketTestBoard.tests.map((x: { tester: string }) => x.tester)).toEqual(['Zhou']);
    const day21 = ok(await t.gql(BOARD, { m: market, d: '2026-11-21' })).marketTestBoard;
    expect(day21.tests.map((x: { productName: string; vendorName: string; result: string }) => [x.productName, x.vendorName, x.result])).toEqual([['Celery', 'Green Valley Farm', 'FAIL']]);
    const service = await marketTestBoard({ em: t.orm.em.fork(), config: t.config }, market, '2026-11-20');
    expect(service.tests.map((x) => [x.inspectionId, x.vendorId, x.inspectedAt.toISOString()])).toEqual([[1, Number(vendor.id), '2026-11-20T15:59:59.000Z']]);
  });

  it.each([
    ['2026-02-30', 'BAD_USER_INPUT', 'date: must be a calendar date YYYY-MM-DD'],
    ['20261120', 'BAD_USER_INPUT', 'date: must be a calendar date YYYY-MM-DD'],
  ])('refuses the date %s', async (d, code, message) => {
    const res = await t.gql(BOARD, { m: market, d });
    expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([[code, message]]);
  });

  it('answers NOT_FOUND for an unknown market', async () => {
    const res = await t.gql(BOARD, { m: '999', d: '2026-11-20' });
    expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'Market 999 not found']]);
  });
});
