/**
 * The lineage walks as single SQL statements. Placeholders are `?` (MikroORM `em.execute` / knex); `pgPlaceholders`
 * numbers them `$1…` for the plain `pg` driver (the public lookups' prepared statements).
 *
 * A walk visits each (batch, depth) pair once (UNION, not UNION ALL), so a diamond in a merge tree is
 * not re-walked per path, and the depth bound ends it even if the data held a cycle. A node's depth is
 * the length of its shortest path to the start. Nodes are cut to the first `maxNodes` by (depth, id), so a
 * truncated answer is always a complete prefix of the nearest generations.
 */
import type { Db } from '../context';
import type { NamedStatement, PublicReads } from '../db/public-reads';
import type { HandoverDocument } from './lineage.model';
import type { Grade, HandoverDocumentType, LinkKind, OperatorKind, OperatorStatus } from '../entities/enums';
import { DESCENDANTS_CTE } from '../tables/batch-link.table';
import type { BatchRow } from '../tables/batch.table';
import type { SubtreeImpact, WalkBounds } from './trace.model';

export { DESCENDANTS_CTE };

/** The batch columns of a node, named from the batch table's row type. */
const NODE_BATCH_COLUMNS = [
  'id', 'public_code', 'product_name', 'category', 'lot_code', 'quantity', 'remaining', 'unit',
  'produced_at', 'origin_place', 'gtin', 'status', 'non_conformant', 'created_at',
] as const satisfies readonly (keyof BatchRow)[];

/** Columns of one node: the batch, its owner's public fields and grade, a recall started on it. */
const NODE_COLUMNS = `
  n.depth,
  ${NODE_BATCH_COLUMNS.map((c) => `b.${c}`).join(', ')},
  o.id as owner_id, o.kind as owner_kind, o.name as owner_name, coalesce(o.credit_code, o.registration_card_no) as owner_registration_number,
  o.village as owner_village, o.status as owner_status, o.credit_grade as owner_grade, o.public_code as owner_public_code,
  r.id as recall_id, r.reason as recall_reason, r.created_at as recall_at`;

/** One node of a walk (see NODE_COLUMNS), with its links towards the walk's direction. */
export type NodeRow = Pick<BatchRow, (typeof NODE_BATCH_COLUMNS)[number]> & {
  depth: number;
  owner_id: number;
  owner_kind: OperatorKind;
  owner_name: string;
  owner_registration_number: string | null;
  owner_village: string | null;
  owner_status: OperatorStatus;
  owner_grade: Grade;
  owner_public_code: string;
  recall_id: number | null;
  recall_reason: string | null;
  recall_at: Date | null;
  links: ({ parentId: number; childId: number; kind: LinkKind; quantity: number; createdAt: string } & HandoverJson)[];
};

/** Batch count, owners with their public fields, markets and gate entries, and what is on hand per unit. */
const IMPACT_JSON = `json_build_object(
  'batches', (select count(*) from impact_nodes),
  'operators', coalesce((
    select json_agg(json_build_object(
      'id', o.id, 'kind', o.kind, 'name', o.name, 'registrationNumber', coalesce(o.credit_code, o.registration_card_no),
      'village', o.village, 'status', o.status, 'grade', o.credit_grade, 'publicCode', o.public_code, 'batches', x.n) order by o.id)
    from (select owner_id, count(*) as n from impact_nodes group by owner_id) x join operator o on o.id = x.owner_id), '[]'::json),
  'markets', coalesce((
    select json_agg(json_build_object('id', m.id, 'name', m.name, 'entries', x.n, 'accepted', x.a) order by m.id)
    from (select market_id, count(*) as n, count(*) filter (where decision = 'ACCEPTED') as a from impact_entries group by market_id) x
    join market m on m.id = x.market_id), '[]'::json),
  'entries', (select count(*) from impact_entries),
  'quantities', coalesce((
    select json_agg(json_build_object('unit', unit, 'batches', n, 'onHand', q) order by unit)
    from (select unit, count(*) as n, sum(remaining) as q from impact_nodes group by unit) x), '[]'::json)
)`;

/** A link's hand-over columns as json keys (HandoverJson). */
export const HANDOVER_JSON =
  `'documentType', l.document_type, 'documentNumber', l.document_number, 'shippedAt', l.shipped_at, 'shipFrom', l.ship_from, 'shipTo', l.ship_to`;

export interface HandoverJson {
  documentType: HandoverDocumentType | null;
  documentNumber: string | null;
  shippedAt: string | null;
  shipFrom: string | null;
  shipTo: string | null;
}

