import jsQR from 'jsqr';
import sharp from 'sharp';
import { Grade, Role } from '../src/entities/enums';
import { isSampled } from '../src/gate/gate.service';
import { makeBatch, makeCertificate, makeMarketScene, makeOperator, ok, token, type MarketScene } from './support/factories';
import { useTestApp } from './support/use-test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse/sync');

const { t, f } = useTestApp();

const TRANSFER = `mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id publicCode lotCode } }`;
const TRACE = `query($c: String!) { trace(code: $c) { edges { kind handover { documentType documentNumber shippedAt shipFrom shipTo } } } }`;
const DOC = { documentType: 'INVOICE', documentNumber: 'FP-2026/0042', shippedAt: '2026-11-05T01:30:00.000Z', shipFrom: 'Qingshan packing shed', shipTo: 'City Wholesale store, Market Road 5' };

const get = (url: string, tok?: string | null) => t.app.fastify.inject({ method: 'GET', url, headers: tok ? { authorization: `Bearer ${tok}` } : {} });
const text = (markup: string) => markup.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim();

async function handedOver(handover: Record<string, unknown> | null = DOC) {
  const farm = await makeOperator(t, f.admin, { name: 'Green Farm' });
  const wholesale = await makeOperator(t, f.admin, { name: 'City Wholesale', kind: 'WHOLESALER' });
  const lettuce = await makeBatch(t, f.admin, farm.id, { productName: 'Lettuce', lotCode: 'LET-1', quantity: 100 });
  const received = ok(await t.gql(TRANSFER, { i: { batchId: lettuce.id, toOperatorId: wholesale.id, quantity: 40, handover } }, f.admin)).transferBatch;
  return { farm, wholesale, lettuce, received };
}

describe('transferBatch with a hand-over document', () => {
  it('stores it on the link, shows it in traces, the number only to signed-in callers', async () => {
    const { received } = await handedOver();
    expect(await t.sql(`select document_type, document_number, shipped_at::text, ship_from, ship_to from batch_link where kind = 'TRANSFER'`)).toEqual([
      { document_type: 'INVOICE', document_number: 'FP-2026/0042', shipped_at: '2026-11-05 01:30:00+00', ship_from: DOC.shipFrom, ship_to: DOC.shipTo },
    ]);
    expect(ok(await t.gql(TRACE, { c: received.publicCode }, f.regulator)).trace.edges).toEqual([{ kind: 'TRANSFER', handover: DOC }]);
    expect(ok(await t.gql(TRACE, { c: received.publicCode })).trace.edges).toEqual([{ kind: 'TRANSFER', handover: { ...DOC, documentNumber: null } }]);

    const page = text((await get(`/t/${received.publicCode}?lang=en`)).body);
    expect(page).toContain('Invoice · shipped 5 Nov 2026 · Qingshan packing shed → City Wholesale store, Market Road 5 · Delivery note');
    expect(page).not.toContain('FP-2026');
  });

  it('a transfer without one stores nothing and traces show null', async () => {
    const { received } = await handedOver(null);
    expect(ok(await t.gql(TRACE, { c: received.publicCode }, f.regulator)).trace.edges).toEqual([{ kind: 'TRANSFER', handover: null }]);
  });

  it('refuses a bad document with a clear error and writes nothing', async () => {
    const farm = await makeOperator(t, f.admin);
    const other = await makeOperator(t, f.admin);
    const lot = await makeBatch(t, f.admin, farm.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ documentType: 'INVOICE' }, 'handover.documentNumber: give the document type and its number together'],
      [{ documentNumber: 'X1' }, 'handover.documentType: give the document type and its number together'],
      [{ documentType: 'INVOICE', documentNumber: 'N'.repeat(65) }, 'handover.documentNumber: must be at most 64 characters'],
      [{ shippedAt: '2099-01-01T00:00:00.000Z' }, 'handover.shippedAt: must not be in the future'],
      [{ shipFrom: 'x'.repeat(301) }, 'handover.shipFrom: must be at most 300 characters'],
    ];
    for (const [handover, message] of cases) {
      const res = await t.gql(TRANSFER, { i: { batchId: lot.id, toOperatorId: other.id, quantity: 1, handover } }, f.admin);
      expect([res.errors?.[0].extensions?.code, res.errors?.[0].message]).toEqual(['BAD_USER_INPUT', message]);
    }
    expect(await t.sql(`select count(*)::int as n from batch_link`)).toEqual([{ n: 0 }]);
    expect((await t.sql(`select remaining::float as r from batch where id = $1`, [lot.id]))[0].r).toBe(100);
  });
});

