import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { createAccount } from '../../src/auth/account.service';
import { Role } from '../../src/entities/enums';
import { sampleDraw } from '../../src/gate/gate.service';
import { RAPID_TEST_ITEM } from '../../src/web/gate.page';
import { createTestApp, type TestApp } from '../support/app';
import { makeBatch, makeCertificate, makeOperator } from '../support/factories';
import { writeY4mFromPng } from './camera';
import { SECRETS, buildWebTown, recallLot, type WebTown } from './town';
import { SHOTS, PHONE, CHROMIUM_ARGS } from '../support/browser';


let t: TestApp;
let town: WebTown;
let base: string;
let browser: Browser;
/** One phone for the pages read without signing in; each test opens its own tab. */
let reader: BrowserContext;
let y4m: string;
let uncertifiedCode: string;
let recalledCode: string;
let recallDay: string;

/** The batch's QR image as printed on the goods: GET /qr/:code.png. */
async function qrPng(code: string): Promise<Buffer> {
  const res = await fetch(`${base}/qr/${code}.png`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  return Buffer.from(await res.arrayBuffer());
}

/** An independent decoder (jsQR in Node, not the browser). */
function decodeQr(png: Buffer): string {
  const img = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  if (!found) throw new Error('no QR code in the image');
  return found.data;
}

/** Scan ids the server will not draw for a sampling test (grade A draws 2 %), so each decision is exact. */
function unsampledScanIds(n: number): string[] {
  const ids: string[] = [];
  while (ids.length < n) {
    const id = randomUUID();
    if (sampleDraw(id, t.config.samplingSecret!) >= 0.1) ids.push(id);
  }
  return ids;
}

/** Every page fits a phone's width (no sideways scrolling), then is photographed. */
async function shot(page: Page, name: string): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.viewport.width);
  expect(foreign).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Requests any page made to another origin; pages load everything from our server. */
const foreign: string[] = [];

async function phone(locale = 'zh-CN', extra: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, locale, ...extra });
  context.on('request', (r) => {
    if (!r.url().startsWith(`${base}/`) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  const page = await context.newPage();
  return { context, page };
}

/** A gate phone signed in (as the town's clerk unless `token` says otherwise); `crypto.randomUUID` hands out the given scan ids first. */
async function gatePhone(
  scanIds: string[], lang: 'zh' | 'en' = 'zh', extra: Parameters<Browser['newContext']>[0] = {}, token = town.gate,
): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await phone(lang === 'zh' ? 'zh-CN' : 'en-GB', extra);
  await context.grantPermissions(['camera'], { origin: base });
  await context.addInitScript((ids: string[]) => {
    const original = crypto.randomUUID.bind(crypto);
    const queue = [...ids];
    crypto.randomUUID = () => (queue.shift() ?? original()) as ReturnType<Crypto['randomUUID']>;
  }, scanIds);
  await page.goto(`${base}/gate${lang === 'en' ? '?lang=en' : ''}`);
  await signInAt(page, token);
  return { context, page };
}

/** Signs the gate page in with `token` and waits for the scanner and its vendors. */
async function signInAt(page: Page, token: string): Promise<void> {
  await page.fill('#token', token);
  await page.click('#signin-button');
  await page.waitForSelector('#scanner:not(.hidden)');
  await page.waitForFunction(() => document.querySelectorAll('#vendor option').length === 3);
}

/** A gate clerk of the town's market with a name of its own. */
async function clerk(name: string): Promise<{ token: string; id: number }> {
  const { account, token } = await createAccount({ em: t.orm.em.fork() }, { name, role: Role.GATE_STAFF, marketId: Number(town.marketId) });
  return { token, id: account.id };
}

/** Types one load into the gate form and presses Check. */
async function typeScan(page: Page, quantity: string, code = town.farmBatch.publicCode): Promise<void> {
  await page.selectOption('#vendor', town.vendor.id);
  await page.fill('#quantity', quantity);
  await page.fill('#code', code);
  await page.click('#check-button');
}

const queuedScans = (page: Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('foodtrace.gate.queue') || '[]').map((q: { scanId: string; accountId: string }) => [q.scanId, q.accountId]));

async function entries(scanIds: string[]) {
  return t.sql<{ scan_id: string; code_scanned: string; decision: string; vendor_id: number; declared_quantity: string; unit: string; reasons: { code: string }[] }>(
    `select scan_id, code_scanned, decision, vendor_id, declared_quantity, unit, reasons from market_entry where scan_id = any($1) order by id`,
    [scanIds],
  );
}

