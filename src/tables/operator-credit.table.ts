/**
 * The credit columns of `operator` (stored score, grade, forced D, chain head), which only the credit ledger
 * writes, and the reads the credit domain makes of operators. These statements belong to operator's table module;
 * they live here until that module exists.
 */
import type { Db } from '../context';
import { OperatorStatus, type Grade } from '../entities/enums';
import type { CreditState, GradeCount, OperatorCard } from '../credit/credit.model';
import { isoTime } from './credit-event.table';
import { toDate } from './sql-time';

/**
 * Locks the operator row against other credit writers; false for an unknown operator. No key update: serialises
 * appenders without waiting for rows that merely reference the operator (FK key-share locks).
 */
export async function lockOperatorCredit(ctx: Db, operatorId: number): Promise<boolean> {
  const locked = await ctx.em.execute<{ id: number }[]>('select id from operator where id = ? for no key update', [operatorId]);
  return locked.length > 0;
}

export async function operatorExists(ctx: Db, operatorId: number): Promise<boolean> {
  const [op] = await ctx.em.execute<{ id: number }[]>('select id from operator where id = ?', [operatorId]);
  return !!op;
}

/** The stored credit, with the operator row locked as `lockOperatorCredit` locks it. */
export async function lockedStoredCredit(ctx: Db, operatorId: number): Promise<CreditState> {
  const [stored] = await ctx.em.execute<{ credit_score: number; credit_grade: Grade; forced_d_until: Date | string | null }[]>(
    'select credit_score, credit_grade, forced_d_until from operator where id = ? for no key update',
    [operatorId],
  );
  return { score: stored.credit_score, grade: stored.credit_grade, forcedUntil: toDate(stored.forced_d_until) };
}

export async function storeCredit(ctx: Db, operatorId: number, state: CreditState): Promise<void> {
  await ctx.em.execute('update operator set credit_score = ?, credit_grade = ?, forced_d_until = ? where id = ?', [
    state.score, state.grade, isoTime(state.forcedUntil), operatorId,
  ]);
}

/** The chain head each operator recorded (operators with none, from a bulk import, are left out); one or all. */
export async function recordedChainHeads(ctx: Db, operatorId: number | null): Promise<Map<number, { seq: number; hash: string }>> {
  const rows = await ctx.em.execute<{ id: number; credit_chain_seq: number; credit_chain_head: string }[]>(
    `select id, credit_chain_seq, credit_chain_head from operator where credit_chain_seq > 0 ${operatorId === null ? '' : 'and id = ?'}`,
    operatorId === null ? [] : [operatorId],
  );
  return new Map(rows.map((h) => [h.id, { seq: h.credit_chain_seq, hash: h.credit_chain_head }]));
}

/**
 * Operators not revoked and registered before `end`, with their stored credit and their latest event of one of
 * `inspectionRules` before `start`.
 */
export async function inspectionCandidates(
  ctx: Db, inspectionRules: readonly string[], start: Date, end: Date,
): Promise<{ operatorId: number; grade: Grade; score: number; forcedUntil: Date | null; lastInspectedAt: Date | null }[]> {
  const rows = await ctx.em.execute<{ id: number; credit_grade: Grade; credit_score: number; forced_d_until: Date | string | null; last_inspected_at: Date | string | null }[]>(
    `select o.id, o.credit_grade, o.credit_score, o.forced_d_until,
            (select max(e.occurred_at) from credit_event e
              where e.operator_id = o.id and e.rule_code = any(?::text[]) and e.occurred_at < ?) as last_inspected_at
       from operator o
      where o.status <> ? and o.created_at < ?`,
    [`{${inspectionRules.join(',')}}`, start, OperatorStatus.REVOKED, end],
  );
  return rows.map((r) => ({
    operatorId: r.id, grade: r.credit_grade, score: r.credit_score, forcedUntil: toDate(r.forced_d_until), lastInspectedAt: toDate(r.last_inspected_at),
  }));
}

/** Operators and active operators per stored grade, for the grades someone holds; one grouped statement. */
export async function gradeCountRows(ctx: Db): Promise<GradeCount[]> {
  return ctx.em.execute<GradeCount[]>(
    `select credit_grade as grade, count(*)::int as operators, (count(*) filter (where status = ?))::int as active
       from operator group by credit_grade`,
    [OperatorStatus.ACTIVE],
  );
}

/** The public card of the operator holding `code`, with its standing deductions of the 12 months to `now`; one statement. */
export async function operatorCardRow(ctx: Db, code: string, now: Date): Promise<OperatorCard | null> {
  const rows = await ctx.em.execute<
    { public_code: string; kind: string; name: string; registration_number: string | null; village: string | null; status: string; grade: string; violations: string }[]
  >(
    `select o.public_code, o.kind, o.name, coalesce(o.credit_code, o.registration_card_no) as registration_number,
            o.village, o.status, o.credit_grade as grade,
            (select count(*) from credit_event e
              where e.operator_id = o.id and e.points < 0
                and e.occurred_at > ?::timestamptz - interval '12 months' and e.occurred_at <= ?::timestamptz
                and not exists (select 1 from credit_event r where r.reverses_id = e.id)) as violations
       from operator o where o.public_code = ?`,
    [now, now, code],
  );
  if (!rows.length) return null;
  const r = rows[0];
  return {
    publicCode: r.public_code,
    kind: r.kind,
    name: r.name,
    registrationNumber: r.registration_number,
    village: r.village,
    status: r.status,
    grade: r.grade.trim(),
    recentViolations: Number(r.violations),
  };
}
