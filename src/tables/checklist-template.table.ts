import type { OperatorKind } from '../entities/enums';
import type { ChecklistItemModel, ChecklistTemplateModel } from '../supervision/supervision.model';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface ChecklistTemplateRow {
  id: number;
  operator_kind: OperatorKind;
  version: number;
  name_zh: string;
  name_en: string;
  items: ChecklistItemModel[];
  created_at: Date;
}

export const checklistTemplateTable = defineTable<ChecklistTemplateRow>('checklist_template', {
  id: 'int4',
  operator_kind: 'text',
  version: 'int4',
  name_zh: 'varchar',
  name_en: 'varchar',
  items: 'jsonb',
  created_at: 'timestamptz',
});

function toTemplate(r: ChecklistTemplateRow): ChecklistTemplateModel {
  return { id: r.id, operatorKind: r.operator_kind, version: r.version, zh: r.name_zh, en: r.name_en, items: r.items, createdAt: toDate(r.created_at) };
}

export async function templateById(ctx: Db, id: number): Promise<ChecklistTemplateModel | null> {
  const row = await checklistTemplateTable.byId(ctx, id);
  return row ? toTemplate(row) : null;
}

/** The latest version of each kind's checklist (or of one kind's), by kind. */
export async function currentTemplates(ctx: Db, kind: OperatorKind | null): Promise<ChecklistTemplateModel[]> {
  const rows = await ctx.em.execute<ChecklistTemplateRow[]>(
    `select distinct on (operator_kind) ${checklistTemplateTable.list} from checklist_template
      where (?::text is null or operator_kind = ?) order by operator_kind, version desc`,
    [kind, kind],
  );
  return rows.map(toTemplate);
}

/** Adds the next version of a kind's checklist; earlier versions stay as they were. */
export async function insertTemplateVersion(tx: Db, t: { kind: OperatorKind; zh: string; en: string; items: ChecklistItemModel[] }): Promise<ChecklistTemplateModel> {
  await tx.em.execute(`select pg_advisory_xact_lock(hashtext('checklist_template:' || ?))`, [t.kind]);
  const [row] = await tx.em.execute<ChecklistTemplateRow[]>(
    `insert into checklist_template (operator_kind, version, name_zh, name_en, items)
     select ?, coalesce(max(version), 0) + 1, ?, ?, ?::jsonb from checklist_template where operator_kind = ?
     returning ${checklistTemplateTable.list}`,
    [t.kind, t.zh, t.en, JSON.stringify(t.items), t.kind],
  );
  return toTemplate(row);
}
