import type { Db } from './table';
import type { IncidentKind, IncidentPlaceKind, IncidentStatus } from '../entities/enums';
import type { IncidentFilter, IncidentFinding, IncidentModel } from '../incident/incident.model';
import { toDate } from './sql-time';
import type { ChartCount } from '../charts/desk-charts.model';
import { defineTable } from './table';

export interface IncidentRow {
  id: number;
  kind: IncidentKind;
  status: IncidentStatus;
  drill: boolean;
  place_kind: IncidentPlaceKind;
  village: string | null;
  operator_id: number | null;
  place_ref: string | null;
  occurred_at: Date;
  people_ill: number;
  description: string;
  suspect_codes: string[];
  /** As stored: times are ISO strings. */
  finding: IncidentFinding | null;
  reported_by_id: number | null;
  reporter_name: string | null;
  contact: string | null;
  reported_at: Date;
  investigate_due_at: Date;
  handle_due_at: Date;
  investigating_at: Date | null;
  handled_at: Date | null;
  closed_at: Date | null;
}

export const incidentTable = defineTable<IncidentRow>('incident', {
  id: 'int4',
  kind: 'text',
  status: 'text',
  drill: 'bool',
  place_kind: 'text',
  village: 'varchar',
  operator_id: 'int4',
  place_ref: 'varchar',
  occurred_at: 'timestamptz',
  people_ill: 'int4',
  description: 'varchar',
  suspect_codes: 'jsonb',
  finding: 'jsonb',
  reported_by_id: 'int4',
  reporter_name: 'varchar',
  contact: 'varchar',
  reported_at: 'timestamptz',
  investigate_due_at: 'timestamptz',
  handle_due_at: 'timestamptz',
  investigating_at: 'timestamptz',
  handled_at: 'timestamptz',
  closed_at: 'timestamptz',
});

export function toIncident(r: IncidentRow): IncidentModel {
  return {
    id: r.id, kind: r.kind, status: r.status, drill: r.drill, placeKind: r.place_kind, village: r.village, operatorId: r.operator_id,
    placeRef: r.place_ref, occurredAt: toDate(r.occurred_at), peopleIll: r.people_ill, description: r.description, suspectCodes: r.suspect_codes,
    finding: r.finding ? { ...r.finding, tracedAt: new Date(r.finding.tracedAt) } : null,
    reportedById: r.reported_by_id, reporterName: r.reporter_name, contact: r.contact, reportedAt: toDate(r.reported_at),
    investigateDueAt: toDate(r.investigate_due_at), handleDueAt: toDate(r.handle_due_at), investigatingAt: toDate(r.investigating_at),
    handledAt: toDate(r.handled_at), closedAt: toDate(r.closed_at),
  };
}

export type NewIncident = Pick<
  IncidentRow,
  'kind' | 'drill' | 'place_kind' | 'village' | 'operator_id' | 'place_ref' | 'occurred_at' | 'people_ill' | 'description' | 'suspect_codes'
  | 'finding' | 'reported_by_id' | 'reporter_name' | 'contact' | 'investigate_due_at' | 'handle_due_at'
> & { reported_at: Date };

export async function insertIncident(ctx: Db, i: NewIncident): Promise<IncidentRow> {
  const [row] = await ctx.em.execute<IncidentRow[]>(
    `insert into incident (kind, drill, place_kind, village, operator_id, place_ref, occurred_at, people_ill, description, suspect_codes, finding,
       reported_by_id, reporter_name, contact, reported_at, investigate_due_at, handle_due_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?) returning ${incidentTable.list}`,
    [i.kind, i.drill, i.place_kind, i.village, i.operator_id, i.place_ref, i.occurred_at, i.people_ill, i.description, JSON.stringify(i.suspect_codes),
      i.finding === null ? null : JSON.stringify(i.finding), i.reported_by_id, i.reporter_name, i.contact, i.reported_at, i.investigate_due_at, i.handle_due_at],
  );
  return row;
}

