import { appendCreditEvent } from '../src/credit/ledger.service';
import { CreditSource, Grade, Role } from '../src/entities/enums';
import { GATE_RULES } from '../src/gate/gate.rules';
import { isSampled, sampleDraw } from '../src/gate/gate.service';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeCertificate, makeMarket, makeMarketScene, makeOperator, ok, token, type BatchRef, type MarketScene } from './support/factories';

const { t, f } = useTestApp();
let market: string;
let gate: string;
let farm: MarketScene['farm'];
let vendor: MarketScene['vendor'];
let farmToken: string;

beforeEach(async () => {
  ({ market, gate, farm, vendor, farmToken } = await makeMarketScene(t, f.admin));
});

const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) {
  entryId scanId marketId decision reasons { code zh en } declaredQuantity unit scannedAt
  batch { id publicCode productName lotCode unit status }
  certificate { number status quantity quantityAdmitted quantityRemaining unit bases }
  producer { id name village status grade }
  receivedBatch { id lotCode quantity unit ownerId }
} }`;

const text = (code: string) => {
  const r = GATE_RULES.find((x) => x.code === code)!;
  return { code, zh: r.zh, en: r.en };
};

/** A scanId the given grade does not sample (the test wants the plain decision). */
// drawn with the test app's sampling secret, as the server draws
function unsampled(tag: string, grade: Grade = Grade.A): string {
  for (let i = 0; ; i++) if (!isSampled(`${tag}-${i}`, grade, t.config.samplingSecret!)) return `${tag}-${i}`;
}
function sampled(tag: string, grade: Grade = Grade.A): string {
  for (let i = 0; ; i++) if (isSampled(`${tag}-${i}`, grade, t.config.samplingSecret!)) return `${tag}-${i}`;
}

async function scan(over: Record<string, unknown>, tok = gate) {
  return t.gql(SCAN, { input: { marketId: market, vendorOperatorId: vendor.id, declaredQuantity: 10, unit: 'KG', scanId: unsampled('s'), ...over } }, tok);
}

/** The raw HTTP body of a scan, for byte-for-byte comparison of retries. */
async function rawScan(input: Record<string, unknown>): Promise<string> {
  const res = await t.app.fastify.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gate}` },
    payload: JSON.stringify({ query: SCAN, variables: { input: { marketId: market, vendorOperatorId: vendor.id, unit: 'KG', ...input } } }),
  });
  return res.body;
}

