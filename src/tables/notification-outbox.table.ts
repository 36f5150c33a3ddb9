import type { Db } from './table';
import type { NotificationKind } from '../entities/enums';
import type { Audience, OutboxEvent } from '../notify/notify.model';
import { defineTable } from './table';

export interface NotificationOutboxRow {
  id: number;
  kind: NotificationKind;
  subject: string;
  payload: Record<string, unknown>;
  audience: Audience;
  created_at: Date;
  dispatched_at: Date | null;
  delivered_at: Date | null;
}

export const notificationOutboxTable = defineTable<NotificationOutboxRow>('notification_outbox', {
  id: 'int4',
  kind: 'text',
  subject: 'varchar',
  payload: 'jsonb',
  audience: 'jsonb',
  created_at: 'timestamptz',
  dispatched_at: 'timestamptz',
  delivered_at: 'timestamptz',
});

/** The channel a committed outbox row is announced on, so the relay hands it to the queue at once. */
export const OUTBOX_CHANNEL = 'foodtrace_outbox';

/**
 * Writes the event in the caller's transaction (its subject cut to 200 characters); the announcement is sent by
 * PostgreSQL only if it commits.
 */
export async function insertOutboxEvent(ctx: Db, e: OutboxEvent): Promise<number> {
  const [row] = await ctx.em.execute<{ id: number }[]>(
    `with o as (insert into notification_outbox (kind, subject, payload, audience) values (?, ?, ?::jsonb, ?::jsonb) returning id)
     select id, pg_notify('${OUTBOX_CHANNEL}', id::text) from o`,
    [e.kind, e.subject.slice(0, 200), JSON.stringify(e.payload), JSON.stringify(e.audience)],
  );
  return row.id;
}

/** Up to `limit` events not yet handed to the queue, oldest first. */
export async function pendingOutboxIds(ctx: Db, limit: number): Promise<number[]> {
  const rows = await ctx.em.execute<{ id: number }[]>(
    `select id from notification_outbox where dispatched_at is null order by id limit ?`,
    [limit],
  );
  return rows.map((r) => r.id);
}

export async function markOutboxDispatched(ctx: Db, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await ctx.em.execute(`update notification_outbox set dispatched_at = now() where id = any(?::int[]) and dispatched_at is null`, [`{${ids.join(',')}}`]);
}

/** The event, its row locked until the transaction ends, so two deliveries of one event run one after the other. */
export async function lockOutboxEvent(ctx: Db, id: number): Promise<NotificationOutboxRow | null> {
  const [row] = await ctx.em.execute<NotificationOutboxRow[]>(`select ${notificationOutboxTable.list} from notification_outbox where id = ? for update`, [id]);
  return row ?? null;
}

export async function markOutboxDelivered(ctx: Db, id: number): Promise<void> {
  await ctx.em.execute(`update notification_outbox set delivered_at = coalesce(delivered_at, now()), dispatched_at = coalesce(dispatched_at, now()) where id = ?`, [id]);
}

/** Events handed to the queue whose delivery never finished (a process stopped mid-delivery), oldest first. */
export async function undeliveredOutboxIds(ctx: Db, limit: number): Promise<number[]> {
  const rows = await ctx.em.execute<{ id: number }[]>(
    `select id from notification_outbox where dispatched_at is not null and delivered_at is null order by id limit ?`,
    [limit],
  );
  return rows.map((r) => r.id);
}