/** The incident, its row locked for the step being written. */
export async function lockIncident(ctx: Db, id: number): Promise<IncidentRow | null> {
  const [row] = await ctx.em.execute<IncidentRow[]>(`select ${incidentTable.list} from incident where id = ? for update`, [id]);
  return row ?? null;
}

const STAMP: Partial<Record<IncidentStatus, string>> = { INVESTIGATING: 'investigating_at', HANDLED: 'handled_at', CLOSED: 'closed_at' };

/** Moves the incident to `status` at `at`, stamping the time the statistics count. */
export async function setIncidentStatus(ctx: Db, id: number, status: IncidentStatus, at: Date): Promise<IncidentRow> {
  const column = STAMP[status];
  const [row] = await ctx.em.execute<IncidentRow[]>(
    `update incident set status = ?${column ? `, ${column} = ?` : ''} where id = ? returning ${incidentTable.list}`,
    column ? [status, at, id] : [status, id],
  );
  return row;
}

/** Newest first, before id `beforeId`. */
export async function listIncidentRows(ctx: Db, filter: IncidentFilter, beforeId: number | null, limit: number): Promise<IncidentRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (beforeId !== null) (where.push('id < ?'), params.push(beforeId));
  if (filter.status !== null) (where.push('status = ?'), params.push(filter.status));
  if (filter.village !== null) (where.push('village = ?'), params.push(filter.village));
  if (filter.drill !== null) (where.push('drill = ?'), params.push(filter.drill));
  if (filter.open != null) where.push(filter.open ? `status <> 'CLOSED'` : `status = 'CLOSED'`);
  return ctx.em.execute<IncidentRow[]>(
    `select ${incidentTable.list} from incident${where.length ? ` where ${where.join(' and ')}` : ''} order by id desc limit ?`,
    [...params, limit],
  );
}

export interface IncidentStatsRow {
  status: IncidentStatus;
  drill: boolean;
  reported: number;
  reported_in_time: number;
  handling_due: number;
  handled_on_time: number;
  overdue: number;
  people_ill: number;
  closed: number;
  closed_seconds: number | null;
}

/**
 * Counts per status and drill flag of the incidents reported in [from, to) (in `village` when given). `reportWindows`
 * holds each kind's reporting window in hours: an incident is reported in time when it was reported within it.
 */
export async function incidentStatsRows(ctx: Db, from: Date, to: Date, village: string | null, reportWindows: Record<string, number>, now: Date): Promise<IncidentStatsRow[]> {
  return ctx.em.execute<IncidentStatsRow[]>(
    `select status, drill, count(*)::int as reported,
            count(*) filter (where reported_at - occurred_at <= make_interval(hours => coalesce((?::jsonb ->> kind)::int, 0)))::int as reported_in_time,
            count(*) filter (where handled_at is not null or handle_due_at <= ?)::int as handling_due,
            count(*) filter (where handled_at is not null and handled_at <= handle_due_at)::int as handled_on_time,
            count(*) filter (where handled_at is null and handle_due_at <= ?)::int as overdue,
            coalesce(sum(people_ill), 0)::int as people_ill,
            count(*) filter (where closed_at is not null)::int as closed,
            sum(extract(epoch from closed_at - reported_at))::float8 as closed_seconds
       from incident
      where reported_at >= ? and reported_at < ?${village !== null ? ' and village = ?' : ''}
      group by status, drill order by status, drill`,
    [JSON.stringify(reportWindows), now, now, from, to, ...(village !== null ? [village] : [])],
  );
}

/** Incidents reported per local month (in `timeZone`) in [from, to), real ones and drills as two series. */
export function incidentCountsByMonth(ctx: Db, from: Date, to: Date, timeZone: string): Promise<ChartCount[]> {
  return ctx.em.execute<ChartCount[]>(
    `select to_char(reported_at at time zone ?, 'YYYY-MM') as bucket, case when drill then 'drills' else 'incidents' end as series, count(*)::int as count
       from incident where reported_at >= ? and reported_at < ? group by 1, 2`,
    [timeZone, from, to],
  );
}