/** The last `n` statements sent, each by its first 30 characters. */
function lastStatements(n: number): string[] {
  return t.statements.slice(-n).map((s) => s.replace(/\u001b\[[0-9;]*m/g, '').replace(/^\s*\[query\]\s*/, '').replace(/\s+/g, ' ').slice(0, 30));
}

async function counts() {
  const [r] = await t.sql(`select (select count(*)::int from market_entry) as entries, (select count(*)::int from batch_link) as links,
    (select count(*)::int from batch) as batches, (select count(*)::int from credit_event) as events, (select count(*)::int from inspection) as tests`);
  return r as { entries: number; links: number; batches: number; events: number; tests: number };
}

async function creditEvents() {
  return t.sql(`select operator_id::text, rule_code, points, source, source_ref from credit_event order by id`);
}

async function certified(quantity = 100, over: Record<string, unknown> = {}): Promise<{ batch: BatchRef; certificate: { id: string; number: string } }> {
  const batch = await makeBatch(t, f.admin, farm.id, { quantity, ...over });
  const certificate = await makeCertificate(t, farmToken, batch.id);
  return { batch, certificate };
}

// HMAC-SHA256 draws of scan-0 … scan-9999 under a fixed secret below each grade's rate (2 %, 10 %, 30 %, 100 %)
const FIXED_SECRET = 'gate-test-fixed-sampling-secret-0123456789';
const SAMPLED_COUNTS = { A: 204, B: 1000, C: 2960 };

describe('sampling', () => {
  it('draws the same number for the same scanId and samples at the grade rate', () => {
    expect(sampleDraw('scan-42', FIXED_SECRET)).toBe(sampleDraw('scan-42', FIXED_SECRET));
    const ids = Array.from({ length: 10000 }, (_, i) => `scan-${i}`);
    const rate = (g: Grade) => ids.filter((id) => isSampled(id, g, FIXED_SECRET)).length;
    expect([rate(Grade.A), rate(Grade.B), rate(Grade.C), rate(Grade.D)]).toEqual([SAMPLED_COUNTS.A, SAMPLED_COUNTS.B, SAMPLED_COUNTS.C, 10000]);
  });
});

describe('scanAtGate: ACCEPTED', () => {
  it('admits a certified lot, hands it to the vendor and claims the certificate quantity', async () => {
    const { batch, certificate } = await certified();
    const scanId = unsampled('accept');
    const res = ok(await scan({ code: batch.publicCode, scanId, declaredQuantity: 30 })).scanAtGate;
    const [entry] = await t.sql(`select id::text, decision, reasons, received_batch_id::text, batch_id::text, certificate_id::text, decided_at is not null as decided from market_entry`);
    const [child] = await t.sql(`select id::text, owner_id::text, lot_code, quantity::float, remaining::float, unit from batch where id <> $1`, [batch.id]);
    expect(res).toEqual({
      entryId: entry.id, scanId, marketId: market, decision: 'ACCEPTED', reasons: [], declaredQuantity: 30, unit: 'KG', scannedAt: expect.any(String),
      batch: { id: batch.id, publicCode: batch.publicCode, productName: 'Bok choy', lotCode: expect.stringMatching(/^LOT-/), unit: 'KG', status: 'ACTIVE' },
      certificate: { number: certificate.number, status: 'VALID', quantity: 100, quantityAdmitted: 30, quantityRemaining: 70, unit: 'KG', bases: ['SELF_TEST'] },
      producer: { id: farm.id, name: 'Green Valley Farm', village: 'Qingshan', status: 'ACTIVE', grade: 'A' },
      receivedBatch: { id: child.id, lotCode: child.lot_code, quantity: 30, unit: 'KG', ownerId: vendor.id },
    });
    expect(child).toMatchObject({ owner_id: vendor.id, quantity: 30, remaining: 30, unit: 'KG', lot_code: `${res.batch.lotCode}/T1` });
    expect(entry).toEqual({ id: entry.id, decision: 'ACCEPTED', reasons: [], received_batch_id: child.id, batch_id: batch.id, certificate_id: certificate.id, decided: true });
    expect(await t.sql(`select parent_id::text, child_id::text, kind, quantity::float from batch_link`)).toEqual([{ parent_id: batch.id, child_id: child.id, kind: 'TRANSFER', quantity: 30 }]);
    expect(await t.sql(`select remaining::float from batch where id = $1`, [batch.id])).toEqual([{ remaining: 70 }]);
    expect(await t.sql(`select quantity_admitted::float from origin_certificate`)).toEqual([{ quantity_admitted: 30 }]);
    expect(await creditEvents()).toEqual([]);
  });

  it('reads the lot from its QR URL (any host), a GS1 Digital Link and a certificate number', async () => {
    const { batch, certificate } = await certified(100, { gtin: '06901234567892', lotCode: 'A7/X' });
    const codes = [
      `http://foodtrace.test/t/${batch.publicCode}`,
      `https://other.example/t/${batch.publicCode}`,
      `https://id.example.com/01/06901234567892/10/${encodeURIComponent('A7/X')}`,
      `https://id.example.com/01/6901234567892/10/${encodeURIComponent('A7/X')}/21/0001`,
      certificate.number,
      certificate.number.toLowerCase(),
      batch.publicCode,
    ];
    const decisions = [];
    for (const [i, code] of codes.entries()) {
      const r = ok(await scan({ code, scanId: unsampled(`form${i}`), declaredQuantity: 1 })).scanAtGate;
      decisions.push([r.decision, r.batch.id, r.certificate.number]);
    }
    expect(decisions).toEqual(codes.map(() => ['ACCEPTED', batch.id, certificate.number]));
    expect(await t.sql(`select quantity_admitted::float from origin_certificate`)).toEqual([{ quantity_admitted: 7 }]);
  });

  it('lets a producer sell its own load without a transfer: the received batch is the lot itself', async () => {
    const { batch } = await certified();
    const res = ok(await scan({ code: batch.publicCode, vendorOperatorId: farm.id, scanId: unsampled('own') })).scanAtGate;
    expect([res.decision, res.receivedBatch]).toEqual(['ACCEPTED', { id: batch.id, lotCode: res.batch.lotCode, quantity: 10, unit: 'KG', ownerId: farm.id }]);
    expect((await counts()).links).toBe(0);
  });
});

describe('scanAtGate: REJECTED and TEST_REQUIRED rules', () => {
  it('rejects an unknown code, with no producer to charge', async () => {
    for (const code of ['nosuchcode12345', 'https://foodtrace.test/t/nosuchcode12345', 'https://foodtrace.test/o/abc', 'https://x/01/06901234567893/10/L1', 'CN20261101AAAAAAAA']) {
      const res = ok(await scan({ code, scanId: unsampled(code.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)) })).scanAtGate;
      expect([res.decision, res.reasons, res.batch, res.certificate, res.producer]).toEqual(['REJECTED', [text('UNKNOWN_CODE')], null, null, null]);
    }
    expect(text('UNKNOWN_CODE')).toEqual({ code: 'UNKNOWN_CODE', zh: '无法识别的追溯码或合格证编号', en: 'Unknown trace code or certificate number' });
    expect(await counts()).toMatchObject({ entries: 5, events: 0, links: 0 });
  });

  it.each([
    ['BATCH_RECALLED', `update batch set status = 'RECALLED'`, '该批次已被召回', 'This lot has been recalled'],
    ['BATCH_NON_CONFORMANT', `update batch set non_conformant = true`, '该批次检测不合格', 'This lot failed a test'],
    ['BATCH_CONSUMED', `update batch set status = 'CONSUMED', remaining = 0`, '该批次已全部分出，追溯码不可再用', 'This lot has been fully handed on; its code cannot be used again'],
    ['PRODUCER_SUSPENDED', `update operator set status = 'SUSPENDED' where name = 'Green Valley Farm'`, '生产者已被暂停经营', 'The producer is suspended'],
    ['PRODUCER_REVOKED', `update operator set status = 'REVOKED' where name = 'Green Valley Farm'`, '生产者登记已被注销', "The producer's registration is revoked"],
    ['BATCH_QUANTITY_EXCEEDED', `update batch set remaining = 5`, '申报数量超出该批次剩余数量', 'The declared quantity is more than the lot still holds'],
  ])('rejects with %s and charges no credit', async (code, sql, zh, en) => {
    const { batch } = await certified();
    await t.sql(sql);
    const res = ok(await scan({ code: batch.publicCode })).scanAtGate;
    expect([res.decision, res.reasons, res.receivedBatch]).toEqual(['REJECTED', [{ code, zh, en }], null]);
    expect(await t.sql(`select quantity_admitted::float from origin_certificate`)).toEqual([{ quantity_admitted: 0 }]);
    expect(await counts()).toMatchObject({ entries: 1, events: 0, links: 0 });
  });

  it('rejects a declared unit that is not the lot unit', async () => {
    const { batch } = await certified();
    const res = ok(await scan({ code: batch.publicCode, unit: 'BOX' })).scanAtGate;
    expect([res.decision, res.reasons]).toEqual(['REJECTED', [{ code: 'UNIT_MISMATCH', zh: '申报单位与批次单位不一致', en: "The declared unit differs from the lot's unit" }]]);
  });

  it('rejects a revoked certificate and charges CERTIFICATE_REVOKED_OR_FORGED (−30, grade held at D)', async () => {
    const { batch, certificate } = await certified();
    ok(await t.gql(`mutation($id: ID!) { revokeCertificate(id: $id, reason: "wrong lot") { status } }`, { id: certificate.id }, farmToken));
    const res = ok(await scan({ code: certificate.number })).scanAtGate;
    expect([res.decision, res.reasons, res.certificate.status]).toEqual(['REJECTED', [{ code: 'CERTIFICATE_REVOKED', zh: '合格证已被撤销', en: 'The certificate has been revoked' }], 'REVOKED']);
    expect(await creditEvents()).toEqual([{ operator_id: farm.id, rule_code: 'CERTIFICATE_REVOKED_OR_FORGED', points: -30, source: 'ENTRY', source_ref: res.entryId }]);
    expect(await t.sql(`select credit_score, credit_grade from operator where id = $1`, [farm.id])).toEqual([{ credit_score: 70, credit_grade: 'D' }]);
    // scanning the lot itself finds only the revoked certificate
    const again = ok(await scan({ code: batch.publicCode, scanId: 'lot-after-revoke' })).scanAtGate;
    expect(again.reasons.map((r: { code: string }) => r.code)).toEqual(['CERTIFICATE_REVOKED']);
  });

  it('rejects more than the certificate still covers and charges CERTIFICATE_QUANTITY_EXCEEDED (−10)', async () => {
    const batch = await makeBatch(t, f.admin, farm.id, { quantity: 200 });
    await makeCertificate(t, farmToken, batch.id, { quantity: 100 });
    const res = ok(await scan({ code: batch.publicCode, declaredQuantity: 100.5 })).scanAtGate;
    expect([res.decision, res.reasons, res.certificate.quantityRemaining]).toEqual([
      'REJECTED', [{ code: 'CERTIFICATE_QUANTITY_EXCEEDED', zh: '申报数量超出合格证剩余可覆盖数量', en: 'The declared quantity is more than the certificate still covers' }], 100,
    ]);
    expect(await creditEvents()).toEqual([{ operator_id: farm.id, rule_code: 'CERTIFICATE_QUANTITY_EXCEEDED', points: -10, source: 'ENTRY', source_ref: res.entryId }]);
    expect(await t.sql(`select credit_score, credit_grade from operator where id = $1`, [farm.id])).toEqual([{ credit_score: 90, credit_grade: 'A' }]);
  });

  it('lists every reason that applies', async () => {
    const { batch } = await certified();
    await t.sql(`update batch set status = 'RECALLED', non_conformant = true`);
    await t.sql(`update operator set status = 'SUSPENDED' where id = $1`, [farm.id]);
    const res = ok(await scan({ code: batch.publicCode, unit: 'L' })).scanAtGate;
    expect(res.reasons.map((r: { code: string }) => r.code)).toEqual(['BATCH_RECALLED', 'BATCH_NON_CONFORMANT', 'UNIT_MISMATCH', 'PRODUCER_SUSPENDED']);
  });

  it('sends a lot without a certificate to a test and charges NO_CERTIFICATE (−5)', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const res = ok(await scan({ code: batch.publicCode })).scanAtGate;
    expect([res.decision, res.reasons, res.certificate, res.receivedBatch, res.producer.grade]).toEqual([
      'TEST_REQUIRED', [{ code: 'NO_CERTIFICATE', zh: '未出示有效合格证，须快检', en: 'No valid certificate: a rapid test is required' }], null, null, 'A',
    ]);
    expect(await creditEvents()).toEqual([{ operator_id: farm.id, rule_code: 'NO_CERTIFICATE', points: -5, source: 'ENTRY', source_ref: res.entryId }]);
    expect(await t.sql(`select decision, decided_at from market_entry`)).toEqual([{ decision: 'TEST_REQUIRED', decided_at: null }]);
  });

  it('samples a certified load for a rapid test at its grade rate, holding its quantity on the certificate', async () => {
    const { batch } = await certified();
    const res = ok(await scan({ code: batch.publicCode, scanId: sampled('draw') })).scanAtGate;
    expect([res.decision, res.reasons, res.certificate.quantityAdmitted, res.receivedBatch]).toEqual([
      'TEST_REQUIRED', [{ code: 'SAMPLED_FOR_RAPID_TEST', zh: '按生产者信用等级抽中快检', en: "Drawn for a rapid test at the rate the producer's credit grade sets" }], 10, null,
    ]);
    expect(await counts()).toMatchObject({ events: 0, links: 0 });
    // grade D samples every load, even one grade A would not draw
    await t.sql(`update operator set credit_grade = 'D' where id = $1`, [farm.id]);
    const d = ok(await scan({ code: batch.publicCode, scanId: unsampled('d-any') })).scanAtGate;
    expect([d.decision, d.producer.grade, d.reasons.map((r: { code: string }) => r.code)]).toEqual(['TEST_REQUIRED', 'D', ['SAMPLED_FOR_RAPID_TEST']]);
  });

  it('has a zh and en text for every rule', () => {
    expect(GATE_RULES.map((r) => r.code)).toEqual([
      'UNKNOWN_CODE', 'BATCH_RECALLED', 'BATCH_NON_CONFORMANT', 'BATCH_CONSUMED', 'UNIT_MISMATCH', 'CERTIFICATE_REVOKED', 'PRODUCER_SUSPENDED',
      'PRODUCER_REVOKED', 'CERTIFICATE_QUANTITY_EXCEEDED', 'BATCH_QUANTITY_EXCEEDED', 'NO_CERTIFICATE', 'SAMPLED_FOR_RAPID_TEST',
    ]);
    for (const r of GATE_RULES) expect([/[\u4e00-\u9fff]/.test(r.zh), /^[A-Z][a-z]/.test(r.en)]).toEqual([true, true]);
  });
});

