import type { InspectionOutcome } from '../entities/enums';
import type { FieldInspectionModel, InspectionAnswerModel } from '../supervision/supervision.model';
import { insertOnce, type InsertedOnce } from './insert-once';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface FieldInspectionRow {
  id: number;
  operator_id: number;
  template_id: number;
  village: string | null;
  inspector_id: number;
  inspected_at: Date;
  recorded_at: Date;
  answers: InspectionAnswerModel[];
  findings: string | null;
  photos: string[];
  outcome: InspectionOutcome;
  points: number;
  credit_event_id: number | null;
  client_key: string;
  request_hash: string;
  response: FieldInspectionModel | null;
}

export const fieldInspectionTable = defineTable<FieldInspectionRow>('field_inspection', {
  id: 'int4',
  operator_id: 'int4',
  template_id: 'int4',
  village: 'varchar',
  inspector_id: 'int4',
  inspected_at: 'timestamptz',
  recorded_at: 'timestamptz',
  answers: 'jsonb',
  findings: 'varchar',
  photos: 'jsonb',
  outcome: 'text',
  points: 'int4',
  credit_event_id: 'int4',
  client_key: 'varchar',
  request_hash: 'bpchar',
  response: 'jsonb',
});

export type NewFieldInspection = Omit<FieldInspectionRow, 'id' | 'recorded_at' | 'credit_event_id' | 'response'>;

/**
 * Records an inspection under its client key, or hands back the answer stored by the first request with that key;
 * the same key with other contents is a CONFLICT.
 */
export function insertFieldInspectionOnce(tx: Db, row: NewFieldInspection): Promise<InsertedOnce<FieldInspectionRow, Pick<FieldInspectionRow, 'id' | 'recorded_at'>>> {
  return insertOnce(tx, fieldInspectionTable, 'client_key', row, ['id', 'recorded_at'], `clientKey ${row.client_key} was already used for a different inspection`);
}

/** Writes the credit event and the answer every resend gets. */
export async function completeFieldInspection(tx: Db, id: number, creditEventId: number | null, answer: FieldInspectionModel): Promise<void> {
  await tx.em.execute(`update field_inspection set credit_event_id = ?, response = ?::jsonb where id = ?`, [creditEventId, JSON.stringify(answer), id]);
}

interface ListedRow extends FieldInspectionRow {
  operator_name: string;
  template_version: number;
  order_id: number | null;
}

export function toFieldInspection(r: ListedRow): FieldInspectionModel {
  return {
    id: r.id, operatorId: r.operator_id, operatorName: r.operator_name, village: r.village, templateId: r.template_id, templateVersion: r.template_version,
    inspectorId: r.inspector_id, inspectedAt: toDate(r.inspected_at), recordedAt: toDate(r.recorded_at), answers: r.answers, findings: r.findings,
    photos: r.photos, outcome: r.outcome, points: r.points, creditEventId: r.credit_event_id, clientKey: r.client_key, rectificationOrderId: r.order_id,
  };
}

export interface FieldInspectionFilterRow {
  operatorId: number | null;
  village: string | null;
  outcome: InspectionOutcome | null;
  from: Date | null;
  to: Date | null;
}

/** Newest first, keyset-paged on (inspected_at, id). */
export async function listFieldInspections(
  ctx: Db, f: FieldInspectionFilterRow, after: { at: Date; id: number } | null, limit: number,
): Promise<FieldInspectionModel[]> {
  const rows = await ctx.em.execute<ListedRow[]>(
    `select ${fieldInspectionTable.listAs('i')}, o.name as operator_name, t.version as template_version, r.id as order_id
       from field_inspection i
       join operator o on o.id = i.operator_id
       join checklist_template t on t.id = i.template_id
       left join rectification_order r on r.inspection_id = i.id
      where (?::int is null or i.operator_id = ?)
        and (?::text is null or i.village = ?)
        and (?::text is null or i.outcome = ?)
        and (?::timestamptz is null or i.inspected_at >= ?)
        and (?::timestamptz is null or i.inspected_at < ?)
        and (?::timestamptz is null or (i.inspected_at, i.id) < (?::timestamptz, ?::int))
      order by i.inspected_at desc, i.id desc
      limit ?`,
    [f.operatorId, f.operatorId, f.village, f.village, f.outcome, f.outcome, f.from, f.from, f.to, f.to, after?.at ?? null, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map(toFieldInspection);
}

/** The latest inspection of an operator: its id, time and outcome, or null when it was never inspected. */
export async function latestInspectionOf(ctx: Db, operatorId: number): Promise<{ id: number; inspectedAt: Date; outcome: InspectionOutcome } | null> {
  const [row] = await ctx.em.execute<{ id: number; inspected_at: Date; outcome: InspectionOutcome }[]>(
    `select id, inspected_at, outcome from field_inspection where operator_id = ? order by inspected_at desc, id desc limit 1`,
    [operatorId],
  );
  return row ? { id: row.id, inspectedAt: toDate(row.inspected_at), outcome: row.outcome } : null;
}

/** Operator inspections within [from, to) by outcome, in one village or all. */
export async function outcomeCounts(ctx: Db, from: Date, to: Date, village: string | null): Promise<Record<InspectionOutcome, number>> {
  const rows = await ctx.em.execute<{ outcome: InspectionOutcome; n: number }[]>(
    `select outcome, count(*)::int as n from field_inspection
      where inspected_at >= ? and inspected_at < ? and (?::text is null or village = ?) group by outcome`,
    [from, to, village, village],
  );
  const counts = { PASS: 0, PUT_RIGHT: 0, SERIOUS: 0 } as Record<InspectionOutcome, number>;
  for (const r of rows) counts[r.outcome] = r.n;
  return counts;
}

/** Per operator, its field inspections within [from, to): how many, and the latest one's time and outcome. */
export async function fieldInspectionsIn(ctx: Db, from: Date, to: Date): Promise<Map<number, { count: number; lastAt: Date; lastOutcome: InspectionOutcome }>> {
  const rows = await ctx.em.execute<{ operator_id: number; n: number; last_at: Date | string; last_outcome: InspectionOutcome }[]>(
    `select distinct on (operator_id) operator_id, count(*) over (partition by operator_id)::int as n, inspected_at as last_at, outcome as last_outcome
       from field_inspection where inspected_at >= ? and inspected_at < ?
      order by operator_id, inspected_at desc, id desc`,
    [from, to],
  );
  return new Map(rows.map((r) => [r.operator_id, { count: r.n, lastAt: toDate(r.last_at), lastOutcome: r.last_outcome }]));
}
