import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { INDICATORS } from '../../src/assessment/indicators';
import { chartWindow, deskCharts } from '../../src/charts/desk-charts.service';
import { DEFAULT_LIMITS } from '../../src/config';
import { CREDIT_RULES } from '../../src/credit/rules';
import { Grade, Role } from '../../src/entities/enums';
import { isSampled } from '../../src/gate/gate.service';
import { createTestApp, type TestApp } from '../support/app';
import { CHROMIUM_ARGS, SHOTS } from '../support/browser';
import { fixture, makeBatch, makeCertificate, makeMarket, makeMarketScene, makeOperator, ok, token } from '../support/factories';

const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };
const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { decision } }`;
const REPORT = `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { id } }`;

let t: TestApp;
let base: string;
let browser: Browser;
let regulator: string;
let gateClerk: string;
let months: string[];
let days: string[];
let markets: { east: { id: number; name: string }; west: { id: number; name: string } };

/** A time in a month of the window, `back` months before this one, on `day` (04:00 UTC, noon in the county). */
const inMonth = (back: number, day: number) => `${months[months.length - 1 - back]}-${String(day).padStart(2, '0')}T04:00:00.000Z`;

let scans = 0;
/** A scan id the gate will not draw for a test of the farm, grade C by the time it scans (30 % are drawn). */
function unsampledScanId(): string {
  for (;;) {
    const id = `chart-scan-${scans++}`;
    if (!isSampled(id, Grade.C, t.config.samplingSecret!)) return id;
  }
}

const zeros = (n: number) => Array.from({ length: n }, () => 0);
/** A series of the window's 12 months: zero (or null) everywhere but the last months, given oldest first. */
const lastMonths = (tail: (number | null)[], empty: number | null = 0) => [...Array.from({ length: 12 - tail.length }, () => empty), ...tail];

/**
 * A town worked out by hand: a farm and a stall registered three months ago (the farm fined 30 points two months
 * ago, grade C from then on), a second farm registered today; three accepted loads at two markets (one yesterday);
 * tests of this month (3 pass, 1 fail) and last month (1 pass); incidents this month (one, and a drill) and last month (one).
 */
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, heavyPerWindow: 1e6, writesPerWindow: 1e6 } });
  await t.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.fastify.server.address() as AddressInfo).port}`;
  const w = chartWindow(new Date(), t.config.timeZone);
  months = w.months;
  days = w.days;
  const f = await fixture(t);
  regulator = f.regulator;
  const scene = await makeMarketScene(t, f.admin);
  gateClerk = scene.gate;
  const west = await makeMarket(t, f.admin, 'West market');
  const westClerk = await token(t, Role.GATE_STAFF, { marketId: west.id });
  markets = { east: { id: Number(scene.market), name: 'Qingshan market' }, west: { id: Number(west.id), name: 'West market' } };
  await t.sql(`update operator set created_at = $1 where id in ($2, $3)`, [inMonth(3, 15), scene.farm.id, scene.vendor.id]);
  await makeOperator(t, f.admin, { name: 'New Farm' });

  ok(await t.gql(`mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { event { id } } }`,
    { input: { operatorId: scene.farm.id, rule: 'INSPECTION_VIOLATION', reason: 'Dirty crates', occurredAt: inMonth(2, 10), points: -30 } }, regulator));
  ok(await t.gql(`mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { event { id } } }`,
    { input: { operatorId: scene.vendor.id, rule: 'TRAINING_COMPLETED', reason: 'Spring training', occurredAt: inMonth(1, 5) } }, regulator));

  const lot = await makeBatch(t, f.admin, scene.farm.id, { quantity: 100 });
  await makeCertificate(t, f.admin, lot.id);
  for (const [clerk, marketId] of [[gateClerk, scene.market], [gateClerk, scene.market], [westClerk, west.id]] as const) {
    const answer = ok(await t.gql(SCAN, { input: { code: lot.publicCode, marketId, vendorOperatorId: scene.vendor.id, declaredQuantity: 10, unit: 'KG', scanId: unsampledScanId() } }, clerk));
    expect(answer.scanAtGate.decision).toBe('ACCEPTED');
  }
  await t.sql(`update market_entry set created_at = created_at - interval '1 day' where id = (select min(id) from market_entry)`);

  const test = (result: string, at: string) => t.sql(
    `insert into inspection (batch_id, market_id, kind, items, result, tester, inspected_at) values ($1, $2, 'RAPID', $5::jsonb, $3, 'Bench', $4)`, [lot.id, scene.market, result, at, JSON.stringify([{ item: 'organophosphate inhibition', value: result === 'PASS' ? 12.5 : 61, unit: '%', result }])],
  );
  for (const result of ['PASS', 'PASS', 'PASS', 'FAIL']) await test(result, new Date().toISOString());
  await test('PASS', inMonth(1, 20));

  const report = async (drill: boolean) => ok(await t.gql(REPORT, {
    input: { kind: 'COMPLAINT', placeKind: 'VILLAGE', village: 'Qingshan', description: 'Spoiled milk sold', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), drill },
  }, regulator)).reportIncident.id;
  const lastMonth = await report(false);
  await report(false);
  await report(true);
  await t.sql(`update incident set reported_at = $1, occurred_at = $1 where id = $2`, [inMonth(1, 12), lastMonth]);

  // a wedding in Dongcun today, filed and never guided: Dongcun's one banquet and its only record
  ok(await t.gql(`mutation($input: FileBanquetInput!) { fileBanquet(input: $input) { number } }`, { input: {
    hostName: 'Zhang San', hostPhone: '13900001111', village: 'Dongcun', kind: 'WEDDING', heldOn: days[days.length - 1], meal: 'DINNER', guests: 150,
    venue: 'Courtyard', menu: 'Noodles', chefs: [{ name: 'Chef Liu' }], ingredients: [{ name: 'Flour' }],
  } }, null));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const charts = (tok: string | null, query = '') => fetch(`${base}/regulator/charts${query}`, { headers: tok ? { authorization: `Bearer ${tok}` } : {} });

