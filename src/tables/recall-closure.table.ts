import type { Db } from './table';
import { defineTable } from './table';

export interface RecallClosureRow {
  id: number;
  recall_id: number;
  summary: string;
  closed_by_id: number | null;
  closed_at: Date;
}

export const recallClosureTable = defineTable<RecallClosureRow>('recall_closure', {
  id: 'int4',
  recall_id: 'int4',
  summary: 'varchar',
  closed_by_id: 'int4',
  closed_at: 'timestamptz',
});

/** Closes the recall; false when it was closed already (the first closure stands). */
export async function insertRecallClosure(ctx: Db, recallId: number, summary: string, closedById: number | null): Promise<boolean> {
  const rows = await ctx.em.execute<{ id: number }[]>(
    `insert into recall_closure (recall_id, summary, closed_by_id) values (?, ?, ?) on conflict (recall_id) do nothing returning id`,
    [recallId, summary, closedById],
  );
  return rows.length === 1;
}
