import type { Db } from './table';
import type { CaptureStatus } from '../entities/enums';
import type { CaptureEventError, CaptureJob } from '../exchange/exchange.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface EpcisCaptureRow {
  id: number;
  account_id: number | null;
  received_at: Date | string;
  finished_at: Date | string | null;
  status: CaptureStatus;
  event_count: number;
  captured_count: number;
  duplicate_count: number;
  errors: CaptureEventError[];
  document: unknown;
}

export const epcisCaptureTable = defineTable<EpcisCaptureRow>('epcis_capture', {
  id: 'int4',
  account_id: 'int4',
  received_at: 'timestamptz',
  finished_at: 'timestamptz',
  status: 'text',
  event_count: 'int4',
  captured_count: 'int4',
  duplicate_count: 'int4',
  errors: 'jsonb',
  document: 'jsonb',
});

/** The channel a committed capture job is announced on, so the queue takes it at once. */
export const CAPTURE_CHANNEL = 'foodtrace_epcis_capture';

export function toCaptureJob(r: EpcisCaptureRow): CaptureJob {
  return {
    id: r.id, status: r.status, receivedAt: toDate(r.received_at)!, finishedAt: toDate(r.finished_at), eventCount: r.event_count,
    capturedCount: r.captured_count, duplicateCount: r.duplicate_count, errors: r.errors,
  };
}

/** Stores an accepted document as a RUNNING job; PostgreSQL announces it on CAPTURE_CHANNEL only if the caller commits. */
export async function insertCapture(ctx: Db, accountId: number | null, eventCount: number, document: unknown): Promise<number> {
  const [row] = await ctx.em.execute<{ id: number }[]>(
    `with c as (insert into epcis_capture (account_id, status, event_count, document) values (?, 'RUNNING', ?, ?::jsonb) returning id)
     select id, pg_notify('${CAPTURE_CHANNEL}', id::text) from c`,
    [accountId, eventCount, JSON.stringify(document)],
  );
  return row.id;
}

/** A RUNNING job, locked until the caller's transaction ends, so one worker runs it; null once it has run. */
export async function claimCapture(ctx: Db, id: number): Promise<{ accountId: number | null; document: unknown } | null> {
  const [row] = await ctx.em.execute<Pick<EpcisCaptureRow, 'account_id' | 'document'>[]>(
    `select account_id, document from epcis_capture where id = ? and status = 'RUNNING' for update`, [id]);
  return row ? { accountId: row.account_id, document: row.document } : null;
}

/** Jobs accepted and not yet run, oldest first. */
export async function runningCaptureIds(ctx: Db, limit: number): Promise<number[]> {
  const rows = await ctx.em.execute<{ id: number }[]>(`select id from epcis_capture where status = 'RUNNING' order by id limit ?`, [limit]);
  return rows.map((r) => r.id);
}

export async function finishCapture(
  ctx: Db, id: number, status: CaptureStatus, counts: { captured: number; duplicates: number }, errors: CaptureEventError[],
): Promise<void> {
  await ctx.em.execute(
    `update epcis_capture set status = ?, captured_count = ?, duplicate_count = ?, errors = ?::jsonb, finished_at = now(), document = null where id = ?`,
    [status, counts.captured, counts.duplicates, JSON.stringify(errors), id],
  );
}

/** The job, when `accountId` sent it or is null (a reader who may see every job). */
export async function captureOf(ctx: Db, id: number, accountId: number | null): Promise<CaptureJob | null> {
  const [row] = await ctx.em.execute<EpcisCaptureRow[]>(
    `select ${epcisCaptureTable.listAs('c').replace('c.document', 'null as document')} from epcis_capture c where id = ? and (?::int is null or account_id = ?::int)`,
    [id, accountId, accountId],
  );
  return row ? toCaptureJob(row) : null;
}
