import type { OperatorKind, QuantityUnit } from '../entities/enums';
import type { Db } from '../tables/table';

export interface RecallListRow {
  id: number;
  batch_id: number;
  reason: string;
  created_at: Date;
  public_code: string;
  product_name: string;
  lot_code: string;
  closed_at: Date | null;
  closed_by_id: number | null;
  summary: string | null;
}

/** Recalls newest first before id `beforeId`, each with its source lot and closure; `open` filters on the closure. */
export function recallRows(ctx: Db, open: boolean | null, beforeId: number | null, limit: number, recallId: number | null = null): Promise<RecallListRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (recallId !== null) (where.push('r.id = ?'), params.push(recallId));
  if (beforeId !== null) (where.push('r.id < ?'), params.push(beforeId));
  if (open !== null) where.push(open ? 'c.id is null' : 'c.id is not null');
  return ctx.em.execute<RecallListRow[]>(
    `select r.id, r.batch_id, r.reason, r.created_at, b.public_code, b.product_name, b.lot_code, c.closed_at, c.closed_by_id, c.summary
       from recall r join batch b on b.id = r.batch_id left join recall_closure c on c.recall_id = r.id
      ${where.length ? `where ${where.join(' and ')}` : ''} order by r.id desc limit ?`,
    [...params, limit],
  );
}

export interface HoldingRow {
  recall_id: number;
  operator_id: number;
  operator_name: string;
  operator_kind: OperatorKind;
  unit: QuantityUnit;
  batches: number;
  held: string;
}

/**
 * What each operator holds of each recall, per unit: the remaining quantity of every batch of the recall's subtree
 * that still holds some, in one statement for all the recalls.
 */
export function holdingRows(ctx: Db, recallIds: readonly number[]): Promise<HoldingRow[]> {
  if (!recallIds.length) return Promise.resolve([]);
  return ctx.em.execute<HoldingRow[]>(
    `with recursive sub (recall_id, batch_id) as (
       select r.id, r.batch_id from recall r where r.id = any(?::int[])
       union
       select sub.recall_id, l.child_id from batch_link l join sub on l.parent_id = sub.batch_id
     )
     select sub.recall_id, b.owner_id as operator_id, o.name as operator_name, o.kind as operator_kind, b.unit,
            count(*)::int as batches, sum(b.remaining)::text as held
       from sub join batch b on b.id = sub.batch_id join operator o on o.id = b.owner_id
      where b.remaining > 0
      group by sub.recall_id, b.owner_id, o.name, o.kind, b.unit
      order by sub.recall_id, b.owner_id, b.unit`,
    [`{${recallIds.join(',')}}`],
  );
}
