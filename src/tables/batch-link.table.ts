import type { Db } from './table';
import type { LinkKind } from '../entities/enums';
import type { TraceLink } from '../trace/trace.model';
import { defineTable } from './table';

export interface BatchLinkRow {
  id: number;
  parent_id: number;
  child_id: number;
  kind: LinkKind;
  quantity: string;
  created_at: Date;
}

export const batchLinkTable = defineTable<BatchLinkRow>('batch_link', {
  id: 'int4',
  parent_id: 'int4',
  child_id: 'int4',
  kind: 'text',
  quantity: 'numeric',
  created_at: 'timestamptz',
});

export function toTraceLink(row: BatchLinkRow): TraceLink {
  return { parentId: row.parent_id, childId: row.child_id, kind: row.kind, quantity: Number(row.quantity), createdAt: new Date(row.created_at) };
}

/** Every descendant of a batch and the batch itself, each once, however many paths lead to it. Param: batchId. */
export const DESCENDANTS_CTE = `with recursive down(id) as (
  select ?::int
  union
  select l.child_id from batch_link l join down d on l.parent_id = d.id
)`;

/** Links from each parent to its child, each taking `quantity` from the parent; one statement. */
export async function insertLinks(ctx: Db, links: { id: number; childId: number; quantity: number }[], kind: LinkKind): Promise<void> {
  if (!links.length) return;
  await ctx.em.execute(
    `insert into batch_link (parent_id, child_id, kind, quantity) values ${links.map(() => '(?, ?, ?, ?)').join(', ')}`,
    links.flatMap((l) => [l.id, l.childId, kind, l.quantity]),
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
