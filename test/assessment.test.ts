import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ASSESSMENT_LINK_TTL_MS, assessmentLink } from '../src/assessment/assessment-link.service';
import { assessmentPdf } from '../src/assessment/assessment.pdf';
import { createPlanItem, updatePlanProgress } from '../src/assessment/plan.service';
import type { ScorecardModel } from '../src/assessment/assessment.model';
import { townAssessment, unitScorecard, villageScorecard } from '../src/assessment/scorecard.service';
import { recordTraining } from '../src/assessment/training.service';
import { createAccount } from '../src/auth/account.service';
import { buildContext, type Context } from '../src/context';
import { AssessedUnitKind, IncidentKind, IncidentPlaceKind, IncidentStatus, Role } from '../src/entities/enums';
import { advanceIncident, reportIncident } from '../src/incident/incident.service';
import { addDays, localDate } from '../src/local-time';
import { recordInspection, recordRecheck } from '../src/supervision/inspection.service';
import { makeOperator, ok } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const SCORE = `query($year: Int!, $village: String!) { villageScorecard(year: $year, village: $village) {
  year kind village total indicators { code numerator denominator value target weight score met evidence(first: 2) { nodes { kind id counted } pageInfo { hasNextPage endCursor } } } } }`;
const EVIDENCE = `query($year: Int!, $village: String!, $after: String) { villageScorecard(year: $year, village: $village) {
  indicators { code evidence(first: 2, after: $after) { nodes { kind id counted } pageInfo { hasNextPage endCursor } } } } }`;

/** A signed-in context for services, and its token for GraphQL. */
async function as(role: Role, village?: string): Promise<{ ctx: Context; token: string; id: number }> {
  const { account, token } = await createAccount({ em: t.orm.em.fork() }, { name: `${role} of the fixture`, role, ...(village ? { village } : {}) });
  const ctx = buildContext(t.orm, t.config, { accountId: account.id, name: account.name, role, marketId: null, operatorId: null, village: account.village });
  return { ctx, token, id: account.id };
}

const today = () => localDate(new Date(), 'Asia/Shanghai');
const year = Number(today().slice(0, 4));
/**
 * The fixture's work happens within the 40 hours before the test, so every deadline in it has passed and it all
 * falls in this local year — except in the first 40 hours of a year, when this test cannot build its town.
 */
const BASE = Date.now() - 40 * 3600_000;
const at = (hours: number) => new Date(BASE + hours * 3600_000);

interface Town {
  farm1: string; farm2: string; canteen: string; vendor: string; farmWest: string; regulator: Context; assistant: { ctx: Context; token: string; id: number };
}

/**
 * The fixture town, built through the services. Dongcun has four registered operators (two farms, a school canteen,
 * a market vendor) and one unregistered hazard site; Xicun's records must never count for Dongcun.
 */
