import type { Db } from './table';
import type { NotificationKind, WebhookDeliveryStatus } from '../entities/enums';
import type { WebhookDeliveryModel } from '../notify/notify.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface WebhookDeliveryRow {
  id: number;
  subscription_id: number;
  outbox_id: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export const webhookDeliveryTable = defineTable<WebhookDeliveryRow>('webhook_delivery', {
  id: 'int4',
  subscription_id: 'int4',
  outbox_id: 'int4',
  status: 'text',
  attempts: 'int4',
  last_status: 'int4',
  last_error: 'varchar',
  created_at: 'timestamptz',
  delivered_at: 'timestamptz',
});

export function toWebhookDelivery(r: WebhookDeliveryRow): WebhookDeliveryModel {
  return {
    id: r.id, subscriptionId: r.subscription_id, eventId: r.outbox_id, status: r.status, attempts: r.attempts, lastStatus: r.last_status,
    lastError: r.last_error, createdAt: toDate(r.created_at), deliveredAt: toDate(r.delivered_at),
  };
}

/** One delivery per active subscriber of this kind that does not have it yet; the new ones' ids. */
export async function insertWebhookDeliveries(ctx: Db, outboxId: number, kind: NotificationKind): Promise<number[]> {
  const rows = await ctx.em.execute<{ id: number }[]>(
    `insert into webhook_delivery (subscription_id, outbox_id)
     select s.id, ? from webhook_subscription s where s.active and (s.kinds = '[]'::jsonb or s.kinds @> jsonb_build_array(?::text)) order by s.id
     on conflict (subscription_id, outbox_id) do nothing returning id`,
    [outboxId, kind],
  );
  return rows.map((r) => r.id);
}

export interface WebhookWork {
  delivery: WebhookDeliveryRow;
  url: string;
  secret: string;
  kind: NotificationKind;
  subject: string;
  payload: Record<string, unknown>;
  event_created_at: Date;
}

/** What one delivery posts, its row locked while it is posted, so two jobs for it post in turn. */
export async function lockWebhookWork(ctx: Db, id: number): Promise<WebhookWork | null> {
  const [row] = await ctx.em.execute<(WebhookDeliveryRow & Omit<WebhookWork, 'delivery'>)[]>(
    `select ${webhookDeliveryTable.listAs('d')}, s.url, s.secret, o.kind, o.subject, o.payload, o.created_at as event_created_at
       from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id join notification_outbox o on o.id = d.outbox_id
      where d.id = ? for update of d`,
    [id],
  );
  if (!row) return null;
  const { url, secret, kind, subject, payload, event_created_at, ...delivery } = row;
  return { delivery, url, secret, kind, subject, payload, event_created_at };
}

export async function recordWebhookAttempt(ctx: Db, id: number, outcome: { delivered: boolean; status: number | null; error: string | null }): Promise<void> {
  await ctx.em.execute(
    `update webhook_delivery set attempts = attempts + 1, last_status = ?, last_error = ?,
       status = case when ? then 'DELIVERED' else status end, delivered_at = case when ? then now() else delivered_at end
     where id = ?`,
    [outcome.status, outcome.error?.slice(0, 500) ?? null, outcome.delivered, outcome.delivered, id],
  );
}

/** Marks a delivery DEAD (its retries ran out) unless it was delivered meanwhile. */
export async function markWebhookDead(ctx: Db, id: number): Promise<void> {
  await ctx.em.execute(`update webhook_delivery set status = 'DEAD' where id = ? and status = 'PENDING'`, [id]);
}

/** The channel a replayed delivery is announced on (after commit), so the queue posts it again. */
export const WEBHOOK_REPLAY_CHANNEL = 'foodtrace_webhook_replay';

/** Puts a delivery back to PENDING and announces it for a replay; null when there is none. */
export async function resetWebhookDelivery(ctx: Db, id: number): Promise<WebhookDeliveryRow | null> {
  const [row] = await ctx.em.execute<WebhookDeliveryRow[]>(
    `with d as (update webhook_delivery set status = 'PENDING', delivered_at = null where id = ? returning ${webhookDeliveryTable.list})
     select d.*, pg_notify('${WEBHOOK_REPLAY_CHANNEL}', d.id::text) from d`,
    [id],
  );
  if (!row) return null;
  const { pg_notify: _announced, ...delivery } = row as WebhookDeliveryRow & { pg_notify?: unknown };
  return delivery;
}

export function pendingWebhookDeliveryIds(ctx: Db, limit: number): Promise<{ id: number }[]> {
  return ctx.em.execute<{ id: number }[]>(`select id from webhook_delivery where status = 'PENDING' order by id limit ?`, [limit]);
}

export async function listWebhookDeliveryRows(ctx: Db, status: WebhookDeliveryStatus | null, beforeId: number | null, limit: number): Promise<WebhookDeliveryRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (status !== null) (where.push('status = ?'), params.push(status));
  if (beforeId !== null) (where.push('id < ?'), params.push(beforeId));
  return ctx.em.execute<WebhookDeliveryRow[]>(
    `select ${webhookDeliveryTable.list} from webhook_delivery${where.length ? ` where ${where.join(' and ')}` : ''} order by id desc limit ?`,
    [...params, limit],
  );
}