/** The hand-over document of a link read as json, or null when it names none of its parts. */
export function handoverFromJson(j: HandoverJson): HandoverDocument | null {
  if (!j.documentType && !j.shippedAt && !j.shipFrom && !j.shipTo) return null;
  return { documentType: j.documentType, documentNumber: j.documentNumber, shippedAt: j.shippedAt ? new Date(j.shippedAt) : null, shipFrom: j.shipFrom, shipTo: j.shipTo };
}

function walkSql(direction: 'up' | 'down', start: 'code' | 'id', extra: 'impact' | 'details' | null = null): string {
  const withImpact = extra === 'impact';
  const startWhere = start === 'code' ? 'b.public_code = ?' : 'b.id = ?';
  const [from, to] = direction === 'up' ? ['child_id', 'parent_id'] : ['parent_id', 'child_id'];
  // links of each node towards the walk's direction: parents going up, children going down
  const links =
    direction === 'up'
      ? `select json_agg(json_build_object('parentId', l.parent_id, 'childId', l.child_id, 'kind', l.kind, 'quantity', l.quantity, 'createdAt', l.created_at, ${HANDOVER_JSON}) order by l.parent_id)
           from batch_link l where l.child_id = b.id`
      : `select json_agg(json_build_object('parentId', l.parent_id, 'childId', l.child_id, 'kind', l.kind, 'quantity', l.quantity, 'createdAt', l.created_at, ${HANDOVER_JSON}) order by l.child_id)
           from batch_link l where l.parent_id = b.id`;
  return `
with recursive walk(id, depth) as (
  select b.id, 0 from batch b where ${startWhere}
  union
  select l.${to}, w.depth + 1 from walk w join batch_link l on l.${from} = w.id where w.depth < ?
),
nodes as (
  select id, min(depth) as depth from walk group by id order by min(depth), id limit ?
)${withImpact ? `,\nreached as (select distinct id from walk),\n${impactCtes('reached')}` : ''}${extra === 'details' ? `,\nnode_ids as (select array_agg(id) as ids from nodes),\ndetails as (${detailsUnion('(select ids from node_ids)::int[]')})` : ''}
select ${NODE_COLUMNS},
  coalesce((${links}), '[]'::json) as links${withImpact ? `,\n  case when n.depth = 0 then (select ${IMPACT_JSON}) end as impact` : ''}${
  extra === 'details' ? `,\n  case when n.depth = 0 then (select coalesce(json_agg(json_build_object('k', d.k, 'v', d.v)), '[]'::json) from details d) end as details` : ''}
from nodes n
join batch b on b.id = n.id
join operator o on o.id = b.owner_id
left join recall r on r.batch_id = b.id
order by n.depth, b.id`;
}

/** Upstream of a public code. Params: code, maxDepth, maxNodes. Each row carries its parent links in `links`. */
export const UPSTREAM_SQL = walkSql('up', 'code');
/** Upstream of a batch id. Params: batchId, maxDepth, maxNodes. */
export const UPSTREAM_BY_ID_SQL = walkSql('up', 'id');
/** Downstream of a batch id. Params: batchId, maxDepth, maxNodes. Each row carries its child links in `links`. */
export const DOWNSTREAM_BY_ID_SQL = walkSql('down', 'id');
/**
 * Downstream of a batch id; the first row (the batch itself, depth 0) also carries `impact` (json, see
 * SUBTREE_IMPACT_SQL) over every batch the walk reached within maxDepth, not cut by maxNodes — on that row only,
 * since the aggregate can list hundreds of operators. Params: batchId, maxDepth, maxNodes.
 */
export const FORWARD_SQL = walkSql('down', 'id', 'impact');
/**
 * The whole public trace of a code in one statement: the upstream walk, and on the first row (the traced batch,
 * depth 0) `details`, a json array of DETAILS_SQL rows over every node. Params: code, maxDepth, maxNodes.
 */
export const TRACE_SQL = walkSql('up', 'code', 'details');

/** `?` placeholders numbered for the plain `pg` driver. */
export function pgPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}


/**
 * Certificates, inspections and market entries of a set of batches, as one statement.
 * Param: the batch ids as a PostgreSQL array literal (`{1,2,3}`), passed once per `?` (four times).
 * Each row is `{ k: 'C' | 'I' | 'E', v: json }`.
 */
/**
 * The union behind DETAILS_SQL, each batch id column compared with the array `ids` (`= any(ids)`). Gate entries are
 * found by the lot and by the received lot in two indexed lookups; one OR over both columns would scan them all.
 */
