import type { Db } from './table';
import type { HandoverDocumentType, LinkKind } from '../entities/enums';
import type { HandoverDocument } from '../trace/lineage.model';
import type { TraceLink } from '../trace/trace.model';
import { defineTable } from './table';

export interface BatchLinkRow {
  id: number;
  parent_id: number;
  child_id: number;
  kind: LinkKind;
  quantity: string;
  created_at: Date;
  document_type: HandoverDocumentType | null;
  document_number: string | null;
  shipped_at: Date | null;
  ship_from: string | null;
  ship_to: string | null;
}

export const batchLinkTable = defineTable<BatchLinkRow>('batch_link', {
  id: 'int4',
  parent_id: 'int4',
  child_id: 'int4',
  kind: 'text',
  quantity: 'numeric',
  created_at: 'timestamptz',
  document_type: 'text',
  document_number: 'varchar',
  shipped_at: 'timestamptz',
  ship_from: 'varchar',
  ship_to: 'varchar',
});

/** The hand-over document of a link, or null when it names none of its parts. */
export function handoverOf(r: Pick<BatchLinkRow, 'document_type' | 'document_number' | 'shipped_at' | 'ship_from' | 'ship_to'>): HandoverDocument | null {
  if (!r.document_type && !r.shipped_at && !r.ship_from && !r.ship_to) return null;
  return {
    documentType: r.document_type, documentNumber: r.document_number,
    shippedAt: r.shipped_at && new Date(r.shipped_at), shipFrom: r.ship_from, shipTo: r.ship_to,
  };
}

/** Writes the hand-over document onto the TRANSFER link parent → child. */
export async function setTransferDocument(ctx: Db, parentId: number, childId: number, d: HandoverDocument): Promise<void> {
  await ctx.em.execute(
    `update batch_link set document_type = ?, document_number = ?, shipped_at = ?, ship_from = ?, ship_to = ?
      where parent_id = ? and child_id = ? and kind = 'TRANSFER'`,
    [d.documentType, d.documentNumber, d.shippedAt, d.shipFrom, d.shipTo, parentId, childId],
  );
}

/** The TRANSFER link that made a batch, with its document: what the delivery note prints. */
export async function transferInto(ctx: Db, childId: number): Promise<BatchLinkRow | null> {
  const [row] = await ctx.em.execute<BatchLinkRow[]>(
    `select ${batchLinkTable.list} from batch_link where child_id = ? and kind = 'TRANSFER' order by id limit 1`, [childId]);
  return row ?? null;
}

export function toTraceLink(row: BatchLinkRow): TraceLink {
  return {
    parentId: row.parent_id, childId: row.child_id, kind: row.kind, quantity: Number(row.quantity), createdAt: new Date(row.created_at),
    handover: handoverOf(row),
  };
}

/** Every descendant of a batch and the batch itself, each once, however many paths lead to it. Param: batchId. */
export const DESCENDANTS_CTE = `with recursive down(id) as (
  select ?::int
  union
  select l.child_id from batch_link l join down d on l.parent_id = d.id
)`;

/** Links from each parent to its child, each taking `quantity` from the parent; one statement. */
/** Inserts links, recorded now or, for a step told by an earlier record (a captured event), `at` then. */
export async function insertLinks(ctx: Db, links: { id: number; childId: number; quantity: number }[], kind: LinkKind, at: Date | null = null): Promise<void> {
  if (!links.length) return;
  await ctx.em.execute(
    `insert into batch_link (parent_id, child_id, kind, quantity, created_at) values ${links.map(() => '(?, ?, ?, ?, coalesce(?::timestamptz, now()))').join(', ')}`,
    links.flatMap((l) => [l.id, l.childId, kind, l.quantity, at]),
  );
}

export async function insertLink(ctx: Db, parentId: number, childId: number, kind: LinkKind, quantity: number): Promise<BatchLinkRow> {
  const [row] = await ctx.em.execute<BatchLinkRow[]>(
    `insert into batch_link (parent_id, child_id, kind, quantity) values (?, ?, ?, ?) returning ${batchLinkTable.list}`,
    [parentId, childId, kind, quantity],
  );
  return row;
}

export async function linkExists(ctx: Db, parentId: number, childId: number): Promise<boolean> {
  const rows = await ctx.em.execute<{ id: number }[]>('select id from batch_link where parent_id = ? and child_id = ?', [parentId, childId]);
  return rows.length > 0;
}

/** True when `toId` is `fromId` or descends from it; a link toId → fromId would then close a cycle. */
export async function reachesDownstream(ctx: Db, fromId: number, toId: number): Promise<boolean> {
  const rows = await ctx.em.execute<{ hit: number }[]>(
    `with recursive down(id) as (
       select ?::int
       union
       select l.child_id from batch_link l join down d on l.parent_id = d.id
     )
     select 1 as hit from down where id = ? limit 1`,
    [fromId, toId],
  );
  return rows.length > 0;
}
