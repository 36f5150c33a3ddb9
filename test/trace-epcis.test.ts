import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createTestApp, type TestApp } from './support/app';
import { fixture, makeBatch, makeMarket, makeOperator, ok, type Fixture } from './support/factories';

const EPCIS_DIR = join(__dirname, '..', '..', 'shared', 'epcis');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(join(EPCIS_DIR, 'EPCIS-JSON-Schema.json'), 'utf8')));

let t: TestApp;
let f: Fixture;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
beforeEach(async () => {
  await t.reset();
  f = await fixture(t);
});

const EPCIS = `query($c: String!) { epcisDocument(code: $c) }`;

describe('the GS1 schema as used here', () => {
  it('accepts the official examples and refuses an event without its time zone', () => {
    for (const name of ['example-ObjectEvent.jsonld', 'example-TransformationEvent.jsonld', 'example-TransformationEvent-DigitalLink.jsonld']) {
      expect([name, validate(JSON.parse(readFileSync(join(EPCIS_DIR, name), 'utf8')))]).toEqual([name, true]);
    }
    const broken = JSON.parse(readFileSync(join(EPCIS_DIR, 'example-TransformationEvent.jsonld'), 'utf8'));
    delete broken.epcisBody.eventList[0].eventTimeZoneOffset;
    expect(validate(broken)).toBe(false);
  });
});

describe('epcisDocument(code)', () => {
  it('exports a split, a hand-over, a gate entry, a test and a recall as a document the EPCIS 2.0 schema accepts', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Orchard' });
    const vendor = await makeOperator(t, f.admin, { name: 'Stall 9', kind: 'MARKET_VENDOR' });
    const market = await makeMarket(t, f.admin, 'East Market');
    const apples = await makeBatch(t, f.admin, farm.id, { productName: 'Apples', category: 'FRUIT', lotCode: 'AP-1', gtin: '6901234567892', quantity: 200 });
    const [part] = ok(await t.gql(`mutation($i: SplitBatchInput!) { splitBatch(input: $i) { id publicCode } }`, { i: { batchId: apples.id, parts: [{ quantity: 80 }] } }, f.admin)).splitBatch;
    const stall = ok(await t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id publicCode } }`, { i: { batchId: part.id, toOperatorId: vendor.id, quantity: 30 } }, f.admin)).transferBatch;
    const [{ id: staff }] = await t.sql(`insert into account (name, role, market_id, token_hash) values ('gate', 'GATE_STAFF', $1, repeat('a', 64)) returning id`, [market.id]);
    const [{ id: entry }] = await t.sql(
      `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, vendor_id, declared_quantity, unit, decision, received_batch_id, created_at)
       values ($1, $2, 's1', repeat('b', 64), 'x', $3, $4, 30, 'KG', 'ACCEPTED', $5, now()) returning id`,
      [market.id, staff, part.id, vendor.id, stall.id],
    );
    await t.sql(
      `insert into inspection (batch_id, market_id, entry_id, kind, items, result, tester, inspected_at)
       values ($1, $2, $3, 'RAPID', '[{"item":"organophosphate inhibition","value":61,"unit":"%","result":"FAIL"}]', 'FAIL', 'Li', now())`,
      [stall.id, market.id, entry],
    );
    ok(await t.gql(`mutation($i: InitiateRecallInput!) { initiateRecall(input: $i) { batches } }`, { i: { batchId: part.id, reason: 'Rapid test failed' } }, f.regulator));

    const doc = ok(await t.gql(EPCIS, { c: stall.publicCode })).epcisDocument;
    expect(validate(doc)).toBe(true);
    expect(validate.errors ?? null).toBeNull();

    const url = 'http://foodtrace.test';
    const apple = `${url}/01/06901234567892/10/AP-1`;
    const partClass = `${url}/01/06901234567892/10/${encodeURIComponent('AP-1/S1')}`;
    const stallClass = `${url}/01/06901234567892/10/${encodeURIComponent('AP-1/S1/T1')}`;
    const [orchard, stall9] = (await t.sql('select public_code from operator where id = any($1::int[]) order by id', [[farm.id, vendor.id]])).map((r) => `${url}/o/${r.public_code}`);
    const events = doc.epcisBody.eventList.map(({ eventID, eventTime, ...e }: Record<string, unknown>) => {
      expect(eventID).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      return e;
    });
    expect(doc).toMatchObject({ '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', id: `${url}/t/${stall.publicCode}#epcis` });
    expect(events).toEqual([
      { type: 'ObjectEvent', eventTimeZoneOffset: '+08:00', action: 'ADD', bizStep: 'commissioning', disposition: 'active', quantityList: [{ epcClass: apple, quantity: 200, uom: 'KGM' }], readPoint: { id: orchard }, bizLocation: { id: orchard } },
      { type: 'TransformationEvent', eventTimeZoneOffset: '+08:00', bizStep: 'repackaging', disposition: 'active', inputQuantityList: [{ epcClass: apple, quantity: 80, uom: 'KGM' }], outputQuantityList: [{ epcClass: partClass, quantity: 80, uom: 'KGM' }], readPoint: { id: orchard }, bizLocation: { id: orchard } },
      {
        type: 'TransformationEvent', eventTimeZoneOffset: '+08:00', bizStep: 'receiving', disposition: 'active',
        inputQuantityList: [{ epcClass: partClass, quantity: 30, uom: 'KGM' }], outputQuantityList: [{ epcClass: stallClass, quantity: 30, uom: 'KGM' }],
        readPoint: { id: stall9 }, bizLocation: { id: stall9 },
        sourceList: [{ type: 'owning_party', source: orchard }], destinationList: [{ type: 'owning_party', destination: stall9 }],
      },
      { type: 'ObjectEvent', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', bizStep: 'accepting', disposition: 'sellable_accessible', quantityList: [{ epcClass: partClass, quantity: 30, uom: 'KGM' }], readPoint: { id: `${url}/m/${market.id}/board` }, bizLocation: { id: `${url}/m/${market.id}/board` } },
      { type: 'ObjectEvent', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', bizStep: 'inspecting', disposition: 'non_conformant', quantityList: [{ epcClass: stallClass }], readPoint: { id: `${url}/m/${market.id}/board` } },
      { type: 'ObjectEvent', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', bizStep: 'holding', disposition: 'recalled', quantityList: [{ epcClass: stallClass }, { epcClass: partClass }], readPoint: { id: `${url}/t/${part.publicCode}` } },
    ]);
    // no database id, phone or name of a person leaks into the export
    expect(JSON.stringify(doc)).not.toMatch(/13800000000|Wang|"Li"/);
  });

  it('answers NOT_FOUND for an unknown code', async () => {
    const res = await t.gql(EPCIS, { c: 'AAAAAAAAAAAAAAAA' });
    expect(res.errors?.[0]).toMatchObject({ message: 'Trace code not found', extensions: { code: 'NOT_FOUND' } });
  });
});