describe('GET /regulator/charts', () => {
  it('answers the numbers worked out by hand, for every chart', async () => {
    const res = await charts(regulator);
    expect(res.status).toBe(200);
    const body = await res.json();
    const byKey = Object.fromEntries(body.charts.map((c: { key: string }) => [c.key, c]));
    expect(body.charts.map((c: { key: string }) => c.key)).toEqual(['grades', 'creditRules', 'gateDecisions', 'testPassRate', 'incidents', 'villageScorecards']);
    expect(byKey.grades).toEqual({
      key: 'grades', labels: months,
      series: [
        { key: 'A', values: lastMonths([2, 1, 1, 2]) },
        { key: 'B', values: zeros(12) },
        { key: 'C', values: lastMonths([0, 1, 1, 1]) },
        { key: 'D', values: zeros(12) },
      ],
    });
    const rules = Object.keys(CREDIT_RULES);
    expect(byKey.creditRules).toEqual({
      key: 'creditRules', labels: rules,
      series: [{ key: 'events', values: rules.map((r) => (r === 'INSPECTION_VIOLATION' || r === 'TRAINING_COMPLETED' ? 1 : 0)) }],
    });
    const day = (today: number, yesterday: number) => [...zeros(12), yesterday, today];
    expect(byKey.gateDecisions).toEqual({
      key: 'gateDecisions', labels: days,
      series: [
        { key: 'ACCEPTED', market: markets.east, values: day(1, 1) },
        { key: 'TEST_REQUIRED', market: markets.east, values: zeros(14) },
        { key: 'REJECTED', market: markets.east, values: zeros(14) },
        { key: 'ACCEPTED', market: markets.west, values: day(1, 0) },
        { key: 'TEST_REQUIRED', market: markets.west, values: zeros(14) },
        { key: 'REJECTED', market: markets.west, values: zeros(14) },
      ],
    });
    expect(byKey.testPassRate).toEqual({
      key: 'testPassRate', labels: months,
      series: [{ key: 'passRate', values: lastMonths([100, 75], null) }, { key: 'PASS', values: lastMonths([1, 3]) }, { key: 'FAIL', values: lastMonths([0, 1]) }],
    });
    expect(byKey.incidents).toEqual({ key: 'incidents', labels: months, series: [{ key: 'incidents', values: lastMonths([1, 1]) }, { key: 'drills', values: lastMonths([0, 1]) }] });
  });

  it("charts each village's scorecard of this year, the numbers villageScorecard gives and those worked out by hand", async () => {
    const body = await (await charts(regulator)).json();
    const chart = body.charts.find((c: { key: string }) => c.key === 'villageScorecards');
    const year = Number(days[days.length - 1].slice(0, 4));
    expect([chart.year, chart.labels]).toEqual([year, ['Dongcun', 'Qingshan']]);
    const codes = INDICATORS.filter((i) => i.appliesTo.includes('VILLAGE')).map((i) => i.code);
    expect(chart.series.map((s: { key: string }) => s.key)).toEqual(['total', ...codes]);
    const byKey = Object.fromEntries(chart.series.map((s: { key: string; values: (number | null)[] }) => [s.key, s.values]));
    // Dongcun has only its banquet, not guided (0 of 1), and no training of the 2 a year: 0 of weights 10 + 5; nothing else applies
    expect(Object.fromEntries(codes.map((code) => [code, byKey[code][0]]))).toEqual(Object.fromEntries(codes.map((code) => [code, code === 'BANQUET_GUIDED' || code === 'TRAININGS_HELD' ? 0 : null])));
    expect(byKey.total[0]).toBe(0);
    // Qingshan's farm: its lot entered three times, each under its certificate (5 of 5); 4 of its 5 tests passed, 10 × 0.8 / 0.98
    // (in January last month's one passing test falls in the year before: 3 of 4, 10 × 0.75 / 0.98)
    expect([byKey.GATE_CERTIFICATE_COVERAGE[1], byKey.GATE_TEST_PASS[1]]).toEqual([5, months[10].startsWith(String(year)) ? 8.16 : 7.65]);
    // and each village's column is its scorecard, number for number
    for (const [i, village] of chart.labels.entries()) {
      const card = ok(await t.gql(`query($year: Int!, $village: String!) { villageScorecard(year: $year, village: $village) { total indicators { code score } } }`, { year, village }, regulator)).villageScorecard;
      expect([village, ...chart.series.map((s: { values: (number | null)[] }) => s.values[i])]).toEqual([village, card.total, ...card.indicators.map((x: { score: number | null }) => x.score)]);
    }
  });

  it('reads every chart in nine statements, the villages in two however many there are', async () => {
    const now = new Date();
    const read = () => deskCharts({ em: t.orm.em.fork(), config: t.config }, chartWindow(now, t.config.timeZone), now);
    // grades 2, rules 1, gate decisions 2 (the counts, their markets), tests 1, incidents 1, villages 2 (their names, their counts)
    expect(await t.countStatements(read)).toBe(9);
  });

  it('shortens the window on request and refuses what it cannot read', async () => {
    const short = await (await charts(regulator, '?months=2&days=3')).json();
    expect(short.charts.map((c: { labels: string[] }) => c.labels.length)).toEqual([2, Object.keys(CREDIT_RULES).length, 3, 2, 2, 2]);
    expect(short.charts[0].series[0].values).toEqual([1, 2]);
    for (const [query, field] of [['?months=0', 'months'], ['?months=25', 'months'], ['?days=x', 'days'], ['?months=1&months=2', 'months'], ['?year=2026', 'year']]) {
      const res = await charts(regulator, query);
      expect([res.status, (await res.json()).error.field]).toEqual([400, field]);
    }
    expect((await charts(null)).status).toBe(401);
    expect((await charts(gateClerk)).status).toBe(403);
  });
});