beforeAll(async () => {
  // each screenshot is overwritten by its own test; other files' shots in the folder stay
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  // the pages and QR codes print links to where this server listens
  t.config.publicUrl = base;
  town = await buildWebTown(t);

  const smallholder = await makeOperator(t, town.admin, { name: '溪口小农户 Xikou Smallholder', village: '溪口村 Xikou', contactPhone: '13700000003' });
  uncertifiedCode = (await makeBatch(t, town.admin, smallholder.id, { productName: '白萝卜 White radish', lotCode: 'XK-R-1' })).publicCode;
  const orchard = await makeOperator(t, town.admin, { name: '桃源桃园 Taoyuan Peach Orchard', village: '桃源村 Taoyuan', contactPhone: '13700000004' });
  const peaches = await makeBatch(t, town.admin, orchard.id, { productName: '水蜜桃 Honey peach', category: 'FRUIT', lotCode: 'TY-P-01', quantity: 1200 });
  await makeCertificate(t, town.admin, peaches.id, { bases: ['INTERNAL_QC'] });
  recallDay = (await recallLot(t, town.regulator, peaches.id, '检出违禁农药 A banned pesticide was found')).zh;
  recalledCode = peaches.publicCode;

  // the gate's camera films the farm lot's QR code
  y4m = path.join(os.tmpdir(), `foodtrace-gate-${process.pid}.y4m`);
  writeY4mFromPng(await qrPng(town.farmBatch.publicCode), y4m);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${y4m}`] });
  reader = (await phone('zh-CN')).context;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (y4m) rmSync(y4m, { force: true });
});

describe('consumer trace page in Chromium', () => {
  test('the QR code decodes to the trace URL, whose page shows the chain in Chinese, then English', async () => {
    const url = decodeQr(await qrPng(town.stallBatch.publicCode));
    expect(url).toBe(`${base}/t/${town.stallBatch.publicCode}`);

    const page = await reader.newPage();
    const res = await page.goto(url);
    expect(res!.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('h1').innerText()).toBe('小青菜 Bok choy');
    expect(await page.locator('#product dd').allInnerTexts()).toEqual([town.stallBatch.lotCode, '25 千克', '2026年11月1日']);
    expect(await page.locator('#producer dd').allInnerTexts()).toEqual(['青山村三组 Qingshan group 3', '青山绿叶农场 Green Leaf Farm']);
    expect(await page.locator('.grade').innerText()).toBe('A');
    expect(await page.locator('.certificate dd').first().innerText()).toBe(town.certificateNumber);
    expect(await page.locator('.bases li').allInnerTexts()).toEqual(['自我检测', '委托检测']);
    expect(await page.locator('#tests .pass').allInnerTexts()).toEqual(['合格']);
    expect(await page.locator('ol.journey .when').allInnerTexts()).toEqual(['2026年11月1日', '2026年11月2日', '2026年11月3日']);
    expect(await page.locator('#recall-banner').count()).toBe(0);
    // readable at arm's length: body text at least 19 CSS px on a phone
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('19px');
    await shot(page, 'trace-zh');

    await page.click('nav.lang a');
    expect(page.url()).toBe(`${url}?lang=en`);
    expect(await page.locator('#product dd').allInnerTexts()).toEqual([town.stallBatch.lotCode, '25 kg', '1 Nov 2026']);
    expect(await page.locator('.bases li').allInnerTexts()).toEqual(['Tested by the producer', 'Tested by a commissioned lab']);
    expect(await page.locator('ol.journey strong').allInnerTexts()).toEqual(['Produced / harvested', 'Handed over', 'Handed over']);
    await shot(page, 'trace-en');
    const body = await page.content();
    for (const secret of [...Object.values(SECRETS), ...town.tokens, town.gateAccountName]) expect(body).not.toContain(secret);
    await page.close();
  });

  test("an English browser gets English from Accept-Language; the page needs no JavaScript", async () => {
    const { context, page } = await phone('en-US', { javaScriptEnabled: false });
    await page.goto(`${base}/t/${town.stallBatch.publicCode}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#producer h2').innerText()).toBe('Origin');
    expect(await page.locator('#journey h2').innerText()).toBe('Journey');
    await context.close();
  });

  test('a recalled lot shows the red banner', async () => {
    const page = await reader.newPage();
    await page.goto(`${base}/t/${recalledCode}`);
    const banner = page.locator('#recall-banner');
    expect(await banner.innerText()).toBe(`此批次已被召回，请勿食用。\n\n召回原因: 检出违禁农药 A banned pesticide was found\n\n召回日期: ${recallDay}`);
    expect(await banner.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(176, 0, 32)');
    await shot(page, 'trace-recalled');
    await page.close();
  });

  test('an unknown code gets the friendly 404 page', async () => {
    const page = await reader.newPage();
    const res = await page.goto(`${base}/t/NoSuchCode12345`);
    expect(res!.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('未找到该追溯码');
    await shot(page, 'trace-404');
    await page.close();
  });

  test('operator card and market test board render on a phone', async () => {
    const page = await reader.newPage();
    await page.goto(`${base}/o/${town.farm.publicCode}`);
    expect(await page.locator('h1').innerText()).toBe('青山绿叶农场 Green Leaf Farm');
    expect(await page.locator('#violations').innerText()).toBe('0 次');
    await shot(page, 'operator-card');
    await page.goto(`${base}/m/${town.marketId}/board?date=2026-11-03`);
    expect(await page.locator('#board tbody tr td').allInnerTexts()).toEqual([
      '09:15', '小青菜 Bok choy', '李记蔬菜摊 Li Vegetable Stall', '快速检测: 有机磷和氨基甲酸酯类农药 Organophosphate/carbamate inhibition 12.5%', '合格',
    ]);
    await shot(page, 'market-board');
    await page.close();
  });
});