function detailsUnion(ids: string): string {
  return `
select 'C' as k, json_build_object(
  'id', c.id, 'batchId', c.batch_id, 'issuerId', c.issuer_id, 'number', c.number, 'quantity', c.quantity,
  'quantityAdmitted', c.quantity_admitted, 'unit', c.unit, 'issuedAt', c.issued_at, 'bases', c.bases,
  'statement', c.statement, 'testReference', c.test_reference, 'status', c.status, 'revokedAt', c.revoked_at,
  'revokeReason', c.revoke_reason) as v
from origin_certificate c where c.batch_id = any(${ids})
union all
select 'I', json_build_object(
  'id', i.id, 'batchId', i.batch_id, 'kind', i.kind, 'items', i.items, 'result', i.result, 'tester', i.tester,
  'marketId', i.market_id, 'marketName', m.name, 'inspectedAt', i.inspected_at)
from inspection i left join market m on m.id = i.market_id where i.batch_id = any(${ids})
union all
select 'E', json_build_object(
  'id', e.id, 'batchId', e.batch_id, 'receivedBatchId', e.received_batch_id, 'marketId', e.market_id, 'marketName', m.name,
  'vendorId', e.vendor_id, 'vendorName', v.name, 'declaredQuantity', e.declared_quantity, 'unit', e.unit,
  'decision', e.decision, 'at', coalesce(e.decided_at, e.created_at))
from (select id from market_entry where batch_id = any(${ids}) union select id from market_entry where received_batch_id = any(${ids})) x
join market_entry e on e.id = x.id join market m on m.id = e.market_id join operator v on v.id = e.vendor_id`;
}

export const DETAILS_SQL = detailsUnion('?::int[]');

/** Batches (from the CTE `ids`, column `id`) with their owner, unit and what remains, and their gate entries. */
function impactCtes(ids: string): string {
  return `impact_nodes as (select b.id, b.owner_id, b.unit, b.remaining from ${ids} x join batch b on b.id = x.id),
impact_entries as (
  -- two indexed joins instead of one OR over both columns, which would scan every gate entry
  select e.id, e.market_id, e.decision from impact_nodes n join market_entry e on e.batch_id = n.id
  union
  select e.id, e.market_id, e.decision from impact_nodes n join market_entry e on e.received_batch_id = n.id
)`;
}

/** What a batch reached over its whole subtree (no bounds). Param: batchId. One row, column `impact` (json). */
export const SUBTREE_IMPACT_SQL = `${DESCENDANTS_CTE},
${impactCtes('down')}
select ${IMPACT_JSON} as impact`;

/** Runs one walk statement (a `*_SQL` walk above) from a public code or a batch id. */
export function walkRows(ctx: Db, sql: string, start: string | number, bounds: WalkBounds): Promise<NodeRow[]> {
  return ctx.em.execute<NodeRow[]>(sql, [start, bounds.maxDepth, bounds.maxNodes]);
}

/** The FORWARD_SQL walk; its first row carries the subtree's impact. */
export function forwardRows(ctx: Db, batchId: number, bounds: WalkBounds): Promise<(NodeRow & { impact: SubtreeImpact })[]> {
  return ctx.em.execute<(NodeRow & { impact: SubtreeImpact })[]>(FORWARD_SQL, [batchId, bounds.maxDepth, bounds.maxNodes]);
}

/** One row of DETAILS_SQL: a certificate (C), an inspection (I) or a gate entry (E), as json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DetailRow = { k: 'C' | 'I' | 'E'; v: any };

export function detailRows(ctx: Db, batchIds: number[]): Promise<DetailRow[]> {
  const list = `{${batchIds.join(',')}}`;
  return ctx.em.execute<DetailRow[]>(DETAILS_SQL, [list, list, list, list]);
}

/** A TRACE_SQL row: a node, the first one also carrying the details of the whole walk. */
export type TraceRow = NodeRow & { details: DetailRow[] | null };

const TRACE_STATEMENT: NamedStatement = { name: 'foodtrace_trace', text: pgPlaceholders(TRACE_SQL) };

/** The TRACE_SQL statement inside the caller's transaction. */
export function traceRows(ctx: Db, code: string, bounds: WalkBounds): Promise<TraceRow[]> {
  return ctx.em.execute<TraceRow[]>(TRACE_SQL, [code, bounds.maxDepth, bounds.maxNodes]);
}

/** The TRACE_SQL statement as a public lookup: prepared once per connection, one round trip. */
export function publicTraceRows(reads: PublicReads, code: string, bounds: WalkBounds): Promise<TraceRow[]> {
  return reads.query<TraceRow>(TRACE_STATEMENT, [code, bounds.maxDepth, bounds.maxNodes]);
}

/** SUBTREE_IMPACT_SQL, as stored json (quantities as numeric strings). */
export async function subtreeImpactJson(ctx: Db, batchId: number): Promise<SubtreeImpact> {
  const [{ impact }] = await ctx.em.execute<{ impact: SubtreeImpact }[]>(SUBTREE_IMPACT_SQL, [batchId]);
  return impact;
}