describe('the charts on the desk', () => {
  it('loads Chart.js only when the charts come into view, draws each chart with its table behind it', async () => {
    const context = await browser.newContext({ ...DESKTOP, locale: 'en-GB' });
    const requests: string[] = [];
    const problems: string[] = [];
    context.on('request', (r) => requests.push(r.url().replace(base, '')));
    context.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${base}/regulator?lang=en`);
    await page.fill('#token', regulator);
    await page.click('#signin-button');
    await page.waitForSelector('#grade-counts tr.total');
    // the desk is open and the charts card is below the fold: nothing of the charts was fetched yet
    expect(requests.filter((u) => /chart\.umd|\/regulator\/charts/.test(u))).toEqual([]);
    await page.locator('#charts').scrollIntoViewIfNeeded();
    await page.waitForSelector('#charts[data-ready="true"]');
    expect(requests.filter((u) => /chart\.umd|\/regulator\/charts/.test(u))).toEqual(['/static/chart.umd.min.js', '/regulator/charts']);
    expect(requests.every((u) => u.startsWith('/'))).toBe(true);

    const figures = await page.$$eval('#chart-list figure.chart', (els) => els.map((f) => {
      const canvas = f.querySelector('canvas')!;
      const table = document.getElementById(canvas.getAttribute('aria-describedby')!)!;
      return {
        id: f.id, role: canvas.getAttribute('role'), name: document.getElementById(canvas.getAttribute('aria-labelledby')!)!.textContent,
        drawn: canvas.width > 0 && canvas.height > 0, rows: table.querySelectorAll('tbody tr').length, hidden: table.classList.contains('visually-hidden'),
      };
    }));
    expect(figures).toEqual([
      { id: 'chart-grades', role: 'img', name: 'Operators per credit grade (month end)', drawn: true, rows: 12, hidden: true },
      { id: 'chart-creditRules', role: 'img', name: 'Credit events by rule (last 12 months)', drawn: true, rows: Object.keys(CREDIT_RULES).length, hidden: true },
      { id: 'chart-gateDecisions', role: 'img', name: 'Gate decisions per market per day', drawn: true, rows: 14, hidden: true },
      { id: 'chart-testPassRate', role: 'img', name: 'Test pass rate (per month)', drawn: true, rows: 12, hidden: true },
      { id: 'chart-incidents', role: 'img', name: 'Food-safety incidents reported per month', drawn: true, rows: 12, hidden: true },
      { id: 'chart-villageScorecards', role: 'img', name: `Village scorecards (${days[days.length - 1].slice(0, 4)}, out of 100)`, drawn: true, rows: 2, hidden: true },
    ]);
    // the table behind a chart, opened: the same numbers, in words where the chart has codes
    await page.click('#chart-testPassRate .toggle');
    expect(await page.getAttribute('#chart-testPassRate .toggle', 'aria-expanded')).toBe('true');
    const rows = await page.$$eval('#chart-testPassRate-table tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
    expect(rows[0]).toEqual(['Month', 'Pass rate %', 'Pass', 'Fail']);
    expect(rows.slice(-3)).toEqual([[months[9], '—', '0', '0'], [months[10], '100', '1', '0'], [months[11], '75', '3', '1']]);
    const gateHead = await page.$$eval('#chart-gateDecisions-table thead th', (ths) => ths.map((th) => th.textContent));
    expect(gateHead.slice(0, 3)).toEqual(['Day', 'Qingshan market · Accepted', 'Qingshan market · Test required']);
    const ruleRow = await page.$$eval('#chart-creditRules-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent)));
    expect(ruleRow).toContainEqual([CREDIT_RULES.INSPECTION_VIOLATION.en, '1']);

    // the village chart's table: the total and every indicator's score, by name; a village picked shows its scorecard
    const villageHead = await page.$$eval('#chart-villageScorecards-table thead th', (ths) => ths.map((th) => th.textContent));
    expect(villageHead).toEqual(['Village', 'Total', ...INDICATORS.filter((i) => i.appliesTo.includes('VILLAGE')).map((i) => i.en)]);
    await page.selectOption('#chart-villageScorecards-village', { label: 'Dongcun' });
    const detail = await page.$$eval('#chart-villageScorecards-detail > *', (els) => els.map((e) => e.textContent));
    expect(detail.slice(0, 2)).toEqual(['Total', '0 of 100']);
    expect(detail).toContain(`${INDICATORS.find((i) => i.code === 'BANQUET_GUIDED')!.en}`);
    expect(detail[detail.indexOf(INDICATORS.find((i) => i.code === 'REGISTRATION_COVERAGE')!.en) + 1]).toBe('n/a');
    expect(detail[detail.indexOf(INDICATORS.find((i) => i.code === 'TRAININGS_HELD')!.en) + 1]).toBe('0 of 5');
    // a click on Qingshan's bar shows Qingshan's
    // the bar's place is read from the chart as drawn; a resize still pending (the picked village's detail changed the
    // layout) moves it, so the place is read again until the click lands (Playwright waits for the canvas to be still)
    const canvas = page.locator('#chart-villageScorecards-canvas');
    let picked = '';
    for (let attempt = 0; attempt < 5 && picked !== '1'; attempt++) {
      const bar = await page.evaluate(() => {
        const drawn = (window as unknown as { Chart: { getChart(id: string): { getDatasetMeta(i: number): { data: { x: number; y: number; base: number }[] } } } })
          .Chart.getChart('chart-villageScorecards-canvas').getDatasetMeta(0).data[1];
        return { x: (drawn.x + drawn.base) / 2, y: drawn.y };
      });
      await canvas.click({ position: bar });
      picked = await page.inputValue('#chart-villageScorecards-village');
      if (picked !== '1') await page.waitForTimeout(200);
    }
    expect(picked).toBe('1');

    for (const f of figures) await page.locator(`#${f.id}`).screenshot({ path: path.join(SHOTS, `desk-${f.id}.png`) });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
