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
 * Each kind is read by its time index within the range (an open end reads to the first or last record); a product
 * (its name, any case, or its category) keeps the rows naming its lots. Read through a cursor, the rows leave in order
 * without being held.
 */
const FSMA_PRODUCED = `
with handed(at, market, id, parent_id, child_id, quantity, ship_from, ship_to, shipped_at, document_type, document_number) as (
  select l.created_at, null::text, l.id, l.parent_id, l.child_id, l.quantity, l.ship_from, l.ship_to, l.shipped_at, l.document_type, l.document_number
  from batch_link l
  where l.kind = 'TRANSFER' and l.created_at >= $from and l.created_at < $to
    and not exists (
      select 1 from market_entry e where e.received_batch_id = l.child_id and e.batch_id is distinct from e.received_batch_id)
  union all
  select coalesce(e.decided_at, e.created_at), m.name, l.id, l.parent_id, l.child_id, l.quantity, l.ship_from, l.ship_to, l.shipped_at,
    l.document_type, l.document_number
  from market_entry e
  join batch_link l on l.child_id = e.received_batch_id and l.kind = 'TRANSFER'
  join market m on m.id = e.market_id
  where e.received_batch_id is not null and e.batch_id is distinct from e.received_batch_id
    and coalesce(e.decided_at, e.created_at) >= $from and coalesce(e.decided_at, e.created_at) < $to
    and not exists (
      select 1 from market_entry n
      where n.received_batch_id = e.received_batch_id and n.batch_id is distinct from n.received_batch_id and n.id > e.id)
),
events(at, rank, tie, kind, key, lot_id, link_quantity, inputs, from_id, to_id, market, ship_from, ship_to, shipped_at, document_type, document_number) as (
  select b.produced_at, 0, b.id, 'commissioning', b.id::text, b.id, null::numeric, null::text, null::int, null::int, null::text,
    null::text, null::text, null::timestamptz, null::text, null::text
  from batch b
  where b.produced_at >= $from and b.produced_at < $to and not exists (select 1 from batch_link l where l.child_id = b.id)
  union all
  -- a processing or a merge is told at its first link
  select l.created_at, 1, l.id, lower(l.kind), l.child_id::text, l.child_id, null, (
      select string_agg(i.lot_code, '; ' order by x.id) from batch_link x join batch i on i.id = x.parent_id
      where x.child_id = l.child_id and x.kind in ('PROCESS', 'MERGE')), null, null, null, null, null, null, null, null
  from batch_link l
  where l.kind in ('PROCESS', 'MERGE') and l.created_at >= $from and l.created_at < $to
    and not exists (select 1 from batch_link f where f.child_id = l.child_id and f.kind in ('PROCESS', 'MERGE') and f.id < l.id)
  union all
  -- the parts of one split (same parent, same instant) are one event
  select l.created_at, 1, min(l.id) over w, 'split', l.parent_id || '>' || string_agg(l.child_id::text, ',') over w, l.child_id,
    null, (select p.lot_code from batch p where p.id = l.parent_id), l.parent_id, null, null, null, null, null, null, null
  from batch_link l
  where l.kind = 'SPLIT' and l.created_at >= $from and l.created_at < $to
  window w as (partition by l.parent_id, l.created_at order by l.id rows between unbounded preceding and unbounded following)
  union all
  select h.at, s.rank, h.id, s.kind, h.parent_id || '>' || h.child_id, case when s.rank = 3 then h.parent_id else h.child_id end,
    case when s.rank = 3 then h.quantity end, null, h.parent_id, h.child_id, h.market,
    h.ship_from, h.ship_to, h.shipped_at, h.document_type, h.document_number
  from handed h cross join (values (3, 'shipping'), (4, 'receiving')) as s(rank, kind)
)
select x.at, x.kind, x.key, b.lot_code, b.product_name, b.category, coalesce(x.link_quantity, b.quantity) as quantity, b.unit, b.origin_place,
  o.name as owner_name,
  (select p.name from batch pb join operator p on p.id = pb.owner_id where pb.id = x.from_id) as from_name,
  (select p.name from batch pb join operator p on p.id = pb.owner_id where pb.id = x.to_id) as to_name,
  x.inputs, x.market, x.ship_from, x.ship_to, x.shipped_at, x.document_type, x.document_number
from events x
$lots
join operator o on o.id = b.owner_id
order by x.at, x.rank, x.tie, x.kind, b.id`;

