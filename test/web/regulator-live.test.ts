import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { Role } from '../../src/entities/enums';
import { startNotificationQueue, type NotificationQueue } from '../../src/notify/queue';
import { createTestApp, type TestApp } from '../support/app';
import { makeBatch, makeOperator, ok, token } from '../support/factories';
import { CHROMIUM_ARGS } from '../support/browser';

const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };
const quiet = { error: () => undefined, warn: () => undefined };

let t: TestApp;
let base: string;
let browser: Browser;
let queue: NotificationQueue;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, hub: t.app.notificationHub, log: quiet, sweepMs: 200 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await queue?.stop();
  await t.close();
});

describe('regulator desk, live', () => {
  it('a recall started by GraphQL appears among the live alerts without reloading, once', async () => {
    const admin = await token(t, Role.ADMIN);
    const regulator = await token(t, Role.REGULATOR);
    const farm = await makeOperator(t, admin, { name: 'Green Valley Farm' });
    const batch = await makeBatch(t, admin, farm.id, { lotCode: 'GV-7' });
    const context = await browser.newContext({ ...DESKTOP, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${base}/regulator?lang=en`);
    await page.fill('#token', regulator);
    await page.click('#signin-button');
    await page.waitForSelector('#desk:not(.hidden)');
    expect((await page.innerText('#alerts-empty')).trim()).toBe('No new alerts.');
    // the desk's socket is subscribed once its account has a listener
    for (let i = 0; i < 100 && t.app.notificationHub.size < 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(t.app.notificationHub.size).toBe(1);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    ok(await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`, { input: { batchId: batch.id, reason: 'Residue above the limit' } }, regulator));
    await page.waitForSelector('#alert-list li', { timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 800));
    expect(await page.$$eval('#alert-list li', (els) => els.map((e) => [e.className, (e as HTMLElement).innerText.trim()]))).toEqual([
      ['alert alert-RECALL_STARTED', '召回 Recall: Bok choy GV-7 — Residue above the limit'],
    ]);
    expect(await page.isHidden('#alerts-empty')).toBe(true);
    expect(navigations).toBe(0);
    await context.close();
  });

  it('the incidents panel lists open incidents with deadlines, an overdue mark and the timeline, and takes a new report live with the month\'s figures', async () => {
    const regulator = await token(t, Role.REGULATOR);
    const REPORT = `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { id } }`;
    const report = (over: Record<string, unknown>) => t.gql(REPORT, { input: {
      kind: 'COMPLAINT', placeKind: 'VILLAGE', village: 'Qingshan', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), description: 'Sour milk', ...over,
    } }, regulator);
    const late = ok(await report({ description: 'Mouldy bread' })).reportIncident.id;
    await t.sql(`update incident set investigate_due_at = now() - interval '1 hour' where id = $1`, [late]);

    const context = await browser.newContext({ ...DESKTOP, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${base}/regulator?lang=en`);
    await page.fill('#token', regulator);
    await page.click('#signin-button');
    await page.waitForSelector(`#incident-rows tr[data-incident="${late}"]`);
    const cells = (id: string) => page.$$eval(`#incident-rows tr[data-incident="${id}"] td`, (tds) => tds.slice(0, 4).map((td) => (td as HTMLElement).innerText.trim()));
    expect(await cells(late)).toEqual([`#${late}`, 'Complaint', 'Village · Qingshan', 'Reported']);
    expect(await page.innerText(`#incident-rows tr[data-incident="${late}"] td:nth-child(5) strong`)).toBe('overdue');
    await page.click(`#incident-rows tr[data-incident="${late}"] summary`);
    const [{ name }] = await t.sql(`select name from account where role = 'REGULATOR' order by id desc limit 1`);
    expect(await page.$$eval(`#incident-rows tr[data-incident="${late}"] details li`, (lis) => lis.map((li) => (li as HTMLElement).innerText.replace(/^[^·]+· /, '')))).toEqual([`Reported · ${name}`]);
    expect(await page.innerText('#incident-stats [data-stat="reported"]')).toBe('1');
    for (let i = 0; i < 100 && t.app.notificationHub.size < 1; i++) await new Promise((r) => setTimeout(r, 50));

    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const fresh = ok(await report({ kind: 'FOOD_POISONING', peopleIll: 3, description: 'Vomiting after the wedding' })).reportIncident.id;
    await page.waitForSelector(`#incident-rows tr[data-incident="${fresh}"]`, { timeout: 15_000 });
    expect(await cells(fresh)).toEqual([`#${fresh}`, 'Food poisoning · People ill 3', 'Village · Qingshan', 'Reported']);
    await page.waitForFunction(() => document.querySelector('#incident-stats [data-stat="reported"]')?.textContent === '2');
    expect(await page.$$eval('#alert-list li', (els) => els.map((e) => (e as HTMLElement).innerText.trim()))).toEqual([`食物中毒 Food poisoning: Qingshan (#${fresh})`]);
    expect(await page.getAttribute('#alert-list', 'aria-live')).toBe('polite');
    expect(await page.$eval('#incident-rows', (b) => b.querySelectorAll('strong.fail').length)).toBe(1);
    expect(navigations).toBe(0);
    await context.close();
  });
});
