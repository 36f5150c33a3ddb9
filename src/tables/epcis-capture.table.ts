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
});

export function toCaptureJob(r: EpcisCaptureRow): CaptureJob {
  return {
    id: r.id, status: r.status, receivedAt: toDate(r.received_at)!, finishedAt: toDate(r.finished_at), eventCount: r.event_count,
    capturedCount: r.captured_count, duplicateCount: r.duplicate_count, errors: r.errors,
  };
}

export async function insertCapture(ctx: Db, accountId: number | null, status: CaptureStatus, eventCount: number): Promise<number> {
  const [row] = await ctx.em.execute<{ id: number }[]>(
    `insert into epcis_capture (account_id, status, event_count) values (?, ?, ?) returning id`,
    [accountId, status, eventCount],
  );
  return row.id;
}

export async function finishCapture(
  ctx: Db, id: number, status: CaptureStatus, counts: { captured: number; duplicates: number }, errors: CaptureEventError[],
): Promise<void> {
  await ctx.em.execute(
    `update epcis_capture set status = ?, captured_count = ?, duplicate_count = ?, errors = ?::jsonb, finished_at = now() where id = ?`,
    [status, counts.captured, counts.duplicates, JSON.stringify(errors), id],
  );
}

/** The job, when `accountId` sent it or is null (a reader who may see every job). */
export async function captureOf(ctx: Db, id: number, accountId: number | null): Promise<CaptureJob | null> {
  const [row] = await ctx.em.execute<EpcisCaptureRow[]>(
    `select ${epcisCaptureTable.list} from epcis_capture where id = ? and (?::int is null or account_id = ?::int)`,
    [id, accountId, accountId],
  );
  return row ? toCaptureJob(row) : null;
}