describe('gate scanner in Chromium', () => {
  test('scanning through the camera admits the load: green answer, one entry', async () => {
    const ids = unsampledScanIds(1);
    const { context, page } = await gatePhone(ids);
    await shot(page, 'gate-ready');
    await page.selectOption('#vendor', town.vendor.id);
    await page.fill('#quantity', '10');
    await page.selectOption('#unit', 'KG');
    await page.click('#scan-button');
    await page.waitForSelector('#answer.ACCEPTED', { timeout: 15_000 });
    expect(await page.locator('#answer-word').innerText()).toBe('准许入场');
    expect(await page.locator('#answer-detail').innerText()).toBe(`小青菜 Bok choy · 批次 QS-2026-1101 · 青山绿叶农场 Green Leaf Farm (信用等级 A) · 合格证 ${town.certificateNumber}`);
    expect(await page.locator('#answer-reasons li').count()).toBe(0);
    expect(await page.locator('#camera').isHidden()).toBe(true);
    // Chromium on Linux has no BarcodeDetector: the frames were read by the jsQR build we serve
    expect(await page.evaluate(() => [typeof (window as unknown as Record<string, unknown>).BarcodeDetector, typeof (window as unknown as Record<string, unknown>).jsQR])).toEqual(['undefined', 'function']);
    await shot(page, 'gate-camera-accepted');
    expect(await entries(ids)).toEqual([
      { scan_id: ids[0], code_scanned: `${base}/t/${town.farmBatch.publicCode}`, decision: 'ACCEPTED', vendor_id: Number(town.vendor.id), declared_quantity: '10.000', unit: 'KG', reasons: [] },
    ]);
    await context.close();
  });

  test('typed codes get amber and red answers with reasons, in English', async () => {
    const ids = unsampledScanIds(2);
    const { context, page } = await gatePhone(ids, 'en');
    await page.selectOption('#vendor', town.vendor2.id);
    await page.fill('#quantity', '20');
    await page.fill('#code', uncertifiedCode);
    await page.click('#check-button');
    await page.waitForSelector('#answer.TEST_REQUIRED');
    expect(await page.locator('#answer-word').innerText()).toBe('Test required');
    expect(await page.locator('#answer-detail').innerText()).toBe('白萝卜 White radish · lot XK-R-1 · 溪口小农户 Xikou Smallholder (grade A)');
    expect(await page.locator('#answer-reasons li').allInnerTexts()).toEqual(['No valid certificate: a rapid test is required']);
    await shot(page, 'gate-typed-test-required');

    await page.fill('#quantity', '5');
    await page.fill('#code', 'NOT-A-REAL-CODE');
    await page.click('#check-button');
    await page.waitForSelector('#answer.REJECTED');
    expect(await page.locator('#answer-word').innerText()).toBe('Rejected');
    expect(await page.locator('#answer-reasons li').allInnerTexts()).toEqual(['Unknown trace code or certificate number']);
    await shot(page, 'gate-typed-rejected');

    const rows = await entries(ids);
    expect(rows.map((r) => [r.scan_id, r.code_scanned, r.decision, r.vendor_id, r.declared_quantity, r.reasons.map((x) => x.code)])).toEqual([
      [ids[0], uncertifiedCode, 'TEST_REQUIRED', Number(town.vendor2.id), '20.000', ['NO_CERTIFICATE']],
      [ids[1], 'NOT-A-REAL-CODE', 'REJECTED', Number(town.vendor2.id), '5.000', ['UNKNOWN_CODE']],
    ]);
    await context.close();
  });

  test('three loads scanned offline are queued and each makes exactly one entry when the network returns', async () => {
    const ids = unsampledScanIds(3);
    const { context, page } = await gatePhone(ids);
    const before = Number((await t.sql('select count(*) as n from market_entry'))[0].n);
    await page.selectOption('#vendor', town.vendor.id);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    // the phone reloads with no network: the page comes from the device and is still signed in
    const reloaded = await page.reload();
    expect(reloaded!.headers()['x-served-from']).toBe('gate-cache');
    await page.waitForSelector('#scanner:not(.hidden)');
    expect(await page.locator('#vendor').inputValue()).toBe(town.vendor.id);
    for (const quantity of ['1', '2', '3']) {
      await page.fill('#quantity', quantity);
      await page.fill('#code', town.farmBatch.publicCode);
      await page.click('#check-button');
      await page.waitForFunction((n) => document.getElementById('pending')!.textContent === `待提交 ${n} 条`, quantity);
    }
    expect(await page.locator('#answer').getAttribute('class')).toBe('answer QUEUED');
    expect(await page.locator('#net').innerText()).toBe('离线');
    await shot(page, 'gate-offline-queued');
    expect(await entries(ids)).toEqual([]);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('foodtrace.gate.queue')!).map((q: { scanId: string }) => q.scanId))).toEqual(ids);

    await context.setOffline(false);
    await page.waitForFunction(() => document.getElementById('pending')!.textContent === '待提交 0 条', undefined, { timeout: 15_000 });
    expect(await page.locator('#recent li').allInnerTexts()).toEqual([
      '准许入场 · 李记蔬菜摊 Li Vegetable Stall · 3 千克', '准许入场 · 李记蔬菜摊 Li Vegetable Stall · 2 千克', '准许入场 · 李记蔬菜摊 Li Vegetable Stall · 1 千克',
    ]);
    // a reload re-runs the flush; nothing is left to send twice
    await page.reload();
    await page.waitForSelector('#scanner:not(.hidden)');
    await shot(page, 'gate-back-online');

    const rows = await entries(ids);
    expect(rows.map((r) => [r.scan_id, r.decision, r.declared_quantity])).toEqual([
      [ids[0], 'ACCEPTED', '1.000'], [ids[1], 'ACCEPTED', '2.000'], [ids[2], 'ACCEPTED', '3.000'],
    ]);
    expect(Number((await t.sql('select count(*) as n from market_entry'))[0].n)).toBe(before + 3);
    await context.close();
  });

  test('a token the server stops accepting asks to sign in again and keeps the queued scan for its clerk', async () => {
    const ids = unsampledScanIds(1);
    const zhou = await clerk('Clerk Zhou');
    const { context, page } = await gatePhone(ids, 'en', {}, zhou.token);
    await t.sql(`update account set revoked_at = now() where id = $1`, [zhou.id]);
    await typeScan(page, '1');
    await page.waitForSelector('#signin:not(.hidden)');
    expect(await page.locator('#signin-error').innerText()).toBe('Your sign-in has ended. Sign in again; what is stored on this device is kept.');
    expect(await page.locator('#scanner').isHidden()).toBe(true);
    expect(await queuedScans(page)).toEqual([[ids[0], String(zhou.id)]]);
    expect(await page.evaluate(() => localStorage.getItem('foodtrace.gate.token'))).toBeNull();
    expect(await entries(ids)).toEqual([]);
    await shot(page, 'gate-signin-again');

    // the clerk's account is let in again: the scan made before goes out under it, once
    await t.sql(`update account set revoked_at = null where id = $1`, [zhou.id]);
    await signInAt(page, zhou.token);
    await page.waitForFunction(() => document.getElementById('pending')!.textContent === '0 waiting to be sent');
    expect(await queuedScans(page)).toEqual([]);
    expect((await t.sql(`select scan_id, staff_id, decision from market_entry where scan_id = $1`, [ids[0]]))).toEqual([{ scan_id: ids[0], staff_id: zhou.id, decision: 'ACCEPTED' }]);
    await context.close();
  });

  test('queued scans go out only under the clerk who made them; signing out with a queue asks first', async () => {
    const ids = unsampledScanIds(1);
    const wang = await clerk('Clerk Wang');
    const chen = await clerk('Clerk Chen');
    const { context, page } = await gatePhone(ids, 'en', {}, wang.token);
    // the server cannot be reached: the scan is kept on the device
    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await typeScan(page, '1');
    await page.waitForFunction(() => document.getElementById('pending')!.textContent === '1 waiting to be sent');
    expect(await page.locator('#net').innerText()).toBe('Offline');
    expect(await queuedScans(page)).toEqual([[ids[0], String(wang.id)]]);
    await page.unroute('**/graphql');

    // signing out with a queue asks; declining keeps the clerk signed in
    const asked: string[] = [];
    page.once('dialog', (d) => { asked.push(d.message()); void d.dismiss(); });
    await page.click('#signout');
    await page.waitForFunction(() => document.getElementById('scanner')!.classList.contains('hidden') === false);
    expect(asked).toEqual(['1 records on this device are not sent yet. They stay and are sent when you sign in again. Sign out?']);
    expect(await page.locator('#scanner').isVisible()).toBe(true);
    page.once('dialog', (d) => void d.accept());
    await page.click('#signout');
    await page.waitForSelector('#signin:not(.hidden)');

    // another clerk signs in: the scan stays, shown as waiting for its clerk, and is not sent under this token
    await signInAt(page, chen.token);
    expect(await page.locator('#waiting li').allInnerTexts()).toEqual(['1 waiting for Clerk Wang']);
    expect(await page.locator('#pending').innerText()).toBe('0 waiting to be sent');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    expect(await entries(ids)).toEqual([]);
    expect(await queuedScans(page)).toEqual([[ids[0], String(wang.id)]]);
    await shot(page, 'gate-waiting-for-clerk');
    // Chen has nothing queued: signing out asks nothing
    page.once('dialog', (d) => { asked.push(d.message()); void d.accept(); });
    await page.click('#signout');
    await page.waitForSelector('#signin:not(.hidden)');
    expect(asked).toHaveLength(1);

    await signInAt(page, wang.token);
    await page.waitForFunction(() => document.getElementById('pending')!.textContent === '0 waiting to be sent');
    expect(await page.locator('#waiting li').count()).toBe(0);
    expect(await t.sql(`select scan_id, staff_id from market_entry where scan_id = $1`, [ids[0]])).toEqual([{ scan_id: ids[0], staff_id: wang.id }]);
    await context.close();
  });

  test('navigator.onLine is only a hint: a phone that believes it is offline still sends, and its timed flush empties the queue', async () => {
    const ids = unsampledScanIds(2);
    // as with only a loopback interface: the browser reports offline for good, yet the server answers
    const { context, page } = await gatePhone(ids, 'en', {});
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false }));
    await page.reload();
    await page.waitForSelector('#scanner:not(.hidden)');
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.locator('#net').innerText()).toBe('Online');
    await typeScan(page, '1');
    await page.waitForSelector('#answer.ACCEPTED');

    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await typeScan(page, '2');
    await page.waitForFunction(() => document.getElementById('pending')!.textContent === '1 waiting to be sent');
    expect(await page.locator('#net').innerText()).toBe('Offline');
    await page.unroute('**/graphql');
    // no online event comes: the flush on its timer (every 10 s) asks the server, and the answer says online
    await page.waitForFunction(() => document.getElementById('pending')!.textContent === '0 waiting to be sent', undefined, { timeout: 15_000 });
    expect(await page.locator('#net').innerText()).toBe('Online');
    expect((await entries(ids)).map((r) => [r.scan_id, r.decision, r.declared_quantity])).toEqual([[ids[0], 'ACCEPTED', '1.000'], [ids[1], 'ACCEPTED', '2.000']]);
    await context.close();
  });

  test('a wrong token is refused at sign-in', async () => {
    const page = await reader.newPage();
    await page.goto(`${base}/gate?lang=en`);
    await page.fill('#token', 'ft_not-a-token');
    await page.click('#signin-button');
    await page.waitForFunction(() => document.getElementById('signin-error')!.textContent !== '');
    expect(await page.locator('#signin-error').innerText()).toBe('The token is unknown or revoked.');
    await shot(page, 'gate-signin-refused');
    await page.close();
  });
});

