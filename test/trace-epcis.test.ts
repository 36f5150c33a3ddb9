import { Role } from '../src/entities/enums';
import { eventUuid } from '../src/trace/epcis.service';
import { useTestApp } from './support/use-test-app';
import { scanId, validate } from './support/epcis';
import { makeBatch, makeCertificate, makeMarket, makeOperator, ok, token } from './support/factories';

const URL = 'http://foodtrace.test';
const TZ = { eventTimeZoneOffset: '+08:00' };
const Q = (epcClass: string, quantity: number, uom: string) => ({ epcClass, quantity, uom });
const iso = (d: Date | string) => new Date(d).toISOString();

const { t, f } = useTestApp();

const EPCIS = `query($c: String!) { epcisDocument(code: $c) }`;
const LINEAGE = `query($id: ID!) { epcisLineage(batchId: $id, direction: BACKWARD) }`;
const SPLIT = `mutation($i: SplitBatchInput!) { splitBatch(input: $i) { id publicCode } }`;
const TRANSFER = `mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id publicCode } }`;
const SCAN = `mutation($i: GateScanInput!) { scanAtGate(input: $i) { entryId decision receivedBatch { id publicCode } } }`;
const RAPID = `mutation($i: RecordTestInput!) { recordRapidTest(input: $i) { entry { decision } } }`;
const RECALL = `mutation($i: InitiateRecallInput!) { initiateRecall(input: $i) { batches } }`;

/**
 * Apples split in two parts; part 1 admitted at a gate to Stall 9, and a second load of it held for a rapid test
 * that fails; part 2 handed to another wholesaler; part 1 recalled. The consumer's lot is Stall 9's.
 */
