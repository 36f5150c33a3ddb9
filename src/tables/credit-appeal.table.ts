import type { Db } from './table';
import type { AppealKind, AppealStatus } from '../entities/enums';
import type { CreditAppeal } from '../credit/credit.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface CreditAppealRow {
  id: number;
  event_id: number;
  operator_id: number;
  kind: AppealKind;
  reason: string;
  status: AppealStatus;
  filed_by_id: number | null;
  decided_by_id: number | null;
  decided_at: Date | string | null;
  decision_note: string | null;
  reversal_event_id: number | null;
  created_at: Date | string;
}

export const creditAppealTable = defineTable<CreditAppealRow>('credit_appeal', {
  id: 'int4',
  event_id: 'int4',
  operator_id: 'int4',
  kind: 'text',
  reason: 'varchar',
  status: 'text',
  filed_by_id: 'int4',
  decided_by_id: 'int4',
  decided_at: 'timestamptz',
  decision_note: 'varchar',
  reversal_event_id: 'int4',
  created_at: 'timestamptz',
});

export function toCreditAppeal(r: CreditAppealRow): CreditAppeal {
  return {
    id: r.id, eventId: r.event_id, operatorId: r.operator_id, kind: r.kind, reason: r.reason, status: r.status, filedById: r.filed_by_id,
    decidedById: r.decided_by_id, decidedAt: toDate(r.decided_at), decisionNote: r.decision_note, reversalEventId: r.reversal_event_id, createdAt: toDate(r.created_at),
  };
}

/** One appeal, optionally locked for its decision; null for an unknown id. */
export async function creditAppealById(ctx: Db, id: number, lock = false): Promise<CreditAppeal | null> {
  const [row] = await ctx.em.execute<CreditAppealRow[]>(`select ${creditAppealTable.list} from credit_appeal where id = ?${lock ? ' for update' : ''}`, [id]);
  return row ? toCreditAppeal(row) : null;
}

/** The id of the event's pending appeal, if it has one. */
export async function pendingAppealId(ctx: Db, eventId: number): Promise<number | null> {
  const [pending] = await ctx.em.execute<{ id: number }[]>(`select id from credit_appeal where event_id = ? and status = 'PENDING'`, [eventId]);
  return pending ? pending.id : null;
}

export async function insertCreditAppeal(
  ctx: Db, a: { eventId: number; operatorId: number; kind: AppealKind; reason: string; filedById: number | null },
): Promise<CreditAppeal> {
  const [row] = await ctx.em.execute<CreditAppealRow[]>(
    `insert into credit_appeal (event_id, operator_id, kind, reason, filed_by_id) values (?, ?, ?, ?, ?) returning ${creditAppealTable.list}`,
    [a.eventId, a.operatorId, a.kind, a.reason, a.filedById],
  );
  return toCreditAppeal(row);
}

/** Records a decision (decided now); `reversalEventId` is the reversal an upheld appeal appended. */
export async function decideAppealRow(
  ctx: Db, id: number, d: { status: AppealStatus; decidedById: number | null; note: string; reversalEventId: number | null },
): Promise<CreditAppeal> {
  const [row] = await ctx.em.execute<CreditAppealRow[]>(
    `update credit_appeal set status = ?, decided_by_id = ?, decided_at = now(), decision_note = ?, reversal_event_id = ?
      where id = ? returning ${creditAppealTable.list}`,
    [d.status, d.decidedById, d.note, d.reversalEventId, id],
  );
  return toCreditAppeal(row);
}

/** Up to `limit` appeals after id `afterId`, in id order, of one status and one operator when given. */
export async function listAppealRows(
  ctx: Db, filter: { afterId: number; status: AppealStatus | null; operatorId: number | null }, limit: number,
): Promise<CreditAppeal[]> {
  const conditions = ['id > ?'];
  const params: unknown[] = [filter.afterId];
  if (filter.status !== null) {
    conditions.push('status = ?');
    params.push(filter.status);
  }
  if (filter.operatorId !== null) {
    conditions.push('operator_id = ?');
    params.push(filter.operatorId);
  }
  const rows = await ctx.em.execute<CreditAppealRow[]>(
    `select ${creditAppealTable.list} from credit_appeal where ${conditions.join(' and ')} order by id limit ${limit}`,
    params,
  );
  return rows.map(toCreditAppeal);
}
