import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_LIMITS } from '../../src/config';
import { Role } from '../../src/entities/enums';
import { foldGraph, layoutCount, lineageDiagram, overlapping } from '../../src/web/lineage-diagram';
import { createTestApp, type TestApp } from '../support/app';
import { CHROMIUM_ARGS, PHONE, SHOTS } from '../support/browser';
import { fixture, makeBatch, makeOperator, ok, token, type Fixture } from '../support/factories';

const TRANSFER = `mutation($input: TransferBatchInput!) { transferBatch(input: $input) { id publicCode } }`;
const MERGE = `mutation($input: MergeBatchesInput!) { mergeBatches(input: $input) { id publicCode } }`;
const SPLIT = `mutation($input: SplitBatchInput!) { splitBatch(input: $input) { id publicCode } }`;
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };

let t: TestApp;
let f: Fixture;
let base: string;
let browser: Browser;
/** The 30th hand of a chain that began at a farm, and the public codes from the farm's lot (generation 0) to it. */
let chain: { code: string; ids: string[]; codes: string[] };
/** A cooperative's lot merged from 200 lots (their public codes, by id). */
let merged: { id: string; code: string; parents: string[] };
/** A lot split in ten, the first part handed on to a stall. */
let fan: { id: string; code: string; parts: string[]; handed: string };

interface Box { key: string; cls: string; x: number; y: number; width: number; height: number; texts: string[] }

/** The diagram's boxes as the browser drew them; the public page names them by public code (`more` for a folded box). */
const boxesOf = (page: Page, root: string): Promise<Box[]> => page.$$eval(`${root} g.box`, (gs) => gs.map((g) => {
  const r = g.querySelector('rect')!;
  const n = (a: string) => Number(r.getAttribute(a));
  return { key: (g.getAttribute('data-key') ?? g.getAttribute('data-code'))!, cls: g.getAttribute('class')!, x: n('x'), y: n('y'), width: n('width'), height: n('height'), texts: Array.from(g.querySelectorAll('text')).map((x) => x.textContent!) };
}));