async function buildTown(): Promise<Town> {
  const regulator = (await as(Role.REGULATOR)).ctx;
  const assistant = await as(Role.VILLAGE_ASSISTANT, 'Dongcun');
  const farm1 = (await makeOperator(t, f.admin, { village: 'Dongcun', name: 'East Farm' })).id;
  const farm2 = (await makeOperator(t, f.admin, { village: 'Dongcun', name: 'River Farm' })).id;
  const canteen = (await makeOperator(t, f.admin, { kind: 'CANTEEN', village: 'Dongcun', name: 'Dongcun Primary School canteen' })).id;
  const vendor = (await makeOperator(t, f.admin, { kind: 'MARKET_VENDOR', village: 'Dongcun', name: 'Stall 3' })).id;
  const farmWest = (await makeOperator(t, f.admin, { village: 'Xicun', name: 'West Farm' })).id;
  for (const [village, key] of [['Dongcun', 'site-d'], ['Xicun', 'site-x']]) {
    ok(await t.gql(`mutation($input: RegisterSiteInput!) { registerSite(input: $input) { id } }`,
      { input: { kind: 'EMPTY_HOUSE', location: `Empty house in ${village}`, village, clientKey: key } }, f.regulator));
  }

  // field inspections: East Farm passes; River Farm fails a minor item twice (deadlines at +10 h and +12 h)
  const checklist = ok(await t.gql(`{ checklists(kind: FARM) { id items { code severity } } }`, {}, f.regulator)).checklists[0];
  const answers = (fail: boolean) => checklist.items.map((i: { code: string; severity: string }) => ({ code: i.code, answer: fail && i.severity === 'MINOR' ? 'NO' : 'YES' }));
  const inspect = (operatorId: string, fail: boolean, hour: number, deadline: number | null, key: string) => recordInspection(regulator, {
    operatorId, templateId: checklist.id, answers: answers(fail), clientKey: key, inspectedAt: at(hour), deadline: deadline === null ? null : at(deadline),
  });
  await inspect(farm1, false, 0, null, 'i-1');
  const first = await inspect(farm2, true, 0, 10, 'i-2');
  await inspect(farm2, true, 1, 12, 'i-3');
  await inspect(farmWest, false, 0, null, 'i-4');
  // the first order is re-checked as put right before its deadline; the second never is
  await recordRecheck(regulator, { orderId: first.rectificationOrderId!, resolved: true, clientKey: 'r-1' }, at(5));

  // food poisoning (report within 2 h, handle within 24 h): one reported after 1 h and handled in time; one reported after 5 h and never handled
  const poisoning = await reportIncident(regulator, {
    kind: IncidentKind.FOOD_POISONING, placeKind: IncidentPlaceKind.VILLAGE, village: 'Dongcun', occurredAt: at(2), peopleIll: 3, description: 'Wedding lunch',
  }, at(3));
  await advanceIncident(regulator, { id: poisoning.id, status: IncidentStatus.INVESTIGATING }, at(4));
  await advanceIncident(regulator, { id: poisoning.id, status: IncidentStatus.HANDLED, notes: 'Leftovers destroyed' }, at(6));
  await reportIncident(regulator, { kind: IncidentKind.FOOD_POISONING, placeKind: IncidentPlaceKind.VILLAGE, village: 'Dongcun', occurredAt: at(2), description: 'Birthday dinner' }, at(7));
  await reportIncident(regulator, { kind: IncidentKind.HAZARD, placeKind: IncidentPlaceKind.VILLAGE, village: 'Dongcun', occurredAt: at(2), description: 'Drill', drill: true }, at(2.5));
  await reportIncident(regulator, { kind: IncidentKind.HAZARD, placeKind: IncidentPlaceKind.VILLAGE, village: 'Xicun', occurredAt: at(2), description: 'Late report' }, at(30));

  // banquets needing guidance held today: one guided, one not; one not yet held (not due); a small one the host files alone
  const FILE = `mutation($input: FileBanquetInput!) { fileBanquet(input: $input) { number tier } }`;
  const banquet = async (guests: number, heldOn: string) => ok(await t.gql(FILE, { input: {
    hostName: 'Zhang San', hostPhone: '13900001111', village: 'Dongcun', kind: 'BIRTHDAY', heldOn, meal: 'DINNER', guests, venue: 'Courtyard', menu: 'Noodles',
    chefs: [{ name: 'Chef Liu' }], ingredients: [{ name: 'Flour' }],
  } }, null)).fileBanquet.number as string;
  const guided = await banquet(150, today());
  await banquet(150, today());
  await banquet(150, addDays(today(), 1));
  await banquet(50, today());
  ok(await t.gql(`mutation($input: BanquetGuidanceInput!) { recordBanquetGuidance(input: $input) { status } }`, { input: { number: guided, note: 'Kitchen checked' } }, f.regulator));

  // trainings: Dongcun's own, a town-wide one, and Xicun's
  await recordTraining(regulator, {
    topic: 'Certificates and records', heldOn: localDate(at(0), 'Asia/Shanghai'), trainer: 'Wang Li', village: 'Dongcun', clientKey: 'tr-1',
    attendees: [{ operatorId: farm1 }, { operatorId: canteen }, { name: 'Li Si' }, { accountId: assistant.id }],
  });
  await recordTraining(regulator, { topic: 'Banquet hygiene', heldOn: localDate(at(0), 'Asia/Shanghai'), trainer: 'Wang Li', clientKey: 'tr-2', attendees: [{ operatorId: farm1 }, { operatorId: farmWest }] });
  await recordTraining(regulator, { topic: 'Xicun course', heldOn: localDate(at(0), 'Asia/Shanghai'), trainer: 'Wang Li', village: 'Xicun', clientKey: 'tr-3', attendees: [{ operatorId: farmWest }] });
  return { farm1, farm2, canteen, vendor, farmWest, regulator, assistant };
}

