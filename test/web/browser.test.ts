import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { sampleDraw } from '../../src/gate/gate.service';
import { createTestApp, type TestApp } from '../support/app';
import { makeBatch, makeCertificate, makeOperator } from '../support/factories';
import { writeY4mFromPng } from './camera';
import { SECRETS, buildWebTown, recallLot, type WebTown } from './town';

/** Phone-size screenshots of every page land here (git-ignored), for a person to look at. */
const SHOTS = path.resolve(__dirname, '../screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
];

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
    if (sampleDraw(id) >= 0.1) ids.push(id);
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

/** A gate phone signed in; `crypto.randomUUID` hands out the given scan ids first. */
async function gatePhone(scanIds: string[], lang: 'zh' | 'en' = 'zh'): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await phone(lang === 'zh' ? 'zh-CN' : 'en-GB');
  await context.grantPermissions(['camera'], { origin: base });
  await context.addInitScript((ids: string[]) => {
    const original = crypto.randomUUID.bind(crypto);
    const queue = [...ids];
    crypto.randomUUID = () => (queue.shift() ?? original()) as ReturnType<Crypto['randomUUID']>;
  }, scanIds);
  await page.goto(`${base}/gate${lang === 'en' ? '?lang=en' : ''}`);
  await page.fill('#token', town.gate);
  await page.click('#signin-button');
  await page.waitForSelector('#scanner:not(.hidden)');
  await page.waitForFunction(() => document.querySelectorAll('#vendor option').length === 3);
  return { context, page };
}

async function entries(scanIds: string[]) {
  return t.sql<{ scan_id: string; code_scanned: string; decision: string; vendor_id: number; declared_quantity: string; unit: string; reasons: { code: string }[] }>(
    `select scan_id, code_scanned, decision, vendor_id, declared_quantity, unit, reasons from market_entry where scan_id = any($1) order by id`,
    [scanIds],
  );
}

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
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
