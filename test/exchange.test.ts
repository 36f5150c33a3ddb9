import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/entities/enums';
import { canonicalDigitalLink } from '../src/exchange/event-hash';
import { useCaptureQueue, untilCaptured } from './support/capture-queue';
import { read } from './support/epcis';
import { makeBatch, makeMarket, makeOperator, ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();
useCaptureQueue(t);

/** Every official example kept with the tests (a copy of ../shared/epcis, checked below). */
const EXAMPLES = readdirSync(join(__dirname, 'fixtures', 'epcis')).filter((name) => /^example-.*\.jsonld$/.test(name)).sort();
const URL = 'http://foodtrace.test';

function send(doc: unknown, tok: string | null, contentType = 'application/ld+json', raw?: string | Buffer) {
  return t.app.fastify.inject({
    method: 'POST', url: '/epcis/capture',
    headers: { 'content-type': contentType, ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
    payload: raw ?? JSON.stringify(doc),
  });
}

/** Sends a document and, when it was accepted, waits for its job to run: the job, or the refusal. */
async function capture(doc: unknown, tok: string | null, contentType = 'application/ld+json', raw?: string | Buffer) {
  return untilCaptured(t, await send(doc, tok, contentType, raw), tok!);
}

async function get(url: string, tok: string | null) {
  return t.app.fastify.inject({ method: 'GET', url, headers: tok ? { authorization: `Bearer ${tok}` } : {} });
}

const count = async (table: string) => Number((await t.sql(`select count(*)::int as n from ${table}`))[0].n);

function doc(events: Record<string, unknown>[], context: unknown[] = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld']) {
  return { '@context': context, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00.000Z', epcisBody: { eventList: events } };
}

const shipping = (over: Record<string, unknown> = {}) => ({
  type: 'ObjectEvent', eventTime: '2026-11-20T08:00:00.000+08:00', eventTimeZoneOffset: '+08:00',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017'], action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' }, ...over,
});

describe('POST /epcis/capture', () => {
  it.each(EXAMPLES)('captures the official example %s without error, and a second time adds nothing', async (name) => {
    const example = read(name);
    const n = example.epcisBody.eventList.length;
    const first = await send(example, f.admin);
    expect(first.statusCode).toBe(202);
    const id = first.json().captureID;
    expect(first.headers.location).toBe(`/epcis/capture/${id}`);
    const job = await untilCaptured(t, first, f.admin);
    expect(job.statusCode).toBe(200);
    expect(job.json()).toMatchObject({ captureID: id, running: false, success: true, status: 'SUCCEEDED', eventCount: n, capturedCount: n, duplicateCount: 0, errors: [] });
    expect(await count('epcis_event')).toBe(n);

    const again = await capture(example, f.regulator);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'SUCCEEDED', eventCount: n, capturedCount: 0, duplicateCount: n });
    expect(await count('epcis_event')).toBe(n);
  });

  it('deduplicates by the event hash, not by the JSON: reordered keys, another eventID and a URN spelled as a Digital Link are the same event', async () => {
    await capture(doc([shipping({ eventID: 'urn:uuid:11111111-1111-4111-8111-111111111111' })]), f.admin);
    const same = { ...shipping(), epcList: ['https://example.com/01/10614141073464/21/2017?x=1'], eventTime: '2026-11-20T00:00:00Z', eventID: 'urn:uuid:22222222-2222-4222-8222-222222222222' };
    const reordered = Object.fromEntries(Object.entries(same).reverse());
    const res = await capture(doc([reordered]), f.admin);
    expect(res.json()).toMatchObject({ capturedCount: 0, duplicateCount: 1 });
    expect(await count('epcis_event')).toBe(1);
  });

  it('refuses a malformed document, a wrong content type, a body that is not JSON and a 50 MB upload, writing nothing', async () => {
    const broken = doc([shipping()]);
    delete (broken.epcisBody.eventList[0] as Record<string, unknown>).eventTimeZoneOffset;
    const bad = await capture(broken, f.admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_USER_INPUT');
    expect(bad.json().error.message).toMatch(/^document: is not a valid EPCIS 2\.0 document: .*eventTimeZoneOffset/);

    const notADoc = await capture([1, 2], f.admin);
    expect(notADoc.statusCode).toBe(400);
    expect(notADoc.json().error.message).toBe('document: must be an EPCIS document (a JSON object)');

    const xml = await capture(null, f.admin, 'application/xml', '<epcis:EPCISDocument/>');
    expect(xml.statusCode).toBe(415);

    const garbage = await capture(null, f.admin, 'application/ld+json', '{"type": ');
    expect(garbage.statusCode).toBe(400);

    const huge = await capture(null, f.admin, 'application/ld+json', Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(huge.statusCode).toBe(413);

    expect(await count('epcis_capture')).toBe(0);
    expect(await count('epcis_event')).toBe(0);
    expect(await count('exchange_identifier')).toBe(0);
    // the two refusals the capture itself made are audit rows; the ones refused before it (content type, size, JSON) never reached it
    expect(await t.sql(`select operation, outcome, variables from audit_event where operation = 'POST /epcis/capture' order by id`)).toEqual([
      { operation: 'POST /epcis/capture', outcome: 'BAD_USER_INPUT', variables: {} },
      { operation: 'POST /epcis/capture', outcome: 'BAD_USER_INPUT', variables: {} },
    ]);
  });

  it('writes an audit row for every capture, in its transaction', async () => {
    const res = await capture(doc([shipping()]), f.regulator);
    const [account] = await t.sql(`select account_id, role from audit_event where operation = 'POST /epcis/capture'`);
    expect(account.role).toBe('REGULATOR');
    expect(await t.sql(`select outcome, variables from audit_event where operation = 'POST /epcis/capture'`)).toEqual([
      { outcome: 'OK', variables: { captureId: Number(res.json().captureID), events: 1, captured: 1, duplicates: 0 } },
    ]);
  });

  it('answers 401 without a token and 403 to gate staff; an operator captures only events about itself', async () => {
    expect((await capture(doc([shipping()]), null)).statusCode).toBe(401);
    const clerk = await token(t, Role.GATE_STAFF, { marketId: (await makeMarket(t, f.admin)).id });
    expect((await capture(doc([shipping()]), clerk)).statusCode).toBe(403);

    const farm = await makeOperator(t, f.admin);
    const other = await makeOperator(t, f.admin);
    const mine = await makeBatch(t, f.admin, farm.id);
    const theirs = await makeBatch(t, f.admin, other.id);
    const farmer = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const about = (b: { publicCode: string }) => shipping({ epcList: undefined, quantityList: [{ epcClass: `${URL}/t/${b.publicCode}`, quantity: 5, uom: 'KGM' }] });
    const res = await capture(doc([about(mine), about(theirs)]), farmer);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'PARTIAL', capturedCount: 1,
      errors: [{ index: 1, eventID: null, errors: ['an operator may capture only events that name its own lots or itself'] }],
    });
    // the operator reads its own job, not another account's
    const location = `/epcis/capture/${res.json().captureID}`;
    expect((await get(location, farmer)).statusCode).toBe(200);
    const otherFarmer = await token(t, Role.OPERATOR, { operatorId: other.id });
    expect((await get(location, otherFarmer)).statusCode).toBe(404);
    expect((await get('/epcis/capture/999999', f.admin)).statusCode).toBe(404);
    expect((await get('/epcis/capture/abc', f.admin)).json().error).toEqual({ code: 'BAD_USER_INPUT', message: 'id: is not a valid id', field: 'id' });
  });

  it('maps identifiers to our lots, operators and markets, and keeps foreign ones as master data', async () => {
    const farm = await makeOperator(t, f.admin);
    const lot = await makeBatch(t, f.admin, farm.id);
    const [op] = await t.sql('select public_code from operator where id = $1', [farm.id]);
    const event = shipping({
      epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
      quantityList: [{ epcClass: `${URL}/t/${lot.publicCode}`, quantity: 5, uom: 'KGM' }, { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 2, uom: 'KGM' }],
      sourceList: [{ type: 'owning_party', source: `${URL}/o/${op.public_code}` }],
      destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:4012345.00000' }],
    });
    expect((await capture(doc([event]), f.admin)).json().status).toBe('SUCCEEDED');
    const rows = await t.sql('select foreign_id, scheme, batch_id, operator_id, market_id, master_data from exchange_identifier order by foreign_id');
    const [job] = await t.sql('select id from epcis_capture');
    expect(rows).toEqual([
      { foreign_id: `${URL}/o/${op.public_code}`, scheme: 'foodtrace', batch_id: null, operator_id: Number(farm.id), market_id: null, master_data: {} },
      { foreign_id: `${URL}/t/${lot.publicCode}`, scheme: 'foodtrace', batch_id: Number(lot.id), operator_id: null, market_id: null, master_data: {} },
      { foreign_id: 'urn:epc:class:lgtin:4012345.012345.998877', scheme: 'lgtin', batch_id: null, operator_id: null, market_id: null, master_data: { firstCaptureId: job.id, digitalLink: 'https://id.gs1.org/01/04012345123456/10/998877' } },
      { foreign_id: 'urn:epc:id:pgln:4012345.00000', scheme: 'pgln', batch_id: null, operator_id: null, market_id: null, master_data: { firstCaptureId: job.id, digitalLink: 'https://id.gs1.org/417/4012345000009' } },
      { foreign_id: 'urn:epc:id:sgln:0614141.07346.1234', scheme: 'sgln', batch_id: null, operator_id: null, market_id: null, master_data: { firstCaptureId: job.id, digitalLink: 'https://id.gs1.org/414/0614141073467/254/1234' } },
      { foreign_id: 'urn:epc:id:sgtin:0614141.107346.2017', scheme: 'sgtin', batch_id: null, operator_id: null, market_id: null, master_data: { firstCaptureId: job.id, digitalLink: 'https://id.gs1.org/01/10614141073464/21/2017' } },
    ]);
  });

  it('makes a lot of a commissioning event whose owner is ours, once; an event missing what a lot needs stays master data', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Kiwi Farm' });
    const [op] = await t.sql('select public_code from operator where id = $1', [farm.id]);
    const context = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { foodtrace: `${URL}/ns/epcis/` }];
    const commissioning = (epcClass: string, ilmd: Record<string, unknown>) => ({
      type: 'ObjectEvent', eventTime: '2026-11-02T01:30:00.000Z', eventTimeZoneOffset: '+08:00', action: 'ADD', bizStep: 'commissioning', disposition: 'active',
      quantityList: [{ epcClass, quantity: 12.5, uom: 'KGM' }], ilmd, 'foodtrace:owner': `${URL}/o/${op.public_code}`,
    });
    const kiwi = commissioning('urn:epc:class:lgtin:4012345.012345.KW-7', { 'cbvmda:lotNumber': 'KW-7', 'foodtrace:productName': 'Kiwi', 'foodtrace:category': 'FRUIT', 'foodtrace:originPlace': 'Hill 3' });
    const vague = commissioning('urn:epc:class:lgtin:4012345.012345.NO-CAT', { 'foodtrace:productName': 'Something' });
    const farmer = await token(t, Role.OPERATOR, { operatorId: farm.id });
    expect((await capture(doc([kiwi, vague], context), farmer)).json()).toMatchObject({ status: 'SUCCEEDED', capturedCount: 2 });
    const lots = await t.sql('select id, owner_id, product_name, category, lot_code, quantity::text, remaining::text, unit, produced_at, origin_place from batch order by id');
    expect(lots).toEqual([{
      id: lots[0].id, owner_id: Number(farm.id), product_name: 'Kiwi', category: 'FRUIT', lot_code: 'KW-7', quantity: '12.500', remaining: '12.500', unit: 'KG',
      produced_at: new Date('2026-11-02T01:30:00.000Z'), origin_place: 'Hill 3',
    }]);
    expect(await t.sql(`select foreign_id, batch_id, master_data from exchange_identifier where scheme = 'lgtin' order by foreign_id`)).toEqual([
      { foreign_id: 'urn:epc:class:lgtin:4012345.012345.KW-7', batch_id: lots[0].id, master_data: {} },
      { foreign_id: 'urn:epc:class:lgtin:4012345.012345.NO-CAT', batch_id: null, master_data: { firstCaptureId: expect.any(Number), digitalLink: 'https://id.gs1.org/01/04012345123456/10/NO-CAT' } },
    ]);
    // the same lot told again in another event (a later time) is the same lot
    expect((await capture(doc([{ ...kiwi, eventTime: '2026-11-02T02:30:00.000Z' }], context), f.admin)).json()).toMatchObject({ capturedCount: 1 });
    expect(await count('batch')).toBe(1);
  });

  it('turns a foreign chain about our operators into our lineage: commissioning, hand-over, receipt, processing', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Kiwi Farm' });
    const maker = await makeOperator(t, f.admin, { name: 'Jam Works', kind: 'PROCESSOR' });
    const codes = Object.fromEntries((await t.sql('select id, public_code from operator')).map((r) => [r.id, `${URL}/o/${r.public_code}`]));
    const context = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { foodtrace: `${URL}/ns/epcis/` }];
    const [C1, C2, C3, C4] = ['K1', 'K1-W', 'JAM-1', 'JAM-2'].map((lot) => `urn:epc:class:lgtin:4012345.012345.${lot}`);
    const note = 'urn:epcglobal:cbv:bt:4012345000009:DN-1';
    const at = (h: number) => ({ eventTime: `2026-11-0${h}T02:00:00.000Z`, eventTimeZoneOffset: '+08:00' });
    const owning = (from: string, to: string) => ({ sourceList: [{ type: 'owning_party', source: codes[from] }], destinationList: [{ type: 'owning_party', destination: codes[to] }] });
    const events = [
      { type: 'ObjectEvent', ...at(1), action: 'ADD', bizStep: 'commissioning', quantityList: [{ epcClass: C1, quantity: 100, uom: 'KGM' }], 'foodtrace:owner': codes[farm.id], ilmd: { 'cbvmda:lotNumber': 'K1', 'foodtrace:productName': 'Kiwi', 'foodtrace:category': 'FRUIT' } },
      { type: 'ObjectEvent', ...at(2), action: 'OBSERVE', bizStep: 'shipping', quantityList: [{ epcClass: C1, quantity: 40, uom: 'KGM' }], bizTransactionList: [{ type: 'desadv', bizTransaction: note }], ...owning(farm.id, maker.id) },
      { type: 'ObjectEvent', ...at(3), action: 'ADD', bizStep: 'receiving', quantityList: [{ epcClass: C2, quantity: 40, uom: 'KGM' }], bizTransactionList: [{ type: 'desadv', bizTransaction: note }], ...owning(farm.id, maker.id) },
      { type: 'TransformationEvent', ...at(4), bizStep: 'commissioning', inputQuantityList: [{ epcClass: C2, quantity: 40, uom: 'KGM' }], outputQuantityList: [{ epcClass: C3, quantity: 30, uom: 'KGM' }], ilmd: { 'cbvmda:lotNumber': 'JAM-1', 'foodtrace:productName': 'Kiwi jam', 'foodtrace:category': 'FRUIT' } },
      // more kiwi than the farm has left: refused, and nothing of it stored
      { type: 'TransformationEvent', ...at(5), bizStep: 'commissioning', inputQuantityList: [{ epcClass: C1, quantity: 999, uom: 'KGM' }], outputQuantityList: [{ epcClass: C4, quantity: 30, uom: 'KGM' }], ilmd: { 'cbvmda:lotNumber': 'JAM-2', 'foodtrace:productName': 'Kiwi jam', 'foodtrace:category': 'FRUIT' } },
    ];
    const res = await capture(doc(events, context), f.admin);
    expect(res.json()).toMatchObject({ status: 'PARTIAL', eventCount: 5, capturedCount: 4, duplicateCount: 0 });
    expect(res.json().errors).toEqual([{ index: 4, eventID: null, errors: [`inputs[0].quantity: batch ${(await t.sql(`select id from batch where lot_code = 'K1'`))[0].id} has only 60 KG left`] }]);
    expect(await count('epcis_event')).toBe(4);
    const lots = await t.sql('select id, owner_id, product_name, lot_code, quantity::text, remaining::text from batch order by id');
    expect(lots.map(({ id: _id, ...l }) => l)).toEqual([
      { owner_id: Number(farm.id), product_name: 'Kiwi', lot_code: 'K1', quantity: '100.000', remaining: '60.000' },
      { owner_id: Number(maker.id), product_name: 'Kiwi', lot_code: expect.any(String), quantity: '40.000', remaining: '0.000' },
      { owner_id: Number(maker.id), product_name: 'Kiwi jam', lot_code: 'JAM-1', quantity: '30.000', remaining: '30.000' },
    ]);
    const [k1, received, jam] = lots.map((l) => l.id);
    expect(await t.sql('select parent_id, child_id, kind, quantity::text from batch_link order by id')).toEqual([
      { parent_id: k1, child_id: received, kind: 'TRANSFER', quantity: '40.000' },
      { parent_id: received, child_id: jam, kind: 'PROCESS', quantity: '40.000' },
    ]);
    // the hand-over is dated at its shipping event and carries the delivery note its business transaction named
    expect(await t.sql(`select created_at, document_type, document_number from batch_link where kind = 'TRANSFER'`)).toEqual([
      { created_at: new Date('2026-11-02T02:00:00.000Z'), document_type: 'DELIVERY_NOTE', document_number: 'DN-1' },
    ]);
    expect(await t.sql(`select foreign_id, scheme, batch_id from exchange_identifier where batch_id is not null order by batch_id, foreign_id`)).toEqual([
      { foreign_id: C1, scheme: 'lgtin', batch_id: k1 },
      { foreign_id: C2, scheme: 'lgtin', batch_id: received },
      { foreign_id: note, scheme: 'bizTransaction', batch_id: received },
      { foreign_id: C3, scheme: 'lgtin', batch_id: jam },
    ]);
    // the same document again: every event a duplicate but the refused one, no lot, link or quantity changes
    expect((await capture(doc(events, context), f.admin)).json()).toMatchObject({ status: 'PARTIAL', capturedCount: 0, duplicateCount: 4 });
    expect(await count('batch')).toBe(3);
    expect(await count('batch_link')).toBe(2);
    // and our own export of the jam tells the chain back: the hand-over at its event's time, the processing when it was recorded
    const exported = (await get(`/epcis/batches/${jam}.jsonld?direction=backward`, f.regulator)).json();
    expect(exported.epcisBody.eventList.map((e: { type: string; bizStep: string }) => `${e.type} ${e.bizStep}`)).toEqual([
      'ObjectEvent commissioning', 'ObjectEvent shipping', 'ObjectEvent receiving', 'TransformationEvent commissioning',
    ]);
    expect(exported.epcisBody.eventList[1].bizTransactionList[1]).toEqual({ type: 'desadv', bizTransaction: `${URL}/documents/delivery_note/DN-1` });
  });

  it('records an error declaration as a correction that keeps the original, marked corrected', async () => {
    const original = shipping({ eventID: 'urn:uuid:33333333-3333-4333-8333-333333333333' });
    await capture(doc([original]), f.admin);
    const declaration = { ...original, errorDeclaration: { declarationTime: '2026-11-21T08:00:00.000Z', reason: 'incorrect_data', correctiveEventIDs: ['urn:uuid:44444444-4444-4444-8444-444444444444'] } };
    const res = await capture(doc([declaration]), f.admin);
    expect(res.json()).toMatchObject({ status: 'SUCCEEDED', capturedCount: 1, duplicateCount: 0 });
    const rows = await t.sql('select id, event_hash, corrected_by_id, body from epcis_event order by id');
    expect(rows).toHaveLength(2);
    expect(rows[0].corrected_by_id).toBe(rows[1].id);
    expect(rows[0].body).toEqual(original);
    expect(rows[1].event_hash).toBe(`${rows[0].event_hash}#errorDeclaration`);
    expect(rows[1].corrected_by_id).toBeNull();
    // the same declaration again adds nothing
    expect((await capture(doc([declaration]), f.admin)).json()).toMatchObject({ capturedCount: 0, duplicateCount: 1 });
  });
});