describe('the scorecard of a hand-built town', () => {
  it("equals the numbers worked out by hand, and each number lists the records behind it", async () => {
    const town = await buildTown();
    const card = ok(await t.gql(SCORE, { year, village: 'Dongcun' }, f.regulator)).villageScorecard;
    const row = (code: string) => card.indicators.find((i: { code: string }) => i.code === code);
    const counts = card.indicators.map((i: Record<string, unknown>) => [i.code, i.numerator, i.denominator, i.value, i.score, i.met]);
    expect(counts).toEqual([
      // 4 registered operators ÷ (4 + 1 open hazard site) = 0.8; 10 × 0.8 / 1 = 8
      ['REGISTRATION_COVERAGE', 4, 5, 0.8, 8, false],
      // East Farm (1 of 1 needed at grade A) and River Farm (2 of 1) inspected; the canteen and the stall not: 2 ÷ 4 = 0.5; 15 × 0.5 = 7.5
      ['INSPECTION_PLAN', 2, 4, 0.5, 7.5, false],
      // the first order put right at +5 h (deadline +10 h), the second never: 1 ÷ 2 = 0.5; 10 × 0.5 / 0.95 = 5.263… → 5.26
      ['RECTIFICATION_ON_TIME', 1, 2, 0.5, 5.26, false],
      // one poisoning reported after 1 h (window 2 h), the other after 5 h; the drill left out: 1 ÷ 2; 10 × 0.5 = 5
      ['INCIDENT_REPORTED', 1, 2, 0.5, 5, false],
      // the first handled 3 h after its report (24 h allowed), the second past its 24 h and not handled: 1 ÷ 2; 5
      ['INCIDENT_HANDLED_ON_TIME', 1, 2, 0.5, 5, false],
      // the two 150-guest banquets held today, one guided: 1 ÷ 2; tomorrow's is not due yet, the 50-guest one needs none; 10 × 0.5 = 5
      ['BANQUET_GUIDED', 1, 2, 0.5, 5, false],
      // Dongcun's training and the town-wide one (Xicun's not) ÷ 2 a year = 1; 5
      ['TRAININGS_HELD', 2, 2, 1, 5, true],
      // East Farm and the canteen attended, River Farm and the stall did not: 2 ÷ 4 = 0.5; 10 × 0.5 / 0.8 = 6.25
      ['TRAINING_ATTENDANCE', 2, 4, 0.5, 6.25, false],
      // no gate tests, scans or recalls of Dongcun's lots: nothing to count
      ['GATE_TEST_PASS', 0, 0, null, null, null],
      ['GATE_CERTIFICATE_COVERAGE', 0, 0, null, null, null],
      ['RECALL_CLOSED', 0, 0, null, null, null],
    ]);
    // (8 + 7.5 + 5.26 + 5 + 5 + 5 + 5 + 6.25) = 47.01 of the 80 points that apply → 58.76… → 58.8 of 100
    expect(card.total).toBe(58.8);

    // the self-assessment reads every village at once, the town's records grouped by village, in three statements
    // whatever the number of villages (the town's card, the villages, their counts): each card as villageScorecard gives it
    let report: Awaited<ReturnType<typeof townAssessment>> | undefined;
    expect(await t.countStatements(async () => { report = await townAssessment(town.regulator, year); })).toBe(3);
    const numbers = (c: ScorecardModel) => [c.village, c.total, c.indicators.map((i) => [i.code, i.numerator, i.denominator, i.value, i.score, i.met])];
    expect(report!.villages.map(numbers)).toEqual([
      numbers(await villageScorecard(town.regulator, year, 'Dongcun')), numbers(await villageScorecard(town.regulator, year, 'Xicun')),
    ]);
    expect(report!.villages[0].total).toBe(58.8);

    // the drill-down lists exactly the counted records, page by page
    const registration = row('REGISTRATION_COVERAGE').evidence;
    expect(registration.nodes).toEqual([
      { kind: 'HAZARD_SITE', id: expect.any(String), counted: false },
      { kind: 'OPERATOR', id: town.farm1, counted: true },
    ]);
    expect(registration.pageInfo.hasNextPage).toBe(true);
    const next = ok(await t.gql(EVIDENCE, { year, village: 'Dongcun', after: registration.pageInfo.endCursor }, f.regulator)).villageScorecard.indicators[0].evidence;
    expect(next.nodes).toEqual([
      { kind: 'OPERATOR', id: town.farm2, counted: true },
      { kind: 'OPERATOR', id: town.canteen, counted: true },
    ]);
    expect(row('TRAINING_ATTENDANCE').evidence.nodes).toEqual([
      { kind: 'OPERATOR', id: town.farm1, counted: true },
      { kind: 'OPERATOR', id: town.farm2, counted: false },
    ]);

    // the canteen alone: not inspected (0 ÷ 1 → 0 of 15), trained (1 ÷ 1 → 10 of 10); no orders or incidents of its own
    const canteen = await unitScorecard(town.regulator, year, AssessedUnitKind.CANTEEN, town.canteen);
    expect(canteen.indicators.map((i) => [i.code, i.numerator, i.denominator, i.score])).toEqual([
      ['INSPECTION_PLAN', 0, 1, 0], ['RECTIFICATION_ON_TIME', 0, 0, null], ['INCIDENT_REPORTED', 0, 0, null], ['INCIDENT_HANDLED_ON_TIME', 0, 0, null],
      ['TRAINING_ATTENDANCE', 1, 1, 10],
    ]);
    // 10 of the 25 points that apply
    expect(canteen.total).toBe(40);
    expect(canteen.unitName).toBe('Dongcun Primary School canteen');

    // judged as of an hour into the fixture, only what had fallen due by then counts: the order already put right
    // (the other's deadline was still ahead), both reported incidents, and of the handling only the one already handled
    const early = await villageScorecard(town.regulator, year, 'Dongcun', at(1));
    expect(early.indicators.filter((i) => i.code.startsWith('RECTIFICATION') || i.code.startsWith('INCIDENT')).map((i) => [i.code, i.denominator]))
      .toEqual([['RECTIFICATION_ON_TIME', 1], ['INCIDENT_REPORTED', 2], ['INCIDENT_HANDLED_ON_TIME', 1]]);

    // the village assistant sees Dongcun, not Xicun; the canteen of Dongcun too
    expect(ok(await t.gql(SCORE, { year, village: 'Dongcun' }, town.assistant.token)).villageScorecard.total).toBe(58.8);
    const refused = await t.gql(SCORE, { year, village: 'Xicun' }, town.assistant.token);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const gate = await t.gql(`query { unitScorecard(year: ${year}, kind: MARKET, id: "999") { total } }`, {}, f.regulator);
    expect(gate.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const badYear = await t.gql(SCORE, { year: 1999, village: 'Dongcun' }, f.regulator);
    expect(badYear.errors?.[0]).toMatchObject({ message: 'year: must be a year from 2000 to 2100', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('trainings', () => {
  const RECORD = `mutation($input: RecordTrainingInput!) { recordTraining(input: $input) { id village attendees { operatorId accountId name creditEventId } } }`;

  it("append one TRAINING_COMPLETED per attending operator, once, whatever is resent", async () => {
    const farm = await makeOperator(t, f.admin, { village: 'Dongcun' });
    const input = { topic: 'Pesticide records', heldOn: localDate(new Date(), 'Asia/Shanghai'), trainer: 'Wang Li', clientKey: 'course-1', attendees: [{ operatorId: farm.id }, { operatorId: farm.id }, { name: 'Li Si' }] };
    const first = ok(await t.gql(RECORD, { input }, f.regulator)).recordTraining;
    expect(first.attendees).toEqual([
      { operatorId: farm.id, accountId: null, name: farm.name, creditEventId: expect.any(String) },
      { operatorId: null, accountId: null, name: 'Li Si', creditEventId: null },
    ]);
    expect(ok(await t.gql(RECORD, { input }, f.regulator)).recordTraining).toEqual(first);
    const events = await t.sql(`select rule_code, points, source_ref from credit_event where operator_id = $1`, [farm.id]);
    expect(events).toEqual([{ rule_code: 'TRAINING_COMPLETED', points: 1, source_ref: `training:${first.id}` }]);
    const [{ credit_score }] = await t.sql(`select credit_score from operator where id = $1`, [farm.id]);
    expect(credit_score).toBe(100);

    const changed = await t.gql(RECORD, { input: { ...input, topic: 'Another course' } }, f.regulator);
    expect(changed.errors?.[0].extensions?.code).toBe('CONFLICT');
    const future = await t.gql(RECORD, { input: { ...input, clientKey: 'course-2', heldOn: `${year + 1}-12-31` } }, f.regulator);
    expect(future.errors?.[0]).toMatchObject({ message: 'heldOn: must not be in the future', extensions: { code: 'BAD_USER_INPUT' } });
    const both = await t.gql(RECORD, { input: { ...input, clientKey: 'course-3', attendees: [{ operatorId: farm.id, name: 'x' }] } }, f.regulator);
    expect(both.errors?.[0].message).toBe('attendees[0]: give exactly one of operatorId, accountId or name');
    const list = ok(await t.gql(`{ trainings(first: 5) { nodes { id topic attendees { name } } pageInfo { hasNextPage } } }`, {}, f.regulator)).trainings;
    expect(list).toEqual({ nodes: [{ id: first.id, topic: 'Pesticide records', attendees: [{ name: farm.name }, { name: 'Li Si' }] }], pageInfo: { hasNextPage: false } });
  });

  it("a village assistant records its own village's trainings only", async () => {
    const assistant = await as(Role.VILLAGE_ASSISTANT, 'Dongcun');
    const west = await makeOperator(t, f.admin, { village: 'Xicun' });
    const own = ok(await t.gql(RECORD, { input: { topic: 'Course', heldOn: today(), trainer: 'Wang', clientKey: 'va-1', attendees: [{ name: 'Li Si' }] } }, assistant.token));
    expect(own.recordTraining.village).toBe('Dongcun');
    const other = await t.gql(RECORD, { input: { topic: 'Course', heldOn: today(), trainer: 'Wang', clientKey: 'va-2', attendees: [{ operatorId: west.id }] } }, assistant.token);
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the plan, the work ledger and the self-assessment', () => {
  it('keeps plan progress and lists the month’s work in CSV and XLSX', async () => {
    const regulator = (await as(Role.REGULATOR)).ctx;
    const item = await createPlanItem(regulator, { year, title: 'Train every rural chef', owner: 'Town food-safety office', dueOn: `${year}-12-31` });
    expect(item).toMatchObject({ progress: 0, status: 'NOT_STARTED' });
    expect(await updatePlanProgress(regulator, { id: item.id, progress: 40, notes: '12 of 30 trained' })).toMatchObject({ progress: 40, status: 'IN_PROGRESS', notes: '12 of 30 trained' });
    expect(await updatePlanProgress(regulator, { id: item.id, progress: 100 })).toMatchObject({ progress: 100, status: 'DONE' });
    const bad = await t.gql(`mutation { updatePlanProgress(input: { id: "${item.id}", progress: 101 }) { id } }`, {}, f.regulator);
    expect(bad.errors?.[0].message).toBe('progress: must be a whole percentage from 0 to 100');
    expect(ok(await t.gql(`{ planItems(year: ${year}) { title progress status } }`, {}, f.regulator)).planItems).toEqual([{ title: 'Train every rural chef', progress: 100, status: 'DONE' }]);
    const today = localDate(new Date(), 'Asia/Shanghai');
    await recordTraining(regulator, { topic: '=cmd|calc', heldOn: today, trainer: 'Wang Li', clientKey: 'ledger-course', attendees: [{ name: 'Li Si' }] });

    const month = today.slice(0, 7);
    const csv = await t.app.fastify.inject({ url: `/ledger/work/${month}.csv`, headers: { authorization: `Bearer ${f.regulator}` } });
    expect(csv.statusCode).toBe(200);
    const rows: string[][] = parse(csv.body.replace(/^\ufeff/, ''));
    expect(rows[0]).toEqual(['日期 Date', '时间 Time', '类别代码 Kind', '类别 Kind name', '记录号 Record', '村 Village', '事项 Subject', '结果 Result', '经办人 Recorded by']);
    // the training is dated by the day it was held (local midnight), before the progress reports of the day
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[6], r[7]])).toEqual([
      [today, 'TRAINING', '培训 Training', `'=cmd|calc (${today}, Wang Li)`, '1 attendees'],
      [today, 'PLAN_PROGRESS', '计划进度 Plan progress', 'Train every rural chef', '40% IN_PROGRESS'],
      [today, 'PLAN_PROGRESS', '计划进度 Plan progress', 'Train every rural chef', '100% DONE'],
    ]);

    const xlsx = await t.app.fastify.inject({ url: `/ledger/work/${month}.xlsx`, headers: { authorization: `Bearer ${f.regulator}` } });
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.name).toBe(`工作台帐 ${month}`);
    expect(sheet.rowCount).toBe(4);
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['日期 Date', '时间 Time', '类别代码 Kind']);

    const wrong = await t.app.fastify.inject({ url: `/ledger/work/${month}.pdf`, headers: { authorization: `Bearer ${f.regulator}` } });
    expect([wrong.statusCode, wrong.json().error.field]).toEqual([400, 'file']);
    const anonymous = await t.app.fastify.inject({ url: `/ledger/work/${month}.csv` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('opens the self-assessment by a short-lived link made under a regulator token, for that year, while the account may read it', async () => {
    const auth = (tok: string) => ({ authorization: `Bearer ${tok}` });
    const made = await t.app.fastify.inject({ url: `/assessment/${year}.link?lang=en`, headers: auth(f.regulator) });
    expect([made.statusCode, made.headers['cache-control']]).toEqual([200, 'no-store']);
    const link = made.json();
    const key = new URL(link.url, 'http://x').searchParams.get('key')!;
    expect(link.url).toBe(`/assessment/${year}?lang=en&key=${encodeURIComponent(key)}`);
    expect(link.pdfUrl).toBe(`/assessment/${year}.pdf?lang=en&key=${encodeURIComponent(key)}`);
    // 15 minutes, to the second
    expect(Math.abs(new Date(link.expiresAt).getTime() - (Date.now() + ASSESSMENT_LINK_TTL_MS))).toBeLessThan(2_000);

    // no token: the page, its PDF and its other language, each link carrying the key along
    const page = await t.app.fastify.inject({ url: link.url });
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(page.body).toContain(`<a href="/assessment/${year}.pdf?lang=en&amp;key=${key}">Download PDF</a>`);
    expect(page.body).toContain(`<a href="/assessment/${year}?key=${key}&amp;lang=zh" hreflang="zh" lang="zh">`);
    const pdf = await t.app.fastify.inject({ url: link.pdfUrl });
    expect([pdf.statusCode, pdf.headers['content-type'], pdf.rawPayload.subarray(0, 5).toString('latin1')]).toEqual([200, 'application/pdf', '%PDF-']);

    const refused = async (url: string) => {
      const res = await t.app.fastify.inject({ url });
      return [res.statusCode, res.json().error.code];
    };
    // another year, a changed signature, a changed account or expiry, a key that is no key
    expect(await refused(`/assessment/${year - 1}?key=${key}`)).toEqual([401, 'UNAUTHENTICATED']);
    const regulator = await as(Role.REGULATOR);
    const [id, expires, sig] = key.split('.');
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    for (const k of [`${id}.${expires}.${flipped}`, `${regulator.id}.${expires}.${sig}`, `${id}.${Number(expires) + 600}.${sig}`, 'x', '']) {
      expect([k, ...(await refused(`/assessment/${year}?key=${encodeURIComponent(k)}`))]).toEqual([k, 401, 'UNAUTHENTICATED']);
    }
    // an expired link, made 16 minutes ago
    const old = assessmentLink(regulator.ctx, year, 'zh', new Date(Date.now() - 16 * 60_000));
    expect(await refused(old.url)).toEqual([401, 'UNAUTHENTICATED']);
    // a live one stops when its account is revoked
    const fresh = assessmentLink(regulator.ctx, year, 'zh');
    expect((await t.app.fastify.inject({ url: fresh.url })).statusCode).toBe(200);
    await t.sql(`update account set revoked_at = now() where id = $1`, [regulator.id]);
    expect(await refused(fresh.url)).toEqual([401, 'UNAUTHENTICATED']);

    // only a regulator's or an admin's token makes one, and a link makes none
    expect((await t.app.fastify.inject({ url: `/assessment/${year}.link` })).statusCode).toBe(401);
    expect((await t.app.fastify.inject({ url: `/assessment/${year}.link`, headers: auth((await as(Role.INSPECTOR)).token) })).statusCode).toBe(403);
    const chained = await t.app.fastify.inject({ url: `/assessment/${year}.link?key=${encodeURIComponent(key)}`, headers: auth(f.regulator) });
    expect([chained.statusCode, chained.json().error.field]).toEqual([400, 'key']);
    expect((await t.app.fastify.inject({ url: `/assessment/${year}.link?key=${encodeURIComponent(key)}` })).statusCode).toBe(401);
  });

  it('writes the self-assessment as a page and as a PDF with every indicator', async () => {
    const regulator = (await as(Role.REGULATOR)).ctx;
    await makeOperator(t, f.admin, { village: 'Dongcun' });
    const page = await t.app.fastify.inject({ url: `/assessment/${year}?lang=zh`, headers: { authorization: `Bearer ${f.regulator}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`${year} 年度食品安全工作自评报告`);
    expect(page.body).toContain('监督检查计划完成率');
    expect(page.body).toContain('<link rel="stylesheet" href="/static/assessment.css">');
    expect((await t.app.fastify.inject({ url: `/assessment/${year}` })).statusCode).toBe(401);
    expect((await t.app.fastify.inject({ url: `/assessment/${year}`, headers: { authorization: `Bearer ${(await as(Role.INSPECTOR)).token}` } })).statusCode).toBe(403);

    const res = await t.app.fastify.inject({ url: `/assessment/${year}.pdf?lang=zh`, headers: { authorization: `Bearer ${f.regulator}` } });
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
      for (const name of ['生产经营主体登记备案覆盖率', '监督检查计划完成率', '整改按期完成率', '召回完成率', '差距与不足', 'Dongcun']) expect(text).toContain(name);
    } else {
      // no text extractor here: the embedded CJK font at least must be there
      expect(pdf.toString('latin1')).toContain('WenQuanYiMicroHei');
    }

    // without a CJK font the PDF is English only and says why
    const report = await townAssessment(regulator, year);
    const plain = await assessmentPdf(report, 'zh', 'Asia/Shanghai', null);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('pdftotext', ['-', '-'], { input: plain }).toString('utf8');
      expect(text).toContain('Inspection plan completion');
      expect(text).toContain('This server has no CJK font');
    } else {
      expect(plain.toString('latin1')).toContain('/Helvetica');
    }
  });
});
