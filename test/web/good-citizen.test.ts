import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import sharp from 'sharp';
import { DEFAULT_LIMITS } from '../../src/config';
import { createTestApp, type TestApp } from '../support/app';
import { CHROMIUM_ARGS, PHONE, SHOTS } from '../support/browser';
import { makeBatch, ok } from '../support/factories';
import { routesOf } from '../support/routes';
import { buildWebTown, type WebTown } from './town';

let t: TestApp;
let base: string;
let browser: Browser;
let town: WebTown;
let handoverCode: string;
let assessmentPath: string;
const GTIN_LOT = '/01/09506000134352/10/DL-1';

/** Every page a person opens (HTML), by route, with a URL that shows it; `private` pages ask not to be indexed. */
const PAGES: Record<string, { url: () => string; private?: boolean; installable?: 'gate' | 'inspect'}> = {
  '/t/:code': { url: () => `/t/${town.stallBatch.publicCode}` },
  '/o/:code': { url: () => `/o/${town.farm.publicCode}` },
  '/c/:number': { url: () => `/c/${town.certificateNumber}` },
  '/handover/:code': { url: () => `/handover/${handoverCode}` },
  '/m/:marketId/board': { url: () => `/m/${town.marketId}/board` },
  '/01/:gtin/10/:lot': { url: () => GTIN_LOT },
  '/banquet': { url: () => '/banquet' },
  '/report': { url: () => '/report' },
  '/gate': { url: () => '/gate', private: true, installable: 'gate' },
  '/inspect': { url: () => '/inspect', private: true, installable: 'inspect' },
  '/regulator': { url: () => '/regulator', private: true },
  '/canteen': { url: () => '/canteen', private: true },
  '/recall/:id': { url: () => '/recall/1', private: true },
  // a regulator's document, opened as the desk opens it: by the short-lived link made under the admin's token
  '/assessment/:file': { url: () => assessmentPath, private: true },
};

/** Routes that are not pages: data, files, images, sockets. A new route must land in one list or the other. */
const NOT_PAGES = new Set([
  '/graphql', '/graphql/ws', '/healthz', '/readyz', '/static/:name', '/favicon.ico', '/robots.txt', '/qr/:file',
  '/exports/credit.csv', '/exports/registry.csv', '/exports/fsma204/batches/:file', '/exports/fsma204/:file', '/epcis/batches/:file',
  '/epcis/capture', '/epcis/capture/:id', '/epcis/events', '/imports/:kind', '/ledger/export', '/ledger/public-key', '/ledger/checkpoints/:id',
  '/ledger/proof/:operatorId', '/inspect/photos', '/inspect/photos/:name', '/notifications/live', '/regulator/charts', '/regulator/forward-graph/:lot',
  '/ledger/work/:file',
]);

beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6 } });
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  t.config.publicUrl = base;
  town = await buildWebTown(t);
  await makeBatch(t, town.admin, town.farm.id, { gtin: '09506000134352', lotCode: 'DL-1' });
  const handed = await t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { publicCode } }`,
    { i: { batchId: town.farmBatch.id, toOperatorId: town.vendor2.id, quantity: 1, handover: { documentType: 'INVOICE', documentNumber: 'A-1' } } }, town.admin);
  handoverCode = ok(handed).transferBatch.publicCode;
  const link = new URL((await (await fetch(`${base}/assessment/${new Date().getUTCFullYear()}.link`, { headers: { authorization: `Bearer ${town.admin}` } })).json()).url, base);
  // each visit names its own language
  link.searchParams.delete('lang');
  assessmentPath = `${link.pathname}${link.search}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  // a connection that never sends a request (as a browser's preconnect) does not hold the server open: without its
  // drop at close, Node leaves it to the headers timeout and closing took some 70 s
  const silent = connect((t.app.fastify.server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => silent.once('connect', resolve));
  const dropped = new Promise((resolve) => silent.once('close', resolve));
  const closing = Date.now();
  await t?.close();
  await dropped;
  expect(Date.now() - closing).toBeLessThan(10_000);
});

it('knows every route: each is a page visited below or listed as not a page', () => {
  const routes = routesOf(t.app.fastify.printRoutes({ commonPrefix: false }));
  expect(routes.filter((r) => !PAGES[r] && !NOT_PAGES.has(r))).toEqual([]);
  expect([...Object.keys(PAGES), ...NOT_PAGES].filter((r) => !routes.includes(r))).toEqual([]);
});

