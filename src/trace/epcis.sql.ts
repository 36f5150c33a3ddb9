import type { Db } from '../context';
import type { LinkKind, QuantityUnit } from '../entities/enums';
import { HANDOVER_JSON, type HandoverJson } from './trace.sql';

/**
 * What the EPCIS export needs beyond the lineage walk, as one statement.
 *
 * Param: the walked batch ids as a PostgreSQL array literal (`{1,2,3}`). Each row is `{ k, v }`:
 * - `L`: a link into a walked batch (every parent, also those outside the walk, so each batch's making is told
 *   whole), and every sibling part made by the same split (same parent, same instant), so a split is one event;
 * - `R`: for each walked RECALLED batch, the recall that marked it — the earliest recall on it or on an ancestor.
 *   A recall marks every descendant, so the path from its source runs through RECALLED batches only: the search
 *   climbs through those once for all walked batches, then each recall found descends along them alone. Each
 *   step visits a batch (or a recall and a batch) once, so the search ends whatever the data holds;
 * - `B`: every batch any of these rows names, with what its identifier is made of. `digitalLink` is true when
 *   no older batch has the same GTIN and lot, i.e. when `/01/{gtin}/10/{lot}` resolves to this very batch.
 */
export const EPCIS_CONTEXT_SQL = `
with recursive ids as (select unnest(?::int[]) as id),
incoming as (
  select l.id, l.parent_id, l.child_id, l.kind, l.quantity, l.created_at,
    l.document_type, l.document_number, l.shipped_at, l.ship_from, l.ship_to from batch_link l where l.child_id in (select id from ids)
),
links as (
  select * from incoming
  union
  select s.id, s.parent_id, s.child_id, s.kind, s.quantity, s.created_at,
    s.document_type, s.document_number, s.shipped_at, s.ship_from, s.ship_to
  from incoming i join batch_link s on s.parent_id = i.parent_id and s.kind = 'SPLIT' and s.created_at = i.created_at
  where i.kind = 'SPLIT'
),
recalled_up(id) as (
  select b.id from batch b where b.id in (select id from ids) and b.status = 'RECALLED'
  union
  select p.id from recalled_up u join batch_link l on l.child_id = u.id join batch p on p.id = l.parent_id and p.status = 'RECALLED'
),
sources as (select r.id, r.batch_id, r.reason, r.created_at from recall r where r.batch_id in (select id from recalled_up)),
reached(recall_id, id) as (
  select s.id, s.batch_id from sources s
  union
  select x.recall_id, l.child_id from reached x join batch_link l on l.parent_id = x.id where l.child_id in (select id from recalled_up)
),
covering as (
  select distinct on (x.id) x.id as batch_id, s.id, s.batch_id as source_id, s.reason, s.created_at
  from reached x join sources s on s.id = x.recall_id
  where x.id in (select id from ids)
  order by x.id, s.created_at, s.id
),
named as (
  select id from ids
  union select parent_id from links
  union select child_id from links
  union select source_id from covering
)
select 'L' as k, json_build_object(
  'id', l.id, 'parentId', l.parent_id, 'childId', l.child_id, 'kind', l.kind, 'quantity', l.quantity, 'createdAt', l.created_at,
  ${HANDOVER_JSON}) as v
from links l
union all
select 'R', json_build_object('batchId', c.batch_id, 'id', c.id, 'sourceId', c.source_id, 'reason', c.reason, 'at', c.created_at)
from covering c
union all
select 'B', json_build_object(
  'id', b.id, 'publicCode', b.public_code, 'gtin', b.gtin, 'lotCode', b.lot_code, 'quantity', b.quantity, 'unit', b.unit,
  'productName', b.product_name, 'category', b.category, 'originPlace', b.origin_place, 'producedAt', b.produced_at,
  'ownerCode', o.public_code,
  'digitalLink', b.gtin is not null and not exists (select 1 from batch x where x.gtin = b.gtin and x.lot_code = b.lot_code and x.id < b.id))
from named n join batch b on b.id = n.id join operator o on o.id = b.owner_id`;


/** A link into a walked batch (`L`). */
export interface EpcisLinkJson extends HandoverJson {
  id: number;
  parentId: number;
  childId: number;
  kind: LinkKind;
  quantity: number | string;
  createdAt: string;
}

/** The recall that marked a walked RECALLED batch (`R`). */
export interface EpcisRecallJson {
  batchId: number;
  id: number;
  /** Null where the public export may not name the source lot (it lies beyond the walk). */
  sourceId: number | null;
  reason: string;
  at: string;
}

/** A batch named by any row, with what its identifier is made of (`B`). */
export interface EpcisBatchJson {
  id: number;
  publicCode: string;
  gtin: string | null;
  lotCode: string;
  quantity: number | string;
  unit: QuantityUnit;
  productName: string;
  category: string;
  originPlace: string | null;
  producedAt: string;
  ownerCode: string;
  digitalLink: boolean;
}

export type EpcisContextRow = { k: 'L'; v: EpcisLinkJson } | { k: 'R'; v: EpcisRecallJson } | { k: 'B'; v: EpcisBatchJson };

/** EPCIS_CONTEXT_SQL over the walked batch ids. */
export function epcisContextRows(ctx: Db, batchIds: number[]): Promise<EpcisContextRow[]> {
  return ctx.em.execute<EpcisContextRow[]>(EPCIS_CONTEXT_SQL, [`{${batchIds.join(',')}}`]);
}