describe('GET /epcis/events', () => {
  it('tells the events produced here and the events captured as one list: a captured copy of a produced event is one event', async () => {
    const farm = await makeOperator(t, f.admin);
    const shop = await makeOperator(t, f.admin, { kind: 'WHOLESALER' });
    const lot = await makeBatch(t, f.admin, farm.id, { lotCode: 'RT-1', quantity: 100 });
    ok(await t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id } }`, { i: { batchId: lot.id, toOperatorId: shop.id, quantity: 40 } }, f.admin));
    const exported = await get(`/epcis/batches/${lot.id}.jsonld?direction=both`, f.regulator);
    expect(exported.statusCode).toBe(200);
    const document = exported.json();
    expect(document.epcisBody.eventList.map((e: { bizStep: string }) => e.bizStep)).toEqual(['commissioning', 'shipping', 'receiving']);
    const byId = (list: { eventID: string }[]) => [...list].sort((a, b) => (a.eventID < b.eventID ? -1 : 1));
    const query = async () => {
      const res = await get('/epcis/events', f.regulator);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
      return res.json().epcisBody.queryResults.resultsBody.eventList;
    };
    // produced here, nothing captured yet
    expect(byId(await query())).toEqual(byId(document.epcisBody.eventList));

    const res = await capture(document, f.admin);
    expect(res.json()).toMatchObject({ status: 'SUCCEEDED', capturedCount: 3 });
    expect(await count('epcis_event')).toBe(3);
    // captured and produced: the same three events, once each
    expect(byId(await query())).toEqual(byId(document.epcisBody.eventList));
    // exported a second time and captured again: the same events, nothing added
    const twice = (await get(`/epcis/batches/${lot.id}.jsonld?direction=both`, f.regulator)).json();
    expect(twice.epcisBody.eventList).toEqual(document.epcisBody.eventList);
    expect((await capture(twice, f.admin)).json()).toMatchObject({ capturedCount: 0, duplicateCount: 3 });
  });

  it('filters produced events by bizStep, EPC, time and read point, and pages produced and captured events together in time order', async () => {
    const scene = await makeOperator(t, f.admin);
    const shop = await makeOperator(t, f.admin, { kind: 'WHOLESALER' });
    const lot = await makeBatch(t, f.admin, scene.id, { lotCode: 'Q-1', quantity: 100, producedAt: '2026-11-01T06:00:00.000Z' });
    const other = await makeBatch(t, f.admin, scene.id, { lotCode: 'Q-2', quantity: 10, producedAt: '2026-11-03T06:00:00.000Z' });
    ok(await t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id } }`, { i: { batchId: lot.id, toOperatorId: shop.id, quantity: 40 } }, f.admin));
    await capture(read('example-ObjectEvent.jsonld'), f.admin);
    const list = async (q: string, tok = f.admin) => {
      const res = await get(`/epcis/events${q}`, tok);
      expect(res.statusCode).toBe(200);
      return res.json().epcisBody.queryResults.resultsBody.eventList as Record<string, any>[];
    };
    const all = await list('');
    const captured = read('example-ObjectEvent.jsonld').epcisBody.eventList.length;
    expect(all).toHaveLength(captured + 4);
    // event time order
    const times = all.map((e) => Date.parse(e.eventTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const q1 = `${URL}/t/${lot.publicCode}`;
    expect((await list('?EQ_bizStep=shipping')).filter((e) => e.quantityList?.[0]?.epcClass === q1).map((e) => e.bizStep)).toEqual(['shipping']);
    expect((await list(`?MATCH_epc=${encodeURIComponent(q1)}`)).map((e) => e.bizStep)).toEqual(['commissioning', 'shipping']);
    expect((await list(`?MATCH_anyEPC=${encodeURIComponent(`${URL}/t/${other.publicCode}`)}&eventType=ObjectEvent`)).map((e) => e.ilmd['cbvmda:lotNumber'])).toEqual(['Q-2']);
    expect((await list('?GE_eventTime=2026-11-02T00:00:00Z&LT_eventTime=2026-11-04T00:00:00Z&EQ_disposition=active')).map((e) => e.ilmd?.['cbvmda:lotNumber'])).toEqual(['Q-2']);
    expect(await list('?EQ_readPoint=urn:epc:id:sgln:0000000.00000.0')).toEqual([]);

    const pages: Record<string, unknown>[] = [];
    let url = '/epcis/events?perPage=1';
    for (;;) {
      const res = await get(url, f.admin);
      pages.push(...res.json().epcisBody.queryResults.resultsBody.eventList);
      const link = res.headers.link as string | undefined;
      if (!link) break;
      url = /^<([^>]+)>; rel="next"$/.exec(link)![1];
    }
    expect(pages).toEqual(all);

    // an operator sees the events of its own lots (and those it captured), nobody else's
    const farmer = await token(t, Role.OPERATOR, { operatorId: shop.id });
    const mine = await list('', farmer);
    // the hand-over's two events share an instant: within it the order is by event hash
    expect(mine.map((e) => e.bizStep).sort()).toEqual(['receiving', 'shipping']);
  });

  it('filters by event type, bizStep (bare or URI), EPC in either spelling, time range and read point, and pages with a token', async () => {
    const example = read('example-ObjectEvent.jsonld');
    await capture(example, f.admin);
    await capture(read('example-TransformationEvent.jsonld'), f.admin);
    const list = async (q: string) => {
      const res = await get(`/epcis/events${q}`, f.admin);
      expect(res.statusCode).toBe(200);
      return res.json().epcisBody.queryResults.resultsBody.eventList as Record<string, unknown>[];
    };
    const all = await list('');
    const objects = all.filter((e) => e.type === 'ObjectEvent');
    expect(await list('?eventType=ObjectEvent')).toEqual(objects);
    const shippingEvents = all.filter((e) => e.bizStep === 'shipping' || e.bizStep === 'https://ref.gs1.org/cbv/BizStep-shipping' || e.bizStep === 'urn:epcglobal:cbv:bizstep:shipping');
    expect(await list('?EQ_bizStep=shipping')).toEqual(all.filter((e) => e.bizStep === 'shipping' || e.bizStep === 'https://ref.gs1.org/cbv/BizStep-shipping'));
    expect(shippingEvents.length).toBeGreaterThan(0);
    const firstEpc = (objects.find((e) => Array.isArray(e.epcList)) as { epcList: string[] }).epcList[0];
    const withEpc = all.filter((e) => JSON.stringify(e).includes(`"${firstEpc}"`));
    expect(withEpc.length).toBeGreaterThan(0);
    expect(await list(`?MATCH_epc=${encodeURIComponent(firstEpc)}`)).toEqual(withEpc);
    expect(await list(`?MATCH_anyEPC=${encodeURIComponent(canonicalDigitalLink(firstEpc) ?? firstEpc)}`)).toEqual(withEpc);
    const readPoint = (all.find((e) => e.readPoint) as { readPoint: { id: string } }).readPoint.id;
    expect(await list(`?EQ_readPoint=${encodeURIComponent(readPoint)}`)).toEqual(all.filter((e) => (e.readPoint as { id?: string } | undefined)?.id === readPoint));
    const times = all.map((e) => Date.parse(e.eventTime as string)).sort((a, b) => a - b);
    const cut = new Date(times[Math.floor(times.length / 2)]).toISOString();
    expect(await list(`?GE_eventTime=${cut}`)).toEqual(all.filter((e) => Date.parse(e.eventTime as string) >= Date.parse(cut)));
    expect(await list(`?LT_eventTime=${cut}`)).toEqual(all.filter((e) => Date.parse(e.eventTime as string) < Date.parse(cut)));

    const pages: Record<string, unknown>[] = [];
    let url = '/epcis/events?perPage=1';
    for (;;) {
      const res = await get(url, f.admin);
      pages.push(...res.json().epcisBody.queryResults.resultsBody.eventList);
      const link = res.headers.link as string | undefined;
      if (!link) break;
      url = /^<([^>]+)>; rel="next"$/.exec(link)![1];
    }
    expect(pages).toEqual(all);
  });

  it('is for ADMIN, REGULATOR and operators, and refuses unknown parameters and bad values', async () => {
    expect((await get('/epcis/events', null)).statusCode).toBe(401);
    const clerk = await token(t, Role.GATE_STAFF, { marketId: (await makeMarket(t, f.admin)).id });
    expect((await get('/epcis/events', clerk)).statusCode).toBe(403);
    expect((await get('/epcis/events?foo=1', f.admin)).json().error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'foo' });
    expect((await get('/epcis/events?GE_eventTime=yesterday', f.admin)).json().error).toEqual({ code: 'BAD_USER_INPUT', field: 'GE_eventTime', message: 'GE_eventTime: must be an ISO 8601 date and time' });
    expect((await get('/epcis/events?nextPageToken=zzz', f.admin)).json().error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nextPageToken' });
    expect((await get('/epcis/events?perPage=0', f.admin)).json().error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'perPage' });
  });
});

describe('the official examples', () => {
  it('are the ones the shared folder holds, every one of them', () => {
    expect(EXAMPLES).toEqual(['example-ObjectEvent.jsonld', 'example-TransformationEvent-DigitalLink.jsonld', 'example-TransformationEvent.jsonld']);
    const shared = join(__dirname, '..', '..', 'shared', 'epcis');
    let names: string[];
    try {
      names = readdirSync(shared).filter((name) => /^example-.*\.jsonld$/.test(name)).sort();
    } catch {
      return; // the shared folder is not beside every checkout; the fixtures are
    }
    // an example added to the shared folder is captured by the test above only once it is copied to the fixtures
    expect(EXAMPLES).toEqual(names);
    for (const name of names) expect(JSON.parse(readFileSync(join(shared, name), 'utf8'))).toEqual(read(name));
  });
});
