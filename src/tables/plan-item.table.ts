import type { PlanItemModel } from '../assessment/assessment.model';
import type { PlanStatus } from '../entities/enums';
import { dateText } from './sql-date';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface PlanItemRow {
  id: number;
  year: number;
  title: string;
  owner: string;
  due_on: Date | string;
  progress: number;
  status: PlanStatus;
  notes: string | null;
  created_by_id: number;
  created_at: Date;
  updated_at: Date;
}

export const planItemTable = defineTable<PlanItemRow>('plan_item', {
  id: 'int4',
  year: 'int4',
  title: 'varchar',
  owner: 'varchar',
  due_on: 'date',
  progress: 'int4',
  status: 'text',
  notes: 'varchar',
  created_by_id: 'int4',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
});

export function toPlanItem(r: PlanItemRow): PlanItemModel {
  return {
    id: r.id, year: r.year, title: r.title, owner: r.owner, dueOn: dateText(r.due_on)!, progress: r.progress, status: r.status, notes: r.notes,
    createdById: r.created_by_id, createdAt: toDate(r.created_at)!, updatedAt: toDate(r.updated_at)!,
  };
}

export async function insertPlanItem(tx: Db, p: Pick<PlanItemRow, 'year' | 'title' | 'owner' | 'notes' | 'created_by_id'> & { due_on: string }): Promise<PlanItemModel> {
  const [row] = await tx.em.execute<PlanItemRow[]>(
    `insert into plan_item (year, title, owner, due_on, notes, created_by_id) values (?, ?, ?, ?, ?, ?) returning ${planItemTable.list}`,
    [p.year, p.title, p.owner, p.due_on, p.notes, p.created_by_id],
  );
  return toPlanItem(row);
}

/** The item, locked until commit, so progress reports on it are applied one after the other. */
export async function lockPlanItem(tx: Db, id: number): Promise<PlanItemModel | null> {
  const [row] = await tx.em.execute<PlanItemRow[]>(`select ${planItemTable.list} from plan_item where id = ? for update`, [id]);
  return row ? toPlanItem(row) : null;
}

export async function setPlanProgress(tx: Db, id: number, p: { progress: number; status: PlanStatus; notes: string | null }): Promise<PlanItemModel> {
  const [row] = await tx.em.execute<PlanItemRow[]>(
    `update plan_item set progress = ?, status = ?, notes = ?, updated_at = now() where id = ? returning ${planItemTable.list}`,
    [p.progress, p.status, p.notes, id],
  );
  return toPlanItem(row);
}

/** The year's items, soonest due first. */
export async function planItemsOfYear(ctx: Db, year: number): Promise<PlanItemModel[]> {
  const rows = await ctx.em.execute<PlanItemRow[]>(`select ${planItemTable.list} from plan_item where year = ? order by due_on, id`, [year]);
  return rows.map(toPlanItem);
}
