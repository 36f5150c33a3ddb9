import type { PlanStatus } from '../entities/enums';
import { defineTable, type Db } from './table';

export interface PlanProgressRow {
  id: number;
  plan_item_id: number;
  progress: number;
  status: PlanStatus;
  note: string | null;
  recorded_by_id: number;
  recorded_at: Date;
}

export const planProgressTable = defineTable<PlanProgressRow>('plan_progress', {
  id: 'int4',
  plan_item_id: 'int4',
  progress: 'int4',
  status: 'text',
  note: 'varchar',
  recorded_by_id: 'int4',
  recorded_at: 'timestamptz',
});

export async function insertPlanProgress(tx: Db, p: Pick<PlanProgressRow, 'plan_item_id' | 'progress' | 'status' | 'note' | 'recorded_by_id'>): Promise<void> {
  await tx.em.execute(
    `insert into plan_progress (plan_item_id, progress, status, note, recorded_by_id) values (?, ?, ?, ?, ?)`,
    [p.plan_item_id, p.progress, p.status, p.note, p.recorded_by_id],
  );
}
