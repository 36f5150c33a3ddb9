import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { Role } from '../src/entities/enums';
import { localDate } from '../src/local-time';
import { createTestApp, type TestApp } from './support/app';
import { makeBatch, makeCertificate, makeOperator, ok, token } from './support/factories';
import { SHOTS, PHONE, CHROMIUM_ARGS } from './support/browser';


let t: TestApp;
let base: string;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp();
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  admin = await token(t, Role.ADMIN);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('on a phone in Chromium', () => {
  it('a host files a banquet in Chinese and sees the number and the recalled ingredient at once', async () => {
    const farm = await makeOperator(t, admin, { name: '青山养殖场' });
    const lot = await makeBatch(t, admin, farm.id, { productName: '鸭' });
    ok(await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`, { input: { batchId: lot.id, reason: '沙门氏菌' } }, admin));
    const heldOn = new Date(Date.parse(`${localDate(new Date(), t.config.timeZone)}T00:00:00Z`) + 4 * 86_400_000).toISOString().slice(0, 10);
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${base}/banquet?lang=zh`);
    await page.fill('#hostName', '张三');
    await page.fill('#hostPhone', '13900001111');
    await page.fill('#village', '青山村');
    await page.selectOption('#kind', 'WEDDING');
    await page.fill('#heldOn', heldOn);
    await page.selectOption('#meal', 'DINNER');
    await page.fill('#guests', '180');
    await page.fill('#venue', '村文化礼堂');
    await page.fill('#menu', '红烧肉、清蒸鱼、白切鸭');
    await page.fill('#chefs', '刘师傅');
    await page.fill('#ingredients', `大米\n鸭，${base}/t/${lot.publicCode}`);
    await page.screenshot({ path: path.join(SHOTS, 'banquet-form-zh.png'), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('#banquet-number')).toMatch(/^YH\d{10}$/);
    expect(await page.textContent('#banquet-tier')).toBe('乡镇现场指导');
    expect(await page.textContent('#banquet-warnings li[data-code="INGREDIENT_RECALLED"]')).toBe('鸭: 该食材批次已被召回，请勿使用');
    expect(await page.content()).not.toContain('13900001111');
    await page.screenshot({ path: path.join(SHOTS, 'banquet-filed-zh.png'), fullPage: true });
    await context.close();
  });

  it('canteen staff sign in, a certified lot is green and a recalled one red', async () => {
    const farm = await makeOperator(t, admin, { name: 'Hill Farm' });
    const canteen = await makeOperator(t, admin, { name: 'Central School Canteen', kind: 'CANTEEN' });
    const good = await makeBatch(t, admin, farm.id, { productName: 'Cabbage' });
    await makeCertificate(t, admin, good.id);
    const bad = await makeBatch(t, admin, farm.id, { productName: 'Pork' });
    await makeCertificate(t, admin, bad.id);
    ok(await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`, { input: { batchId: bad.id, reason: 'Residue' } }, admin));
    const staff = await token(t, Role.OPERATOR, { operatorId: canteen.id });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${base}/canteen?lang=en`);
    await page.fill('#token', staff);
    await page.click('#signin-button');
    await page.waitForSelector('#canteen-app:not(.hidden)');
    await page.fill('#code', `${base}/t/${good.publicCode}`);
    await page.fill('#quantity', '12');
    await page.click('#receive-form button[type=submit]');
    await page.waitForSelector('#receive-light');
    expect(await page.getAttribute('#receive-light', 'class')).toBe('light light-GREEN');
    await page.screenshot({ path: path.join(SHOTS, 'canteen-green-en.png'), fullPage: true });
    await page.fill('#code', bad.publicCode);
    await page.click('#receive-form button[type=submit]');
    await page.waitForSelector('#receive-light.light-RED');
    expect(await page.textContent('#receive-light li[data-code="RECALLED"]')).toBe('This lot has been recalled');
    await page.screenshot({ path: path.join(SHOTS, 'canteen-red-en.png'), fullPage: true });
    await context.close();
  });
});
