import { isRegulator } from '../auth/access';
import { withReadOnlyTransaction, type Context, type Db } from '../context';
import { AssessedUnitKind, OperatorKind, Role } from '../entities/enums';
import { badInput, forbidden, notFound, unauthenticated } from '../errors';
import { localDate, localDayStart } from '../local-time';
import { marketById } from '../tables/market.table';
import { operatorById } from '../tables/operator.table';
import * as v from '../validation';
import type { EvidenceModel, IndicatorScoreModel, ScorecardModel, ScorecardScope } from './assessment.model';
import { INDICATORS, scoreOf, totalOf, type Indicator, type IndicatorCode } from './indicators';
import { indicatorEvidence, knownVillages, scorecardCounts, villageScorecardCounts } from './scorecard.sql';

/** A scorecard reads much of a year: its statements get ten times the public lookup's time. */
const timeoutOf = (ctx: Context) => ctx.config.limits.publicStatementTimeoutMs * 10;

export function assessmentYear(field: string, value: number | string): number {
  const year = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : value;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100) throw badInput(field, 'must be a year from 2000 to 2100');
  return year;
}

/** The year's bounds in the county's local time; what has fallen due is judged now, or at the year's end once it is over. */
function scopeOf(timeZone: string, kind: ScorecardScope['kind'], year: number, village: string | null, unitId: number | null, now: Date): ScorecardScope {
  const startDate = `${year}-01-01`;
  const endDate = `${year + 1}-01-01`;
  const start = localDayStart(startDate, timeZone);
  const end = localDayStart(endDate, timeZone);
  const asOf = new Date(Math.max(start.getTime(), Math.min(now.getTime(), end.getTime())));
  return { kind, year, village, unitId, start, end, startDate, endDate, asOf, asOfDate: localDate(new Date(Math.max(start.getTime(), asOf.getTime() - 1)), timeZone) };
}

/** Regulators and admins see every scorecard; a village assistant its own village's and its units'. */
function assertSeesVillage(ctx: Context, village: string | null): void {
  const viewer = ctx.viewer;
  if (!viewer.role) throw unauthenticated();
  if (isRegulator(viewer)) return;
  if (viewer.role === Role.VILLAGE_ASSISTANT && viewer.village && village === viewer.village) return;
  throw forbidden('This account may see only its own village');
}

/** A scorecard of `scope` from its indicators' counts. */
function scorecardFrom(scope: ScorecardScope, unitName: string | null, indicators: readonly Indicator[], counts: Map<IndicatorCode, { counted: number; total: number }>): ScorecardModel {
  const scores: IndicatorScoreModel[] = indicators.map((indicator) => {
    const { counted, total } = counts.get(indicator.code)!;
    const denominator = indicator.perYear ?? total;
    return {
      code: indicator.code, zh: indicator.zh, en: indicator.en, formulaZh: indicator.formulaZh, formulaEn: indicator.formulaEn,
      weight: indicator.weight, target: indicator.target, numerator: counted, denominator, ...scoreOf(indicator, counted, denominator), scope,
    };
  });
  return { year: scope.year, kind: scope.kind, village: scope.village, unitId: scope.unitId, unitName, indicators: scores, total: totalOf(scores), asOf: scope.asOf };
}

const indicatorsOf = (kind: ScorecardScope['kind']) => INDICATORS.filter((i) => i.appliesTo.includes(kind));

/** The scorecard of one scope, read within `tx`; one statement. */
async function scorecardIn(tx: Db, scope: ScorecardScope, unitName: string | null): Promise<ScorecardModel> {
  const indicators = indicatorsOf(scope.kind);
  return scorecardFrom(scope, unitName, indicators, await scorecardCounts(tx, indicators.map((i) => i.code), scope));
}

function scorecardOf(ctx: Context, scope: ScorecardScope, unitName: string | null): Promise<ScorecardModel> {
  return withReadOnlyTransaction(ctx, timeoutOf(ctx), (tx) => scorecardIn(tx, scope, unitName));
}

/**
 * Every known village's scorecard for the year, read within the caller's transaction: two statements however many
 * villages (the town's records grouped by village), each card what `villageScorecard` gives for its village. The caller
 * has checked that its viewer sees every village (a regulator or an admin).
 */
