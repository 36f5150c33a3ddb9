import type { RectificationStatus } from '../entities/enums';
import type { InspectionAnswerModel, RectificationOrderModel } from '../supervision/supervision.model';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface RectificationOrderRow {
  id: number;
  inspection_id: number;
  operator_id: number;
  village: string | null;
  items: InspectionAnswerModel[];
  deadline: Date;
  status: RectificationStatus;
  created_at: Date;
  operator_note: string | null;
  operator_photos: string[];
  answered_at: Date | null;
  rechecked_at: Date | null;
  rechecked_by_id: number | null;
  recheck_note: string | null;
  recheck_key: string | null;
  overdue_event_id: number | null;
  overdue_notified_at: Date | null;
}

export const rectificationOrderTable = defineTable<RectificationOrderRow>('rectification_order', {
  id: 'int4',
  inspection_id: 'int4',
  operator_id: 'int4',
  village: 'varchar',
  items: 'jsonb',
  deadline: 'timestamptz',
  status: 'text',
  created_at: 'timestamptz',
  operator_note: 'varchar',
  operator_photos: 'jsonb',
  answered_at: 'timestamptz',
  rechecked_at: 'timestamptz',
  rechecked_by_id: 'int4',
  recheck_note: 'varchar',
  recheck_key: 'varchar',
  overdue_event_id: 'int4',
  overdue_notified_at: 'timestamptz',
});

export function toOrder(r: RectificationOrderRow): RectificationOrderModel {
  return {
    id: r.id, inspectionId: r.inspection_id, operatorId: r.operator_id, village: r.village, items: r.items, deadline: toDate(r.deadline), status: r.status,
    createdAt: toDate(r.created_at), operatorNote: r.operator_note, operatorPhotos: r.operator_photos, answeredAt: toDate(r.answered_at),
    recheckedAt: toDate(r.rechecked_at), recheckedById: r.rechecked_by_id, recheckNote: r.recheck_note, overdueEventId: r.overdue_event_id,
  };
}

export async function insertOrder(tx: Db, o: Pick<RectificationOrderRow, 'inspection_id' | 'operator_id' | 'village' | 'items' | 'deadline'>): Promise<RectificationOrderModel> {
  const [row] = await tx.em.execute<RectificationOrderRow[]>(
    `insert into rectification_order (inspection_id, operator_id, village, items, deadline) values (?, ?, ?, ?::jsonb, ?) returning ${rectificationOrderTable.list}`,
    [o.inspection_id, o.operator_id, o.village, JSON.stringify(o.items), o.deadline],
  );
  return toOrder(row);
}

export async function orderById(ctx: Db, id: number): Promise<RectificationOrderModel | null> {
  const row = await rectificationOrderTable.byId(ctx, id);
  return row ? toOrder(row) : null;
}

/** The order, locked until commit, so one re-check or one overdue charge decides it. */
export async function lockOrder(tx: Db, id: number): Promise<RectificationOrderModel | null> {
  const [row] = await tx.em.execute<RectificationOrderRow[]>(`select ${rectificationOrderTable.list} from rectification_order where id = ? for update`, [id]);
  return row ? toOrder(row) : null;
}

/** The operator's answer to an open order. */
export async function answerOrder(tx: Db, id: number, note: string, photos: string[]): Promise<RectificationOrderModel> {
  const [row] = await tx.em.execute<RectificationOrderRow[]>(
    `update rectification_order set operator_note = ?, operator_photos = ?::jsonb, answered_at = now() where id = ? returning ${rectificationOrderTable.list}`,
    [note, JSON.stringify(photos), id],
  );
  return toOrder(row);
}

/** Closes or escalates an open order. */
export async function recheckOrder(
  tx: Db, id: number, r: { status: RectificationStatus; byId: number | null; note: string | null; key: string; at: Date },
): Promise<RectificationOrderModel> {
  const [row] = await tx.em.execute<RectificationOrderRow[]>(
    `update rectification_order set status = ?, rechecked_at = ?, rechecked_by_id = ?, recheck_note = ?, recheck_key = ? where id = ? returning ${rectificationOrderTable.list}`,
    [r.status, r.at, r.byId, r.note, r.key, id],
  );
  return toOrder(row);
}

export async function markOverdueCharged(tx: Db, id: number, eventId: number): Promise<void> {
  await tx.em.execute(`update rectification_order set overdue_event_id = ? where id = ?`, [eventId, id]);
}

export interface OrderFilterRow {
  status: RectificationStatus | null;
  overdueAt: Date | null;
  village: string | null;
  operatorId: number | null;
}

/** Orders by deadline (soonest first), keyset-paged on (deadline, id); `overdueAt` keeps open orders past their deadline then. */
export async function listOrders(ctx: Db, f: OrderFilterRow, after: { at: Date; id: number } | null, limit: number): Promise<RectificationOrderModel[]> {
  const rows = await ctx.em.execute<RectificationOrderRow[]>(
    `select ${rectificationOrderTable.list} from rectification_order
      where (?::text is null or status = ?)
        and (?::timestamptz is null or (status = 'OPEN' and deadline < ?))
        and (?::text is null or village = ?)
        and (?::int is null or operator_id = ?)
        and (?::timestamptz is null or (deadline, id) > (?::timestamptz, ?::int))
      order by deadline, id limit ?`,
    [f.status, f.status, f.overdueAt, f.overdueAt, f.village, f.village, f.operatorId, f.operatorId, after?.at ?? null, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map(toOrder);
}

/** Open orders past their deadline not yet charged: what the overdue charge runs over. */
export async function unchargedOverdueIds(ctx: Db, now: Date): Promise<number[]> {
  const rows = await ctx.em.execute<{ id: number }[]>(
    `select id from rectification_order where status = 'OPEN' and deadline < ? and overdue_event_id is null order by deadline, id`,
    [now],
  );
  return rows.map((r) => r.id);
}

/** The client key of the re-check that decided an order; null while it is open. */
export async function recheckKeyOf(ctx: Db, id: number): Promise<string | null> {
  const [row] = await ctx.em.execute<{ recheck_key: string | null }[]>(`select recheck_key from rectification_order where id = ?`, [id]);
  return row?.recheck_key ?? null;
}

/**
 * Marks every open order past its deadline and not yet told as told now, and returns them: the claim and the
 * notification commit together, and a concurrent claim waits on the row and then finds it told.
 */
export async function claimOverdueOrders(tx: Db, now: Date): Promise<RectificationOrderModel[]> {
  const rows = await tx.em.execute<RectificationOrderRow[]>(
    `update rectification_order set overdue_notified_at = ? where status = 'OPEN' and deadline < ? and overdue_notified_at is null
     returning ${rectificationOrderTable.list}`,
    [now, now],
  );
  return rows.map(toOrder).sort((a, b) => a.id - b.id);
}
