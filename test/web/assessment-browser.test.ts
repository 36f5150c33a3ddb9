import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, SHOTS } from '../support/browser';
import { makeOperator, ok } from '../support/factories';
import { useTestApp } from '../support/use-test-app';
import { localDate } from '../../src/local-time';

const live = useTestApp({ listen: true });
const { t, f } = live;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => browser?.close());

describe('the self-assessment in Chromium', () => {
  it('shows every indicator and the shortcomings on screen, and prints without the page controls', async () => {
    const today = localDate(new Date(), 'Asia/Shanghai');
    const year = Number(today.slice(0, 4));
    const farm = await makeOperator(t, f.admin, { village: '东村', name: '东村农场' });
    await makeOperator(t, f.admin, { village: '东村', name: '河边农场' });
    ok(await t.gql(`mutation($input: RecordTrainingInput!) { recordTraining(input: $input) { id } }`, {
      input: { topic: '合格证开具', heldOn: today, trainer: '王立', village: '东村', clientKey: 'shot-1', attendees: [{ operatorId: farm.id }] },
    }, f.regulator));

    const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, extraHTTPHeaders: { authorization: `Bearer ${f.regulator}` } });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${live.base}/assessment/${year}?lang=zh`);
    expect(await page.locator('h1').textContent()).toBe(`${year} 年度食品安全工作自评报告`);
    expect(await page.locator('#indicators tbody tr').count()).toBe(11);
    // two operators, one trained: 50 % against 80 %, a shortcoming; one training of two a year, another
    expect(await page.locator('#indicators tbody tr.short').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#shortcoming-list li').allTextContents()).toContain('经营主体参训率：完成 50%（1/2），低于目标 80%。');
    expect(await page.locator('#villages tbody tr').allTextContents()).toHaveLength(1);
    expect(await page.locator('link[href="/static/assessment.css"]').count()).toBe(1);
    expect(failed).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'assessment-zh.png'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.lang').isVisible()).toBe(false);
    expect(await page.locator('.actions').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'assessment-print-zh.png'), fullPage: true });

    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${live.base}/assessment/${year}?lang=en`);
    expect(await page.locator('#shortcoming-list li').allTextContents()).toContain('Operators trained: 50% (1/2), below the target of 80%.');
    await page.screenshot({ path: path.join(SHOTS, 'assessment-en.png'), fullPage: true });
    await context.close();
  });

  it('opens from the regulator desk in a new tab, by a link the desk makes under its token; the PDF link works there too', async () => {
    const year = Number(localDate(new Date(), 'Asia/Shanghai').slice(0, 4));
    await makeOperator(t, f.admin, { village: '东村', name: '东村农场' });
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: 'zh-CN' });
    const problems: string[] = [];
    context.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    const desk = await context.newPage();
    desk.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    await desk.goto(`${live.base}/regulator?lang=zh`);
    await desk.fill('#token', f.regulator);
    await desk.click('#signin-button');
    await desk.waitForSelector('#grade-counts tr.total');
    expect(await desk.inputValue('#assessment-year')).toBe(String(year));

    const [report] = await Promise.all([context.waitForEvent('page'), desk.click('#assessment-open')]);
    await report.waitForLoadState();
    const opened = report.url();
    // the tab carries no token: the link's key speaks for the regulator, for this year
    expect(new URL(report.url()).pathname).toBe(`/assessment/${year}`);
    expect(new URL(report.url()).searchParams.get('key')).toMatch(/^\d+\.\d{10}\.[A-Za-z0-9_-]{43}$/);
    expect(await report.locator('h1').textContent()).toBe(`${year} 年度食品安全工作自评报告`);
    expect(await report.locator('#villages tbody tr th').allTextContents()).toEqual(['东村']);
    const pdf = await report.request.get(`${live.base}${await report.getAttribute('.actions a', 'href')}`);
    expect([pdf.status(), pdf.headers()['content-type'], (await pdf.body()).subarray(0, 5).toString('latin1')]).toEqual([200, 'application/pdf', '%PDF-']);
    // the other language keeps the key
    await report.click('nav.lang a');
    expect(await report.locator('h1').textContent()).toBe(`Food-safety work self-assessment ${year}`);

    // the desk keeps both links for the quarter hour they work
    expect(await desk.isVisible('#assessment-links')).toBe(true);
    expect(`${live.base}${await desk.getAttribute('#assessment-page', 'href')}`).toBe(opened);
    await desk.locator('#assessment').screenshot({ path: path.join(SHOTS, 'desk-assessment-zh.png') });
    // a year the server cannot assess is said so on the desk, and nothing opens
    await desk.fill('#assessment-year', '1999');
    await desk.click('#assessment-open');
    await desk.waitForFunction(() => document.getElementById('assessment-error')!.textContent !== '');
    expect(await desk.textContent('#assessment-error')).toBe('出错: year: must be a year from 2000 to 2100');
    expect(context.pages()).toHaveLength(2);
    // the refused request is the only one, and Chromium's own console line about it the only message
    expect(problems).toEqual([`400 ${live.base}/assessment/1999.link?lang=zh`, 'Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });
});
