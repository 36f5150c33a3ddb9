import jsQR from 'jsqr';
import sharp from 'sharp';
import { ProductCategory } from '../src/entities/enums';
import { CERTIFICATE_RULES } from '../src/registry/certificate.rules';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeCertificate, makeMarketScene, makeOperator, ok, type MarketScene } from './support/factories';

const { t, f } = useTestApp();
let scene: MarketScene;

beforeEach(async () => {
  scene = await makeMarketScene(t, f.admin);
});

const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision reasons { code } receivedBatch { quantity } } }`;
const RAPID = `mutation($input: RecordTestInput!) { recordRapidTest(input: $input) { entry { decision } } }`;

async function scan(code: string, scanId: string, declaredQuantity = 10, unit = 'KG') {
  return ok(await t.gql(SCAN, { input: { code, marketId: scene.market, vendorOperatorId: scene.vendor.id, declaredQuantity, unit, scanId } }, scene.gate)).scanAtGate;
}

const noCertificateCharges = async () => Number((await t.sql(`select count(*)::int as n from credit_event where rule_code = 'NO_CERTIFICATE'`))[0].n);

const text = (markup: string) => markup.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('product categories and the certificate rule table', () => {
  it('names every category, with a reason, and requires a certificate for all but dairy', () => {
    expect(Object.keys(CERTIFICATE_RULES).sort()).toEqual(Object.values(ProductCategory).sort());
    expect(Object.entries(CERTIFICATE_RULES).filter(([, r]) => !r.required).map(([c]) => c)).toEqual(['DAIRY']);
    for (const r of Object.values(CERTIFICATE_RULES)) expect(r.reason.length).toBeGreaterThan(10);
  });

  it('stores lots of the new categories and the database refuses an unknown one', async () => {
    for (const category of ['EDIBLE_FUNGI', 'TEA', 'LIVESTOCK_POULTRY', 'EGGS', 'AQUATIC']) {
      const b = await makeBatch(t, f.admin, scene.farm.id, { category });
      expect((await t.sql(`select category from batch where id = $1`, [b.id]))[0].category).toBe(category);
    }
    await expect(t.sql(`update batch set category = 'GRAVEL' where id = (select min(id) from batch)`)).rejects.toThrow(/batch_category_check/);
    const res = await t.gql(`mutation($input: CreateBatchInput!) { createBatch(input: $input) { id } }`, {
      input: { ownerId: scene.farm.id, productName: 'X', category: 'GRAVEL', lotCode: 'G1', quantity: 1, unit: 'KG', producedAt: '2026-11-01T06:00:00.000Z' },
    }, f.admin);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('charges and tests an uncertified load only where its category needs a certificate', async () => {
    const eggs = await makeBatch(t, f.admin, scene.farm.id, { category: 'EGGS', productName: 'Eggs' });
    expect(await scan(eggs.publicCode, 'eggs-1')).toEqual({ entryId: expect.any(String), decision: 'TEST_REQUIRED', reasons: [{ code: 'NO_CERTIFICATE' }], receivedBatch: null });
    expect(await noCertificateCharges()).toBe(1);

    const dairy = await makeOperator(t, f.admin, { kind: 'DAIRY_FARM', name: 'Hill Dairy' });
    const milk = await makeBatch(t, f.admin, dairy.id, { category: 'DAIRY', productName: 'Raw milk', unit: 'L' });
    expect(await scan(milk.publicCode, 'milk-1', 10, 'L')).toEqual({ entryId: expect.any(String), decision: 'ACCEPTED', reasons: [], receivedBatch: { quantity: 10 } });
    expect(await noCertificateCharges()).toBe(1);
    // every other rule still holds for an exempt category
    expect((await scan(milk.publicCode, 'milk-2', 1000, 'L')).reasons).toEqual([{ code: 'BATCH_QUANTITY_EXCEEDED' }]);
    expect((await scan(milk.publicCode, 'milk-3', 1, 'KG')).reasons).toEqual([{ code: 'UNIT_MISMATCH' }]);
  });
});

describe('GET /c/:number', () => {
  it('prints every element the rules require, with the QR of the trace page, at label size', async () => {
    await t.sql(`update operator set contact_person = 'Wang Fang', contact_phone = '13912345678' where id = $1`, [scene.farm.id]);
    const batch = await makeBatch(t, f.admin, scene.farm.id, { productName: 'Shiitake', category: 'EDIBLE_FUNGI', quantity: 80, originPlace: 'Qingshan south slope' });
    const cert = await makeCertificate(t, scene.farmToken, batch.id, { quantity: 50, bases: ['COMMISSIONED_TEST', 'SELF_TEST'], testReference: 'LAB-2026-77', issuedAt: '2026-11-02T02:00:00.000Z' });
    const res = await t.app.fastify.inject({ method: 'GET', url: `/c/${cert.number}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<link rel="stylesheet" href="/static/label.css">');
    const page = text(res.body);
    expect(page).toContain(`承诺达标合格证 编号 ${cert.number} 产品名称 Shiitake 品类 食用菌 数量（重量） 50 千克 生产者 Green Valley Farm 联系方式 Wang Fang 13912345678 产地 Qingshan south slope 开具日期 2026年11月2日 批次号`);
    expect(page).toContain('承诺依据 委托检测、自我检测 检测报告编号 LAB-2026-77');
    expect(page).toContain('我承诺对生产销售的食用农产品');
    const traceUrl = `${t.config.publicUrl}/t/${batch.publicCode}`;
    expect(page).toContain(`扫码查看溯源信息 ${traceUrl}`);
    const svg = /<div class="qr" id="cert-qr">([\s\S]*?)<\/div>/.exec(res.body)![1];
    const { data, info } = await sharp(Buffer.from(svg)).resize(400).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data).toBe(traceUrl);

    const en = text((await t.app.fastify.inject({ method: 'GET', url: `/c/${cert.number.toLowerCase()}?lang=en` })).body);
    expect(en).toContain('Product Shiitake Category Edible fungi Quantity (weight) 50 kg Producer Green Valley Farm Contact Wang Fang 13912345678');

    const css = await t.app.fastify.inject({ method: 'GET', url: '/static/label.css' });
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.body).toContain('@page { size: 100mm 75mm; margin: 0; }');
    expect(css.body).toContain('@media print');
  });

  it('marks a revoked certificate and leaves out the contact; unknown and malformed numbers are 404', async () => {
    const batch = await makeBatch(t, f.admin, scene.farm.id);
    const cert = await makeCertificate(t, scene.farmToken, batch.id);
    ok(await t.gql(`mutation { revokeCertificate(id: ${cert.id}, reason: "Wrong lot") { status } }`, {}, f.admin));
    const page = text((await t.app.fastify.inject({ method: 'GET', url: `/c/${cert.number}` })).body);
    expect(page).toContain('此合格证已撤销，不再有效');
    expect(page).not.toContain('联系方式');
    expect(page).not.toContain('13800000000');
    for (const url of ['/c/CN20261101ZZZZZZZZ', '/c/nope', `/c/${'A'.repeat(60)}`, '/c/%E2%80%AE']) {
      const res = await t.app.fastify.inject({ method: 'GET', url });
      expect([url, res.statusCode]).toEqual([url, 404]);
    }
  });
});