it('serves /favicon.ico, /robots.txt and the icons made from the SVG', async () => {
  const ico = await fetch(`${base}/favicon.ico`);
  expect([ico.status, ico.headers.get('content-type')]).toEqual([200, 'image/x-icon']);
  const bytes = Buffer.from(await ico.arrayBuffer());
  // an icon directory of one 48 × 48 image, a PNG stored whole after the 22-byte header
  expect([bytes.readUInt16LE(2), bytes.readUInt16LE(4), bytes[6], bytes[7], bytes.readUInt32LE(14), bytes.readUInt32LE(18)]).toEqual([1, 1, 48, 48, bytes.length - 22, 22]);
  expect(await sharp(bytes.subarray(22)).metadata()).toMatchObject({ format: 'png', width: 48, height: 48 });
  const robots = await fetch(`${base}/robots.txt`);
  expect([robots.status, robots.headers.get('content-type')]).toEqual([200, 'text/plain; charset=utf-8']);
  expect((await robots.text()).split('\n')).toEqual(['User-agent: *', 'Disallow: /graphql', 'Disallow: /gate', 'Disallow: /inspect', 'Disallow: /regulator', 'Disallow: /canteen', 'Disallow: /exports/', 'Disallow: /epcis/', '']);
  for (const [name, size] of [['icon-192.png', 192], ['icon-512.png', 512], ['icon-maskable-192.png', 192], ['icon-maskable-512.png', 512], ['apple-touch-icon.png', 180]] as const) {
    const res = await fetch(`${base}/static/${name}`);
    expect([name, res.status, res.headers.get('content-type')]).toEqual([name, 200, 'image/png']);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([name, meta.width, meta.height]).toEqual([name, size, size]);
  }
  // a masked icon fills its square: no transparent corner
  const corner = await sharp(Buffer.from(await (await fetch(`${base}/static/icon-maskable-192.png`)).arrayBuffer())).extract({ left: 0, top: 0, width: 1, height: 1 }).raw().toBuffer();
  expect([...corner]).toEqual([0x1b, 0x7a, 0x35]);
});

describe.each(['zh', 'en'] as const)('every page in %s', (lang) => {
  it.each(Object.keys(PAGES))('%s: no console error or failed request, a title, a description, its language, icons; a manifest where installable', async (route) => {
    const spec = PAGES[route];
    const context = await browser.newContext({ ...PHONE, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
    const problems: string[] = [];
    context.on('request', (r) => { if (!r.url().startsWith(`${base}/`)) problems.push(`foreign ${r.url()}`); });
    context.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`error: ${e}`));
    const url = `${spec.url()}${spec.url().includes('?') ? '&' : '?'}lang=${lang}`;
    const res = await page.goto(`${base}${url}`, { waitUntil: 'networkidle' });
    expect(res!.status()).toBe(200);

    const head = await page.evaluate(() => {
      const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
      const link = (rel: string) => Array.from(document.querySelectorAll(`link[rel="${rel}"]`)).map((l) => l.getAttribute('href'));
      return {
        lang: document.documentElement.lang, title: document.title, description: meta('description'), viewport: meta('viewport'), robots: meta('robots'),
        themeColour: meta('theme-color'), charset: document.characterSet, icons: link('icon'), manifest: link('manifest'),
        hreflang: Array.from(document.querySelectorAll('[hreflang]')).map((a) => a.getAttribute('hreflang')),
        links: Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href')!).filter((h) => h.startsWith('/')),
      };
    });
    expect(head.lang).toBe(lang === 'zh' ? 'zh-CN' : 'en');
    expect(head.title.length).toBeGreaterThan(2);
    expect(head.description!.length).toBeGreaterThanOrEqual(lang === 'zh' ? 15 : 40);
    expect(head.viewport).toBe('width=device-width, initial-scale=1');
    expect(head.charset).toBe('UTF-8');
    expect(head.themeColour).toBe('#1b7a35');
    expect(head.robots).toBe(spec.private ? 'noindex, nofollow' : null);
    expect(head.icons).toEqual(['/favicon.ico', '/static/icon.svg']);
    // the language switch names the other language by a valid code
    expect(head.hreflang).toEqual([lang === 'zh' ? 'en' : 'zh']);
    for (const href of [...new Set([...head.icons, ...head.links])]) {
      const linked = await fetch(`${base}${href}`, { redirect: 'manual' });
      // the body is not needed: dropped, so no answer is left half sent when the server closes
      await linked.body?.cancel();
      expect([href, linked.status < 400]).toEqual([href, true]);
    }
    expect(head.manifest).toEqual(spec.installable ? [`/static/${spec.installable}.${lang}.webmanifest`] : []);
    if (spec.installable) {
      const manifest = await (await fetch(`${base}${head.manifest[0]}`)).json();
      expect(manifest).toMatchObject({
        id: `/${spec.installable}`, start_url: lang === 'zh' ? `/${spec.installable}` : `/${spec.installable}?lang=en`, scope: `/${spec.installable}`,
        display: 'standalone', theme_color: '#1b7a35', lang: head.lang,
      });
      expect(manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual(['192x192 any', '192x192 maskable', '512x512 any', '512x512 maskable']);
      for (const icon of manifest.icons) expect((await fetch(`${base}${icon.src}`)).status).toBe(200);
      // what Chromium itself makes of the manifest: installable, with no errors
      const session = await context.newCDPSession(page);
      const parsed = await session.send('Page.getAppManifest');
      expect([parsed.url, parsed.errors]).toEqual([`${base}${head.manifest[0]}`, []]);
    }
    expect(problems).toEqual([]);
    if (lang === 'zh') await page.screenshot({ path: path.join(SHOTS, `page-${route.replace(/[/:]+/g, '-').replace(/^-|-$/g, '') || 'root'}.png`) });
    await context.close();
  });
});