describe('scanAtGate: exactly once', () => {
  it('returns the first answer byte for byte to a retry and writes nothing; another payload is a CONFLICT', async () => {
    const { batch } = await certified();
    const input = { code: batch.publicCode, declaredQuantity: 10, scanId: unsampled('retry') };
    const first = await rawScan(input);
    const before = await counts();
    const second = await rawScan(input);
    expect(second).toBe(first);
    expect(JSON.parse(first).data.scanAtGate.decision).toBe('ACCEPTED');
    expect(await counts()).toEqual(before);
    const res = await scan({ ...input, declaredQuantity: 11 });
    expect([res.data, res.errors?.map((e) => [e.extensions?.code, e.message])]).toEqual([null, [['CONFLICT', `scanId ${input.scanId} was already used for a different scan`]]]);
    expect(await counts()).toEqual(before);
  });

  it('sends a fixed number of statements for an accepted scan with a transfer, whatever was scanned before', async () => {
    const { batch } = await certified(100, { lotCode: 'BOK-7' });
    ok(await scan({ code: batch.publicCode, declaredQuantity: 5, scanId: unsampled('warm') }));
    const n = await t.countStatements(async () => ok(await scan({ code: batch.publicCode, declaredQuantity: 10, scanId: unsampled('counted') })));
    // token; the entry inserted with the vendor, the lot locked, its certificates and producer; the claim, the take, the
    // received lot, its link and the decision; the audit row
    expect(n).toBe(4);
    expect(lastStatements(6)).toEqual(['with found as ( select id, nam', 'begin', 'with vendor as (select status ', 'with claim as ( update origin_', 'commit', 'insert into audit_event (accou']);
    // and the transfer is whole: the lot's quantity taken, the received lot, its link and the stored answer name each other
    const [entry] = await t.sql(`select received_batch_id::text, response -> 'receivedBatch' as received from market_entry where decision = 'ACCEPTED' order by id desc limit 1`);
    const [child] = await t.sql(`select b.id::text, b.lot_code, b.public_code, l.parent_id::text from batch b join batch_link l on l.child_id = b.id where b.id = $1`, [entry.received_batch_id]);
    expect(entry.received).toEqual({ id: Number(child.id), publicCode: child.public_code, lotCode: 'BOK-7/T2', quantity: 10, unit: 'KG', ownerId: Number(vendor.id) });
    expect([child.lot_code, child.parent_id]).toEqual(['BOK-7/T2', batch.id]);
    expect(await t.sql(`select remaining::float from batch where id = $1`, [batch.id])).toEqual([{ remaining: 85 }]);
  });

  it('sends the same statements for a load sampled for a test, which claims its quantity without a transfer', async () => {
    const { batch } = await certified();
    const n = await t.countStatements(async () => expect(ok(await scan({ code: batch.publicCode, scanId: sampled('counted') })).scanAtGate.decision).toBe('TEST_REQUIRED'));
    expect(n).toBe(4);
    expect(lastStatements(6)).toEqual(['with found as ( select id, nam', 'begin', 'with vendor as (select status ', 'with claim as ( update origin_', 'commit', 'insert into audit_event (accou']);
  });

  it('answers a retry with the token lookup, the refused insert, one read and its audit row', async () => {
    const { batch } = await certified();
    const input = { code: batch.publicCode, declaredQuantity: 10, scanId: unsampled('cheap') };
    ok(await scan(input));
    const n = await t.countStatements(async () => ok(await scan(input)));
    expect(n).toBe(4);
    expect(lastStatements(6)).toEqual([
      'with found as ( select id, nam', 'begin', 'with vendor as (select status ', 'select request_hash, response ', 'commit', 'insert into audit_event (accou',
    ]);
  });

  it('redoes the decision when the claim on the certificate fails, and the failed statement wrote nothing', async () => {
    // a claim by another scan between the read and the claim, as the conditional claim must withstand: here made by a
    // trigger as the entry is inserted, after the statement that inserts it has read the certificate
    const { batch, certificate } = await certified(100, { lotCode: 'BOK-8' });
    await t.sql(`create function gate_test_claim_all() returns trigger language plpgsql as $$
      begin update origin_certificate set quantity_admitted = quantity where id = ${Number(certificate.id)}; return null; end $$`);
    await t.sql(`create trigger gate_test_claim_all after insert on market_entry for each row execute function gate_test_claim_all()`);
    let res;
    try {
      res = ok(await scan({ code: batch.publicCode, declaredQuantity: 10, scanId: unsampled('raced') })).scanAtGate;
    } finally {
      await t.sql(`drop trigger gate_test_claim_all on market_entry; drop function gate_test_claim_all()`);
    }
    expect([res.decision, res.reasons, res.receivedBatch, res.certificate.quantityAdmitted]).toEqual(['REJECTED', [text('CERTIFICATE_QUANTITY_EXCEEDED')], null, 0]);
    expect(await t.sql(`select quantity_admitted::float from origin_certificate`)).toEqual([{ quantity_admitted: 100 }]);
    expect(await t.sql(`select remaining::float, status from batch where id = $1`, [batch.id])).toEqual([{ remaining: 100, status: 'ACTIVE' }]);
    expect(await counts()).toMatchObject({ entries: 1, links: 0, batches: 1, events: 1 });
    expect(await t.sql(`select decision, received_batch_id, response -> 'decision' as answered from market_entry`)).toEqual([
      { decision: 'REJECTED', received_batch_id: null, answered: 'REJECTED' },
    ]);
    // the refused statement did not draw a serial either
    await t.sql(`update origin_certificate set quantity_admitted = 0`);
    const next = ok(await scan({ code: batch.publicCode, declaredQuantity: 10, scanId: unsampled('after') })).scanAtGate;
    expect([next.decision, next.receivedBatch.lotCode]).toEqual(['ACCEPTED', 'BOK-8/T1']);
  });

  it('hands the load over under the next free code when a lot registered by hand holds the serial it drew', async () => {
    const { batch } = await certified(100, { lotCode: 'BOK-9' });
    await makeBatch(t, f.admin, vendor.id, { lotCode: 'BOK-9/T1', quantity: 5 });
    const input = {
      code: batch.publicCode, declaredQuantity: 10, scanId: unsampled('taken'),
      handover: { documentType: 'INVOICE', documentNumber: 'FP-1', shipFrom: 'Farm shed', shipTo: 'Stall 3' },
    };
    const first = await rawScan(input);
    const res = JSON.parse(first).data.scanAtGate;
    const [child] = await t.sql(`select id::text, lot_code, quantity::float from batch where owner_id = $1 and lot_code = $2`, [vendor.id, 'BOK-9/T2']);
    expect([res.decision, res.receivedBatch]).toEqual(['ACCEPTED', { id: child.id, lotCode: 'BOK-9/T2', quantity: 10, unit: 'KG', ownerId: vendor.id }]);
    expect(await t.sql(`select kind, quantity::float, document_type, document_number, ship_from, ship_to from batch_link where child_id = $1`, [child.id])).toEqual([
      { kind: 'TRANSFER', quantity: 10, document_type: 'INVOICE', document_number: 'FP-1', ship_from: 'Farm shed', ship_to: 'Stall 3' },
    ]);
    expect(await t.sql(`select remaining::float from batch where id = $1`, [batch.id])).toEqual([{ remaining: 90 }]);
    expect(await t.sql(`select received_batch_id::text from market_entry`)).toEqual([{ received_batch_id: child.id }]);
    expect(await rawScan(input)).toBe(first);
  });

  it('100 parallel calls with one scanId: one entry, one transfer, identical responses', async () => {
    const { batch } = await certified();
    const input = { code: batch.publicCode, declaredQuantity: 10, scanId: unsampled('burst') };
    const bodies = await Promise.all(Array.from({ length: 100 }, () => rawScan(input)));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]).data.scanAtGate.decision).toBe('ACCEPTED');
    expect(await counts()).toMatchObject({ entries: 1, links: 1, batches: 2, events: 0 });
    expect(await t.sql(`select quantity_admitted::float from origin_certificate`)).toEqual([{ quantity_admitted: 10 }]);
  });

  it('100 parallel calls with one scanId that breaks a rule: one entry, one credit event, identical responses', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const input = { code: batch.publicCode, declaredQuantity: 10, scanId: 'no-cert-burst' };
    const bodies = await Promise.all(Array.from({ length: 100 }, () => rawScan(input)));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]).data.scanAtGate.reasons.map((r: { code: string }) => r.code)).toEqual(['NO_CERTIFICATE']);
    expect(await counts()).toMatchObject({ entries: 1, links: 0, events: 1 });
  });

  it('100 kg certificate, 30 parallel 10 kg scans: exactly 10 ACCEPTED, 20 REJECTED for quantity, nothing left', async () => {
    const { batch } = await certified(100);
    const scanIds = Array.from({ length: 30 }, (_, i) => unsampled(`p${i}`));
    const results = await Promise.all(scanIds.map((scanId) => scan({ code: batch.publicCode, scanId })));
    const answers = results.map((r) => ok(r).scanAtGate);
    const accepted = answers.filter((a) => a.decision === 'ACCEPTED');
    const rejected = answers.filter((a) => a.decision === 'REJECTED');
    expect([accepted.length, rejected.length]).toEqual([10, 20]);
    for (const a of rejected) expect(a.reasons).toEqual([text('CERTIFICATE_QUANTITY_EXCEEDED')]);
    expect(await t.sql(`select quantity::float, quantity_admitted::float from origin_certificate`)).toEqual([{ quantity: 100, quantity_admitted: 0 + 100 }]);
    expect(await t.sql(`select remaining::float, status from batch where id = $1`, [batch.id])).toEqual([{ remaining: 0, status: 'CONSUMED' }]);
    expect(await t.sql(`select count(*)::int as n, sum(quantity)::float as kg from batch_link where kind = 'TRANSFER'`)).toEqual([{ n: 10, kg: 100 }]);
    // the 20 refusals are one cause (one certificate, within the rule's window): charged once
    expect(await t.sql(`select rule_code, count(*)::int as n from credit_event group by rule_code`)).toEqual([{ rule_code: 'CERTIFICATE_QUANTITY_EXCEEDED', n: 1 }]);
  });
});