describe('the market board: refused loads and the complaint number', () => {
  it('shows each refused load with its reasons and how it was dealt with, and the complaint telephone', async () => {
    const recalled = await makeBatch(t, f.admin, scene.farm.id, { productName: 'Leeks' });
    await t.sql(`update batch set status = 'RECALLED' where id = $1`, [recalled.id]);
    await scan(recalled.publicCode, 'refused-1', 5);
    const lot = await makeBatch(t, f.admin, scene.farm.id, { productName: 'Spinach' });
    const entry = await scan(lot.publicCode, 'tested-1', 7);
    const item = { item: '有机磷和氨基甲酸酯类农药 / organophosphate and carbamate', unit: '%', value: 63.1, result: 'FAIL' };
    expect(ok(await t.gql(RAPID, { input: { entryId: entry.entryId, items: [item], tester: 'Zhou' } }, scene.gate)).recordRapidTest.entry.decision).toBe('REJECTED');

    const BOARD = `query($m: ID!) { marketTestBoard(marketId: $m) { complaintPhone refusals { productName vendorName batchPublicCode declaredQuantity unit reasons { code } handling } } }`;
    const board = ok(await t.gql(BOARD, { m: scene.market }, f.regulator)).marketTestBoard;
    expect(board).toEqual({
      complaintPhone: '12315',
      refusals: [
        { productName: 'Leeks', vendorName: 'Stall 12', batchPublicCode: recalled.publicCode, declaredQuantity: 5, unit: 'KG', reasons: [{ code: 'BATCH_RECALLED' }], handling: 'RETURNED' },
        { productName: 'Spinach', vendorName: 'Stall 12', batchPublicCode: lot.publicCode, declaredQuantity: 7, unit: 'KG', reasons: [{ code: 'NO_CERTIFICATE' }, { code: 'RAPID_TEST_FAILED' }], handling: 'HELD_NON_CONFORMANT' },
      ],
    });
    // anonymous callers learn what was refused and why, not whose load it was
    const anonymous = ok(await t.gql(BOARD, { m: scene.market })).marketTestBoard;
    expect(anonymous.refusals.map((r: { vendorName: string; batchPublicCode: string | null }) => [r.vendorName, r.batchPublicCode])).toEqual([['', null], ['', null]]);
    const html = (await t.app.fastify.inject({ method: 'GET', url: `/m/${scene.market}/board?lang=en` })).body;
    const page = text(html);
    expect(page.slice(page.indexOf('Refused loads'))).not.toContain('Stall 12');
    expect(html).not.toContain(recalled.publicCode);
    expect(page).toMatch(/\d\d:\d\d Leeks 5 kg This lot has been recalled Refused entry and turned back/);
    expect(page).toMatch(/\d\d:\d\d Spinach 7 kg No valid certificate: a rapid test is required; Failed the rapid test Failed a test: the lot is marked and may not be sold/);
    expect(page).toContain('Complaints telephone: 12315');
  });
});