/** A smallholder's lot that comes to the gate without a certificate, so its scan answers TEST_REQUIRED. */
async function uncertifiedLot(name: string, lotCode: string): Promise<{ operatorId: string; batchId: string; publicCode: string }> {
  const owner = await makeOperator(t, town.admin, { name, village: '溪口村 Xikou', contactPhone: '13700000005' });
  const batch = await makeBatch(t, town.admin, owner.id, { productName: '白萝卜 White radish', lotCode, quantity: 100 });
  return { operatorId: owner.id, batchId: batch.id, publicCode: batch.publicCode };
}

/** Scans a typed code for a vendor and waits for the amber answer; returns the entry's id. */
async function scanForTest(page: Page, vendorId: string, quantity: string, code: string, scanId: string): Promise<string> {
  await page.selectOption('#vendor', vendorId);
  await page.fill('#quantity', quantity);
  await page.fill('#code', code);
  await page.click('#check-button');
  await page.waitForSelector('#answer.TEST_REQUIRED');
  await page.waitForSelector('#test-form:not(.hidden)');
  const [{ id }] = await t.sql<{ id: string }>('select id::text as id from market_entry where scan_id = $1', [scanId]);
  return id;
}

async function inspectionsOf(entryId: string) {
  return t.sql<{ id: number; kind: string; items: unknown; result: string; tester: string; market_id: number }>(
    'select id, kind, items, result, tester, market_id from inspection where entry_id = $1 order by id',
    [entryId],
  );
}

