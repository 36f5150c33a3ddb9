import { Role } from '../src/entities/enums';
import { eventUuid } from '../src/trace/epcis.service';
import { useTestApp } from './support/use-test-app';
import { read, scanId, validate } from './support/epcis';
import { makeBatch, makeCertificate, makeMarket, makeOperator, ok, token } from './support/factories';

const URL = 'http://foodtrace.test';
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { foodtrace: `${URL}/ns/epcis/` }];
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const { t, f } = useTestApp();

const LINEAGE = `query($id: ID!, $d: EpcisDirection!, $depth: Int, $nodes: Int) { epcisLineage(batchId: $id, direction: $d, maxDepth: $depth, maxNodes: $nodes) }`;
const SPLIT = `mutation($i: SplitBatchInput!) { splitBatch(input: $i) { id publicCode } }`;
const MERGE = `mutation($i: MergeBatchesInput!) { mergeBatches(input: $i) { id publicCode } }`;
const TRANSFER = `mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id publicCode } }`;
const PROCESS = `mutation($i: ProcessBatchesInput!) { processBatches(input: $i) { batch { id publicCode } } }`;
const SCAN = `mutation($i: GateScanInput!) { scanAtGate(input: $i) { entryId decision receivedBatch { id } } }`;
const RAPID = `mutation($i: RecordTestInput!) { recordRapidTest(input: $i) { inspection { id result } entry { decision } } }`;
const RECALL = `mutation($i: InitiateRecallInput!) { initiateRecall(input: $i) { batches } }`;

const iso = (d: Date) => new Date(d).toISOString();

/**
 * Milk from one dairy farm: lot M1 split in two, one part merged with lot M2, part of the mix handed to a dairy that
 * makes yoghurt (with a GTIN), the yoghurt admitted at a market gate, a second load held for a rapid test that
 * fails, and finally the mix recalled.
 */