/**
 * How the rows find their lots. A range alone is a few tens of thousands of rows: each looks its lot up by id
 * (`offset 0` keeps the planner from turning the look-ups into a scan of every lot). A product keeps only its own lots
 * out of the whole table, which a join does best.
 */
const LOTS_BY_ID = 'join lateral (select * from batch b where b.id = x.lot_id offset 0) b on true';
const LOTS_OF_PRODUCT = `join batch b on b.id = x.lot_id
  and ($product::text is null or lower(b.product_name) = lower($product::text)) and ($category::text is null or b.category = $category::text)`;

/** `$name` placeholders as the driver's positional ones, with the values in their order. */
function bind(sql: string, values: Record<string, unknown>): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  return {
    sql: sql.replace(/\$([a-z]+)/g, (_m, name: string) => {
      if (!(name in values)) throw new Error(`no value for $${name}`);
      params.push(values[name]);
      return '?';
    }),
    params,
  };
}

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

/** The statement of the produced CTEs a selection covers. */
export function producedCtes(q: ProducedCteQuery): { sql: string; params: unknown[] } {
  const lots = q.productName === null && q.category === null ? LOTS_BY_ID : LOTS_OF_PRODUCT;
  return bind(FSMA_PRODUCED.replace('$lots', lots), {
    from: q.from ?? '-infinity', to: q.to ?? 'infinity', product: q.productName, category: q.category,
  });
}

/**
 * The captured events with an event time in the range, corrected ones and error declarations left out, in (event
 * time, event hash) order.
 */
const FSMA_CAPTURED = `
select e.event_time, e.body from epcis_event e
where e.corrected_by_id is null and e.body->'errorDeclaration' is null and e.event_time >= $from and e.event_time < $to
order by e.event_time, e.event_hash`;

export interface CapturedCteRow {
  event_time: Date;
  body: Record<string, unknown>;
}

/** The statement of the captured events a selection's range covers (a product is matched on their lot data). */
export function capturedEvents(q: Pick<ProducedCteQuery, 'from' | 'to'>): { sql: string; params: unknown[] } {
  return bind(FSMA_CAPTURED, { from: q.from ?? '-infinity', to: q.to ?? 'infinity' });
}

/** What a lot's rows tell of it: lot code, product, category and origin place. */
export interface LotOfClass {
  public_code: string;
  gtin: string | null;
  lot_code: string;
  product_name: string;
  category: string;
  origin_place: string | null;
}

/**
 * The lots named by trace pages (`/t/{code}`) and by Digital Links (`/01/{gtin}/10/{lot}`, the oldest lot with that
 * GTIN and lot code, which is the one the link names), in one statement.
 */
export async function lotsOfClasses(ctx: Db, publicCodes: string[], links: { gtin: string; lot: string }[]): Promise<LotOfClass[]> {
  if (!publicCodes.length && !links.length) return [];
  return ctx.em.execute<LotOfClass[]>(
    `select b.public_code, b.gtin, b.lot_code, b.product_name, b.category, b.origin_place from batch b where b.public_code = any(?::text[])
     union all
     select * from (
       select distinct on (b.gtin, b.lot_code) b.public_code, b.gtin, b.lot_code, b.product_name, b.category, b.origin_place
       from batch b join jsonb_to_recordset(?::jsonb) as x(gtin text, lot text) on b.gtin = x.gtin and b.lot_code = x.lot
       order by b.gtin, b.lot_code, b.id
     ) oldest`,
    [`{${publicCodes.join(',')}}`, JSON.stringify(links)],
  );
}
