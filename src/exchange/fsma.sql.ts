import type { Db } from '../context';
import type { HandoverDocumentType, QuantityUnit } from '../entities/enums';

/**
 * The critical tracking events foodtrace itself records, one row per spreadsheet row, in the order the lineage export
 * tells them (event time, then the event's rank at one instant — making, transformation, shipping, receiving — then
 * the record it tells of):
 * - `commissioning`: a lot made from no other lot (harvested or commissioned), at its production time;
 * - `process` / `merge`: the lot a processing or a merge made, with its inputs' lot codes, at its first link;
 * - `split`: each part of a split, the parts of one split (same parent, same instant) keyed together;
 * - `shipping` and `receiving`: both sides of a hand-over, at the gate's decision when a gate admitted the load to the
 *   vendor there (the latest such entry, as the export tells it), else when it was recorded.
 * Params: from, to (either may be null), product name (or null), category (or null). Read through a cursor: the
 * tables are scanned once and the rows leave in order without being held.
 */
export const FSMA_PRODUCED_SQL = `
with p as (select ?::timestamptz as from_at, ?::timestamptz as to_at, lower(?::text) as product, ?::text as category),
gate as (
  select distinct on (e.received_batch_id) e.received_batch_id as lot, coalesce(e.decided_at, e.created_at) as at, m.name as market
  from market_entry e join market m on m.id = e.market_id
  where e.received_batch_id is not null and e.batch_id is distinct from e.received_batch_id
  order by e.received_batch_id, e.id desc
),
made as (
  select b.produced_at as at, 0 as rank, b.id as tie, 'commissioning' as kind, b.id::text as key, b.id as lot_id,
    null::numeric as link_quantity, null::text as inputs, null::int as from_id, null::int as to_id, null::text as market,
    null::text as ship_from, null::text as ship_to, null::timestamptz as shipped_at, null::text as document_type, null::text as document_number
  from batch b, p
  where not exists (select 1 from batch_link l where l.child_id = b.id)
    and (p.from_at is null or b.produced_at >= p.from_at) and (p.to_at is null or b.produced_at < p.to_at)
),
joined as (
  select (array_agg(l.created_at order by l.id))[1] as at, 1 as rank, min(l.id) as tie, lower(min(l.kind)) as kind, l.child_id::text as key,
    l.child_id as lot_id, null::numeric, string_agg(i.lot_code, '; ' order by l.id) as inputs, null::int, null::int, null::text,
    null::text, null::text, null::timestamptz, null::text, null::text
  from batch_link l join batch i on i.id = l.parent_id
  where l.kind in ('PROCESS', 'MERGE')
  group by l.child_id
),
split as (
  select l.created_at as at, 1 as rank, min(l.id) over w as tie, 'split' as kind,
    l.parent_id || '>' || string_agg(l.child_id::text, ',') over w as key, l.child_id as lot_id, null::numeric, null::text,
    l.parent_id as from_id, null::int, null::text, null::text, null::text, null::timestamptz, null::text, null::text
  from batch_link l, p
  where l.kind = 'SPLIT' and (p.from_at is null or l.created_at >= p.from_at) and (p.to_at is null or l.created_at < p.to_at)
  window w as (partition by l.parent_id, l.created_at order by l.id rows between unbounded preceding and unbounded following)
),
handed as (
  select coalesce(g.at, l.created_at) as at, l.id, l.parent_id, l.child_id, l.quantity, g.market,
    l.ship_from, l.ship_to, l.shipped_at, l.document_type, l.document_number
  from batch_link l left join gate g on g.lot = l.child_id, p
  where l.kind = 'TRANSFER'
    and (p.from_at is null or coalesce(g.at, l.created_at) >= p.from_at) and (p.to_at is null or coalesce(g.at, l.created_at) < p.to_at)
),
events as (
  select * from made
  union all select j.* from joined j, p where (p.from_at is null or j.at >= p.from_at) and (p.to_at is null or j.at < p.to_at)
  union all select * from split
  union all
  select h.at, s.rank, h.id, s.kind, h.parent_id || '>' || h.child_id, case when s.rank = 3 then h.parent_id else h.child_id end,
    h.quantity, null, h.parent_id, h.child_id, h.market, h.ship_from, h.ship_to, h.shipped_at, h.document_type, h.document_number
  from handed h cross join (values (3, 'shipping'), (4, 'receiving')) as s(rank, kind)
)
select x.at, x.kind, x.key, b.lot_code, b.product_name, b.category, coalesce(x.link_quantity, b.quantity) as quantity, b.unit, b.origin_place,
  o.name as owner_name, f.name as from_name, t.name as to_name, x.inputs, x.market, x.ship_from, x.ship_to, x.shipped_at, x.document_type, x.document_number
from events x
join batch b on b.id = x.lot_id
join operator o on o.id = b.owner_id
left join batch fb on fb.id = x.from_id
left join operator f on f.id = fb.owner_id
left join batch tb on tb.id = x.to_id
left join operator t on t.id = tb.owner_id, p
where (p.product is null or lower(b.product_name) = p.product) and (p.category is null or b.category = p.category)
order by x.at, x.rank, x.tie, x.kind, b.id`;