export async function villageScorecardsIn(tx: Db, year: number, timeZone: string, now: Date): Promise<ScorecardModel[]> {
  const villages = await knownVillages(tx);
  const indicators = indicatorsOf('VILLAGE');
  const counts = await villageScorecardCounts(tx, indicators.map((i) => i.code), scopeOf(timeZone, 'TOWN', year, null, null, now), villages);
  return villages.map((village) => scorecardFrom(scopeOf(timeZone, 'VILLAGE', year, village, null, now), null, indicators, counts.get(village)!));
}

/** The village's scorecard for the year: every indicator that applies to a village, computed from what was recorded. */
export async function villageScorecard(ctx: Context, yearInput: number | string, villageInput: string, now = new Date()): Promise<ScorecardModel> {
  const year = assessmentYear('year', yearInput);
  const village = v.text('village', villageInput, 100);
  assertSeesVillage(ctx, village);
  return scorecardOf(ctx, scopeOf(ctx.config.timeZone, 'VILLAGE', year, village, null, now), null);
}

/** A canteen's (an operator of kind CANTEEN) or a market's scorecard for the year. */
export async function unitScorecard(ctx: Context, yearInput: number | string, kind: AssessedUnitKind, idInput: string | number, now = new Date()): Promise<ScorecardModel> {
  const year = assessmentYear('year', yearInput);
  const id = v.id('id', idInput);
  if (!ctx.viewer.role) throw unauthenticated();
  let village: string | null;
  let name: string;
  if (kind === AssessedUnitKind.CANTEEN) {
    const operator = await operatorById(ctx, id);
    if (!operator || operator.kind !== OperatorKind.CANTEEN) throw notFound('Canteen', id);
    village = operator.village;
    name = operator.name;
  } else if (kind === AssessedUnitKind.MARKET) {
    const market = await marketById(ctx, id);
    if (!market) throw notFound('Market', id);
    village = market.village;
    name = market.name;
  } else {
    throw badInput('kind', 'must be CANTEEN or MARKET');
  }
  assertSeesVillage(ctx, village);
  return scorecardOf(ctx, scopeOf(ctx.config.timeZone, kind, year, village, id, now), name);
}

/** The whole town's scorecard, and each known village's: what the year's self-assessment reports. Regulators and admins. */
export async function townAssessment(ctx: Context, yearInput: number | string, now = new Date()): Promise<{ town: ScorecardModel; villages: ScorecardModel[] }> {
  const year = assessmentYear('year', yearInput);
  if (!isRegulator(ctx.viewer)) throw forbidden('Requires role ADMIN or REGULATOR');
  return withReadOnlyTransaction(ctx, timeoutOf(ctx), async (tx) => ({
    town: await scorecardIn(tx, scopeOf(ctx.config.timeZone, 'TOWN', year, null, null, now), null),
    villages: await villageScorecardsIn(tx, year, ctx.config.timeZone, now),
  }));
}

function encodeEvidenceCursor(e: Pick<EvidenceModel, 'kind' | 'id'>): string {
  return Buffer.from(`e:${e.kind}:${e.id}`, 'utf8').toString('base64url');
}

function decodeEvidenceCursor(field: string, cursor: string | null | undefined): { kind: string; id: number } | null {
  if (cursor == null || cursor === '') return null;
  const m = /^e:([A-Z_]{1,40}):(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badInput(field, 'is not a valid cursor');
  return { kind: m[1], id: Number(m[2]) };
}

/**
 * The records behind one indicator of a scorecard, in (kind, id) order: every record of the denominator, each marked
 * whether the numerator counts it. The scope is the scorecard's own, so the list and the counts always agree.
 */
export async function scoreEvidence(
  ctx: Context, score: Pick<IndicatorScoreModel, 'code' | 'scope'>, first: number | null | undefined, after: string | null | undefined,
): Promise<{ nodes: EvidenceModel[]; hasNextPage: boolean; endCursor: string | null }> {
  const limit = v.pageSize('first', first, 50, 500);
  const from = decodeEvidenceCursor('after', after);
  const rows = await withReadOnlyTransaction(ctx, timeoutOf(ctx), (tx) => indicatorEvidence(tx, score.code as IndicatorCode, score.scope, from, limit + 1));
  const nodes = rows.slice(0, limit);
  return { nodes, hasNextPage: rows.length > limit, endCursor: nodes.length ? encodeEvidenceCursor(nodes[nodes.length - 1]) : null };
}