describe('scanAtGate: locks', () => {
  it('charges a producer while other loads of its lot arrive with the producer as vendor, without deadlock', async () => {
    const { batch } = await certified(10);
    ok(await scan({ code: batch.publicCode, scanId: unsampled('fill') }));
    // every further load exceeds the certificate and charges the farm, half of them declared by the farm itself
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      scan({ code: batch.publicCode, scanId: `mix-${i}`, vendorOperatorId: i % 2 ? farm.id : vendor.id })));
    expect(results.map((r) => r.errors ?? r.data.scanAtGate.reasons.map((x: { code: string }) => x.code))).toEqual(Array(20).fill(['CERTIFICATE_QUANTITY_EXCEEDED']));
    // one certificate, one window: one charge
    expect(await t.sql(`select count(*)::int as n from credit_event`)).toEqual([{ n: 1 }]);
  });
});

describe('scanAtGate: a cause is charged once', () => {
  const HOUR = 3600_000;

  /** What a refused scan of `hoursAgo` left behind: its entry and the charge it made. */
  async function chargedBefore(hoursAgo: number, batchId: string, certificateId: string | null, ruleCode: string) {
    const when = new Date(Date.now() - hoursAgo * HOUR);
    const [{ id: staffId }] = await t.sql(`select id from account where role = 'GATE_STAFF' order by id desc limit 1`);
    const [entry] = await t.sql(
      `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, certificate_id, vendor_id, declared_quantity, unit, decision, created_at)
       values ($1, $2, $3, repeat('0', 64), 'earlier', $4, $5, $6, 150, 'KG', 'REJECTED', $7) returning id`,
      [Number(market), staffId, `earlier-${hoursAgo}-${batchId}`, Number(batchId), certificateId && Number(certificateId), Number(vendor.id), when],
    );
    await t.orm.em.fork().transactional((em) => appendCreditEvent({ em }, {
      operatorId: Number(farm.id), ruleCode, reason: 'an earlier refusal', source: CreditSource.ENTRY, sourceRef: String(entry.id), occurredAt: when,
    }));
  }

  async function farmCredit() {
    const [r] = await t.sql(`select credit_score as score, credit_grade as grade from operator where id = $1`, [farm.id]);
    return r;
  }

  it('30 parallel scans of one certificate for more than it covers: 30 refusals, one CERTIFICATE_QUANTITY_EXCEEDED, the score down once', async () => {
    const batch = await makeBatch(t, f.admin, farm.id, { quantity: 200 });
    const certificate = await makeCertificate(t, farmToken, batch.id, { quantity: 100 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      scan({ code: certificate.number, declaredQuantity: 150, scanId: `over-${i}`, vendorOperatorId: i % 3 ? vendor.id : farm.id })));
    expect(results.map((r) => r.errors ?? ok(r).scanAtGate.reasons.map((x: { code: string }) => x.code))).toEqual(Array(30).fill(['CERTIFICATE_QUANTITY_EXCEEDED']));
    expect(await counts()).toMatchObject({ entries: 30, events: 1 });
    expect(await creditEvents()).toEqual([{ operator_id: farm.id, rule_code: 'CERTIFICATE_QUANTITY_EXCEEDED', points: -10, source: 'ENTRY', source_ref: expect.any(String) }]);
    expect(await farmCredit()).toEqual({ score: 90, grade: 'A' });
    // a later burst within the window is the same cause
    await Promise.all(Array.from({ length: 10 }, (_, i) => scan({ code: certificate.number, declaredQuantity: 150, scanId: `over-again-${i}` })));
    expect(await counts()).toMatchObject({ entries: 40, events: 1 });
    expect(await farmCredit()).toEqual({ score: 90, grade: 'A' });
  });

  it('30 parallel scans of a lot without a certificate: 30 sent to a test, one NO_CERTIFICATE', async () => {
    const batch = await makeBatch(t, f.admin, farm.id);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => scan({ code: batch.publicCode, declaredQuantity: 1, scanId: `bare-${i}` })));
    expect(results.map((r) => ok(r).scanAtGate.decision)).toEqual(Array(30).fill('TEST_REQUIRED'));
    expect((await creditEvents()).map((e) => e.rule_code)).toEqual(['NO_CERTIFICATE']);
    expect(await farmCredit()).toEqual({ score: 95, grade: 'A' });
  });

  it('charges again once the window has passed, not before, and keeps causes apart', async () => {
    const batch = await makeBatch(t, f.admin, farm.id, { quantity: 200 });
    const certificate = await makeCertificate(t, farmToken, batch.id, { quantity: 100 });
    const other = await makeBatch(t, f.admin, farm.id, { quantity: 200 });
    const otherCertificate = await makeCertificate(t, farmToken, other.id, { quantity: 100 });
    await chargedBefore(25, batch.id, certificate.id, 'CERTIFICATE_QUANTITY_EXCEEDED'); // the window (1 day) has passed
    await chargedBefore(23, other.id, otherCertificate.id, 'CERTIFICATE_QUANTITY_EXCEEDED'); // still within it
    expect(await farmCredit()).toEqual({ score: 80, grade: 'B' });

    await Promise.all(Array.from({ length: 30 }, (_, i) => scan({ code: certificate.number, declaredQuantity: 150, scanId: `second-${i}` })));
    await Promise.all(Array.from({ length: 10 }, (_, i) => scan({ code: otherCertificate.number, declaredQuantity: 150, scanId: `within-${i}` })));
    const rows = await t.sql(`select e.rule_code, me.certificate_id::text from credit_event e join market_entry me on me.id::text = e.source_ref order by e.id`);
    expect(rows).toEqual([
      { rule_code: 'CERTIFICATE_QUANTITY_EXCEEDED', certificate_id: certificate.id },
      { rule_code: 'CERTIFICATE_QUANTITY_EXCEEDED', certificate_id: otherCertificate.id },
      { rule_code: 'CERTIFICATE_QUANTITY_EXCEEDED', certificate_id: certificate.id },
    ]);
    expect(await farmCredit()).toEqual({ score: 70, grade: 'C' });
  });
});

