import type { Context } from '../context';
import { CreditSource, Grade, OperatorStatus } from '../entities/enums';
import { badInput } from '../errors';
import type { InspectionPlanItem, QuarterCloseResult } from '../schema/credit.type';
import { appendCreditEvent } from './ledger.service';
import { queuedForOperator } from './operator-queue';
import { addMonths, GRADE_SUPERVISION, INSPECTION_RULES } from './rules';
import { toDate } from './sql-time';

/** The town keeps China Standard Time (UTC+8, no daylight saving); months and quarters begin at its midnight. */
export const TOWN_UTC_OFFSET_MS = 8 * 3600_000;

const townMidnight = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex, 1) - TOWN_UTC_OFFSET_MS);

/** `2026-12` → [start, end) in town time. */
export function monthRange(field: string, month: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month ?? '');
  if (!m) throw badInput(field, 'must be a month like 2026-12');
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  if (year < 2000 || year > 2100) throw badInput(field, 'must be between 2000 and 2100');
  return { start: townMidnight(year, index), end: townMidnight(year, index + 1) };
}

/** `2026-Q3` → [start, end) in town time. */
export function quarterRange(field: string, quarter: string): { start: Date; end: Date } {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter ?? '');
  if (!m) throw badInput(field, 'must be a quarter like 2026-Q3');
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) throw badInput(field, 'must be between 2000 and 2100');
  const first = (Number(m[2]) - 1) * 3;
  return { start: townMidnight(year, first), end: townMidnight(year, first + 3) };
}

/**
 * Operators to inspect in a month: those whose last on-site inspection before the month is older than their grade's
 * interval (12 months / inspections per year) by the month's end, or who were never inspected. Most at risk first:
 * grade D before C before B before A, then the lower score, then the longer overdue (never inspected first).
 */
export async function inspectionPlan(ctx: Context, month: string): Promise<InspectionPlanItem[]> {
  const { start, end } = monthRange('month', month);
  // stored grades: updated with each event, and for expiries by the hourly upkeep (startCreditUpkeep)
  const rows = await ctx.em.execute<{ id: number; credit_grade: Grade; credit_score: number; forced_d_until: Date | string | null; last_inspected_at: Date | string | null }[]>(
    `select o.id, o.credit_grade, o.credit_score, o.forced_d_until,
            (select max(e.occurred_at) from credit_event e
              where e.operator_id = o.id and e.rule_code = any(?::text[]) and e.occurred_at < ?) as last_inspected_at
       from operator o
      where o.status <> ? and o.created_at < ?`,
    [`{${INSPECTION_RULES.join(',')}}`, start, OperatorStatus.REVOKED, end],
  );
  const due: InspectionPlanItem[] = [];
  for (const r of rows) {
    const perYear = GRADE_SUPERVISION[r.credit_grade].inspectionsPerYear;
    const last = toDate(r.last_inspected_at);
    const dueSince = last && addMonths(last, 12 / perYear);
    if (dueSince && dueSince.getTime() >= end.getTime()) continue;
    due.push({
      operatorId: r.id, grade: r.credit_grade, score: r.credit_score, forcedUntil: toDate(r.forced_d_until), inspectionsPerYear: perYear,
      lastInspectedAt: last, dueSince,
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
  const { start, end } = quarterRange('quarter', quarter);
  if (end.getTime() > now.getTime()) throw badInput('quarter', 'has not ended yet');
  const candidates = await ctx.em.execute<{ operator_id: number }[]>(
    `select x.operator_id from (
        select me.vendor_id as operator_id from market_entry me where me.created_at >= ? and me.created_at < ?
        union
        select b.owner_id from market_entry me join batch b on b.id = me.batch_id where me.created_at >= ? and me.created_at < ?
      ) x
      join operator o on o.id = x.operator_id
     where o.status <> ?
       and not exists (
         select 1 from credit_event e
          where e.operator_id = x.operator_id and e.points < 0 and e.occurred_at >= ? and e.occurred_at < ?
            and not exists (select 1 from credit_event r where r.reverses_id = e.id))
     order by x.operator_id`,
    [start, end, start, end, OperatorStatus.REVOKED, start, end],
  );
  const result: QuarterCloseResult = { quarter, eligible: candidates.length, awardedOperatorIds: [], alreadyAwarded: 0 };
  // the award happens at the quarter's last instant, so creditAsOf any time within the next quarter includes it
  const occurredAt = new Date(end.getTime() - 1);
  for (const { operator_id: operatorId } of candidates) {
    const awarded = await queuedForOperator(ctx.em, operatorId, () => ctx.em.transactional(async (em) => {
      await em.execute('select id from operator where id = ? for no key update', [operatorId]);
      const [existing] = await em.execute<{ id: number }[]>(
        `select id from credit_event where operator_id = ? and rule_code = 'CLEAN_QUARTER' and source_ref = ?`,
        [operatorId, quarter],
      );
      if (existing) return false;
      await appendCreditEvent(em, {
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