async function buildLineage() {
  const farm = await makeOperator(t, f.admin, { name: 'Sunny Dairy Farm', kind: 'DAIRY_FARM' });
  const dairy = await makeOperator(t, f.admin, { name: 'Hill Dairy', kind: 'PROCESSOR' });
  const vendor = await makeOperator(t, f.admin, { name: 'Stall 7', kind: 'MARKET_VENDOR' });
  const market = (await makeMarket(t, f.admin, 'East Market')).id;
  const gate = await token(t, Role.GATE_STAFF, { marketId: market });
  const dairyToken = await token(t, Role.OPERATOR, { operatorId: dairy.id });
  const milk = { productName: 'Raw milk', category: 'DAIRY', unit: 'L', originPlace: 'Qingshan' };
  const m1 = await makeBatch(t, f.admin, farm.id, { ...milk, lotCode: 'M1', quantity: 120, producedAt: '2026-11-20T22:00:00.000Z' });
  const m2 = await makeBatch(t, f.admin, farm.id, { ...milk, lotCode: 'M2', quantity: 80, producedAt: '2026-11-20T23:00:00.000Z' });
  const [s1, s2] = ok(await t.gql(SPLIT, { i: { batchId: m1.id, parts: [{ quantity: 50, lotCode: 'M1-A' }, { quantity: 70, lotCode: 'M1-B' }] } }, f.admin)).splitBatch;
  const mix = ok(await t.gql(MERGE, { i: { inputs: [{ batchId: s2.id }, { batchId: m2.id }], lotCode: 'MIX' } }, f.admin)).mergeBatches;
  const atDairy = ok(await t.gql(TRANSFER, { i: { batchId: mix.id, toOperatorId: dairy.id, quantity: 100 } }, f.admin)).transferBatch;
  const yoghurt = ok(await t.gql(PROCESS, {
    i: { inputs: [{ batchId: atDairy.id, quantity: 100 }], productName: 'Yoghurt', category: 'DAIRY', quantity: 200, unit: 'BOTTLE', lotCode: 'YG-1', gtin: '6901234567892' },
  }, dairyToken)).processBatches.batch;
  await makeCertificate(t, dairyToken, yoghurt.id);
  const gateIn = { code: yoghurt.publicCode, marketId: market, vendorOperatorId: vendor.id, unit: 'BOTTLE' };
  const accepted = ok(await t.gql(SCAN, { i: { ...gateIn, declaredQuantity: 60, scanId: scanId('in', false, t.config.samplingSecret!) } }, gate)).scanAtGate;
  const held = ok(await t.gql(SCAN, { i: { ...gateIn, declaredQuantity: 50, scanId: scanId('held', true, t.config.samplingSecret!) } }, gate)).scanAtGate;
  const tested = ok(await t.gql(RAPID, {
    i: { entryId: held.entryId, items: [{ item: 'organophosphate and carbamate', value: 62.5, unit: '%', result: 'FAIL' }], tester: 'Zhao' },
  }, gate)).recordRapidTest;
  ok(await t.gql(RECALL, { i: { batchId: mix.id, reason: 'Aflatoxin M1 above the limit' } }, f.regulator));
  expect([accepted.decision, held.decision, tested.entry.decision]).toEqual(['ACCEPTED', 'TEST_REQUIRED', 'REJECTED']);

  const owners = Object.fromEntries(
    (await t.sql('select id::text, public_code from operator where id = any($1::int[])', [[farm.id, dairy.id, vendor.id]])).map((r) => [r.id, `${URL}/o/${r.public_code}`]),
  );
  const lot = (b: { publicCode: string }) => `${URL}/t/${b.publicCode}`;
  const stall = { id: String(accepted.receivedBatch.id) };
  const [stallLot] = await t.sql('select public_code as "publicCode", lot_code from batch where id = $1', [stall.id]);
  const time = async (sql: string, params: unknown[]) => iso((await t.sql(sql, params))[0].at);
  const linkAt = (child: string) => time('select min(created_at) as at from batch_link where child_id = $1', [child]);
  const entryAt = (id: string) => time('select coalesce(decided_at, created_at) as at from market_entry where id = $1', [id]);
  return {
    farm: owners[farm.id], dairy: owners[dairy.id], vendor: owners[vendor.id], market: `${URL}/m/${market}/board`,
    m1, m2, s1, s2, mix, atDairy, yoghurt, stall, stallLotCode: stallLot.lot_code as string,
    lots: { m1: lot(m1), m2: lot(m2), s1: lot(s1), s2: lot(s2), mix: lot(mix), atDairy: lot(atDairy), yoghurt: `${URL}/01/06901234567892/10/YG-1`, stall: `${URL}/01/06901234567892/10/YG-1%2FT1` },
    ids: { accepted: String(accepted.entryId), held: String(held.entryId), inspection: String(tested.inspection.id), recall: (await t.sql('select id::text from recall'))[0].id as string },
    times: {
      split: await linkAt(s1.id), merge: await linkAt(mix.id), transfer: await linkAt(atDairy.id), process: await linkAt(yoghurt.id),
      accepted: await entryAt(String(accepted.entryId)), rejected: await entryAt(String(held.entryId)),
      inspection: await time('select inspected_at as at from inspection', []), recall: await time('select created_at as at from recall', []),
    },
  };
}

type Lineage = Awaited<ReturnType<typeof buildLineage>>;
const Q = (epcClass: string, quantity: number, uom: string) => ({ epcClass, quantity, uom });
const TZ = { eventTimeZoneOffset: '+08:00' };

