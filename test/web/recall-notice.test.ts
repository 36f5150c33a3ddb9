import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { Grade, Role } from '../../src/entities/enums';
import { isSampled } from '../../src/gate/gate.service';
import { startNotificationQueue, type NotificationQueue } from '../../src/notify/queue';
import { createTestApp, type TestApp } from '../support/app';
import { CHROMIUM_ARGS, PHONE, SHOTS } from '../support/browser';
import { makeBatch, makeCertificate, makeMarketScene, makeOperator, ok, token } from '../support/factories';

let t: TestApp;
let base: string;
let browser: Browser;
let queue: NotificationQueue | null = null;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await queue?.stop();
  await t.close();
});

describe('/recall/:id, the notice and disposition form', () => {
  it('a canteen reads on a phone what it holds of a recall, records what it destroyed and returned, and sees the effectiveness change', async () => {
    const admin = await token(t, Role.ADMIN);
    const regulator = await token(t, Role.REGULATOR);
    const farm = await makeOperator(t, admin, { name: 'Green Valley Farm' });
    const canteen = await makeOperator(t, admin, { kind: 'CANTEEN', name: 'Qingshan school canteen' });
    const canteenToken = await token(t, Role.OPERATOR, { operatorId: canteen.id });
    const stranger = await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, admin, { name: 'Other Farm' })).id });
    const lot = await makeBatch(t, admin, farm.id, { lotCode: 'GV-3' });
    ok(await t.gql(`mutation($input: TransferBatchInput!) { transferBatch(input: $input) { id } }`, { input: { batchId: lot.id, toOperatorId: canteen.id, quantity: 40 } }, admin));
    const recallId = ok(await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`,
      { input: { batchId: lot.id, reason: 'Residue above the limit' } }, regulator)).initiateRecall.recallId;

    const context = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    const res = await page.goto(`${base}/recall/${recallId}?lang=en`);
    expect(res!.status()).toBe(200);
    await page.fill('#token', canteenToken);
    await page.click('#signin-button');
    await page.waitForSelector('#notice:not(.hidden) .holding');
    expect(await page.innerText('#recall-title')).toBe('Recall: Bok choy GV-3');
    // the farm still holds 60 kg and the canteen 40: nothing accounted for yet
    expect(await page.innerText('#effectiveness')).toBe('0 % — 0 kg / 100 kg');
    // the canteen sees only its own holding
    expect(await page.$$eval('.holding h3', (hs) => hs.map((h) => (h as HTMLElement).innerText))).toEqual(['Qingshan school canteen (Canteen) · kg']);
    expect(await page.innerText('.holding dl')).toContain('40 kg');
    // each field has its label; the phone needs no sideways scrolling
    expect(await page.$$eval('.disposition input, .disposition textarea', (els) => els.map((e) => !!document.querySelector(`label[for="${e.id}"]`)))).toEqual([true, true, true, true]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    await page.click('.disposition button');
    expect(await page.innerText('.disposition [role="status"]')).toBe('Give at least one quantity.');
    await page.fill('input[name="destroyed"]', '30');
    await page.fill('input[name="returned"]', '10');
    await page.fill('textarea[name="note"]', 'Destroyed in the kitchen, the rest sent back');
    await page.click('.disposition button');
    await page.waitForFunction(() => document.getElementById('effectiveness')!.textContent!.startsWith('40 %'));
    expect(await page.innerText('#effectiveness')).toBe('40 % — 40 kg / 100 kg');
    expect(await page.innerText('.disposition [role="status"]')).toBe('Recorded');
    await page.screenshot({ path: path.join(SHOTS, 'recall-notice-phone-en.png'), fullPage: true });
    expect(await t.sql(`select operator_id, unit, returned::float, destroyed::float, sold::float, note from recall_disposition`)).toEqual([
      { operator_id: Number(canteen.id), unit: 'KG', returned: 10, destroyed: 30, sold: 0, note: 'Destroyed in the kitchen, the rest sent back' },
    ]);

    // more than it holds is refused with the reason, and nothing changes
    await page.fill('input[name="sold"]', '5');
    await page.click('.disposition button');
    await page.waitForFunction(() => /exceed/.test(document.querySelector('.disposition [role="status"]')!.textContent!));
    expect(await page.innerText('.disposition [role="status"]')).toBe('Error: returned: returned, destroyed and sold together exceed the 40 KG held');
    expect(await page.innerText('#effectiveness')).toBe('40 % — 40 kg / 100 kg');

    // an account that holds nothing of it is told so
    await page.click('#signout');
    await page.fill('#token', stranger);
    await page.click('#signin-button');
    await page.waitForFunction(() => document.getElementById('notice-error')!.textContent !== '');
    expect(await page.innerText('#notice-error')).toBe('Error: This account holds nothing of that recall');
    await context.close();

    expect((await fetch(`${base}/recall/abc`)).status).toBe(400);
    expect((await fetch(`${base}/recall/99999999999`)).status).toBe(400);
  });

  it('the gate page shows a recall of goods its market received at once, without reloading; the lot is refused from then on; the notice lists its vendors\' holdings', async () => {
    await t.reset();
    const admin = await token(t, Role.ADMIN);
    const regulator = await token(t, Role.REGULATOR);
    const s = await makeMarketScene(t, admin);
    const lot = await makeBatch(t, admin, s.farm.id, { lotCode: 'GV-5' });
    const certificate = await makeCertificate(t, s.farmToken, lot.id);
    const unsampled = (tag: string) => { for (let i = 0; ; i++) if (!isSampled(`${tag}-${i}`, Grade.A, t.config.samplingSecret!)) return `${tag}-${i}`; };
    const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { decision reasons { code } } }`;
    const scan = (scanId: string) => t.gql(SCAN, { input: { code: certificate.number, marketId: s.market, vendorOperatorId: s.vendor.id, declaredQuantity: 30, unit: 'KG', scanId } }, s.gate);
    expect(ok(await scan(unsampled('first'))).scanAtGate.decision).toBe('ACCEPTED');
    queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, hub: t.app.notificationHub, log: { error: () => undefined, warn: () => undefined }, sweepMs: 200 });

    const context = await browser.newContext({ ...PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${base}/gate?lang=en`);
    await page.fill('#token', s.gate);
    await page.click('#signin-button');
    await page.waitForSelector('#scanner:not(.hidden)');
    for (let i = 0; i < 100 && t.app.notificationHub.size < 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(t.app.notificationHub.size).toBe(1);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    const recallId = ok(await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`,
      { input: { batchId: lot.id, reason: 'Residue above the limit' } }, regulator)).initiateRecall.recallId;
    // refused at the gate from the recall's commit on, before any notice arrives
    expect(ok(await scan(unsampled('second'))).scanAtGate).toEqual({ decision: 'REJECTED', reasons: [{ code: 'BATCH_RECALLED' }] });
    await page.waitForSelector(`#recall-alerts li[data-recall="${recallId}"]`, { timeout: 15_000 });
    expect(await page.innerText('#recall-alerts li')).toBe('召回 Recall: Bok choy GV-5 — Residue above the limit Read the recall notice');
    expect(await page.getAttribute('#recall-alerts', 'aria-live')).toBe('assertive');
    expect(navigations).toBe(0);

    await page.click('#recall-alerts a');
    await page.waitForURL(`**/recall/${recallId}?lang=en`);
    await page.fill('#token', s.gate);
    await page.click('#signin-button');
    await page.waitForSelector('#notice:not(.hidden) .holding');
    expect(await page.innerText('#holdings-title')).toBe("What your market's vendors hold of it");
    expect(await page.$$eval('.holding h3', (hs) => hs.map((h) => (h as HTMLElement).innerText))).toEqual(['Stall 12 (Market vendor) · kg']);
    // gate staff read; the vendor answers for its own goods
    expect(await page.$$('.disposition')).toHaveLength(0);
    await context.close();
  });
});
