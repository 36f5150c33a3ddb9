import { withTransaction, type Context } from '../context';
import { DEFAULT_TIME_ZONE } from '../config';
import { CreditSource, Grade } from '../entities/enums';
import { badInput } from '../errors';
import { localDayStart } from '../local-time';
import { cleanQuarterAwarded, cleanQuarterCandidates } from '../tables/credit-event.table';
import { fieldInspectionsIn } from '../tables/field-inspection.table';
import { inspectionCandidates, lockOperatorCredit } from '../tables/operator.table';
import type { InspectionPlanItem, QuarterCloseResult } from './credit.model';
import { appendCreditEvent } from './ledger.append';
import { queuedForOperator } from './operator-queue';
import { addMonths, GRADE_SUPERVISION, INSPECTION_RULES } from './rules';

/** Local midnight of the first of a month (`monthIndex` may run past 11 into the next year). */
function monthStart(year: number, monthIndex: number, timeZone: string): Date {
  const y = year + Math.floor(monthIndex / 12);
  const m = (monthIndex % 12) + 1;
  return localDayStart(`${y}-${String(m).padStart(2, '0')}-01`, timeZone);
}

/** `2026-12` → [start, end) in the county's local time. */
export function monthRange(field: string, month: string, timeZone: string = DEFAULT_TIME_ZONE): { start: Date; end: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month ?? '');
  if (!m) throw badInput(field, 'must be a month like 2026-12');
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  if (year < 2000 || year > 2100) throw badInput(field, 'must be between 2000 and 2100');
  return { start: monthStart(year, index, timeZone), end: monthStart(year, index + 1, timeZone) };
}

/** `2026-Q3` → [start, end) in the county's local time. */
export function quarterRange(field: string, quarter: string, timeZone: string = DEFAULT_TIME_ZONE): { start: Date; end: Date } {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter ?? '');
  if (!m) throw badInput(field, 'must be a quarter like 2026-Q3');
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) throw badInput(field, 'must be between 2000 and 2100');
  const first = (Number(m[2]) - 1) * 3;
  return { start: monthStart(year, first, timeZone), end: monthStart(year, first + 3, timeZone) };
}

/**
 * Operators to inspect in a month: those whose last on-site inspection before the month is older than their grade's
 * interval (12 months / inspections per year) by the month's end, or who were never inspected. Most at risk first:
 * grade D before C before B before A, then the lower score, then the longer overdue (never inspected first). Each
 * shows the field inspections recorded within the month: done once there is one, still due while there is none.
 */
export async function inspectionPlan(ctx: Context, month: string): Promise<InspectionPlanItem[]> {
  const { start, end } = monthRange('month', month, ctx.config.timeZone);
  // stored grades: updated with each event, and for expiries by the hourly upkeep (startCreditUpkeep)
  const candidates = await inspectionCandidates(ctx, INSPECTION_RULES, start, end);
  const done = await fieldInspectionsIn(ctx, start, end);
  const due: InspectionPlanItem[] = [];
  for (const c of candidates) {
    const perYear = GRADE_SUPERVISION[c.grade].inspectionsPerYear;
    const last = c.lastInspectedAt;
    const dueSince = last && addMonths(last, 12 / perYear);
    if (dueSince && dueSince.getTime() >= end.getTime()) continue;
    due.push({
      operatorId: c.operatorId, grade: c.grade, score: c.score, forcedUntil: c.forcedUntil, inspectionsPerYear: perYear,
      lastInspectedAt: last, dueSince,
      inspectionsInMonth: done.get(c.operatorId)?.count ?? 0, doneAt: done.get(c.operatorId)?.lastAt ?? null, doneOutcome: done.get(c.operatorId)?.lastOutcome ?? null,
    });
  }
  const gradeRank = (g: Grade) => ['D', 'C', 'B', 'A'].indexOf(g);
  return due.sort((a, b) =>
    gradeRank(a.grade) - gradeRank(b.grade)
    || a.score - b.score
    || (a.dueSince?.getTime() ?? -Infinity) - (b.dueSince?.getTime() ?? -Infinity)
    || a.operatorId - b.operatorId);
}

/**
 * Awards CLEAN_QUARTER to every operator that had market entries in the quarter (as supplier or receiving vendor)
 * and no deduction in it that still stands (a reversed one does not count). Idempotent: the award is keyed by the
 * quarter, checked under the operator's lock and backed by a unique index, so a second run awards nothing more.
 */
export async function closeQuarter(ctx: Context, quarter: string, now = new Date()): Promise<QuarterCloseResult> {
  const { start, end } = quarterRange('quarter', quarter, ctx.config.timeZone);
  if (end.getTime() > now.getTime()) throw badInput('quarter', 'has not ended yet');
  const candidates = await cleanQuarterCandidates(ctx, start, end);
  const result: QuarterCloseResult = { quarter, eligible: candidates.length, awardedOperatorIds: [], alreadyAwarded: 0 };
  // the award happens at the quarter's last instant, so creditAsOf any time within the next quarter includes it
  const occurredAt = new Date(end.getTime() - 1);
  for (const operatorId of candidates) {
    const awarded = await queuedForOperator(ctx, operatorId, () => withTransaction(ctx, async (tx) => {
      await lockOperatorCredit(tx, operatorId);
      if (await cleanQuarterAwarded(tx, operatorId, quarter)) return false;
      await appendCreditEvent(tx, {
        operatorId, ruleCode: 'CLEAN_QUARTER', reason: `Clean quarter ${quarter}: market entries and no deductions`,
        source: CreditSource.SYSTEM, sourceRef: quarter, recordedById: ctx.viewer.accountId, occurredAt,
      });
      return true;
    }));
    if (awarded) result.awardedOperatorIds.push(operatorId);
    else result.alreadyAwarded += 1;
  }
  return result;
}