/** Every event the lineage can produce, keyed by what it tells; eventID is checked apart. */
function expectedEvents(l: Lineage) {
  const ilmd = (lotNumber: string, productName: string, producedAt: string, code: string, originPlace = 'Qingshan') => ({
    'cbvmda:lotNumber': lotNumber, 'foodtrace:productName': productName, 'foodtrace:category': 'DAIRY', 'foodtrace:originPlace': originPlace,
    'foodtrace:producedAt': producedAt, 'foodtrace:trace': `${URL}/t/${code}`,
  });
  const atMarket = { readPoint: { id: l.market }, bizLocation: { id: l.market } };
  const recall = (epcClass: string, quantity: number, uom: string) => ({
    type: 'ObjectEvent', eventTime: l.times.recall, ...TZ, quantityList: [Q(epcClass, quantity, uom)], action: 'OBSERVE', bizStep: 'holding', disposition: 'recalled',
    'foodtrace:recallSource': l.lots.mix, 'foodtrace:recallReason': 'Aflatoxin M1 above the limit',
  });
  const transfer = (at: string, from: string, to: string, given: [string, number, string], made: [string, number, string], lotData: object, where: object, hop: string) => {
    const parties = { sourceList: [{ type: 'owning_party', source: from }], destinationList: [{ type: 'owning_party', destination: to }] };
    const bizTransactionList = [{ bizTransaction: `${URL}/transfers/${eventUuid(URL, `transfer:${hop}`).slice(9)}` }];
    return [
      { type: 'ObjectEvent', eventTime: at, ...TZ, quantityList: [Q(...given)], action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', ...where, bizTransactionList, ...parties },
      { type: 'ObjectEvent', eventTime: at, ...TZ, quantityList: [Q(...made)], action: 'ADD', bizStep: 'receiving', disposition: 'in_progress', ...where, bizTransactionList, ...parties, ilmd: lotData },
    ];
  };
  return {
    commissionM1: {
      type: 'ObjectEvent', eventTime: '2026-11-20T22:00:00.000Z', ...TZ, quantityList: [Q(l.lots.m1, 120, 'LTR')], action: 'ADD', bizStep: 'commissioning', disposition: 'active',
      ilmd: ilmd('M1', 'Raw milk', '2026-11-20T22:00:00.000Z', l.m1.publicCode), 'foodtrace:owner': l.farm,
    },
    commissionM2: {
      type: 'ObjectEvent', eventTime: '2026-11-20T23:00:00.000Z', ...TZ, quantityList: [Q(l.lots.m2, 80, 'LTR')], action: 'ADD', bizStep: 'commissioning', disposition: 'active',
      ilmd: ilmd('M2', 'Raw milk', '2026-11-20T23:00:00.000Z', l.m2.publicCode), 'foodtrace:owner': l.farm,
    },
    split: {
      type: 'TransformationEvent', eventTime: l.times.split, ...TZ, inputQuantityList: [Q(l.lots.m1, 120, 'LTR')], outputQuantityList: [Q(l.lots.s1, 50, 'LTR'), Q(l.lots.s2, 70, 'LTR')],
      bizStep: 'repackaging', disposition: 'active', 'foodtrace:owner': l.farm, 'foodtrace:linkKind': 'SPLIT',
    },
    merge: {
      type: 'TransformationEvent', eventTime: l.times.merge, ...TZ, inputQuantityList: [Q(l.lots.s2, 70, 'LTR'), Q(l.lots.m2, 80, 'LTR')], outputQuantityList: [Q(l.lots.mix, 150, 'LTR')],
      bizStep: 'repackaging', disposition: 'active', ilmd: ilmd('MIX', 'Raw milk', '2026-11-20T22:00:00.000Z', l.mix.publicCode), 'foodtrace:owner': l.farm, 'foodtrace:linkKind': 'MERGE',
    },
    toDairy: (hop: string) => transfer(l.times.transfer, l.farm, l.dairy, [l.lots.mix, 100, 'LTR'], [l.lots.atDairy, 100, 'LTR'], ilmd('MIX/T1', 'Raw milk', '2026-11-20T22:00:00.000Z', l.atDairy.publicCode), {}, hop),
    process: (producedAt: string) => ({
      type: 'TransformationEvent', eventTime: l.times.process, ...TZ, inputQuantityList: [Q(l.lots.atDairy, 100, 'LTR')], outputQuantityList: [Q(l.lots.yoghurt, 200, 'XBO')],
      bizStep: 'commissioning', disposition: 'active', ilmd: ilmd('YG-1', 'Yoghurt', producedAt, l.yoghurt.publicCode, 'Qingshan'), 'foodtrace:owner': l.dairy, 'foodtrace:linkKind': 'PROCESS',
    }),
    toStall: (hop: string, producedAt: string, code: string) =>
      transfer(l.times.accepted, l.dairy, l.vendor, [l.lots.yoghurt, 60, 'XBO'], [l.lots.stall, 60, 'XBO'], ilmd('YG-1/T1', 'Yoghurt', producedAt, code), atMarket, hop),
    accepted: {
      type: 'ObjectEvent', eventTime: l.times.accepted, ...TZ, quantityList: [Q(l.lots.yoghurt, 60, 'XBO')], action: 'OBSERVE', bizStep: 'accepting', disposition: 'sellable_accessible',
      ...atMarket, 'foodtrace:gateDecision': 'ACCEPTED',
    },
    inspection: {
      type: 'ObjectEvent', eventTime: l.times.inspection, ...TZ, quantityList: [{ epcClass: l.lots.yoghurt }], action: 'OBSERVE', bizStep: 'inspecting', disposition: 'non_conformant',
      ...atMarket, 'foodtrace:testKind': 'RAPID', 'foodtrace:testItems': [{ item: 'organophosphate and carbamate', value: 62.5, unit: '%', result: 'FAIL' }],
    },
    rejected: {
      type: 'ObjectEvent', eventTime: l.times.rejected, ...TZ, quantityList: [Q(l.lots.yoghurt, 50, 'XBO')], action: 'OBSERVE', bizStep: 'accepting', disposition: 'non_conformant',
      ...atMarket, 'foodtrace:gateDecision': 'REJECTED',
    },
    recallMix: recall(l.lots.mix, 150, 'LTR'),
    recallAtDairy: recall(l.lots.atDairy, 100, 'LTR'),
    recallYoghurt: recall(l.lots.yoghurt, 200, 'XBO'),
    recallStall: recall(l.lots.stall, 60, 'XBO'),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const withoutIds = (doc: any) => doc.epcisBody.eventList.map(({ eventID: _id, ...e }: Record<string, unknown>) => e);

async function lineage(batchId: string, direction: string, tok = f.regulator, extra: Record<string, unknown> = {}) {
  return t.gql(LINEAGE, { id: batchId, d: direction, ...extra }, tok);
}

describe('the official EPCIS 2.0 schema as this test uses it', () => {
  it('accepts the official examples and refuses an event without its time zone offset', () => {
    expect(['example-ObjectEvent.jsonld', 'example-TransformationEvent.jsonld'].map((n) => [n, validate(read(n))])).toEqual([
      ['example-ObjectEvent.jsonld', true],
      ['example-TransformationEvent.jsonld', true],
    ]);
    const broken = read('example-ObjectEvent.jsonld');
    delete broken.epcisBody.eventList[1].eventTimeZoneOffset;
    expect(validate(broken)).toBe(false);
  });
});

describe('epcisLineage', () => {
  it('exports both directions of a yoghurt lot as a valid EPCIS document with every event in order', async () => {
    const l = await buildLineage();
    const doc = ok(await lineage(l.yoghurt.id, 'BOTH')).epcisLineage;
    expect([validate(doc), validate.errors ?? null]).toEqual([true, null]);

    const [{ produced_at: yoghurtMade }] = await t.sql('select produced_at from batch where id = $1', [l.yoghurt.id]);
    const links = await t.sql(`select parent_id || '>' || child_id as id from batch_link where kind = $1 order by batch_link.id`, ['TRANSFER']);
    const e = expectedEvents(l);
    const { creationDate, epcisBody: _body, ...head } = doc;
    expect(Date.now() - Date.parse(creationDate)).toBeLessThan(60_000);
    expect(head).toEqual({
      '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0',
      'foodtrace:direction': 'BOTH', 'foodtrace:batch': l.lots.yoghurt, 'foodtrace:maxDepth': 50, 'foodtrace:maxNodes': 1000, 'foodtrace:truncated': false,
    });
    expect(withoutIds(doc)).toEqual([
      e.commissionM1,
      e.commissionM2,
      e.split,
      e.merge,
      ...e.toDairy(links[0].id),
      e.process(iso(yoghurtMade)),
      ...e.toStall(links[1].id, iso(yoghurtMade), (await t.sql('select public_code from batch where id = $1', [l.stall.id]))[0].public_code),
      e.accepted,
      e.inspection,
      e.rejected,
      e.recallMix,
      e.recallAtDairy,
      e.recallYoghurt,
      e.recallStall,
    ]);

    // event ids name the fact, not the export: the same in a second export and in a forward export from the mix
    const ids = doc.epcisBody.eventList.map((x: { eventID: string }) => x.eventID);
    expect(ids.every((id: string) => UUID.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(16);
    expect(ids[0]).toBe(eventUuid(URL, `commissioning:${l.m1.id}`));
    const again = ok(await lineage(l.yoghurt.id, 'BOTH')).epcisLineage;
    expect(again.epcisBody.eventList.map((x: { eventID: string }) => x.eventID)).toEqual(ids);
    // no contact data, person or database id of a batch leaks into the export
    expect(JSON.stringify(doc)).not.toMatch(/13800000000|Wang|Zhao|\/batches\//);
  });

  it('exports backward and forward lineages: only the walked lots, each made once, the split told whole', async () => {
    const l = await buildLineage();
    const e = expectedEvents(l);
    const [{ produced_at: yoghurtMade }] = await t.sql('select produced_at from batch where id = $1', [l.yoghurt.id]);
    const links = await t.sql(`select parent_id || '>' || child_id as id from batch_link where kind = $1 order by batch_link.id`, ['TRANSFER']);
    const [{ public_code: stallCode }] = await t.sql('select public_code from batch where id = $1', [l.stall.id]);

    const backward = ok(await lineage(l.atDairy.id, 'BACKWARD')).epcisLineage;
    expect(validate(backward)).toBe(true);
    expect(backward['foodtrace:batch']).toBe(l.lots.atDairy);
    expect(withoutIds(backward)).toEqual([e.commissionM1, e.commissionM2, e.split, e.merge, ...e.toDairy(links[0].id), e.recallMix, e.recallAtDairy]);

    // forward from the mix: the merge that made it names its inputs, though they lie upstream
    const forward = ok(await lineage(l.mix.id, 'FORWARD')).epcisLineage;
    expect(validate(forward)).toBe(true);
    expect(withoutIds(forward)).toEqual([
      e.merge, ...e.toDairy(links[0].id), e.process(iso(yoghurtMade)), ...e.toStall(links[1].id, iso(yoghurtMade), stallCode),
      e.accepted, e.inspection, e.rejected, e.recallMix, e.recallAtDairy, e.recallYoghurt, e.recallStall,
    ]);
  });

  it('says when the bounds cut the lineage', async () => {
    const l = await buildLineage();
    const doc = ok(await lineage(l.yoghurt.id, 'BACKWARD', f.regulator, { depth: 1 })).epcisLineage;
    expect(validate(doc)).toBe(true);
    expect([doc['foodtrace:truncated'], doc['foodtrace:maxDepth']]).toEqual([true, 1]);
    const e = expectedEvents(l);
    const links = await t.sql(`select parent_id || '>' || child_id as id from batch_link where kind = $1 order by batch_link.id`, ['TRANSFER']);
    const [{ produced_at: yoghurtMade }] = await t.sql('select produced_at from batch where id = $1', [l.yoghurt.id]);
    expect(withoutIds(doc)).toEqual([
      ...e.toDairy(links[0].id), e.process(iso(yoghurtMade)), e.accepted, e.inspection, e.rejected, e.recallAtDairy, e.recallYoghurt,
    ]);
  });

  it('holds a load waiting for its rapid test, and after a passing test shows it conformant, handed over and accepted', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Green Farm' });
    const vendor = await makeOperator(t, f.admin, { kind: 'MARKET_VENDOR' });
    const market = (await makeMarket(t, f.admin)).id;
    const gate = await token(t, Role.GATE_STAFF, { marketId: market });
    const farmToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const cabbage = await makeBatch(t, f.admin, farm.id, { productName: 'Cabbage', lotCode: 'C-1', quantity: 40, producedAt: '2026-11-25T00:00:00.000Z' });
    await makeCertificate(t, farmToken, cabbage.id);
    const held = ok(await t.gql(SCAN, { i: { code: cabbage.publicCode, marketId: market, vendorOperatorId: vendor.id, unit: 'KG', declaredQuantity: 25, scanId: scanId('c', true, t.config.samplingSecret!) } }, gate)).scanAtGate;
    expect(held.decision).toBe('TEST_REQUIRED');
    const atMarket = { readPoint: { id: `${URL}/m/${market}/board` }, bizLocation: { id: `${URL}/m/${market}/board` } };
    const cabbageLot = `${URL}/t/${cabbage.publicCode}`;
    const [{ at: scannedAt }] = await t.sql('select created_at as at from market_entry');

    const waiting = ok(await lineage(cabbage.id, 'FORWARD')).epcisLineage;
    expect(validate(waiting)).toBe(true);
    expect(withoutIds(waiting).map((e: Record<string, unknown>) => [e.bizStep, e.disposition])).toEqual([['commissioning', 'active'], ['holding', 'sellable_not_accessible']]);
    expect(withoutIds(waiting)[1]).toEqual({
      type: 'ObjectEvent', eventTime: iso(scannedAt), ...TZ, quantityList: [Q(cabbageLot, 25, 'KGM')], action: 'OBSERVE', bizStep: 'holding', disposition: 'sellable_not_accessible',
      ...atMarket, 'foodtrace:gateDecision': 'TEST_REQUIRED',
    });

    const passed = ok(await t.gql(RAPID, { i: { entryId: held.entryId, items: [{ item: 'organophosphate and carbamate', value: 12, unit: '%', result: 'PASS' }], tester: 'Zhao' } }, gate)).recordRapidTest;
    expect(passed.entry.decision).toBe('ACCEPTED');
    const decided = ok(await lineage(cabbage.id, 'FORWARD')).epcisLineage;
    expect(validate(decided)).toBe(true);
    const [{ at: decidedAt }] = await t.sql('select decided_at as at from market_entry');
    const [{ public_code: stallCode }] = await t.sql(`select public_code from batch where lot_code = 'C-1/T1'`);
    expect(withoutIds(decided).slice(1).map((e: Record<string, unknown>) => [e.eventTime, e.bizStep, e.disposition, JSON.stringify(e.quantityList)])).toEqual([
      [iso(decidedAt), 'inspecting', 'conformant', JSON.stringify([{ epcClass: cabbageLot }])],
      [iso(decidedAt), 'shipping', 'in_transit', JSON.stringify([Q(cabbageLot, 25, 'KGM')])],
      [iso(decidedAt), 'receiving', 'in_progress', JSON.stringify([Q(`${URL}/t/${stallCode}`, 25, 'KGM')])],
      [iso(decidedAt), 'accepting', 'sellable_accessible', JSON.stringify([Q(cabbageLot, 25, 'KGM')])],
    ]);
    // the decided entry is a new fact with its own id; the commissioning keeps its id
    const idsOf = (doc: { epcisBody: { eventList: { eventID: string }[] } }) => doc.epcisBody.eventList.map((e) => e.eventID);
    expect(idsOf(decided)[0]).toBe(idsOf(waiting)[0]);
    expect(idsOf(decided)).not.toContain(idsOf(waiting)[1]);
  });

  it('names a lot by its GS1 Digital Link only where that link resolves to it and the lot fits AI (10)', async () => {
    const farm = await makeOperator(t, f.admin);
    const [a, b] = [await makeOperator(t, f.admin, { kind: 'WHOLESALER' }), await makeOperator(t, f.admin, { kind: 'WHOLESALER' })];
    const gtin = { gtin: '6901234567892' };
    const root = await makeBatch(t, f.admin, farm.id, { ...gtin, lotCode: 'G-1' });
    const toA = ok(await t.gql(TRANSFER, { i: { batchId: root.id, toOperatorId: a.id, quantity: 10 } }, f.admin)).transferBatch;
    const toB = ok(await t.gql(TRANSFER, { i: { batchId: root.id, toOperatorId: b.id, quantity: 10 } }, f.admin)).transferBatch;
    const han = await makeBatch(t, f.admin, farm.id, { ...gtin, lotCode: '青山-1' });
    const long = await makeBatch(t, f.admin, farm.id, { ...gtin, lotCode: 'L'.repeat(21) });
    const plain = await makeBatch(t, f.admin, farm.id, { lotCode: 'P-1' });
    expect((await t.sql('select lot_code from batch where id = any($1::int[]) order by id', [[toA.id, toB.id]])).map((r) => r.lot_code)).toEqual(['G-1/T1', 'G-1/T1']);

    const classes = async (id: string) => {
      const doc = ok(await lineage(id, 'FORWARD')).epcisLineage;
      expect(validate(doc)).toBe(true);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return doc.epcisBody.eventList.map((e: any) => `${e.bizStep} ${e.quantityList[0].epcClass}`);
    };
    expect(await classes(root.id)).toEqual([
      `commissioning ${URL}/01/06901234567892/10/G-1`,
      `shipping ${URL}/01/06901234567892/10/G-1`,
      `receiving ${URL}/01/06901234567892/10/G-1%2FT1`,
      `shipping ${URL}/01/06901234567892/10/G-1`,
      // B's lot has the same GTIN and lot as A's older one, which is where the Digital Link resolves
      `receiving ${URL}/t/${toB.publicCode}`,
    ]);
    expect([await classes(han.id), await classes(long.id), await classes(plain.id)]).toEqual([
      [`commissioning ${URL}/t/${han.publicCode}`], [`commissioning ${URL}/t/${long.publicCode}`], [`commissioning ${URL}/t/${plain.publicCode}`],
    ]);
  });

  it('costs the same statements for a long chain as for a short one', async () => {
    const farm = await makeOperator(t, f.admin);
    const root = await makeBatch(t, f.admin, farm.id, { quantity: 100 });
    let tip = root.id;
    const cost = async () => t.countStatements(async () => ok(await lineage(tip, 'BOTH')));
    const short = await cost();
    for (let i = 0; i < 15; i++) tip = ok(await t.gql(SPLIT, { i: { batchId: tip, parts: [{ quantity: 1 }] } }, f.admin)).splitBatch[0].id;
    const doc = ok(await lineage(tip, 'BOTH')).epcisLineage;
    expect(doc.epcisBody.eventList.map((x: { type: string; bizStep: string }) => `${x.type} ${x.bizStep}`)).toEqual([
      'ObjectEvent commissioning', ...Array(15).fill('TransformationEvent repackaging'),
    ]);
    // the account, the upstream walk, the downstream walk, links with lots and recalls, tests and gate entries
    expect([short, await cost()]).toEqual([5, 5]);
  });

  it('is for regulators and admins only, and refuses bad input naming the field', async () => {
    const farm = await makeOperator(t, f.admin);
    const batch = await makeBatch(t, f.admin, farm.id);
    const market = (await makeMarket(t, f.admin)).id;
    const codes = async (tok: string | null) => (await lineage(batch.id, 'BOTH', tok as string)).errors?.map((x) => x.extensions?.code) ?? 'ok';
    const [operator, gate] = [await token(t, Role.OPERATOR, { operatorId: farm.id }), await token(t, Role.GATE_STAFF, { marketId: market })];
    expect([await codes(null), await codes(operator), await codes(gate), await codes(f.regulator), await codes(f.admin)]).toEqual([
      ['UNAUTHENTICATED'], ['FORBIDDEN'], ['FORBIDDEN'], 'ok', 'ok',
    ]);
    const refused = async (id: string, extra: Record<string, unknown> = {}) =>
      (await lineage(id, 'BOTH', f.regulator, extra)).errors?.map((x) => [x.extensions?.code, x.extensions?.field ?? null, x.message]);
    expect(await refused('abc')).toEqual([['BAD_USER_INPUT', 'batchId', 'batchId: is not a valid id']]);
    expect(await refused(batch.id, { depth: 0 })).toEqual([['BAD_USER_INPUT', 'maxDepth', 'maxDepth: must be between 1 and 500']]);
    expect(await refused(batch.id, { nodes: 10001 })).toEqual([['BAD_USER_INPUT', 'maxNodes', 'maxNodes: must be between 1 and 10000']]);
    expect(await refused('999999')).toEqual([['NOT_FOUND', null, 'Batch 999999 not found']]);
  });
});

describe('GET /epcis/batches/:id.jsonld', () => {
  const get = (url: string, tok?: string | null) =>
    t.app.fastify.inject({ method: 'GET', url, headers: tok ? { authorization: `Bearer ${tok}` } : {} });

  it('answers the same document as GraphQL, as application/ld+json', async () => {
    const l = await buildLineage();
    const res = await get(`/epcis/batches/${l.mix.id}.jsonld?direction=forward`, f.regulator);
    expect([res.statusCode, res.headers['content-type'], res.headers['cache-control']]).toEqual([200, 'application/ld+json; charset=utf-8', 'no-store']);
    const doc = res.json();
    expect(validate(doc)).toBe(true);
    const viaGraphql = ok(await lineage(l.mix.id, 'FORWARD')).epcisLineage;
    expect({ ...doc, creationDate: null }).toEqual({ ...viaGraphql, creationDate: null });
    const both = (await get(`/epcis/batches/${l.mix.id}.jsonld`, f.admin)).json();
    expect([both['foodtrace:direction'], both.epcisBody.eventList.length]).toEqual(['BOTH', 16]);
  });

  it('refuses without a regulator or admin token and names the bad parameter', async () => {
    const farm = await makeOperator(t, f.admin);
    const batch = await makeBatch(t, f.admin, farm.id);
    const operator = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const answer = async (url: string, tok?: string | null) => {
      const res = await get(url, tok);
      return [res.statusCode, res.json().error];
    };
    const path = `/epcis/batches/${batch.id}.jsonld`;
    expect(await answer(path)).toEqual([401, { code: 'UNAUTHENTICATED', message: 'A valid bearer token is required' }]);
    expect(await answer(path, `ft_${'x'.repeat(43)}`)).toEqual([401, { code: 'UNAUTHENTICATED', message: 'A valid bearer token is required' }]);
    expect(await answer(path, operator)).toEqual([403, { code: 'FORBIDDEN', message: 'Requires role ADMIN or REGULATOR' }]);
    expect(await answer(`${path}?direction=sideways`, f.regulator)).toEqual([400, { code: 'BAD_USER_INPUT', field: 'direction', message: 'direction: must be backward, forward or both' }]);
    expect(await answer(`${path}?maxDepth=0`, f.regulator)).toEqual([400, { code: 'BAD_USER_INPUT', field: 'maxDepth', message: 'maxDepth: must be between 1 and 500' }]);
    expect(await answer(`${path}?depth=3`, f.regulator)).toEqual([400, { code: 'BAD_USER_INPUT', field: 'depth', message: 'depth: is not a parameter (use direction, maxDepth, maxNodes)' }]);
    expect(await answer(`/epcis/batches/${batch.id}.json`, f.regulator)).toEqual([400, { code: 'BAD_USER_INPUT', field: 'id', message: 'id: the path must be /epcis/batches/{id}.jsonld' }]);
    expect(await answer('/epcis/batches/0.jsonld', f.regulator)).toEqual([400, { code: 'BAD_USER_INPUT', field: 'id', message: 'id: is not a valid id' }]);
    expect(await answer('/epcis/batches/424242.jsonld', f.regulator)).toEqual([404, { code: 'NOT_FOUND', message: 'Batch 424242 not found' }]);
  });
});
