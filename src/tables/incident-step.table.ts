import type { Db } from './table';
import type { IncidentStatus } from '../entities/enums';
import type { IncidentStepModel } from '../incident/incident.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface IncidentStepRow {
  id: number;
  incident_id: number;
  status: IncidentStatus;
  at: Date;
  by_id: number | null;
  notes: string | null;
  evidence: string[];
  due_at: Date | null;
}

export const incidentStepTable = defineTable<IncidentStepRow>('incident_step', {
  id: 'int4',
  incident_id: 'int4',
  status: 'text',
  at: 'timestamptz',
  by_id: 'int4',
  notes: 'varchar',
  evidence: 'jsonb',
  due_at: 'timestamptz',
});

export async function insertIncidentStep(ctx: Db, s: Omit<IncidentStepRow, 'id'>): Promise<void> {
  await ctx.em.execute(
    `insert into incident_step (incident_id, status, at, by_id, notes, evidence, due_at) values (?, ?, ?, ?, ?, ?::jsonb, ?)`,
    [s.incident_id, s.status, s.at, s.by_id, s.notes, JSON.stringify(s.evidence), s.due_at],
  );
}

/** The timelines of these incidents in order, each step with the name of who made it. */
export async function stepsOfIncidents(ctx: Db, incidentIds: readonly number[]): Promise<Map<number, IncidentStepModel[]>> {
  const out = new Map<number, IncidentStepModel[]>(incidentIds.map((id) => [id, []]));
  if (!incidentIds.length) return out;
  const rows = await ctx.em.execute<(IncidentStepRow & { by_name: string | null })[]>(
    `select ${incidentStepTable.listAs('s')}, a.name as by_name from incident_step s left join account a on a.id = s.by_id
      where s.incident_id = any(?::int[]) order by s.incident_id, s.id`,
    [`{${incidentIds.join(',')}}`],
  );
  for (const r of rows) {
    out.get(r.incident_id)?.push({
      id: r.id, status: r.status, at: toDate(r.at), byId: r.by_id, byName: r.by_name, notes: r.notes, evidence: r.evidence, dueAt: toDate(r.due_at),
    });
  }
  return out;
}
