import type { ScorecardModel } from '../assessment/assessment.model';
import { INDICATORS } from '../assessment/indicators';
import { villageScorecardsIn } from '../assessment/scorecard.service';
import { withReadOnlyTransaction, type Context, type Db } from '../context';
import { CREDIT_RULES } from '../credit/rules';
import { computeCreditAt } from '../credit/score';
import { Grade, GateDecision, TestResult } from '../entities/enums';
import { badInput } from '../errors';
import { addDays, localDate, localDayStart } from '../local-time';
import { eventCountsByRule, scoredEventsOfAll } from '../tables/credit-event.table';
import { incidentCountsByMonth } from '../tables/incident.table';
import { resultCountsByMonth } from '../tables/inspection.table';
import { decisionCountsByDay } from '../tables/market-entry.table';
import { marketsByIds } from '../tables/market.table';
import { operatorsRegisteredBefore } from '../tables/operator.table';
import type { ChartCount, ChartWindow, DeskChart, OperatorScoredEvent } from './desk-charts.model';

export type { ChartWindow, DeskChart };

/** How far back the desk's charts reach: months for the monthly charts, days for the gate's daily one. */
export const CHART_RANGE = { defaultMonths: 12, maxMonths: 24, defaultDays: 14, maxDays: 62 } as const;

/** The local month `n` months after `month` (YYYY-MM). */
function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The last `months` local months and `days` local days up to `now`, in the county's time zone. */
export function chartWindow(now: Date, timeZone: string, months: number = CHART_RANGE.defaultMonths, days: number = CHART_RANGE.defaultDays): ChartWindow {
  if (!Number.isInteger(months) || months < 1 || months > CHART_RANGE.maxMonths) throw badInput('months', `must be a whole number from 1 to ${CHART_RANGE.maxMonths}`);
  if (!Number.isInteger(days) || days < 1 || days > CHART_RANGE.maxDays) throw badInput('days', `must be a whole number from 1 to ${CHART_RANGE.maxDays}`);
  const today = localDate(now, timeZone);
  const month = today.slice(0, 7);
  return {
    months: Array.from({ length: months }, (_, i) => addMonths(month, i - months + 1)),
    days: Array.from({ length: days }, (_, i) => addDays(today, i - days + 1)),
    monthsFrom: localDayStart(`${addMonths(month, 1 - months)}-01`, timeZone),
    daysFrom: localDayStart(addDays(today, 1 - days), timeZone),
    to: localDayStart(addDays(today, 1), timeZone),
  };
}

/** Counts laid out on `labels`, one series per key (in `keys` order), zero where nothing was counted. */
function seriesOf(counts: ChartCount[], labels: string[], keys: string[]): DeskChart['series'] {
  const at = new Map(counts.map((c) => [`${c.series}|${c.bucket}`, c.count]));
  return keys.map((key) => ({ key, values: labels.map((l) => at.get(`${key}|${l}`) ?? 0) }));
}

const GRADES = [Grade.A, Grade.B, Grade.C, Grade.D];

/**
 * Operators per grade at the end of each month (today for the current one), each grade worked out from the events
 * alone as the score does (credit/score.ts), counting operators registered by then; two statements.
 */
async function gradesOverTime(tx: Db, w: ChartWindow, now: Date, timeZone: string): Promise<DeskChart> {
  const operators = await operatorsRegisteredBefore(tx, w.to);
  const events = await scoredEventsOfAll(tx, w.to);
  const byOperator = new Map<number, OperatorScoredEvent[]>();
  for (const e of events) {
    if (!byOperator.has(e.operatorId)) byOperator.set(e.operatorId, []);
    byOperator.get(e.operatorId)!.push(e);
  }
  const ends = w.months.map((m, i) => (i === w.months.length - 1 ? now : new Date(localDayStart(`${addMonths(m, 1)}-01`, timeZone).getTime() - 1)));
  const tallies = ends.map(() => new Map<Grade, number>());
  for (const o of operators) {
    const states = computeCreditAt(byOperator.get(o.id) ?? [], ends);
    states.forEach(({ grade }, i) => {
      if (o.registeredAt > ends[i]) return;
      tallies[i].set(grade, (tallies[i].get(grade) ?? 0) + 1);
    });
  }
  const counts: ChartCount[] = tallies.flatMap((tally, i) => [...tally].map(([grade, count]) => ({ bucket: w.months[i], series: grade, count })));
  return { key: 'grades', labels: w.months, series: seriesOf(counts, w.months, GRADES) };
}

/** Credit events per rule over the months of the window, every rule of the table listed. */
async function creditRules(tx: Db, w: ChartWindow): Promise<DeskChart> {
  const counts = await eventCountsByRule(tx, w.monthsFrom, w.to);
  const rules = [...new Set([...Object.keys(CREDIT_RULES), ...counts.map((c) => c.bucket)])];
  return { key: 'creditRules', labels: rules, series: seriesOf(counts, rules, ['events']) };
}

