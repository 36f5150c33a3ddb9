import type { Db } from './table';
import type { AuditKind, Role } from '../entities/enums';
import type { AuditEventModel, AuditFilter, NewAuditEvent, PersonalRead } from '../audit/audit.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface AuditEventRow {
  id: number;
  at: Date | string;
  account_id: number | null;
  role: Role | null;
  kind: AuditKind;
  operation: string;
  variables: Record<string, unknown>;
  outcome: string;
  personal_data: PersonalRead[];
  client_ip: string | null;
}

export const auditEventTable = defineTable<AuditEventRow>('audit_event', {
  id: 'int4',
  at: 'timestamptz',
  account_id: 'int4',
  role: 'text',
  kind: 'text',
  operation: 'varchar',
  variables: 'jsonb',
  outcome: 'varchar',
  personal_data: 'jsonb',
  client_ip: 'varchar',
});

export function toAuditEvent(r: AuditEventRow): AuditEventModel {
  return {
    id: r.id, at: toDate(r.at)!, accountId: r.account_id, role: r.role, kind: r.kind, operation: r.operation, variables: r.variables,
    outcome: r.outcome, personalData: r.personal_data, clientIp: r.client_ip,
  };
}

/** One row per request: a single statement whatever the request did. */
export async function insertAuditEvent(ctx: Db, e: NewAuditEvent): Promise<void> {
  await insertAuditEvents(ctx, [e]);
}

/** Rows in one statement, their ids in the order given. */
export async function insertAuditEvents(ctx: Db, events: NewAuditEvent[]): Promise<void> {
  if (!events.length) return;
  await ctx.em.execute(
    `insert into audit_event (account_id, role, kind, operation, variables, outcome, personal_data, client_ip) values ${events.map(() => '(?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?)').join(', ')}`,
    events.flatMap((e) => [e.accountId, e.role, e.kind, e.operation, JSON.stringify(e.variables), e.outcome, JSON.stringify(e.personalData), e.clientIp]),
  );
}

/** Up to `limit` rows before id `beforeId` (newest first), matching the filter; `operation` matches one root field. */
export async function listAuditEventRows(ctx: Db, filter: AuditFilter, beforeId: number | null, limit: number): Promise<AuditEventModel[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (beforeId !== null) (where.push('id < ?'), params.push(beforeId));
  if (filter.accountId !== null) (where.push('account_id = ?'), params.push(filter.accountId));
  if (filter.operation !== null) (where.push(`? = any(string_to_array(operation, ','))`), params.push(filter.operation));
  if (filter.from !== null) (where.push('at >= ?'), params.push(filter.from));
  if (filter.to !== null) (where.push('at < ?'), params.push(filter.to));
  const rows = await ctx.em.execute<AuditEventRow[]>(
    `select ${auditEventTable.list} from audit_event${where.length ? ` where ${where.join(' and ')}` : ''} order by id desc limit ?`,
    [...params, limit],
  );
  return rows.map(toAuditEvent);
}

/** Deletes rows older than `before` through the one function allowed to; how many went. */
export async function purgeAuditEventRows(ctx: Db, before: Date): Promise<number> {
  const [row] = await ctx.em.execute<{ purged: number }[]>(`select purge_audit_events(?) as purged`, [before]);
  return row.purged;
}
