import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app';
import { SHOTS, PHONE, CHROMIUM_ARGS } from '../support/browser';


let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await t.close();
});

describe('/report in Chromium', () => {
  it('an anonymous complaint in Chinese on a phone: sent, confirmed with its number, recorded with the contact kept', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/report`);
    expect(await page.getAttribute('html', 'lang')).toMatch(/^zh/);
    await page.selectOption('#kind', 'COMPLAINT');
    await page.fill('#occurredAt', '2026-11-29T12:30');
    await page.fill('#village', '青山村 Qingshan');
    await page.fill('#placeRef', '东门市场 3号摊');
    await page.fill('#description', '买的青菜有刺鼻的农药味。');
    await page.fill('#contact', '13800000002');
    await page.screenshot({ path: path.join(SHOTS, 'report-phone-zh.png'), fullPage: true });
    await Promise.all([page.waitForURL(/\/report/), page.click('#report-send')]);
    expect((await page.innerText('#report-thanks')).trim()).toBe('已收到，谢谢！');
    const [row] = await t.sql(`select id, kind, village, place_ref, description, contact, reported_by_id from incident`);
    expect((await page.innerText('#report-number')).trim()).toBe(`您的举报编号为 ${row.id}。食品安全办公室会尽快处理。`);
    expect(row).toEqual({
      id: row.id, kind: 'COMPLAINT', village: '青山村 Qingshan', place_ref: '东门市场 3号摊', description: '买的青菜有刺鼻的农药味。', contact: '13800000002', reported_by_id: null,
    });
    // the confirmation does not echo the contact back
    expect(await page.content()).not.toContain('13800000002');
    // phone width: nothing overflows sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, 'report-phone-zh-thanks.png'), fullPage: true });
    await context.close();
  });
});
