import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Role } from '../../src/entities/enums';
import { createTestApp, type TestApp } from '../support/app';
import { makeOperator, ok, token } from '../support/factories';
import { buildWebTown, type WebTown } from './town';
import { SHOTS, PHONE, CHROMIUM_ARGS } from '../support/browser';

const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };

let t: TestApp;
let town: WebTown;
let base: string;
let browser: Browser;
/** The operators given deductions: grade B, grade C (its name is markup that must stay text) and grade D (suspended). */
let gradeB: { id: string; name: string };
let gradeC: { id: string; name: string };
let gradeD: { id: string; name: string };
/** Requests any page made to another origin; the desk loads everything from our server. */
const foreign: string[] = [];

async function desk(options: Parameters<Browser['newContext']>[0], lang: 'zh' | 'en' = 'zh'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, locale: lang === 'zh' ? 'zh-CN' : 'en-GB', acceptDownloads: true });
  context.on('request', (r) => {
    if (!r.url().startsWith(`${base}/`) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  const page = await context.newPage();
  await page.goto(`${base}/regulator${lang === 'en' ? '?lang=en' : ''}`);
  return { context, page };
}

async function signIn(page: Page, value: string): Promise<void> {
  await page.fill('#token', value);
  await page.click('#signin-button');
}

const texts = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
const attrs = (page: Page, selector: string, name: string) => page.$$eval(selector, (els, n) => els.map((e) => e.getAttribute(n as string)), name);

async function record(operatorId: string, rule: string, reason: string, occurredAt: string, points?: number): Promise<void> {
  ok(await t.gql(`mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { event { id } } }`, { input: { operatorId, rule, reason, occurredAt, ...(points ? { points } : {}) } }, town.regulator));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  t.config.publicUrl = base;
  town = await buildWebTown(t);
  gradeB = await makeOperator(t, town.admin, { name: '北坡果园 Beipo Orchard', village: '北坡村 Beipo' });
  gradeC = await makeOperator(t, town.admin, { name: '<b>Bold</b> Stall', kind: 'MARKET_VENDOR', creditCode: null, village: '县城 County town' });
  gradeD = await makeOperator(t, town.admin, { name: '南湾作坊 Nanwan Workshop', kind: 'SMALL_WORKSHOP', creditCode: null, village: '南湾村 Nanwan' });
  // 26 trainings for the farm, 4 deductions: 30 events, one a minute from 1 Nov 2026 08:00 UTC
  const at = (i: number) => new Date(Date.UTC(2026, 10, 1, 8, i)).toISOString();
  for (let i = 0; i < 26; i++) await record(town.farm.id, 'TRAINING_COMPLETED', `Training session ${i + 1}`, at(i));
  await record(gradeB.id, 'INSPECTION_VIOLATION', 'Unlabelled crates', at(26), -15);
  await record(gradeC.id, 'INSPECTION_VIOLATION', 'No cold storage', at(27), -30);
  await record(gradeD.id, 'INSPECTION_VIOLATION', 'Dirty workshop', at(28), -30);
  await record(gradeD.id, 'INSPECTION_VIOLATION', 'Dirty workshop again', at(29), -30);
  ok(await t.gql(`mutation($id: ID!) { setOperatorStatus(id: $id, status: SUSPENDED) { id } }`, { id: gradeD.id }, town.admin));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test('a regulator sees the grade counts, pages and filters the archive, downloads it, looks up an operator, traces forward and recalls', async () => {
  const { context, page } = await desk(PHONE);
  await signIn(page, town.regulator);
  await page.waitForSelector('#desk:not(.hidden)');

  // overview: what the database holds, per grade
  await page.waitForSelector('#grade-counts tr.total');
  const db = await t.sql<{ grade: string; operators: number; active: number }>(
    `select credit_grade as grade, count(*)::int as operators, (count(*) filter (where status = 'ACTIVE'))::int as active from operator group by 1 order by 1`,
  );
  expect(db).toEqual([{ grade: 'A', operators: 4, active: 4 }, { grade: 'B', operators: 1, active: 1 }, { grade: 'C', operators: 1, active: 1 }, { grade: 'D', operators: 1, active: 0 }]);
  expect(await texts(page, '#grade-counts tr')).toEqual(['A 4 4', 'B 1 1', 'C 1 1', 'D 1 0', '合计 7 6']);

  // archive: 30 events, newest first, 20 then 10
  const all = (await t.sql<{ id: number }>(`select id from credit_event order by occurred_at desc, id desc`)).map((r) => String(r.id));
  expect(all).toHaveLength(30);
  await page.waitForFunction(() => document.querySelectorAll('#archive-rows tr').length === 20);
  expect(await attrs(page, '#archive-rows tr', 'data-event')).toEqual(all.slice(0, 20));
  expect(await page.textContent('#archive-info')).toBe('第 1 页，本页 20 条');
  expect((await texts(page, '#archive-rows tr'))[0]).toBe(`2026/11/01 16:29 南湾作坊 Nanwan Workshop (#${gradeD.id}, 南湾村 Nanwan) 监督检查发现违规 -30 Dirty workshop again`);
  expect(await page.isEnabled('#archive-next')).toBe(true);
  await page.click('#archive-next');
  await page.waitForFunction(() => document.querySelectorAll('#archive-rows tr').length === 10);
  expect(await attrs(page, '#archive-rows tr', 'data-event')).toEqual(all.slice(20));
  expect(await page.textContent('#archive-info')).toBe('第 2 页，本页 10 条');
  expect(await page.isEnabled('#archive-next')).toBe(false);

  // filtered by rule: the four deductions, and the operator's name shown as text, never as markup
  await page.selectOption('#f-rule', 'INSPECTION_VIOLATION');
  await page.click('#archive-search');
  await page.waitForFunction(() => document.querySelectorAll('#archive-rows tr').length === 4);
  expect(await attrs(page, '#archive-rows tr', 'data-event')).toEqual(all.slice(0, 4));
  expect(await page.$$eval('#archive-rows b', (els) => els.length)).toBe(0);
  expect((await texts(page, '#archive-rows tr'))[2]).toBe(`2026/11/01 16:27 <b>Bold</b> Stall (#${gradeC.id}, 县城 County town) 监督检查发现违规 -30 No cold storage`);
  expect(await page.isEnabled('#archive-next')).toBe(false);

  // the same filter as CSV, fetched with the token
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#archive-csv')]);
  expect(download.suggestedFilename()).toBe('credit-archive.csv');
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(csv).toHaveLength(5);
  expect(csv.slice(1).every((line) => line.includes('INSPECTION_VIOLATION'))).toBe(true);
  await page.waitForFunction(() => /CSV/.test(document.getElementById('csv-status')!.textContent ?? ''));

  // a date range of one town day that holds nothing
  await page.selectOption('#f-rule', '');
  await page.fill('#f-from', '2026-11-02');
  await page.fill('#f-to', '2026-11-02');
  await page.click('#archive-search');
  await page.waitForFunction(() => document.getElementById('archive-info')!.textContent === '没有符合条件的记录。');
  expect(await page.$$eval('#archive-rows tr', (els) => els.length)).toBe(0);

  // inspection plan for this month: every non-revoked operator is due (none was ever inspected), most at risk first
  await page.waitForFunction(() => document.querySelectorAll('#plan-rows tr').length === 7);
  expect(await attrs(page, '#plan-rows tr', 'data-operator')).toEqual([gradeD.id, gradeC.id, gradeB.id, town.farm.id, town.wholesaler.id, town.vendor.id, town.vendor2.id]);
  expect((await texts(page, '#plan-rows tr'))[0]).toBe(`南湾作坊 Nanwan Workshop (#${gradeD.id}) D 40 从未检查 4`);

  // operator lookup: score, grade and a sound chain
  await page.fill('#lookup-id', gradeD.id);
  await page.click('#lookup-button');
  await page.waitForSelector('#lookup-result:not(.hidden)');
  expect(await texts(page, '#lookup-facts dd')).toEqual(['南湾作坊 Nanwan Workshop', '食品小作坊', '南湾村 Nanwan', '暂停经营', '40', 'D']);
  expect(await page.textContent('#chain')).toBe('档案哈希链: 完整（已核验 2 条）');
  expect(await texts(page, '#lookup-events tr')).toEqual(['2026/11/01 16:29 监督检查发现违规 -30 Dirty workshop again', '2026/11/01 16:28 监督检查发现违规 -30 Dirty workshop']);

  // forward trace of the farm's lot: farm → wholesaler → stall, 40 + 35 + 25 kg on hand
  await page.fill('#trace-batch', town.farmBatch.id);
  await page.click('#trace-forward');
  await page.waitForSelector('#trace-result:not(.hidden)');
  expect(await texts(page, '#trace-summary dd')).toEqual([
    '3', '否',
    `${town.farm.name} (#${town.farm.id}) · 1 批次 ${town.wholesaler.name} (#${town.wholesaler.id}) · 1 批次 ${town.vendor.name} (#${town.vendor.id}) · 1 批次`,
    '—', '100 千克 · 3 批次',
  ]);
  await page.click('#trace-backward');
  await page.waitForFunction(() => document.getElementById('trace-title')!.textContent!.startsWith('向上追溯'));
  expect(await texts(page, '#trace-summary dd')).toEqual(['1', '否', `${town.farm.name} (#${town.farm.id}) · 1 批次`, '40 千克 · 1 批次']);

  // recall: asked first, cancelled writes nothing; confirmed, the impact shown is what was recorded
  await page.fill('#recall-reason', '检出违禁农药 Banned pesticide found');
  await page.click('#recall-button');
  await page.waitForSelector('#recall-confirm:not(.hidden)');
  await page.click('#recall-cancel');
  expect(await t.sql(`select count(*)::int as n from recall`)).toEqual([{ n: 0 }]);
  await page.click('#recall-button');
  await page.click('#recall-yes');
  await page.waitForSelector('#recall-result:not(.hidden)');
  const [stored] = await t.sql<{ batches: number }>(`select count(*)::int as batches from batch where status = 'RECALLED'`);
  expect(stored.batches).toBe(3);
  expect(await t.sql(`select reason from recall where batch_id = $1`, [town.farmBatch.id])).toEqual([{ reason: '检出违禁农药 Banned pesticide found' }]);
  expect(await texts(page, '#recall-summary dd')).toEqual([
    '检出违禁农药 Banned pesticide found', '3', '3', '0',
    `${town.farm.name} (#${town.farm.id}) · 1 批次 ${town.wholesaler.name} (#${town.wholesaler.id}) · 1 批次 ${town.vendor.name} (#${town.vendor.id}) · 1 批次`,
    '—', '100 千克 · 3 批次',
  ]);
  expect(await page.textContent('#recall-title')).toMatch(/^召回已生效 · \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
  expect(await t.sql(`select rule_code, points from credit_event where operator_id = $1 and rule_code = 'RECALL_SOURCE'`, [town.farm.id])).toEqual([{ rule_code: 'RECALL_SOURCE', points: -20 }]);

  // the page fits a phone and loaded nothing from elsewhere
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.viewport.width);
  await page.screenshot({ path: path.join(SHOTS, 'regulator-phone.png'), fullPage: true });
  await context.close();

  // the token stays on the desk computer: the English desk signs itself in
  const wide = await desk(DESKTOP, 'en');
  await wide.page.evaluate((value) => localStorage.setItem('foodtrace.regulator.token', value), town.regulator);
  await wide.page.reload();
  await wide.page.waitForSelector('#desk:not(.hidden)');
  await wide.page.waitForSelector('#grade-counts tr.total');
  // the recall cost the farm 20 points its 26 trainings at the ceiling had not saved up: 80, grade B
  expect(await texts(wide.page, '#grade-counts tr')).toEqual(['A 3 3', 'B 2 2', 'C 1 1', 'D 1 0', 'Total 7 6']);
  await wide.page.waitForFunction(() => document.querySelectorAll('#archive-rows tr').length === 20);
  expect(await wide.page.textContent('h1')).toBe("Regulator's desk");
  await wide.page.screenshot({ path: path.join(SHOTS, 'regulator-desktop.png'), fullPage: true });
  await wide.context.close();
  expect(foreign).toEqual([]);
}, 60_000);

test('gate staff, an unknown token and bad input are refused with a clear message', async () => {
  const { context, page } = await desk(PHONE, 'en');
  const res = await fetch(`${base}/regulator?lang=en`);
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(res.headers.get('content-language')).toBe('en');
  const markup = await res.text();
  expect(markup.match(/<script[^>]*>/g)).toEqual([
    '<script type="application/json" id="desk-incidents-text">', '<script type="application/json" id="desk-charts-text">', '<script type="application/json" id="regulator-text">',
    '<script src="/static/regulator.js" defer>', '<script src="/static/desk-incidents.js" defer>',
  ]);
  // graphql-ws's browser client, its one chunk served under our own name
  const wsClient = await (await fetch(`${base}/static/graphql-ws.js`)).text();
  expect(wsClient).toContain(`from '/static/graphql-ws-common.js'`);
  expect(wsClient).not.toMatch(/from '\.\//);
  expect((await fetch(`${base}/static/graphql-ws-common.js`)).status).toBe(200);
  const script = await fetch(`${base}/static/regulator.js`);
  expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  expect((await fetch(`${base}/static/regulator.js`, { headers: { 'if-none-match': script.headers.get('etag')! } })).status).toBe(304);
  expect((await fetch(`${base}/regulator`)).headers.get('content-language')).toBe('zh-CN');

  await signIn(page, town.gate);
  await page.waitForFunction(() => document.getElementById('signin-error')!.textContent !== '');
  expect(await page.textContent('#signin-error')).toBe('This token is not a regulator or admin account; the desk is for regulators only.');
  expect(await page.isHidden('#desk')).toBe(true);
  expect(await page.evaluate(() => localStorage.getItem('foodtrace.regulator.token'))).toBeNull();

  await signIn(page, 'not-a-real-token');
  await page.waitForFunction(() => document.getElementById('signin-error')!.textContent === 'The token is unknown or revoked.');

  // an admin may use the desk; a lookup of an unknown operator shows the server's message
  await signIn(page, await token(t, Role.ADMIN));
  await page.waitForSelector('#desk:not(.hidden)');
  await page.fill('#lookup-id', '999999');
  await page.click('#lookup-button');
  await page.waitForFunction(() => document.getElementById('lookup-error')!.textContent !== '');
  expect(await page.textContent('#lookup-error')).toMatch(/^Error: .*not found/i);
  await page.fill('#trace-batch', 'abc');
  await page.click('#trace-forward');
  await page.waitForFunction(() => document.getElementById('trace-error')!.textContent !== '');
  expect(await page.textContent('#trace-error')).toMatch(/^Error: /);
  await page.fill('#trace-batch', '');
  await page.click('#recall-button');
  expect(await page.textContent('#recall-error')).toBe('Enter a batch id.');
  await page.screenshot({ path: path.join(SHOTS, 'regulator-refused.png'), fullPage: true });
  await context.close();
}, 60_000);

test('creditGradeCounts answers every grade, zeros included, from one grouped statement', async () => {
  await t.sql(`update operator set credit_grade = 'A', credit_score = 100, forced_d_until = null where credit_grade = 'C'`);
  const before = t.statements.length;
  const res = await t.gql(`{ creditGradeCounts { grade operators active } }`, {}, town.regulator);
  const sent = t.statements.slice(before).filter((s) => /credit_grade/.test(s));
  expect(ok(res).creditGradeCounts).toEqual([
    { grade: 'A', operators: 4, active: 4 }, { grade: 'B', operators: 2, active: 2 }, { grade: 'C', operators: 0, active: 0 }, { grade: 'D', operators: 1, active: 0 },
  ]);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatch(/group by credit_grade/);
});