/** One produced CTE as `FSMA_PRODUCED_SQL` reads it: the lot it names (for shipping, the giver's), and the hand-over. */
export interface ProducedCteRow {
  at: Date;
  kind: 'commissioning' | 'process' | 'merge' | 'split' | 'shipping' | 'receiving';
  /** What the event's name-based id is made of, as the lineage export keys it. */
  key: string;
  lot_code: string;
  product_name: string;
  category: string;
  /** The lot's quantity; for shipping, the quantity handed over. */
  quantity: string;
  unit: QuantityUnit;
  origin_place: string | null;
  /** The lot's owner: for shipping the giver, for receiving the taker. */
  owner_name: string;
  /** The giver of a hand-over, or the owner of a split's parent. */
  from_name: string | null;
  /** The taker of a hand-over. */
  to_name: string | null;
  inputs: string | null;
  market: string | null;
  ship_from: string | null;
  ship_to: string | null;
  shipped_at: Date | null;
  document_type: HandoverDocumentType | null;
  document_number: string | null;
}

export interface ProducedCteQuery {
  from: Date | null;
  to: Date | null;
  productName: string | null;
  category: string | null;
}

export function producedCteParams(q: ProducedCteQuery): unknown[] {
  return [q.from, q.to, q.productName, q.category];
}

/**
 * The captured events with an event time in the range, corrected ones and error declarations left out, in (event
 * time, event hash) order. Params: from, to (either may be null).
 */
export const FSMA_CAPTURED_SQL = `
select e.event_time, e.body from epcis_event e
where e.corrected_by_id is null and e.body->'errorDeclaration' is null
  and (?::timestamptz is null or e.event_time >= ?::timestamptz) and (?::timestamptz is null or e.event_time < ?::timestamptz)
order by e.event_time, e.event_hash`;

export interface CapturedCteRow {
  event_time: Date;
  body: Record<string, unknown>;
}

export function capturedParams(q: Pick<ProducedCteQuery, 'from' | 'to'>): unknown[] {
  return [q.from, q.from, q.to, q.to];
}

export interface Cursors {
  /** The next rows of the named cursor, at most `count`; fewer means it is at its end. */
  fetch<T>(name: string, count: number): Promise<T[]>;
  /** Ends the snapshot, releasing the cursors and the connection. */
  close(): Promise<void>;
}

/**
 * Statements opened as server-side cursors in one read-only snapshot, on a connection of their own held until
 * `close` (so a reader streams their rows without holding them). Cursor names are the caller's constants.
 */
export async function openCursors(ctx: Db, cursors: { name: string; sql: string; params: unknown[] }[]): Promise<Cursors> {
  const trx = await ctx.em.getKnex().transaction();
  try {
    await trx.raw('set transaction isolation level repeatable read, read only');
    for (const c of cursors) await trx.raw(`declare ${c.name} no scroll cursor for ${c.sql}`, c.params as never[]);
  } catch (e) {
    await trx.rollback().catch(() => undefined);
    throw e;
  }
  return {
    async fetch<T>(name: string, count: number) {
      return ((await trx.raw(`fetch forward ${count} from ${name}`)) as { rows: T[] }).rows;
    },
    // read-only: committing or rolling back is the same, and either ends the cursors
    close: () => trx.commit().then(() => undefined, () => undefined),
  };
}