/** A phone or desk tab that records console errors, failed requests and anything asked of another origin. */
async function tab(options: Parameters<Browser['newContext']>[0], problems: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  context.on('request', (r) => { if (!r.url().startsWith(`${base}/`)) problems.push(`foreign ${r.url()}`); });
  context.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { context, page };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, writesPerWindow: 1e6, heavyPerWindow: 1e6, publicPerWindow: 1e6 } });
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  t.config.publicUrl = base;
  f = await fixture(t);
  const ops = await Promise.all(['青山农场 Qingshan Farm', '县城批发部 County Wholesale', '李记蔬菜摊 Li Stall'].map((name, i) => makeOperator(t, f.admin, { name, kind: ['FARM', 'WHOLESALER', 'MARKET_VENDOR'][i] })));
  const root = await makeBatch(t, f.admin, ops[0].id, { productName: '小青菜 Bok choy', lotCode: 'QS-0', quantity: 1000 });
  chain = { code: root.publicCode, ids: [root.id], codes: [root.publicCode] };
  for (let g = 1; g <= 30; g++) {
    const next = ok(await t.gql(TRANSFER, { input: { batchId: chain.ids[g - 1], toOperatorId: ops[g % 3].id, quantity: 1000 - g } }, f.admin)).transferBatch;
    chain = { code: next.publicCode, ids: [...chain.ids, next.id], codes: [...chain.codes, next.publicCode] };
  }

  const coop = await makeOperator(t, f.admin, { name: '绿源合作社 Green Source Coop', kind: 'COOPERATIVE' });
  const leaves: { id: string; publicCode: string }[] = [];
  for (let i = 0; i < 200; i += 25) {
    leaves.push(...(await Promise.all(Array.from({ length: 25 }, (_, j) => makeBatch(t, f.admin, coop.id, { productName: '番茄 Tomato', lotCode: `T-${i + j}`, quantity: 10 })))));
  }
  const top = ok(await t.gql(MERGE, { input: { inputs: leaves.map((b) => ({ batchId: b.id })), lotCode: 'T-ALL' } }, f.admin)).mergeBatches;
  merged = { id: top.id, code: top.publicCode, parents: leaves.sort((a, b) => Number(a.id) - Number(b.id)).map((b) => b.publicCode) };

  const lot = await makeBatch(t, f.admin, ops[0].id, { productName: '黄瓜 Cucumber', lotCode: 'CU-1', quantity: 100 });
  const parts = ok(await t.gql(SPLIT, { input: { batchId: lot.id, parts: Array.from({ length: 10 }, () => ({ quantity: 10 })) } }, f.admin)).splitBatch;
  const handed = ok(await t.gql(TRANSFER, { input: { batchId: parts[0].id, toOperatorId: ops[2].id, quantity: 4 } }, f.admin)).transferBatch;
  fan = { id: lot.id, code: lot.publicCode, parts: parts.map((p: { id: string }) => p.id), handed: handed.id };
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('folding a graph for a diagram', () => {
  const lots = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, name: 'Tomato', holder: 'Coop', lotCode: `T-${i + 1}`, quantity: '10 kg' }));
  // 1 ← 2..6 (a merge of five); 2 ← 7 ← 8
  const links = [2, 3, 4, 5, 6].map((p) => ({ parentId: p, childId: 1 })).concat([{ parentId: 7, childId: 2 }, { parentId: 8, childId: 7 }]);

  it('shows maxFan boxes of a fan, the last one "+N more", and expands a lot asked for', () => {
    const folded = foldGraph(lots, links, 1, 'upstream', { maxFan: 3, maxBoxes: 50 });
    expect(folded.lots.map((l) => l.id)).toEqual([1, 2, 3, 7, 8]);
    expect(folded.more).toEqual([{ key: 'm1', batchId: 1, hidden: 3 }]);
    expect(folded.links).toEqual([{ from: 'b2', to: 'b1' }, { from: 'b3', to: 'b1' }, { from: 'b7', to: 'b2' }, { from: 'b8', to: 'b7' }, { from: 'm1', to: 'b1' }]);
    expect(folded.hiddenLots).toBe(3);
    const open = foldGraph(lots, links, 1, 'upstream', { maxFan: 3, maxBoxes: 50 }, new Set([1]));
    expect([open.lots.length, open.more, open.hiddenLots]).toEqual([8, [], 0]);
  });

  it('stops at maxBoxes, folding what does not fit into the box of the lot it hangs from', () => {
    const folded = foldGraph(lots, links, 1, 'upstream', { maxFan: 10, maxBoxes: 4 });
    expect(folded.lots.map((l) => l.id)).toEqual([1, 2, 3]);
    expect(folded.more).toEqual([{ key: 'm1', batchId: 1, hidden: 3 }, { key: 'm2', batchId: 2, hidden: 1 }]);
  });

  it('walks downstream from a lot to what was made of it', () => {
    const folded = foldGraph(lots, links, 8, 'downstream', { maxFan: 3, maxBoxes: 50 });
    expect(folded.lots.map((l) => l.id).sort()).toEqual([1, 2, 7, 8]);
    expect(folded.more).toEqual([]);
  });

  it('lays a layout out once: the same picture again comes from the cache', () => {
    const before = layoutCount.value;
    const a = lineageDiagram(lots, links, 1, 'upstream', { maxFan: 4, maxBoxes: 50 });
    const b = lineageDiagram(lots, links, 1, 'upstream', { maxFan: 4, maxBoxes: 50 });
    expect(layoutCount.value - before).toBe(1);
    expect(b).toEqual(a);
    expect(overlapping(a.boxes)).toEqual([]);
  });
});