async function entryRow(entryId: string) {
  const [row] = await t.sql<{ decision: string; reasons: { code: string }[]; received_batch_id: number | null; decided: boolean }>(
    'select decision, reasons, received_batch_id, decided_at is not null as decided from market_entry where id = $1',
    [entryId],
  );
  return { decision: row.decision, reasons: row.reasons.map((r) => r.code), received: row.received_batch_id !== null, decided: row.decided };
}

describe('rapid test on the gate page', () => {
  test('an amber load tested on the spot: PASS turns the answer green, the vendor receives the goods; the tester is remembered', async () => {
    const lot = await uncertifiedLot('溪口二组农户 Xikou group 2 grower', 'XK-R-2');
    const ids = unsampledScanIds(1);
    const { context, page } = await gatePhone(ids);
    const entryId = await scanForTest(page, town.vendor2.id, '20', lot.publicCode, ids[0]);
    expect(await page.locator('#answer-word').innerText()).toBe('需要快检');
    expect(await page.locator('#test-form h2').innerText()).toBe('录入快检结果');
    expect(await page.locator('#test-for').innerText()).toBe('白萝卜 White radish · 批次 XK-R-2 · 溪口二组农户 Xikou group 2 grower (信用等级 A) · 张家水果铺 Zhang Fruit Stall · 20 千克');
    expect(await page.locator('#test-item').inputValue()).toBe(RAPID_TEST_ITEM);
    expect(await page.locator('#tester').inputValue()).toBe('');
    // a rate under 50 % reads as a pass
    await page.fill('#test-value', '12.5');
    expect([await page.isChecked('#test-pass'), await page.isChecked('#test-fail')]).toEqual([true, false]);
    await page.fill('#tester', '周检测员');
    await shot(page, 'gate-test-form');

    await page.click('#test-button');
    await page.waitForSelector('#answer.ACCEPTED');
    expect(await page.locator('#answer-word').innerText()).toBe('准许入场');
    expect(await page.locator('#answer-detail').innerText()).toBe('白萝卜 White radish · 批次 XK-R-2 · 溪口二组农户 Xikou group 2 grower (信用等级 A)');
    expect(await page.locator('#answer-reasons li').allInnerTexts()).toEqual(['未出示有效合格证，须快检', '快检合格，准予进场']);
    expect(await page.locator('#test-form').isHidden()).toBe(true);
    // the amber line of this load became its final answer
    expect(await page.locator('#recent li').allInnerTexts()).toEqual(['准许入场 · 张家水果铺 Zhang Fruit Stall · 20 千克 · 未出示有效合格证，须快检; 快检合格，准予进场']);
    expect(await page.locator('#pending').innerText()).toBe('待提交 0 条');
    await shot(page, 'gate-test-passed');

    expect(await inspectionsOf(entryId)).toEqual([
      { id: expect.any(Number), kind: 'RAPID', items: [{ item: RAPID_TEST_ITEM, value: 12.5, unit: '%', result: 'PASS' }], result: 'PASS', tester: '周检测员', market_id: Number(town.marketId) },
    ]);
    expect(await entryRow(entryId)).toEqual({ decision: 'ACCEPTED', reasons: ['NO_CERTIFICATE', 'RAPID_TEST_PASSED'], received: true, decided: true });
    expect(await t.sql(
      `select r.owner_id, r.quantity::float as quantity, r.unit, p.remaining::float as parent_left, p.non_conformant
         from market_entry e join batch r on r.id = e.received_batch_id join batch p on p.id = e.batch_id where e.id = $1`,
      [entryId],
    )).toEqual([{ owner_id: Number(town.vendor2.id), quantity: 20, unit: 'KG', parent_left: 80, non_conformant: false }]);
    expect(await page.evaluate(() => [localStorage.getItem('foodtrace.gate.tester'), localStorage.getItem('foodtrace.gate.tests')])).toEqual(['周检测员', '[]']);

    // the next amber load opens the form with the tester filled in
    const next = unsampledScanIds(1);
    await page.evaluate((id) => { crypto.randomUUID = () => id as ReturnType<Crypto['randomUUID']>; }, next[0]);
    await scanForTest(page, town.vendor.id, '3', uncertifiedCode, next[0]);
    expect(await page.locator('#tester').inputValue()).toBe('周检测员');
    expect(await page.locator('#test-value').inputValue()).toBe('');
    await context.close();
  });

  test('FAIL turns the answer red (English): lot non-conformant, producer charged RAPID_TEST_FAILED, nothing received', async () => {
    const lot = await uncertifiedLot('溪口三组农户 Xikou group 3 grower', 'XK-R-3');
    const ids = unsampledScanIds(1);
    const { context, page } = await gatePhone(ids, 'en');
    const entryId = await scanForTest(page, town.vendor.id, '15', lot.publicCode, ids[0]);
    expect(await page.locator('#test-form h2').innerText()).toBe('Record the rapid test');

    // an incomplete form says what is missing and sends nothing
    await page.click('#test-button');
    expect(await page.locator('#test-error').innerText()).toBe('Enter an inhibition rate from 0 to 100.');
    await page.fill('#test-value', '63.2');
    expect([await page.isChecked('#test-pass'), await page.isChecked('#test-fail')]).toEqual([false, true]);
    await page.click('#test-button');
    expect(await page.locator('#test-error').innerText()).toBe("Enter the tester's name.");
    expect(await inspectionsOf(entryId)).toEqual([]);

    await page.fill('#tester', 'Zhou');
    await page.click('#test-button');
    await page.waitForSelector('#answer.REJECTED');
    expect(await page.locator('#answer-word').innerText()).toBe('Rejected');
    expect(await page.locator('#answer-reasons li').allInnerTexts()).toEqual(['No valid certificate: a rapid test is required', 'Failed the rapid test']);
    expect(await page.locator('#answer').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(176, 0, 32)');
    expect(await page.locator('#recent li').allInnerTexts()).toEqual(['Rejected · 李记蔬菜摊 Li Vegetable Stall · 15 kg · No valid certificate: a rapid test is required; Failed the rapid test']);
    await shot(page, 'gate-test-failed');

    const [inspection] = await inspectionsOf(entryId);
    expect(await inspectionsOf(entryId)).toEqual([
      { id: inspection.id, kind: 'RAPID', items: [{ item: RAPID_TEST_ITEM, value: 63.2, unit: '%', result: 'FAIL' }], result: 'FAIL', tester: 'Zhou', market_id: Number(town.marketId) },
    ]);
    expect(await entryRow(entryId)).toEqual({ decision: 'REJECTED', reasons: ['NO_CERTIFICATE', 'RAPID_TEST_FAILED'], received: false, decided: true });
    expect(await t.sql('select non_conformant, remaining::float as remaining from batch where id = $1', [lot.batchId])).toEqual([{ non_conformant: true, remaining: 100 }]);
    expect(await t.sql('select rule_code, points, source, source_ref from credit_event where operator_id = $1 order by seq', [lot.operatorId])).toEqual([
      { rule_code: 'NO_CERTIFICATE', points: -5, source: 'ENTRY', source_ref: expect.any(String) },
      { rule_code: 'RAPID_TEST_FAILED', points: -20, source: 'INSPECTION', source_ref: String(inspection.id) },
    ]);
    await context.close();
  });

  test('a result recorded offline is queued; an answer lost on the way is resent with the same testId and recorded once', async () => {
    const lot = await uncertifiedLot('溪口四组农户 Xikou group 4 grower', 'XK-R-4');
    const ids = unsampledScanIds(1);
    // requests are intercepted below, which a service worker would hide
    const { context, page } = await gatePhone(ids, 'zh', { serviceWorkers: 'block' });
    const entryId = await scanForTest(page, town.vendor.id, '8', lot.publicCode, ids[0]);

    await context.setOffline(true);
    await page.fill('#test-value', '20');
    await page.fill('#tester', '周检测员');
    await page.click('#test-button');
    await page.waitForSelector('#answer.QUEUED');
    expect(await page.locator('#answer-reasons li').allInnerTexts()).toEqual(['当前无网络。快检结果已保存在本机，联网后自动提交，只提交一次。']);
    expect(await page.locator('#pending').innerText()).toBe('待提交 1 条');
    expect(await page.locator('#recent li').allInnerTexts()).toEqual(['已暂存，联网后自动提交 · 李记蔬菜摊 Li Vegetable Stall · 8 千克 · 快检结果待提交']);
    await shot(page, 'gate-test-queued');
    expect(await inspectionsOf(entryId)).toEqual([]);

    // back online, the server records the result but its first answer is lost on the way back
    const sent: string[] = [];
    const testIds: string[] = [];
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON();
      const op = String(body.query).split('(')[0];
      sent.push(op);
      if (op !== 'mutation Test') return route.continue();
      testIds.push(body.variables.input.testId);
      if (testIds.length > 1) return route.continue();
      await route.fetch();
      return route.abort('internetdisconnected');
    });
    await page.evaluate(() => document.querySelector('#recent li')!.setAttribute('data-before', ''));
    await context.setOffline(false);
    // the lost answer leaves the result queued: its line is drawn again, still waiting
    await page.waitForSelector('#recent li:not([data-before])');
    expect(sent).toEqual(['mutation Test']);
    expect(await page.locator('#recent li').allInnerTexts()).toEqual(['已暂存，联网后自动提交 · 李记蔬菜摊 Li Vegetable Stall · 8 千克 · 快检结果待提交']);
    expect(await page.locator('#pending').innerText()).toBe('待提交 1 条');
    expect(await inspectionsOf(entryId)).toHaveLength(1);

    // the next flush sends the result again under its testId; the server answers as first and records nothing
    await context.setOffline(true);
    await context.setOffline(false);
    await page.waitForFunction(() => document.getElementById('pending')!.textContent === '待提交 0 条');
    expect(sent).toEqual(['mutation Test', 'mutation Test']);
    expect(testIds).toEqual([expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), testIds[0]]);
    expect(await t.sql('select test_id from inspection where entry_id = $1', [entryId])).toEqual([{ test_id: testIds[0] }]);
    expect(await page.locator('#recent li').allInnerTexts()).toEqual(['准许入场 · 李记蔬菜摊 Li Vegetable Stall · 8 千克 · 未出示有效合格证，须快检; 快检合格，准予进场']);
    await shot(page, 'gate-test-sent');
    expect(await inspectionsOf(entryId)).toHaveLength(1);
    expect(await entryRow(entryId)).toEqual({ decision: 'ACCEPTED', reasons: ['NO_CERTIFICATE', 'RAPID_TEST_PASSED'], received: true, decided: true });
    await context.close();
  });

  test('a scan sent from the offline queue that needs a test is tested from the recent list', async () => {
    const lot = await uncertifiedLot('溪口五组农户 Xikou group 5 grower', 'XK-R-5');
    const ids = unsampledScanIds(1);
    const { context, page } = await gatePhone(ids, 'en');
    await page.selectOption('#vendor', town.vendor.id);
    await context.setOffline(true);
    await page.fill('#quantity', '4');
    await page.fill('#code', lot.publicCode);
    await page.click('#check-button');
    await page.waitForSelector('#answer.QUEUED');
    await context.setOffline(false);
    await page.waitForSelector('#recent li.recent-TEST_REQUIRED');
    expect(await page.locator('#pending').innerText()).toBe('0 waiting to be sent');
    // sent in the background: the answer box still shows the offline notice, the form stays closed
    expect([await page.locator('#answer').getAttribute('class'), await page.locator('#test-form').isHidden()]).toEqual(['answer QUEUED', true]);
    expect(await page.locator('#recent li').evaluateAll((lis) => lis.map((li) => [li.firstChild!.textContent! + li.childNodes[1].textContent + li.childNodes[2].textContent, li.querySelector('button')!.textContent]))).toEqual([
      ['Test required · 李记蔬菜摊 Li Vegetable Stall · 4 kg · No valid certificate: a rapid test is required', 'Record test'],
    ]);
    const [entry] = await entries(ids);
    expect([entry.decision, entry.reasons.map((r) => r.code)]).toEqual(['TEST_REQUIRED', ['NO_CERTIFICATE']]);

    await page.click('#recent li button.record-test');
    expect(await page.locator('#test-for').innerText()).toBe('白萝卜 White radish · lot XK-R-5 · 溪口五组农户 Xikou group 5 grower (grade A) · 李记蔬菜摊 Li Vegetable Stall · 4 kg');
    await page.fill('#test-value', '55');
    await page.fill('#tester', 'Zhou');
    await page.click('#test-button');
    await page.waitForSelector('#answer.REJECTED');
    expect(await page.locator('#recent li').allInnerTexts()).toEqual(['Rejected · 李记蔬菜摊 Li Vegetable Stall · 4 kg · No valid certificate: a rapid test is required; Failed the rapid test']);
    const [{ id: entryId }] = await t.sql<{ id: string }>('select id::text as id from market_entry where scan_id = $1', [ids[0]]);
    expect((await inspectionsOf(entryId)).map((i) => [i.result, i.tester])).toEqual([['FAIL', 'Zhou']]);
    expect(await entryRow(entryId)).toEqual({ decision: 'REJECTED', reasons: ['NO_CERTIFICATE', 'RAPID_TEST_FAILED'], received: false, decided: true });
    await context.close();
  });

  test('offline reload keeps the language the page was opened in', async () => {
    const { context, page } = await phone('zh-CN');
    await page.goto(`${base}/gate?lang=en`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded!.headers()['x-served-from']).toBe('gate-cache');
    expect([await page.locator('html').getAttribute('lang'), await page.locator('h1').innerText()]).toEqual(['en', 'Market gate check']);
    await page.goto(`${base}/gate?lang=zh`);
    expect([await page.locator('html').getAttribute('lang'), await page.locator('h1').innerText()]).toEqual(['zh-CN', '市场入场查验']);
    await page.goto(`${base}/gate`);
    expect([await page.locator('html').getAttribute('lang'), await page.locator('h1').innerText()]).toEqual(['zh-CN', '市场入场查验']);
    await context.close();
  });
});