describe('scanAtGate: a retried sampling decision never flips', () => {
  it('keeps ACCEPTED and TEST_REQUIRED on retry even after the producer grade changed the sampling rate', async () => {
    const { batch } = await certified();
    // drawn by grade B's 10 % but not by grade A's 2 %
    const betweens: string[] = [];
    for (let i = 0; betweens.length < 2; i++) if (!isSampled(`flip-${i}`, Grade.A, t.config.samplingSecret!) && isSampled(`flip-${i}`, Grade.B, t.config.samplingSecret!)) betweens.push(`flip-${i}`);
    const [between, laterBetween] = betweens;
    const drawnAtA = sampled('flipA');
    const accepted = await rawScan({ code: batch.publicCode, declaredQuantity: 1, scanId: between });
    const testRequired = await rawScan({ code: batch.publicCode, declaredQuantity: 1, scanId: drawnAtA });
    expect([JSON.parse(accepted).data.scanAtGate.decision, JSON.parse(testRequired).data.scanAtGate.decision]).toEqual(['ACCEPTED', 'TEST_REQUIRED']);

    const em = t.orm.em.fork();
    await em.transactional(async (tx) => {
      for (let i = 0; i < 2; i++) await appendCreditEvent({ em: tx }, { operatorId: Number(farm.id), ruleCode: 'CERTIFICATE_QUANTITY_EXCEEDED', reason: 'test', source: CreditSource.SYSTEM });
    });
    expect(await t.sql(`select credit_grade from operator where id = $1`, [farm.id])).toEqual([{ credit_grade: 'B' }]);

    for (let i = 0; i < 3; i++) {
      expect(await rawScan({ code: batch.publicCode, declaredQuantity: 1, scanId: between })).toBe(accepted);
      expect(await rawScan({ code: batch.publicCode, declaredQuantity: 1, scanId: drawnAtA })).toBe(testRequired);
    }
    // a new scan with such a draw is sampled now that the producer is at grade B
    const fresh = ok(await scan({ code: batch.publicCode, declaredQuantity: 1, scanId: laterBetween })).scanAtGate;
    expect([fresh.decision, fresh.producer.grade]).toEqual(['TEST_REQUIRED', 'B']);
  });
});

