import type { Db } from './table';
import type { RecallImpact } from '../trace/trace.model';
import { defineTable } from './table';

export interface RecallRow {
  id: number;
  batch_id: number;
  reason: string;
  initiated_by_id: number | null;
  /** As stored: times are ISO strings. */
  impact: RecallImpact;
  created_at: Date;
}

export const recallTable = defineTable<RecallRow>('recall', {
  id: 'int4',
  batch_id: 'int4',
  reason: 'varchar',
  initiated_by_id: 'int4',
  impact: 'jsonb',
  created_at: 'timestamptz',
});

/** The impact stored with the recall started on this batch, if there is one. */
export async function recallImpactOfBatch(ctx: Db, batchId: number): Promise<RecallImpact | null> {
  const [row] = await ctx.em.execute<Pick<RecallRow, 'impact'>[]>('select impact from recall where batch_id = ?', [batchId]);
  return row ? { ...row.impact, recalledAt: new Date(row.impact.recalledAt) } : null;
}

/** A recall with an empty impact, filled in by `setRecallImpact` once the recall id is known. */
export async function insertRecall(ctx: Db, batchId: number, reason: string, initiatedById: number | null): Promise<Pick<RecallRow, 'id' | 'created_at'>> {
  const [row] = await ctx.em.execute<Pick<RecallRow, 'id' | 'created_at'>[]>(
    `insert into recall (batch_id, reason, initiated_by_id, impact) values (?, ?, ?, '{}'::jsonb) returning id, created_at`,
    [batchId, reason, initiatedById],
  );
  return row;
}

export async function setRecallImpact(ctx: Db, recallId: number, impact: RecallImpact): Promise<void> {
  await ctx.em.execute('update recall set impact = ?::jsonb where id = ?', [JSON.stringify(impact), recallId]);
}
