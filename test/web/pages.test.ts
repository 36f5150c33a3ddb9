import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { sampleDraw } from '../../src/gate/gate.service';
import { transferWithin } from '../../src/trace/batch-flow';
import { useTestApp } from '../support/use-test-app';
import { makeBatch, makeOperator, ok } from '../support/factories';
import { ID_BASE, SECRETS, buildWebTown, recallLot, type WebTown } from './town';

const { t } = useTestApp({ each: 'reset' });
let town: WebTown;

beforeEach(async () => {
  town = await buildWebTown(t);
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.fastify.inject({ method: 'GET', url, headers });

/** The visible text of a page, tags removed and entities decoded, whitespace collapsed. */
function text(markup: string): string {
  return markup
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('GET /t/:code', () => {
  test('shows product, origin, producer grade, certificate, test and journey in Chinese by default', async () => {
    const res = await get(`/t/${town.stallBatch.publicCode}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe('zh-CN');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const page = text(res.body);
    expect(page).toContain('小青菜 Bok choy');
    expect(page).toContain(`批次号 ${town.stallBatch.lotCode}`);
    expect(page).toContain('数量 25 千克');
    expect(page).toContain('产地 村/地址 青山村三组 Qingshan group 3 农场/基地 青山绿叶农场 Green Leaf Farm');
    expect(page).toContain('信用等级: A 守信');
    expect(page).toContain(`证号 ${town.certificateNumber}`);
    expect(page).toContain('承诺依据: 自我检测 委托检测');
    expect(page).toContain('检测报告编号 LAB-2026-0456');
    expect(page).toContain('合格 · 快速检测: 有机磷和氨基甲酸酯类农药 Organophosphate/carbamate inhibition 2026年11月3日 · 城东农贸市场 East Market');
    // farm → wholesaler → stall, oldest first, with dates in China time
    const journey = page.slice(page.indexOf('流转过程'));
    expect(journey).toMatch(/^流转过程 2026年11月1日 生产\/采收 · 青山绿叶农场 Green Leaf Farm .*2026年11月2日 交付 · 县城批发部 County Wholesale .*2026年11月3日 交付 · 李记蔬菜摊 Li Vegetable Stall/);
    expect(res.body).not.toContain('id="recall-banner"');
    expect(res.body).toContain(`href="/o/${town.farm.publicCode}"`);
  });

  test('a load admitted at the gate shows its market entry as a step of the journey', async () => {
    let scanId = '';
    do scanId = randomUUID(); while (sampleDraw(scanId, t.config.samplingSecret!) < 0.1);
    const res = await t.gql(
      `mutation($input: GateScanInput!) { scanAtGate(input: $input) { decision receivedBatch { publicCode } } }`,
      { input: { code: town.farmBatch.publicCode, marketId: town.marketId, vendorOperatorId: town.vendor2.id, declaredQuantity: 15, unit: 'KG', scanId } },
      town.gate,
    );
    const scan = ok(res).scanAtGate;
    expect(scan.decision).toBe('ACCEPTED');
    const [{ created_at }] = await t.sql('select created_at from market_entry where scan_id = $1', [scanId]);
    const day = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' }).format(created_at);
    const page = text((await get(`/t/${scan.receivedBatch.publicCode}`)).body);
    expect(page.slice(page.indexOf('流转过程'))).toMatch(
      new RegExp(`^流转过程 2026年11月1日 生产/采收 · 青山绿叶农场 Green Leaf Farm \\(农场/种植户\\) 小青菜 Bok choy · 批次号 QS-2026-1101 · 100 千克 ${day} 进入市场 · 城东农贸市场 East Market · 张家水果铺 Zhang Fruit Stall \\(市场摊户\\) 小青菜 Bok choy · 批次号 QS-2026-1101/T1 · 15 千克 `),
    );
  });

  test('a merged lot names every producer behind it, each with its grade', async () => {
    const coop = await makeOperator(t, town.admin, { kind: 'COOPERATIVE', name: '桃源合作社 Taoyuan Cooperative', village: '桃源村 Taoyuan' });
    const other = await makeOperator(t, town.admin, { name: '河湾蔬菜基地 Hewan Vegetable Base', village: '河湾村 Hewan' });
    const otherLot = await makeBatch(t, town.admin, other.id, { productName: '小青菜 Bok choy', lotCode: 'HW-1', quantity: 50 });
    await t.sql(`update operator set credit_grade = 'B', credit_score = 80 where id = $1`, [other.id]);
    const transfer = `mutation($input: TransferBatchInput!) { transferBatch(input: $input) { id } }`;
    const a = ok(await t.gql(transfer, { input: { batchId: town.farmBatch.id, toOperatorId: coop.id, quantity: 10 } }, town.admin)).transferBatch;
    const b = ok(await t.gql(transfer, { input: { batchId: otherLot.id, toOperatorId: coop.id, quantity: 20 } }, town.admin)).transferBatch;
    const merged = ok(await t.gql(
      `mutation($input: MergeBatchesInput!) { mergeBatches(input: $input) { publicCode } }`,
      { input: { inputs: [{ batchId: a.id }, { batchId: b.id }], lotCode: 'COOP-MIX-1' } },
      town.admin,
    )).mergeBatches;
    const res = await get(`/t/${merged.publicCode}?lang=en`);
    const page = text(res.body);
    expect(page).toContain('Farm 青山绿叶农场 Green Leaf Farm; 河湾蔬菜基地 Hewan Vegetable Base');
    expect([...res.body.matchAll(/<section class="card producer">\s*<h2>Producer<\/h2>\s*<p><strong>([^<]+)<\/strong>[\s\S]*?class="grade grade-([A-D])"/g)].map((m) => [m[1], m[2]])).toEqual([
      ['青山绿叶农场 Green Leaf Farm', 'A'], ['河湾蔬菜基地 Hewan Vegetable Base', 'B'],
    ]);
    expect(page).toContain('Merged · 桃源合作社 Taoyuan Cooperative (Cooperative) 小青菜 Bok choy · Lot COOP-MIX-1 · 30 kg');
  });

  test('speaks English with ?lang=en and with Accept-Language', async () => {
    for (const res of [await get(`/t/${town.stallBatch.publicCode}?lang=en`), await get(`/t/${town.stallBatch.publicCode}`, { 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' })]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-language']).toBe('en');
      const page = text(res.body);
      expect(page).toContain('Quantity 25 kg');
      expect(page).toContain('Credit grade: A Trustworthy');
      expect(page).toContain('Based on: Tested by the producer Tested by a commissioned lab');
      expect(page).toContain('Passed · Rapid test');
      expect(page).toMatch(/Journey 1 Nov 2026 Produced \/ harvested · 青山绿叶农场 Green Leaf Farm .*2 Nov 2026 Handed over · 县城批发部 County Wholesale .*3 Nov 2026 Handed over · 李记蔬菜摊 Li Vegetable Stall/);
    }
    // Chinese first in the header wins; ?lang beats the header
    expect((await get(`/t/${town.stallBatch.publicCode}`, { 'accept-language': 'zh-TW,en;q=0.8' })).headers['content-language']).toBe('zh-CN');
    expect((await get(`/t/${town.stallBatch.publicCode}?lang=zh`, { 'accept-language': 'en' })).headers['content-language']).toBe('zh-CN');
  });

  test('never shows phone numbers, contact people, tokens, account names or internal ids', async () => {
    for (const lang of ['zh', 'en']) {
      for (const url of [`/t/${town.stallBatch.publicCode}?lang=${lang}`, `/t/${town.farmBatch.publicCode}?lang=${lang}`, `/o/${town.farm.publicCode}?lang=${lang}`, `/o/${town.vendor.publicCode}?lang=${lang}`]) {
        const res = await get(url);
        expect(res.statusCode).toBe(200);
        for (const secret of [...Object.values(SECRETS), ...town.tokens, town.gateAccountName, 'ADMIN ', 'REGULATOR ']) {
          expect(res.body).not.toContain(secret);
        }
        // every row id starts at ID_BASE, so no number of that size may appear
        expect(res.body).not.toMatch(new RegExp(`${String(ID_BASE).slice(0, 3)}\\d{3}`));
        expect(res.body).not.toMatch(/1[3-9]\d{9}/);
      }
    }
  });

  test('a page costs the same few statements however long the chain', async () => {
    const short = await t.countStatements(() => get(`/t/${town.stallBatch.publicCode}`));
    // twelve more hand-overs between the wholesaler and the vendor
    const em = t.orm.em.fork();
    const last = await em.transactional(async (tx) => {
      let id = town.stallBatch.id;
      for (let i = 0; i < 12; i++) {
        const to = i % 2 === 0 ? town.wholesaler.id : town.vendor.id;
        id = (await transferWithin({ em: tx }, { parentId: id, toOperatorId: Number(to), quantity: 1 })).id;
      }
      return id;
    });
    const [{ public_code }] = await t.sql('select public_code from batch where id = $1', [last]);
    let page = '';
    const long = await t.countStatements(async () => {
      page = (await get(`/t/${public_code}`)).body;
    });
    // one statement: the upstream walk with the details of every node
    expect([short, long]).toEqual([1, 1]);
    expect(page.match(/<li><span class="when">/g)).toHaveLength(15);
    expect(await t.countStatements(() => get(`/o/${town.farm.publicCode}`))).toBe(1);
  });

  test('escapes everything it prints', async () => {
    await t.sql(`update batch set product_name = $2 where id = $1`, [town.stallBatch.id, '<script>alert(1)</script>"\'&']);
    await t.sql(`update operator set name = $2 where id = $1`, [town.farm.id, '<img src=x onerror=alert(2)>']);
    const res = await get(`/t/${town.stallBatch.publicCode}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    expect(res.body).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  test('a recalled lot carries a red banner with the reason', async () => {
    const day = await recallLot(t, town.regulator, town.farmBatch.id, '农药残留超标 Pesticide residue over the limit');
    const zh = text((await get(`/t/${town.stallBatch.publicCode}`)).body);
    expect(zh).toContain(`此批次已被召回，请勿食用。 召回原因: 农药残留超标 Pesticide residue over the limit 召回日期: ${day.zh}`);
    const en = await get(`/t/${town.stallBatch.publicCode}?lang=en`);
    expect(en.body).toContain('<div class="banner recalled" role="alert" id="recall-banner">');
    expect(text(en.body)).toContain(`This lot has been recalled. Do not eat it. Reason: 农药残留超标 Pesticide residue over the limit Recalled on: ${day.en}`);
  });

  test('a revoked certificate and a failed test are flagged on the page', async () => {
    const [{ id }] = await t.sql('select id from origin_certificate where number = $1', [town.certificateNumber]);
    ok(await t.gql(`mutation($id: ID!) { revokeCertificate(id: $id, reason: "forged stamp") { status } }`, { id: String(id) }, town.regulator));
    await t.sql('update batch set non_conformant = true where id = $1', [town.stallBatch.id]);
    const zh = await get(`/t/${town.stallBatch.publicCode}`);
    expect(zh.body).toContain('<div class="banner warn" role="alert">此批次检测不合格。</div>');
    expect(zh.body).toContain('<p class="banner warn">此合格证已撤销</p>');
    const en = await get(`/t/${town.stallBatch.publicCode}?lang=en`);
    expect(en.body).toContain('<div class="banner warn" role="alert">This lot failed a test.</div>');
    expect(en.body).toContain('<p class="banner warn">This certificate has been revoked</p>');
  });

  test('a lookup cancelled by the public statement timeout answers 503 with the friendly page, no detail', async () => {
    const locker = new Client({ connectionString: t.url });
    await locker.connect();
    const limits = t.config.limits;
    t.config.limits = { ...limits, publicStatementTimeoutMs: 300 };
    try {
      await locker.query('begin');
      await locker.query('lock table batch in access exclusive mode');
      const res = await get(`/t/${town.stallBatch.publicCode}?lang=en`);
      expect(res.statusCode).toBe(503);
      expect(text(res.body)).toBe('Temporarily unavailable Temporarily unavailable The server cannot answer right now. Please try again shortly.');
    } finally {
      await locker.query('rollback');
      await locker.end();
      t.config.limits = limits;
    }
    expect((await get(`/t/${town.stallBatch.publicCode}`)).statusCode).toBe(200);
  });

  test('an unknown or malformed code gets the friendly 404 page', async () => {
    for (const code of ['NoSuchCode12345', '..%2F..%2Fetc', 'x'.repeat(80)]) {
      const res = await get(`/t/${code}`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(text(res.body)).toContain('未找到该追溯码 没有找到与此二维码对应的产品。');
    }
    const en = await get('/t/NoSuchCode12345?lang=en');
    expect(text(en.body)).toContain('Trace code not found No product matches this QR code.');
  });
});

describe('GET /o/:code', () => {
  test('shows kind, registration number, grade and the count of recent unreversed violations', async () => {
    const { appendCreditEvent } = await import('../../src/credit/ledger.service');
    const em = t.orm.em.fork();
    const now = Date.now();
    const month = 30 * 86_400_000;
    const ids = await em.transactional(async (tx) => {
      const a = await appendCreditEvent({ em: tx }, { operatorId: Number(town.farm.id), ruleCode: 'NO_CERTIFICATE', reason: 'gate', source: 'ENTRY' as never, occurredAt: new Date(now - 1 * month) });
      const b = await appendCreditEvent({ em: tx }, { operatorId: Number(town.farm.id), ruleCode: 'NO_CERTIFICATE', reason: 'gate', source: 'ENTRY' as never, occurredAt: new Date(now - 2 * month) });
      await appendCreditEvent({ em: tx }, { operatorId: Number(town.farm.id), ruleCode: 'RAPID_TEST_FAILED', reason: 'old', source: 'INSPECTION' as never, occurredAt: new Date(now - 13 * month) });
      await appendCreditEvent({ em: tx }, { operatorId: Number(town.farm.id), ruleCode: 'TRAINING_COMPLETED', reason: 'training', source: 'REGULATOR' as never, occurredAt: new Date(now - 1 * month) });
      return [a, b];
    });
    await em.transactional((tx) => appendCreditEvent({ em: tx }, { operatorId: Number(town.farm.id), ruleCode: 'REVERSAL', reason: 'appeal upheld', source: 'APPEAL' as never, reversesId: (ids[1] as { id: number }).id }));
    const [{ grade, registration }] = await t.sql('select credit_grade as grade, credit_code as registration from operator where id = $1', [town.farm.id]);

    const zh = await get(`/o/${town.farm.publicCode}`);
    expect(zh.statusCode).toBe(200);
    const page = text(zh.body);
    expect(page).toContain('青山绿叶农场 Green Leaf Farm');
    expect(page).toContain(`类型 农场/种植户 登记号 ${registration} 村/地址 青山村 Qingshan 经营状态 正常经营 近12个月违规记录 1 次`);
    expect(zh.body).toContain(`<span class="grade grade-${grade}"`);

    const en = text((await get(`/o/${town.vendor.publicCode}?lang=en`)).body);
    const [{ card }] = await t.sql('select registration_card_no as card from operator where id = $1', [town.vendor.id]);
    expect(en).toContain(`Kind Market vendor Registration no. ${card} Village / place 县城 County town Status Active Violations in the last 12 months 0`);
    expect(en).toContain('Credit grade: A Trustworthy');
  });

  test('an unknown card code is a friendly 404', async () => {
    const res = await get('/o/unknownCard00?lang=en');
    expect(res.statusCode).toBe(404);
    expect(text(res.body)).toContain('Operator not found');
  });
});

describe('GET /m/:marketId/board', () => {
  test("lists the day's tests with product, vendor, items and result", async () => {
    const zh = await get(`/m/${town.marketId}/board?date=2026-11-03`);
    expect(zh.statusCode).toBe(200);
    const page = text(zh.body);
    expect(page).toContain('快检结果公示 城东农贸市场 East Market 日期: 2026年11月3日 共检测 1 批次，合格 1，不合格 0');
    expect(page).toContain('09:15 小青菜 Bok choy 李记蔬菜摊 Li Vegetable Stall 快速检测: 有机磷和氨基甲酸酯类农药 Organophosphate/carbamate inhibition 12.5% 合格');
    expect(zh.body).toContain(`href="/t/${town.stallBatch.publicCode}"`);
    const other = text((await get(`/m/${town.marketId}/board?date=2026-11-04&lang=en`)).body);
    expect(other).toContain('0 lots tested: 0 passed, 0 failed No tests recorded today yet.');
  });

  test('an unknown market is 404 and a bad date 400', async () => {
    expect((await get('/m/999999/board')).statusCode).toBe(404);
    expect((await get('/m/abc/board')).statusCode).toBe(404);
    const bad = await get(`/m/${town.marketId}/board?date=2026-13-45&lang=en`);
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('The date must be written YYYY-MM-DD.');
  });
});

describe('static assets and the gate shell', () => {
  test('serves the stylesheet, the gate script and the jsQR decoder from our own server', async () => {
    for (const [name, type] of [['site.css', 'text/css; charset=utf-8'], ['gate.js', 'text/javascript; charset=utf-8'], ['gate-sw.js', 'text/javascript; charset=utf-8'], ['jsQR.js', 'text/javascript; charset=utf-8']]) {
      const res = await get(`/static/${name}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      const again = await get(`/static/${name}`, { 'if-none-match': String(res.headers.etag) });
      expect(again.statusCode).toBe(304);
    }
    expect((await get('/static/gate-sw.js')).headers['service-worker-allowed']).toBe('/gate');
    const plain = await get('/static/jsQR.js');
    const zipped = await get('/static/jsQR.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect([plain.headers['content-encoding'], zipped.headers['content-encoding']]).toEqual([undefined, 'gzip']);
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect((await get('/static/../package.json')).statusCode).toBe(404);
    expect((await get('/static/constructor')).statusCode).toBe(404);
    const gate = await get('/gate');
    expect(gate.statusCode).toBe(200);
    expect(gate.body).toContain('<script src="/static/gate.js" defer></script>');
    expect(gate.body).not.toMatch(/<script>(?!<)/);
    expect(gate.body).not.toMatch(/https?:\/\//);
  });

  test('serves the inspection page shell, its script and its service worker, which looks after /inspect', async () => {
    for (const name of ['inspect.js', 'inspect-sw.js']) {
      const res = await get(`/static/${name}`);
      expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    }
    expect((await get('/static/inspect-sw.js')).headers['service-worker-allowed']).toBe('/inspect');
    const page = await get('/inspect?lang=en');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="/static/inspect.js" defer></script>');
    expect(page.body).toContain('<input id="photo-input" class="visually-hidden" type="file" accept="image/jpeg,image/png,image/webp" capture="environment">');
    expect(page.body).not.toMatch(/<script>(?!<)/);
    expect(page.body).not.toMatch(/https?:\/\//);
  });
});

describe('marketVendors', () => {
  const query = `query($marketId: ID!) { marketVendors(marketId: $marketId) { name kind publicCode } }`;

  test('lists the active market vendors by name for gate staff of that market', async () => {
    await t.sql(`insert into operator (kind, name, registration_card_no, public_code, status) values ('MARKET_VENDOR', 'Suspended Stall', 'BA2026999999', 'suspendedStall01', 'SUSPENDED')`);
    const res = await t.gql(query, { marketId: town.marketId }, town.gate);
    expect(ok(res).marketVendors).toEqual([
      { name: town.vendor2.name, kind: 'MARKET_VENDOR', publicCode: town.vendor2.publicCode },
      { name: town.vendor.name, kind: 'MARKET_VENDOR', publicCode: town.vendor.publicCode },
    ]);
  });

  test('refuses gate staff of another market, anonymous callers and a bad id', async () => {
    const other = await t.gql(`mutation { registerMarket(input: { name: "West Market" }) { id } }`, {}, town.admin);
    const otherId = ok(other).registerMarket.id;
    const forbidden = await t.gql(query, { marketId: otherId }, town.gate);
    expect(forbidden.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const anonymous = await t.gql(query, { marketId: town.marketId });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const bad = await t.gql(query, { marketId: 'abc' }, town.admin);
    expect(bad.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'marketId']]);
    const missing = await t.gql(query, { marketId: '999999' }, town.admin);
    expect(missing.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});