describe('scanAtGate: access and input', () => {
  it('is for gate staff of that market only', async () => {
    const { batch } = await certified();
    const other = (await makeMarket(t, f.admin)).id;
    const otherGate = await token(t, Role.GATE_STAFF, { marketId: other });
    const codes = async (tok: string | null) => (await scan({ code: batch.publicCode }, tok as string)).errors?.map((e) => e.extensions?.code);
    expect([await codes(otherGate), await codes(f.regulator), await codes(farmToken), await codes(null)]).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN'], ['UNAUTHENTICATED']]);
    expect((await counts()).entries).toBe(0);
  });

  it.each([
    [{ declaredQuantity: -1 }, 'declaredQuantity', 'declaredQuantity: must be a positive number'],
    [{ declaredQuantity: 1.0001 }, 'declaredQuantity', 'declaredQuantity: must have at most 3 decimal places'],
    [{ scanId: 'has space' }, 'scanId', 'scanId: must be 1 to 64 letters, digits or . _ : -'],
    [{ scanId: 'x'.repeat(65) }, 'scanId', 'scanId: must be 1 to 64 letters, digits or . _ : -'],
    [{ code: '   ' }, 'code', 'code: must not be empty'],
    [{ vendorOperatorId: '999' }, 'vendorOperatorId', 'vendorOperatorId: operator 999 does not exist'],
    [{ marketId: 'abc' }, 'marketId', 'marketId: is not a valid id'],
  ])('refuses %j with BAD_USER_INPUT naming the field and writes nothing', async (over, field, message) => {
    const { batch } = await certified();
    const res = await scan({ code: batch.publicCode, ...over });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.message])).toEqual([['BAD_USER_INPUT', field, message]]);
    expect(await counts()).toMatchObject({ entries: 0, events: 0, links: 0 });
  });

  it('refuses a suspended receiving vendor and writes nothing', async () => {
    const { batch } = await certified();
    await t.sql(`update operator set status = 'SUSPENDED' where id = $1`, [vendor.id]);
    const res = await scan({ code: batch.publicCode });
    expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', `vendorOperatorId: operator ${vendor.id} is SUSPENDED`]]);
    expect(await counts()).toMatchObject({ entries: 0, events: 0 });
  });
});