describe('the lineage diagram on the consumer page', () => {
  it('a 30-generation chain: 31 boxes top to bottom, none overlapping, the scanned lot on top and marked, legible on a phone', async () => {
    const problems: string[] = [];
    const { context, page } = await tab({ ...PHONE, locale: 'en-GB' }, problems);
    await page.goto(`${base}/t/${chain.code}?lang=en`);
    const svg = page.locator('#lineage svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await page.textContent(`#${await svg.getAttribute('aria-labelledby')}`)).toBe('Where it came from');
    const lotCode = await page.textContent('#product dd');
    expect(await page.textContent(`#${await svg.getAttribute('aria-describedby')}`)).toBe(
      `Lineage of 小青菜 Bok choy (lot ${lotCode}): this lot at the top, the lots it came from below it. This lot came through 31 lots from 1 producer.`,
    );
    const boxes = await boxesOf(page, '#lineage');
    expect(boxes).toHaveLength(31);
    expect(boxes.map((b) => b.key)).toEqual(chain.codes.slice().reverse());
    expect(boxes.filter((b) => b.cls.includes('current')).map((b) => b.key)).toEqual([chain.code]);
    // a public page names lots by public code only: no database id in the drawing
    expect(await page.$$eval('#lineage [data-key]', (els) => els.length)).toBe(0);
    expect(overlapping(boxes)).toEqual([]);
    // each generation below the one made from it
    expect(boxes.every((b, i) => i === 0 || b.y > boxes[i - 1].y + boxes[i - 1].height)).toBe(true);
    expect(boxes[30].texts.slice(0, 2)).toEqual(['小青菜 Bok choy', '青山农场 Qingshan Farm']);
    // a long derived lot code keeps both ends and the quantity after it
    expect(boxes[0].texts[2]).toMatch(/^QS-0\/.*….*\/T5 · 970 kg$/);
    expect(boxes[1].texts[2]).toMatch(/^QS-0\/.*….* · 971 kg$/);
    // legible: no text under 13 px; the page itself never scrolls sideways, the diagram scrolls in its own box
    const sizes = await page.$$eval('#lineage text', (els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(13);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE.viewport.width);
    const view = await page.$eval('#lineage .diagram', (d) => ({ width: d.clientWidth, tabindex: d.getAttribute('tabindex') }));
    expect(view.tabindex).toBe('0');
    expect(boxes[0].x + boxes[0].width).toBeLessThanOrEqual(view.width);
    expect(await page.textContent('#lineage p.sub')).toBe('This lot came through 31 lots from 1 producer. Every step is listed below.');
    await page.screenshot({ path: path.join(SHOTS, 'lineage-30-generations-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a 200-lot merge: two of its lots and "+198 more lots", none overlapping, within a phone and a half', async () => {
    const problems: string[] = [];
    const { context, page } = await tab({ ...PHONE, locale: 'zh-CN' }, problems);
    await page.goto(`${base}/t/${merged.code}`);
    const boxes = await boxesOf(page, '#lineage');
    expect(boxes.map((b) => [b.key, b.cls])).toEqual([
      [merged.code, 'box lot current'], [merged.parents[0], 'box lot'], [merged.parents[1], 'box lot'], ['more', 'box more'],
    ]);
    expect(boxes[3].texts).toEqual(['另有 198 个批次']);
    expect(overlapping(boxes)).toEqual([]);
    const width = Number(await page.getAttribute('#lineage svg', 'width'));
    expect(width).toBeLessThanOrEqual(PHONE.viewport.width * 1.5);
    // the merged lot sits at the left, in the phone's first screen of the diagram
    const view = await page.$eval('#lineage .diagram', (d) => d.clientWidth);
    expect(boxes[0].x + boxes[0].width).toBeLessThanOrEqual(view);
    expect(await page.textContent('#lineage p.sub')).toBe('本批次由 201 个批次、1 个生产者流转而来。 图中合并显示了 198 个批次。 下方逐一列出每个流转环节。');
    // the journey below lists all 201 lots: the phone's first screens and the diagram, not the whole page
    await page.locator('#lineage').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'lineage-200-merge-phone.png') });
    await page.locator('#lineage').screenshot({ path: path.join(SHOTS, 'lineage-200-merge-diagram.png') });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is laid out once per chain in either language, costs the page no statement, and the public GraphQL path none', async () => {
    const page = (code: string, lang: string) => t.app.fastify.inject({ method: 'GET', url: `/t/${code}?lang=${lang}` });
    const before = layoutCount.value;
    // the Chinese page of the merged lot was drawn above: the English one reuses its layout; the trace's one statement is all
    expect(await t.countStatements(async () => expect((await page(merged.code, 'en')).statusCode).toBe(200))).toBe(1);
    expect(layoutCount.value).toBe(before);
    // a lot not drawn yet (the chain's 29th hand): laid out once, then from the cache
    await page(chain.codes[29], 'zh');
    expect(layoutCount.value).toBe(before + 1);
    await page(chain.codes[29], 'en');
    expect(layoutCount.value).toBe(before + 1);
    ok(await t.gql(`query($c: String!) { trace(code: $c) { nodes { id } } }`, { c: chain.codes[28] }));
    expect(layoutCount.value).toBe(before + 1);
  });
});

describe('the forward-impact graph on the desk', () => {
  const graph = (lot: string, tok: string | null, query = '') =>
    t.app.fastify.inject({ method: 'GET', url: `/regulator/forward-graph/${lot}${query}`, headers: tok ? { authorization: `Bearer ${tok}` } : {} });

  it('answers the laid-out graph to regulators only, and refuses bad input with a clear 4xx', async () => {
    const res = await graph(fan.code, f.regulator);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect([body.batch.id, body.totalBatches, body.hiddenLots]).toEqual([Number(fan.id), 12, 5]);
    expect(body.boxes.map((b: { key: string }) => b.key)).toEqual([`b${fan.id}`, ...fan.parts.slice(0, 5).map((p) => `b${p}`), `b${fan.handed}`, `m${fan.id}`]);
    expect(overlapping(body.boxes)).toEqual([]);
    expect((await graph(fan.id, f.regulator, `?expand=${fan.id}`)).json().boxes).toHaveLength(12);
    expect((await graph(fan.code, null)).statusCode).toBe(401);
    expect((await graph(fan.code, await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, f.admin)).id }))).statusCode).toBe(403);
    expect((await graph('NOSUCHCODE0000000', f.regulator)).statusCode).toBe(404);
    expect((await graph('99999999', f.regulator)).statusCode).toBe(404);
    for (const q of ['?expand=x', '?expand=0', `?expand=${Array.from({ length: 51 }, (_, i) => i + 1).join(',')}`, '?depth=3']) {
      expect((await graph(fan.code, f.regulator, q)).statusCode).toBe(400);
    }
  });

  it('a regulator opens a lot, moves by keyboard, reads a lot, expands the folded parts, pans and zooms', async () => {
    const problems: string[] = [];
    const { context, page } = await tab({ ...DESKTOP, locale: 'en-GB' }, problems);
    await page.goto(`${base}/regulator?lang=en`);
    await page.fill('#token', f.regulator);
    await page.click('#signin-button');
    await page.waitForSelector('#desk:not(.hidden)');
    await page.fill('#impact-lot', fan.code);
    await page.click('#impact-show');
    await page.waitForSelector('#impact-graph svg');
    expect(await page.textContent('#impact-summary')).toBe('12 lots in all, 7 shown');
    const boxes = await boxesOf(page, '#impact-graph');
    // top to bottom: the lot; its first five parts (in the order dagre placed them) and the "+5 more" box; the stall's lot
    const keys = boxes.map((b) => b.key);
    expect([keys[0], [...keys.slice(1, 6)].sort(), keys[6], keys[7]]).toEqual([`b${fan.id}`, fan.parts.slice(0, 5).map((p) => `b${p}`).sort(), `m${fan.id}`, `b${fan.handed}`]);
    expect(boxes.find((b) => b.key === `m${fan.id}`)!.texts).toEqual(['+5 more lots']);
    await page.locator('#impact').screenshot({ path: path.join(SHOTS, 'forward-graph-folded.png') });

    // keyboard: from the lot down to a box of the next rank; from the first part down to the stall's lot, Enter for its details
    await page.focus(`#impact-graph [data-key="b${fan.id}"]`);
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => document.activeElement!.getAttribute('data-key'));
    expect([...fan.parts.slice(0, 5).map((p) => `b${p}`), `m${fan.id}`]).toContain(first);
    await page.focus(`#impact-graph [data-key="b${fan.parts[0]}"]`);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement!.getAttribute('data-key'))).toBe(`b${fan.handed}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#impact-details:not(.hidden)');
    const facts = await page.$$eval('#impact-facts dd', (dds) => dds.map((d) => d.textContent));
    expect(facts.slice(0, 5)).toEqual([expect.stringMatching(/^黄瓜 Cucumber · /), '李记蔬菜摊 Li Stall (Market vendor, Qingshan)', '4 kg', '4 kg', 'Active']);
    expect(await page.getAttribute(`#impact-graph [data-key="b${fan.handed}"]`, 'class')).toContain('selected');

    // the folded parts: Enter on the "+5 more" box shows all ten, and keeps the reader on the lot
    await page.focus(`#impact-graph [data-key="m${fan.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#impact-graph g.box').length === 12);
    expect(await page.evaluate(() => document.activeElement!.getAttribute('data-key'))).toBe(`b${fan.id}`);
    expect(overlapping(await boxesOf(page, '#impact-graph'))).toEqual([]);

    // pan by dragging, zoom by the buttons
    const host = page.locator('#impact-graph');
    const box = (await host.boundingBox())!;
    await page.mouse.move(box.x + box.width - 20, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 20, box.y + 40, { steps: 5 });
    await page.mouse.up();
    expect(await host.evaluate((h) => h.scrollLeft)).toBeGreaterThan(0);
    const width = Number(await page.getAttribute('#impact-graph svg', 'width'));
    await page.click('#impact-zoom-in');
    expect(Number(await page.getAttribute('#impact-graph svg', 'width'))).toBeCloseTo(width * 1.25, 3);
    await page.click('#impact-zoom-reset');
    await page.locator('#impact').screenshot({ path: path.join(SHOTS, 'forward-graph-expanded.png') });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
