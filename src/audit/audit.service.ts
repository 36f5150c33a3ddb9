import type { Context } from '../context';
import { badInput } from '../errors';
import { decodeCursor, encodeCursor, type Page } from '../registry/pagination';
import { insertAuditEvent, listAuditEventRows, purgeAuditEventRows } from '../tables/audit-event.table';
import type { AuditEventModel, AuditFilter, NewAuditEvent } from './audit.model';

/** Appends one row; never updates or deletes (the table's triggers refuse both). */
export async function recordAuditEvent(ctx: Context, e: NewAuditEvent): Promise<void> {
  await insertAuditEvent(ctx, e);
}

/** The trail, newest first, keyset-paged; callers are checked by the resolver (ADMIN only). */
export async function listAuditEvents(ctx: Context, filter: AuditFilter, first: number, after: string | null | undefined): Promise<Page<AuditEventModel>> {
  if (filter.from && filter.to && filter.from > filter.to) throw badInput('filter.to', 'is before filter.from');
  const beforeId = decodeCursor('after', after);
  const rows = await listAuditEventRows(ctx, filter, beforeId, first + 1);
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null };
}

/** The least AUDIT_RETENTION_DAYS may be; `purge_audit_events` itself refuses to cut younger than 30 days. */
export const MIN_AUDIT_RETENTION_DAYS = 30;

/** Deletes every row older than `retentionDays` before `now`; how many went. */
export async function purgeExpiredAuditEvents(ctx: Pick<Context, 'em'>, retentionDays: number, now = new Date()): Promise<number> {
  if (!Number.isInteger(retentionDays) || retentionDays < MIN_AUDIT_RETENTION_DAYS) throw badInput('retentionDays', `must be a whole number of days ≥ ${MIN_AUDIT_RETENTION_DAYS}`);
  return purgeAuditEventRows(ctx, new Date(now.getTime() - retentionDays * 86_400_000));
}
