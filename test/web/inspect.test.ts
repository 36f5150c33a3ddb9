import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { Role } from '../../src/entities/enums';
import { createTestApp, type TestApp } from '../support/app';
import { makeOperator, token } from '../support/factories';
import { writeY4mFromPng } from './camera';
import { SHOTS, PHONE, CHROMIUM_ARGS } from '../support/browser';


let t: TestApp;
let base: string;
let browser: Browser;
let y4m: string;
let photoDir: string;
let admin: string;
let workshop: { id: string; publicCode: string; name: string };
let stall: { id: string; publicCode: string; name: string };
const foreign: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.viewport.width);
  expect(foreign).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** A phone whose `crypto.randomUUID` hands out the given keys first, on the inspection page, signed in with `tok`. */
async function inspectPhone(tok: string, keys: string[] = [], lang: 'zh' | 'en' = 'zh'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
  context.on('request', (r) => {
    if (!r.url().startsWith(`${base}/`) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  await context.grantPermissions(['camera'], { origin: base });
  await context.addInitScript((ids: string[]) => {
    const original = crypto.randomUUID.bind(crypto);
    const queue = [...ids];
    crypto.randomUUID = () => (queue.shift() ?? original()) as ReturnType<Crypto['randomUUID']>;
  }, keys);
  const page = await context.newPage();
  await page.goto(`${base}/inspect${lang === 'en' ? '?lang=en' : ''}`);
  await page.fill('#token', tok);
  await page.click('#signin-button');
  await page.waitForSelector('#inspector:not(.hidden)');
  return { context, page };
}

/** Answers every item YES but those named, which get NO with a note. */
async function walkChecklist(page: Page, no: Record<string, string> = {}): Promise<void> {
  const codes = await page.locator('#items li.item').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-code')!));
  for (const code of codes) {
    const item = page.locator(`#items li[data-code="${code}"]`);
    await item.locator(`label.choice.${code in no ? 'NO' : 'YES'}`).click();
    if (code in no) await item.locator('input.note').fill(no[code]);
  }
}

const pending = (page: Page, text: string) =>
  page.waitForFunction((s) => document.getElementById('pending')!.textContent === s, text, { timeout: 20_000 });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'foodtrace-inspect-photos-'));
  t = await createTestApp({ dataDir: photoDir });
  // this worker's database may hold what earlier files left, a newer checklist version among it
  await t.reset();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  t.config.publicUrl = base;
  admin = await token(t, Role.ADMIN);
  workshop = await makeOperator(t, admin, { kind: 'SMALL_WORKSHOP', name: '青山豆腐坊 Qingshan Tofu Workshop', creditCode: null, village: '青山村 Qingshan' });
  stall = await makeOperator(t, admin, { kind: 'STREET_VENDOR', name: '白云早点摊 Baiyun Breakfast Stall', creditCode: null, village: '白云村 Baiyun' });
  // the phone's camera films the workshop's registration card
  const qr = await fetch(`${base}/qr/${workshop.publicCode}.png`);
  expect(qr.status).toBe(200);
  y4m = path.join(os.tmpdir(), `foodtrace-inspect-${process.pid}.y4m`);
  writeY4mFromPng(Buffer.from(await qr.arrayBuffer()), y4m);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, `--use-file-for-fake-video-capture=${y4m}`] });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (y4m) rmSync(y4m, { force: true });
  if (photoDir) rmSync(photoDir, { recursive: true, force: true });
});