async function buildChain() {
  const farm = await makeOperator(t, f.admin, { name: 'Orchard' });
  const vendor = await makeOperator(t, f.admin, { name: 'Stall 9', kind: 'MARKET_VENDOR' });
  const other = await makeOperator(t, f.admin, { name: 'Stall 10', kind: 'MARKET_VENDOR' });
  const wholesaler = await makeOperator(t, f.admin, { name: 'Big Wholesale', kind: 'WHOLESALER' });
  const market = (await makeMarket(t, f.admin, 'East Market')).id;
  const gate = await token(t, Role.GATE_STAFF, { marketId: market });
  const farmToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
  const apples = await makeBatch(t, f.admin, farm.id, {
    productName: 'Apples', category: 'FRUIT', lotCode: 'AP-1', gtin: '6901234567892', quantity: 200, producedAt: '2026-11-20T01:00:00.000Z',
  });
  const [part1, part2] = ok(await t.gql(SPLIT, { i: { batchId: apples.id, parts: [{ quantity: 80 }, { quantity: 50 }] } }, f.admin)).splitBatch;
  await makeCertificate(t, farmToken, part1.id);
  const load = { code: part1.publicCode, marketId: market, unit: 'KG' };
  const accepted = ok(await t.gql(SCAN, { i: { ...load, vendorOperatorId: vendor.id, declaredQuantity: 30, scanId: scanId('in', false, t.config.samplingSecret!) } }, gate)).scanAtGate;
  const held = ok(await t.gql(SCAN, { i: { ...load, vendorOperatorId: other.id, declaredQuantity: 20, scanId: scanId('held', true, t.config.samplingSecret!) } }, gate)).scanAtGate;
  const tested = ok(await t.gql(RAPID, {
    i: { entryId: held.entryId, items: [{ item: 'organophosphate inhibition', value: 61, unit: '%', result: 'FAIL' }], tester: 'Zhao' },
  }, gate)).recordRapidTest;
  const elsewhere = ok(await t.gql(TRANSFER, { i: { batchId: part2.id, toOperatorId: wholesaler.id, quantity: 50 } }, f.admin)).transferBatch;
  ok(await t.gql(RECALL, { i: { batchId: part1.id, reason: 'Rapid test failed' } }, f.regulator));
  expect([accepted.decision, held.decision, tested.entry.decision]).toEqual(['ACCEPTED', 'TEST_REQUIRED', 'REJECTED']);

  const [orchard, stall9] = (await t.sql('select public_code from operator where id = any($1::int[]) order by id', [[farm.id, vendor.id]])).map(
    (r) => `${URL}/o/${r.public_code}`,
  );
  const at = async (sql: string, params: unknown[] = []) => iso((await t.sql(sql, params))[0].at);
  return {
    apples, part1, part2, elsewhere, stall: accepted.receivedBatch as { id: string; publicCode: string }, orchard, stall9,
    board: `${URL}/m/${market}/board`,
    times: {
      split: await at('select created_at as at from batch_link where child_id = $1', [part1.id]),
      accepted: await at('select coalesce(decided_at, created_at) as at from market_entry where id = $1', [accepted.entryId]),
      rejected: await at('select coalesce(decided_at, created_at) as at from market_entry where id = $1', [held.entryId]),
      inspection: await at('select inspected_at as at from inspection'),
      recall: await at('select created_at as at from recall'),
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const withoutIds = (doc: any) => doc.epcisBody.eventList.map(({ eventID: _id, ...e }: Record<string, unknown>) => e);

describe('epcisDocument(code)', () => {
  it("exports the upstream lineage of a consumer's lot under the public bounds, as the regulator export tells the same facts", async () => {
    const c = await buildChain();
    const doc = ok(await t.gql(EPCIS, { c: c.stall.publicCode })).epcisDocument;
    expect([validate(doc), validate.errors ?? null]).toEqual([true, null]);

    const apple = `${URL}/01/06901234567892/10/AP-1`;
    const part = `${URL}/01/06901234567892/10/AP-1%2FS1`;
    const stall = `${URL}/01/06901234567892/10/AP-1%2FS1%2FT1`;
    const [{ produced_at: made }] = await t.sql('select produced_at from batch where id = $1', [c.stall.id]);
    const atMarket = { readPoint: { id: c.board }, bizLocation: { id: c.board } };
    const hop = `${c.part1.id}>${c.stall.id}`;
    const handOver = {
      ...atMarket,
      bizTransactionList: [{ bizTransaction: `${URL}/transfers/${eventUuid(URL, `transfer:${hop}`).slice('urn:uuid:'.length)}` }],
      sourceList: [{ type: 'owning_party', source: c.orchard }],
      destinationList: [{ type: 'owning_party', destination: c.stall9 }],
    };
    const recalled = (epcClass: string, quantity: number) => ({
      type: 'ObjectEvent', eventTime: c.times.recall, ...TZ, quantityList: [Q(epcClass, quantity, 'KGM')], action: 'OBSERVE', bizStep: 'holding', disposition: 'recalled',
      'foodtrace:recallSource': part, 'foodtrace:recallReason': 'Rapid test failed',
    });
    const { creationDate, epcisBody: _body, ...head } = doc;
    expect(Date.now() - Date.parse(creationDate)).toBeLessThan(60_000);
    expect(head).toEqual({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { foodtrace: `${URL}/ns/epcis/` }],
      id: `${URL}/t/${c.stall.publicCode}#epcis`, type: 'EPCISDocument', schemaVersion: '2.0',
      'foodtrace:direction': 'BACKWARD', 'foodtrace:batch': stall, 'foodtrace:maxDepth': 100, 'foodtrace:maxNodes': 2000, 'foodtrace:truncated': false,
    });
    expect(withoutIds(doc)).toEqual([
      {
        type: 'ObjectEvent', eventTime: '2026-11-20T01:00:00.000Z', ...TZ, quantityList: [Q(apple, 200, 'KGM')], action: 'ADD', bizStep: 'commissioning', disposition: 'active',
        ilmd: {
          'cbvmda:lotNumber': 'AP-1', 'foodtrace:productName': 'Apples', 'foodtrace:category': 'FRUIT', 'foodtrace:originPlace': 'Qingshan',
          'foodtrace:producedAt': '2026-11-20T01:00:00.000Z', 'foodtrace:trace': `${URL}/t/${c.apples.publicCode}`,
        },
        'foodtrace:owner': c.orchard,
      },
      // only the part this lot came from: the other part of the split is not upstream of it
      {
        type: 'TransformationEvent', eventTime: c.times.split, ...TZ, inputQuantityList: [Q(apple, 80, 'KGM')], outputQuantityList: [Q(part, 80, 'KGM')],
        bizStep: 'repackaging', disposition: 'active', 'foodtrace:owner': c.orchard, 'foodtrace:linkKind': 'SPLIT',
      },
      { type: 'ObjectEvent', eventTime: c.times.accepted, ...TZ, quantityList: [Q(part, 30, 'KGM')], action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', ...handOver },
      {
        type: 'ObjectEvent', eventTime: c.times.accepted, ...TZ, quantityList: [Q(stall, 30, 'KGM')], action: 'ADD', bizStep: 'receiving', disposition: 'in_progress', ...handOver,
        ilmd: {
          'cbvmda:lotNumber': 'AP-1/S1/T1', 'foodtrace:productName': 'Apples', 'foodtrace:category': 'FRUIT', 'foodtrace:originPlace': 'Qingshan',
          'foodtrace:producedAt': iso(made), 'foodtrace:trace': `${URL}/t/${c.stall.publicCode}`,
        },
      },
      { type: 'ObjectEvent', eventTime: c.times.accepted, ...TZ, quantityList: [Q(part, 30, 'KGM')], action: 'OBSERVE', bizStep: 'accepting', disposition: 'sellable_accessible', ...atMarket, 'foodtrace:gateDecision': 'ACCEPTED' },
      {
        type: 'ObjectEvent', eventTime: c.times.inspection, ...TZ, quantityList: [{ epcClass: part }], action: 'OBSERVE', bizStep: 'inspecting', disposition: 'non_conformant', ...atMarket,
        'foodtrace:testKind': 'RAPID', 'foodtrace:testItems': [{ item: 'organophosphate inhibition', value: 61, unit: '%', result: 'FAIL' }],
      },
      { type: 'ObjectEvent', eventTime: c.times.rejected, ...TZ, quantityList: [Q(part, 20, 'KGM')], action: 'OBSERVE', bizStep: 'accepting', disposition: 'non_conformant', ...atMarket, 'foodtrace:gateDecision': 'REJECTED' },
      recalled(part, 80),
      recalled(stall, 30),
    ]);

    // one mapping: every event but the split (the regulator's names both parts) is the regulator's event, id and all
    const regulator = ok(await t.gql(LINEAGE, { id: c.stall.id }, f.regulator)).epcisLineage;
    const events = doc.epcisBody.eventList;
    expect(regulator.epcisBody.eventList.filter((e: { eventID: string }) => events.some((x: { eventID: string }) => x.eventID === e.eventID))).toEqual(
      events.filter((e: { bizStep: string }) => e.bizStep !== 'repackaging'),
    );
    expect(regulator.epcisBody.eventList[1].outputQuantityList).toEqual([Q(part, 80, 'KGM'), Q(`${URL}/01/06901234567892/10/AP-1%2FS2`, 50, 'KGM')]);

    // nothing beyond the public trace: no other part or its new owner, no tester, contact person or phone, no row id
    const text = JSON.stringify(doc);
    for (const hidden of [c.part2.publicCode, c.elsewhere.publicCode, 'AP-1%2FS2', 'AP-1/S2', 'Zhao', 'Wang', '13800000000', 'Big Wholesale', 'Stall 10', '/batches/']) {
      expect([hidden, text.includes(hidden)]).toEqual([hidden, false]);
    }
    const linkIds = (await t.sql('select id from batch_link')).map((r) => String(r.id));
    const keys = ['transfer', 'shipping', 'receiving', 'split'].flatMap((k) => linkIds.map((id) => eventUuid(URL, `${k}:${id}`)));
    expect(keys.filter((k) => text.includes(k.slice('urn:uuid:'.length)))).toEqual([]);
  });

  it('names the recall but not its source lot when that lies beyond the public bounds, and says the chain was cut', async () => {
    const farm = await makeOperator(t, f.admin);
    const root = await makeBatch(t, f.admin, farm.id, { lotCode: 'R', quantity: 1000 });
    let tip = root;
    for (let i = 0; i < 101; i++) tip = ok(await t.gql(SPLIT, { i: { batchId: tip.id, parts: [{ quantity: 1 }] } }, f.admin)).splitBatch[0];
    ok(await t.gql(RECALL, { i: { batchId: root.id, reason: 'Listeria' } }, f.regulator));
    const doc = ok(await t.gql(EPCIS, { c: tip.publicCode })).epcisDocument;
    expect(validate(doc)).toBe(true);
    const events = doc.epcisBody.eventList;
    expect([doc['foodtrace:truncated'], events.length, events.filter((e: { bizStep: string }) => e.bizStep === 'repackaging').length]).toEqual([true, 201, 100]);
    expect(events.some((e: { bizStep: string }) => e.bizStep === 'commissioning')).toBe(false);
    const recall = events.find((e: { quantityList?: { epcClass: string }[] }) => e.quantityList?.[0].epcClass === `${URL}/t/${tip.publicCode}`);
    expect([recall.disposition, recall['foodtrace:recallReason'], 'foodtrace:recallSource' in recall]).toEqual(['recalled', 'Listeria', false]);
    expect(JSON.stringify(doc)).not.toContain(root.publicCode);
  });

  it('answers NOT_FOUND for an unknown or malformed code, and costs the same statements for a long chain as for a short one', async () => {
    for (const c of ['AAAAAAAAAAAAAAAA', 'not a code', 'x'.repeat(33)]) {
      const res = await t.gql(EPCIS, { c });
      expect([c, res.errors?.map((e) => [e.message, e.extensions?.code])]).toEqual([c, [['Trace code not found', 'NOT_FOUND']]]);
    }
    const farm = await makeOperator(t, f.admin);
    let tip = await makeBatch(t, f.admin, farm.id, { quantity: 100 });
    const cost = () => t.countStatements(async () => ok(await t.gql(EPCIS, { c: tip.publicCode })));
    const short = await cost();
    for (let i = 0; i < 12; i++) tip = ok(await t.gql(SPLIT, { i: { batchId: tip.id, parts: [{ quantity: 1 }] } }, f.admin)).splitBatch[0];
    // one snapshot, the walk, links with lots and recalls, tests and gate entries
    expect([short, await cost()]).toEqual([4, 4]);
    const before = t.statements.length;
    ok(await t.gql(EPCIS, { c: tip.publicCode }));
    const sent = t.statements.slice(before).join('\n');
    expect(sent.indexOf('set local statement_timeout')).toBeLessThan(sent.indexOf('set transaction isolation level repeatable read'));
    expect(sent.indexOf('set transaction isolation level repeatable read')).toBeLessThan(sent.indexOf('with recursive'));
  });
});