const DECISIONS = [GateDecision.ACCEPTED, GateDecision.TEST_REQUIRED, GateDecision.REJECTED];

/** Gate decisions per day of the window, a series per market and decision (markets by id). */
async function gateDecisions(tx: Db, w: ChartWindow, timeZone: string): Promise<DeskChart> {
  const counts = await decisionCountsByDay(tx, w.daysFrom, w.to, timeZone);
  const marketIds = [...new Set(counts.map((c) => Number(c.series.split(':')[0])))].sort((a, b) => a - b);
  const markets = marketIds.length ? await marketsByIds(tx, marketIds) : [];
  const series = markets
    .sort((a, b) => a.id - b.id)
    .flatMap((m) => seriesOf(counts, w.days, DECISIONS.map((d) => `${m.id}:${d}`)).map((s) => ({ key: s.key.split(':')[1], market: { id: m.id, name: m.name }, values: s.values })));
  return { key: 'gateDecisions', labels: w.days, series };
}

/** Tests per month and their pass rate in percent (one decimal; none where nothing was tested). */
async function testPassRate(tx: Db, w: ChartWindow, timeZone: string): Promise<DeskChart> {
  const counts = await resultCountsByMonth(tx, w.monthsFrom, w.to, timeZone);
  const [pass, fail] = seriesOf(counts, w.months, [TestResult.PASS, TestResult.FAIL]);
  const rate = w.months.map((_, i) => {
    const all = pass.values[i]! + fail.values[i]!;
    return all ? Math.round((1000 * pass.values[i]!) / all) / 10 : null;
  });
  return { key: 'testPassRate', labels: w.months, series: [{ key: 'passRate', values: rate }, pass, fail] };
}

/** Incidents reported per month, real ones and drills apart. */
async function incidents(tx: Db, w: ChartWindow, timeZone: string): Promise<DeskChart> {
  const counts = await incidentCountsByMonth(tx, w.monthsFrom, w.to, timeZone);
  return { key: 'incidents', labels: w.months, series: seriesOf(counts, w.months, ['incidents', 'drills']) };
}

/** The indicators a village is scored on, in the scorecard's order: the columns of the village chart's table. */
const VILLAGE_INDICATORS = INDICATORS.filter((i) => i.appliesTo.includes('VILLAGE')).map((i) => i.code);

/**
 * Each known village's scorecard for this local year, as `villageScorecard` works it out: the total (out of 100 over
 * the indicators that apply) and each indicator's score, null where it does not apply; two statements however many
 * villages.
 */
async function villageScorecards(tx: Db, now: Date, timeZone: string): Promise<DeskChart> {
  const year = Number(localDate(now, timeZone).slice(0, 4));
  const cards = await villageScorecardsIn(tx, year, timeZone, now);
  const scoreOf = (card: ScorecardModel, code: string) => card.indicators.find((i) => i.code === code)?.score ?? null;
  return {
    key: 'villageScorecards', year, labels: cards.map((c) => c.village!),
    series: [{ key: 'total', values: cards.map((c) => c.total) }, ...VILLAGE_INDICATORS.map((code) => ({ key: code, values: cards.map((c) => scoreOf(c, code)) }))],
  };
}

/**
 * The charts the desk draws, in order. Another chart is one more entry here (and, for its own colours and texts, one
 * in assets/desk-charts.js).
 */
const CHART_SOURCES: ((tx: Db, w: ChartWindow, now: Date, timeZone: string) => Promise<DeskChart>)[] = [
  (tx, w, now, tz) => gradesOverTime(tx, w, now, tz),
  (tx, w) => creditRules(tx, w),
  (tx, w, _now, tz) => gateDecisions(tx, w, tz),
  (tx, w, _now, tz) => testPassRate(tx, w, tz),
  (tx, w, _now, tz) => incidents(tx, w, tz),
  (tx, _w, now, tz) => villageScorecards(tx, now, tz),
];

/**
 * The regulator desk's charts over the window ending `now` (the village scorecards: this local year so far), read in
 * one read-only transaction: at most nine statements.
 */
export async function deskCharts(ctx: Db & Pick<Context, 'config'>, w: ChartWindow, now: Date): Promise<DeskChart[]> {
  const timeZone = ctx.config.timeZone;
  return withReadOnlyTransaction(ctx, ctx.config.limits.publicStatementTimeoutMs * 10, async (tx) => {
    const charts: DeskChart[] = [];
    // one after another: the statements share the transaction's connection
    for (const source of CHART_SOURCES) charts.push(await source(tx, w, now, timeZone));
    return charts;
  });
}