describe('inspection page in Chromium', () => {
  test('scanning the registration card opens its checklist; inspections made offline, with a photo, are each recorded once when back online', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    // the photo's device key is drawn before its inspection's
    const keys = ['photo-local-1', 'insp-offline-1', 'insp-offline-2'];
    const { context, page } = await inspectPhone(inspector, keys);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(await page.locator('#net').innerText()).toBe('在线');

    // the fake camera shows the card's QR: /o/CODE opens the workshop's checklist
    await page.click('#scan-button');
    await page.waitForSelector('#inspect-form:not(.hidden)', { timeout: 20_000 });
    expect(await page.locator('#operator-name').innerText()).toBe(workshop.name);
    expect(await page.locator('#operator-detail').innerText()).toBe(`食品小作坊 · 青山村 Qingshan · ${await cardNumber(workshop.id)}`);
    expect(await page.locator('#checklist-name').innerText()).toMatch(/^检查表: .+ v1$/);
    const codes = await page.locator('#items li.item').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-code')));
    expect(codes).toContain('LICENCE');
    await shot(page, 'inspect-checklist-zh');
    await page.click('#cancel-button');

    // the network goes; the page reloads from the device and stays signed in
    await context.setOffline(true);
    const reloaded = await page.reload();
    expect(reloaded!.headers()['x-served-from']).toBe('inspect-cache');
    await page.waitForSelector('#inspector:not(.hidden)');

    // found by name from what the device stored at sign-in
    await page.fill('#search', '豆腐');
    await page.click('#search-button');
    await page.click(`#found button[data-operator="${workshop.id}"]`);
    await walkChecklist(page, { CLEAN: '地面有积水 Standing water on the floor' });
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#8a6d3b' } }).jpeg().toBuffer();
    await page.setInputFiles('#photo-input', { name: 'floor.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.waitForSelector('#photos li img');
    expect(await page.locator('#photos li').innerText()).toBe('待上传');
    // an item left open is named before anything is stored
    await page.locator('#items li.item').first().locator('label.choice.NOT_APPLICABLE').click();
    await page.locator('#items li.item').first().locator('label.choice.YES').click();
    await page.fill('#findings', '后厨卫生需整改');
    await page.click('#submit-button');
    await pending(page, '待提交 1 条');
    expect(await page.locator('#answer').getAttribute('class')).toBe('answer QUEUED');
    expect(await page.locator('#net').innerText()).toBe('离线');

    // a second one, all well
    await page.fill('#search', '豆腐');
    await page.click('#search-button');
    await page.click(`#found button[data-operator="${workshop.id}"]`);
    await page.click('#submit-button');
    expect(await page.locator('#inspect-error').innerText()).toMatch(/^请逐项填写：还有 \d+ 项未选。$/);
    await walkChecklist(page);
    await page.click('#submit-button');
    await pending(page, '待提交 2 条');
    await shot(page, 'inspect-offline-queued');
    expect(await t.sql(`select count(*)::int as n from field_inspection`)).toEqual([{ n: 0 }]);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('foodtrace.inspect.queue')!).map((q: { clientKey: string }) => q.clientKey)))
      .toEqual(['insp-offline-1', 'insp-offline-2']);

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await pending(page, '待提交 0 条');
    expect(await page.locator('#recent li').allInnerTexts()).toEqual([
      `合格 · ${workshop.name}`, `责令整改 · ${workshop.name} · -5 · 整改通知书`,
    ]);
    // a reload flushes again; nothing is left to send twice
    await page.reload();
    await page.waitForSelector('#inspector:not(.hidden)');
    await pending(page, '待提交 0 条');
    await shot(page, 'inspect-back-online');

    const rows = await t.sql<{ client_key: string; outcome: string; photos: string[]; findings: string | null; operator_id: number }>(
      `select client_key, outcome, photos, findings, operator_id from field_inspection order by id`,
    );
    expect(rows.map((r) => [r.client_key, r.outcome, r.photos.length, r.findings, r.operator_id])).toEqual([
      ['insp-offline-1', 'PUT_RIGHT', 1, '后厨卫生需整改', Number(workshop.id)],
      ['insp-offline-2', 'PASS', 0, null, Number(workshop.id)],
    ]);
    expect(await t.sql(`select count(*)::int as n from field_photo where sha256 = $1`, [rows[0].photos[0]])).toEqual([{ n: 1 }]);
    expect(await t.sql(`select rule_code from credit_event where operator_id = $1 order by seq`, [Number(workshop.id)]))
      .toEqual([{ rule_code: 'INSPECTION_VIOLATION' }, { rule_code: 'INSPECTION_CLEAN' }]);
    const [answer] = await t.sql<{ answers: { code: string; answer: string; note: string | null }[] }>(`select answers from field_inspection where client_key = 'insp-offline-1'`);
    expect(answer.answers.find((a) => a.code === 'CLEAN')).toMatchObject({ answer: 'NO', note: '地面有积水 Standing water on the floor' });
    // the photo the phone took is served, stripped, to the inspector
    const photo = await fetch(`${base}/inspect/photos/${rows[0].photos[0]}.jpg`, { headers: { authorization: `Bearer ${inspector}` } });
    expect([photo.status, (await sharp(Buffer.from(await photo.arrayBuffer())).metadata()).width]).toEqual([200, 800]);
    await context.close();
  });

  test('an answer lost on the way is sent again under the same key and recorded once', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    const { context, page } = await inspectPhone(inspector, ['insp-lost-1']);
    let dropped = 0;
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON() as { query: string };
      if (dropped === 0 && body.query.includes('recordInspection')) {
        dropped++;
        await route.fetch(); // the server records it …
        return route.abort('connectionreset'); // … and the phone never hears back
      }
      return route.continue();
    });
    await page.fill('#search', '豆腐');
    await page.click('#search-button');
    await page.click(`#found button[data-operator="${workshop.id}"]`);
    await walkChecklist(page);
    await page.click('#submit-button');
    await pending(page, '待提交 1 条');
    expect(await t.sql(`select count(*)::int as n from field_inspection where client_key = 'insp-lost-1'`)).toEqual([{ n: 1 }]);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await pending(page, '待提交 0 条');
    expect(dropped).toBe(1);
    expect(await t.sql(`select count(*)::int as n from field_inspection where client_key = 'insp-lost-1'`)).toEqual([{ n: 1 }]);
    expect(await page.locator('#recent li').first().innerText()).toBe(`合格 · ${workshop.name}`);
    await context.close();
  });

  test('in English: a village assistant finds only its own village, and a token of another role is refused', async () => {
    const assistant = await token(t, Role.VILLAGE_ASSISTANT, { village: '白云村 Baiyun' });
    const { context, page } = await inspectPhone(assistant, [], 'en');
    expect(await page.locator('h1').innerText()).toBe('Field inspection');
    await page.fill('#search', '豆腐');
    await page.click('#search-button');
    await page.waitForFunction(() => document.getElementById('find-error')!.textContent !== '');
    expect(await page.locator('#find-error').innerText()).toBe('No operator you may inspect was found.');
    await page.fill('#search', '');
    await page.click('#search-button');
    await page.waitForSelector('#found button');
    expect(await page.locator('#found button').allInnerTexts()).toEqual([`${stall.name} · Street vendor · 白云村 Baiyun`]);
    await page.click(`#found button[data-operator="${stall.id}"]`);
    expect(await page.locator('#checklist-name').innerText()).toMatch(/^Checklist: .+ v1$/);
    expect(await page.locator('#items li.item label.choice').first().innerText()).toBe('Yes');
    await shot(page, 'inspect-en');
    await context.close();

    const other = await token(t, Role.OPERATOR, { operatorId: workshop.id });
    const second = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    const p2 = await second.newPage();
    await p2.goto(`${base}/inspect`);
    await p2.fill('#token', other);
    await p2.click('#signin-button');
    await p2.waitForFunction(() => document.getElementById('signin-error')!.textContent !== '');
    expect(await p2.locator('#signin-error').innerText()).toBe('This token is not an inspector or village assistant account.');
    await second.close();
  });
});

async function cardNumber(operatorId: string): Promise<string> {
  const [row] = await t.sql<{ n: string }>(`select coalesce(credit_code, registration_card_no) as n from operator where id = $1`, [Number(operatorId)]);
  return row.n;
}