describe('scanAtGate with a hand-over document', () => {
  let scene: MarketScene;
  beforeEach(async () => {
    scene = await makeMarketScene(t, f.admin);
  });
  const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { decision receivedBatch { publicCode } } }`;
  const unsampled = (tag: string) => {
    for (let i = 0; ; i++) if (!isSampled(`${tag}-${i}`, Grade.A, t.config.samplingSecret!)) return `${tag}-${i}`;
  };
  const input = (code: string, scanId: string, handover: Record<string, unknown> | null) =>
    ({ code, marketId: scene.market, vendorOperatorId: scene.vendor.id, declaredQuantity: 10, unit: 'KG', scanId, handover });

  it('writes the document onto the hand-over of an admitted load; a retry is a retry and another document a conflict', async () => {
    const lot = await makeBatch(t, f.admin, scene.farm.id);
    await makeCertificate(t, scene.farmToken, lot.id);
    const doc = { documentType: 'DELIVERY_NOTE', documentNumber: 'SH-7', shipFrom: 'Green Valley Farm', shipTo: 'Qingshan market' };
    const scanId = unsampled('doc');
    const first = ok(await t.gql(SCAN, { input: input(lot.publicCode, scanId, doc) }, scene.gate)).scanAtGate;
    expect(first.decision).toBe('ACCEPTED');
    expect(ok(await t.gql(SCAN, { input: input(lot.publicCode, scanId, doc) }, scene.gate)).scanAtGate).toEqual(first);
    const reuse = await t.gql(SCAN, { input: input(lot.publicCode, scanId, { ...doc, documentNumber: 'SH-8' }) }, scene.gate);
    expect(reuse.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(ok(await t.gql(TRACE, { c: first.receivedBatch.publicCode }, f.regulator)).trace.edges).toEqual([
      { kind: 'TRANSFER', handover: { ...doc, shippedAt: null } },
    ]);
  });

  it('keeps the document of a load sent to a test until the test admits it', async () => {
    const lot = await makeBatch(t, f.admin, scene.farm.id);
    const doc = { documentType: 'SALES_VOUCHER', documentNumber: 'XS-1' };
    const entry = ok(await t.gql(`mutation($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision } }`, { input: input(lot.publicCode, 'wait-1', doc) }, scene.gate)).scanAtGate;
    expect(entry.decision).toBe('TEST_REQUIRED');
    const item = { item: 'organophosphate', unit: '%', value: 10, result: 'PASS' };
    ok(await t.gql(`mutation($input: RecordTestInput!) { recordRapidTest(input: $input) { entry { decision } } }`, { input: { entryId: entry.entryId, items: [item], tester: 'Zhou' } }, scene.gate));
    expect(await t.sql(`select document_type, document_number from batch_link where kind = 'TRANSFER'`)).toEqual([{ document_type: 'SALES_VOUCHER', document_number: 'XS-1' }]);
  });
});

describe('the document in exports', () => {
  it('lists it in the EPCIS bizTransactionList (the number to regulators) and in the FSMA 204 reference columns', async () => {
    const { lettuce, received } = await handedOver();
    const events = (await get(`/epcis/batches/${lettuce.id}.jsonld`, f.regulator)).json().epcisBody.eventList as Record<string, any>[];
    const shipping = events.find((e) => e.bizStep === 'shipping')!;
    expect(shipping.bizTransactionList).toEqual([
      { bizTransaction: expect.stringMatching(new RegExp(`^${t.config.publicUrl}/transfers/[0-9a-f-]{36}$`)) },
      { type: 'inv', bizTransaction: `${t.config.publicUrl}/documents/invoice/FP-2026%2F0042` },
    ]);
    expect([shipping['foodtrace:shippedAt'], shipping['foodtrace:shipFrom'], shipping['foodtrace:shipTo']]).toEqual([DOC.shippedAt, DOC.shipFrom, DOC.shipTo]);
    const receiving = events.find((e) => e.bizStep === 'receiving')!;
    expect(receiving.bizTransactionList[1]).toEqual({ type: 'inv', bizTransaction: `${t.config.publicUrl}/documents/invoice/FP-2026%2F0042` });

    const pub = ok(await t.gql(`query($c: String!) { epcisDocument(code: $c) }`, { c: received.publicCode })).epcisDocument;
    const publicShipping = pub.epcisBody.eventList.find((e: any) => e.bizStep === 'shipping');
    expect(publicShipping.bizTransactionList).toHaveLength(1);
    expect(publicShipping['foodtrace:documentType']).toBe('INVOICE');
    expect(JSON.stringify(pub)).not.toContain('FP-2026');

    const rows = parse((await get(`/exports/fsma204/batches/${lettuce.id}.csv`, f.regulator)).body.replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[];
    const ship = rows.find((r) => r['Critical Tracking Event (CTE)'] === 'Shipping')!;
    const receive = rows.find((r) => r['Critical Tracking Event (CTE)'] === 'Receiving')!;
    expect([ship['Reference Document Type'], ship['Reference Document Number'], ship['Event Date'], ship['Ship From / Previous Source'], ship['Ship To / Immediate Subsequent Recipient']])
      .toEqual(['Invoice', 'FP-2026/0042', '2026-11-05', 'Green Farm (Qingshan packing shed)', 'City Wholesale (City Wholesale store, Market Road 5)']);
    expect([receive['Reference Document Type'], receive['Reference Document Number']]).toEqual(['Invoice', 'FP-2026/0042']);
  });
});

describe('GET /handover/:code', () => {
  it('prints the delivery note with its QR; the number to the parties and regulators only', async () => {
    const { farm, wholesale, received } = await handedOver();
    const anonymous = await get(`/handover/${received.publicCode}?lang=en`);
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.body).toContain('<link rel="stylesheet" href="/static/label.css">');
    const page = text(anonymous.body);
    expect(page).toContain(`Delivery note Product Lettuce Quantity 40 kg From Green Farm To City Wholesale Sender's lot LET-1 Receiver's lot ${received.lotCode} Document Invoice Document no. (shown to the two parties and regulators only) Shipped 5 Nov 2026 Shipped from Qingshan packing shed Shipped to City Wholesale store, Market Road 5`);
    const traceUrl = `${t.config.publicUrl}/t/${received.publicCode}`;
    const svg = /<div class="qr" id="note-qr">([\s\S]*?)<\/div>/.exec(anonymous.body)![1];
    const { data, info } = await sharp(Buffer.from(svg)).resize(400).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data).toBe(traceUrl);
    expect(anonymous.headers.vary).toBe('Accept-Language, Authorization');

    const sender = await token(t, Role.OPERATOR, { operatorId: farm.id });
    const receiver = await token(t, Role.OPERATOR, { operatorId: wholesale.id });
    const stranger = await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, f.admin)).id });
    for (const [who, tok, shown] of [['sender', sender, true], ['receiver', receiver, true], ['regulator', f.regulator, true], ['stranger', stranger, false]] as const) {
      const body = text((await get(`/handover/${received.publicCode}?lang=en`, tok)).body);
      expect([who, body.includes('Document no. FP-2026/0042')]).toEqual([who, shown]);
    }
  });

  it('is 404 for a lot that was not handed over and for unknown or malformed codes', async () => {
    const { lettuce } = await handedOver();
    for (const url of [`/handover/${lettuce.publicCode}`, '/handover/ZZZZZZZZZZZZ', '/handover/x']) {
      expect([url, (await get(url)).statusCode]).toEqual([url, 404]);
    }
    const bad = await get(`/handover/${lettuce.publicCode}`, 'ft_' + 'x'.repeat(43));
    expect(bad.statusCode).toBe(401);
    // a NUL in the address breaks the text rule every page keeps
    expect((await get('/handover/%00')).statusCode).toBe(400);
  });
});
