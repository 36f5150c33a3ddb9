import type { Db } from './table';
import type { CapturedEvent, EventQuery } from '../exchange/exchange.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface EpcisEventRow {
  id: number;
  capture_id: number;
  event_hash: string;
  event_id: string | null;
  event_type: string;
  event_time: Date | string;
  biz_step: string | null;
  disposition: string | null;
  read_point: string | null;
  epcs: string[];
  body: Record<string, unknown>;
  corrected_by_id: number | null;
  created_at: Date | string;
}

export const epcisEventTable = defineTable<EpcisEventRow>('epcis_event', {
  id: 'int4',
  capture_id: 'int4',
  event_hash: 'varchar',
  event_id: 'varchar',
  event_type: 'varchar',
  event_time: 'timestamptz',
  biz_step: 'varchar',
  disposition: 'varchar',
  read_point: 'varchar',
  epcs: 'jsonb',
  body: 'jsonb',
  corrected_by_id: 'int4',
  created_at: 'timestamptz',
});

export type NewCapturedEvent = Omit<EpcisEventRow, 'id' | 'corrected_by_id' | 'created_at'>;

function toCapturedEvent(r: EpcisEventRow): CapturedEvent {
  return {
    id: r.id, captureId: r.capture_id, eventHash: r.event_hash, eventId: r.event_id, eventType: r.event_type, eventTime: toDate(r.event_time)!,
    body: r.body, correctedById: r.corrected_by_id,
  };
}

/** Stores the event unless one with the same hash is held; its id, or null for a duplicate. */
export async function insertEventOnce(ctx: Db, e: NewCapturedEvent): Promise<number | null> {
  const rows = await ctx.em.execute<{ id: number }[]>(
    `insert into epcis_event (capture_id, event_hash, event_id, event_type, event_time, biz_step, disposition, read_point, epcs, body)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb) on conflict (event_hash) do nothing returning id`,
    [e.capture_id, e.event_hash, e.event_id, e.event_type, e.event_time, e.biz_step, e.disposition, e.read_point, JSON.stringify(e.epcs), JSON.stringify(e.body)],
  );
  return rows[0]?.id ?? null;
}

/**
 * Stores events in one statement, each unless one with its hash is held (or came earlier in the list); the hashes
 * stored, so the caller counts the rest as duplicates.
 */
export async function insertEventsOnce(ctx: Db, events: NewCapturedEvent[]): Promise<Set<string>> {
  if (!events.length) return new Set();
  const rows = await ctx.em.execute<{ event_hash: string }[]>(
    `insert into epcis_event (capture_id, event_hash, event_id, event_type, event_time, biz_step, disposition, read_point, epcs, body)
     select x.capture_id, x.event_hash, x.event_id, x.event_type, x.event_time, x.biz_step, x.disposition, x.read_point, x.epcs, x.body
     from jsonb_to_recordset(?::jsonb) as x(capture_id int, event_hash text, event_id text, event_type text, event_time timestamptz,
       biz_step text, disposition text, read_point text, epcs jsonb, body jsonb)
     on conflict (event_hash) do nothing returning event_hash`,
    [JSON.stringify(events)],
  );
  return new Set(rows.map((r) => r.event_hash));
}

/** Marks the events an error declaration names (by hash, or by eventID) corrected by it; the originals stay. How many. */
export async function markCorrected(ctx: Db, declarationId: number, hash: string, eventIds: string[]): Promise<number> {
  const rows = await ctx.em.execute<{ id: number }[]>(
    `update epcis_event set corrected_by_id = ? where id <> ? and corrected_by_id is null and (event_hash = ? or event_id = any(?::text[])) returning id`,
    [declarationId, declarationId, hash, `{${eventIds.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`],
  );
  return rows.length;
}

/**
 * Captured events in (event time, event hash) order after `after`, before `before` when given, matching the query;
 * with `accountId`, only those that account captured. At most `limit`.
 */
export async function queryEvents(ctx: Db, q: EventQuery & { before: Date | null; accountId: number | null }): Promise<CapturedEvent[]> {
  const where: string[] = ['true'];
  const params: unknown[] = [];
  const list = (values: string[]) => `{${values.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  const anyOf = (column: string, values: string[] | null) => {
    if (!values) return;
    where.push(`e.${column} = any(?::text[])`);
    params.push(list(values));
  };
  anyOf('event_type', q.eventTypes);
  anyOf('biz_step', q.bizSteps);
  anyOf('disposition', q.dispositions);
  anyOf('read_point', q.readPoints);
  if (q.after) (where.push('(e.event_time, e.event_hash) > (?::timestamptz, ?)'), params.push(q.after.time, q.after.hash));
  if (q.from) (where.push('e.event_time >= ?'), params.push(q.from));
  if (q.to) (where.push('e.event_time < ?'), params.push(q.to));
  if (q.before) (where.push('e.event_time < ?'), params.push(q.before));
  if (q.epcs) (where.push('jsonb_exists_any(e.epcs, ?::text[])'), params.push(list(q.epcs)));
  if (q.accountId !== null) (where.push('exists (select 1 from epcis_capture c where c.id = e.capture_id and c.account_id = ?)'), params.push(q.accountId));
  const rows = await ctx.em.execute<EpcisEventRow[]>(
    `select ${epcisEventTable.listAs('e')} from epcis_event e where ${where.join(' and ')} order by e.event_time, e.event_hash limit ?`,
    [...params, q.limit],
  );
  return rows.map(toCapturedEvent);
}
