import type { Db } from '../context';
import type { BatchStatus } from '../entities/enums';

/**
 * The records foodtrace's own EPCIS events are made of, in time order from `from`: a lot that came from no other
 * lot (its making), a link (the step that made its child), a test, a gate entry, and a recall with every RECALLED
 * lot it reached. Each row names the lot whose export tells that event, so the events of the rows' lots cover
 * every event at those times. With `ownerId`, only that operator's lots.
 * Params: from, to (or null), ownerId (or null), limit.
 */
const PRODUCED_RECORDS_SQL = `
with recursive recalled(at, id) as (
  select r.created_at, r.batch_id from recall r where r.created_at >= ?
  union
  select x.at, l.child_id from recalled x join batch_link l on l.parent_id = x.id join batch c on c.id = l.child_id and c.status = 'RECALLED'
),
records(at, id) as (
  select b.produced_at, b.id from batch b where not exists (select 1 from batch_link l where l.child_id = b.id)
  union all select l.created_at, l.child_id from batch_link l
  union all select i.inspected_at, i.batch_id from inspection i
  union all select coalesce(e.decided_at, e.created_at), coalesce(e.batch_id, e.received_batch_id) from market_entry e
  union all select at, id from recalled
)
select x.at, x.id, b.status from records x join batch b on b.id = x.id
where x.at >= ? and (?::timestamptz is null or x.at < ?::timestamptz) and (?::int is null or b.owner_id = ?::int)
order by x.at, x.id limit ?`;

export interface ProducedRecord {
  at: Date;
  id: number;
  status: BatchStatus;
}

export function producedRecords(ctx: Db, q: { from: Date; to: Date | null; ownerId: number | null; limit: number }): Promise<ProducedRecord[]> {
  return ctx.em.execute<ProducedRecord[]>(PRODUCED_RECORDS_SQL, [q.from, q.from, q.to, q.to, q.ownerId, q.ownerId, q.limit]);
}
