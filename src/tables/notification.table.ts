import type { Db } from './table';
import type { NotificationKind } from '../entities/enums';
import type { Audience, LiveNotice, NotificationModel } from '../notify/notify.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface NotificationRow {
  id: number;
  outbox_id: number;
  account_id: number;
  created_at: Date;
  read_at: Date | null;
}

export const notificationTable = defineTable<NotificationRow>('notification', {
  id: 'int4',
  outbox_id: 'int4',
  account_id: 'int4',
  created_at: 'timestamptz',
  read_at: 'timestamptz',
});

/** The channel a new inbox row is announced on (after commit), for live connections. */
export const NOTIFICATION_CHANNEL = 'foodtrace_notification';

const intArray = (ids: readonly number[] | undefined) => `{${(ids ?? []).join(',')}}`;

/**
 * Puts the event into the inbox of every live account of the audience that does not hold it yet, and announces
 * each new row; the unique (outbox_id, account_id) makes a repeated delivery add nothing. The new rows.
 */
export async function fanOutNotification(ctx: Db, outboxId: number, kind: NotificationKind, subject: string, audience: Audience): Promise<LiveNotice[]> {
  const rows = await ctx.em.execute<{ id: number; account_id: number }[]>(
    `with n as (
       insert into notification (outbox_id, account_id)
       select ?, a.id from account a
        where a.revoked_at is null and (a.expires_at is null or a.expires_at > now())
          and (a.role = any(?::text[]) or a.operator_id = any(?::int[]) or (a.role = 'GATE_STAFF' and a.market_id = any(?::int[])) or a.id = any(?::int[])
               or (a.role = 'VILLAGE_ASSISTANT' and a.village in (select jsonb_array_elements_text(?::jsonb))))
        order by a.id
       on conflict (outbox_id, account_id) do nothing
       returning id, account_id
     )
     select id, account_id, pg_notify('${NOTIFICATION_CHANNEL}', json_build_object('id', id, 'eventId', ?::int, 'accountId', account_id, 'kind', ?::text, 'subject', ?::text)::text)
       from n order by id`,
    [outboxId, `{${(audience.roles ?? []).join(',')}}`, intArray(audience.operatorIds), intArray(audience.marketIds), intArray(audience.accountIds), JSON.stringify(audience.villages ?? []), outboxId, kind, subject],
  );
  return rows.map((r) => ({ id: r.id, eventId: outboxId, accountId: r.account_id, kind, subject }));
}

interface InboxRow extends NotificationRow {
  kind: NotificationKind;
  subject: string;
  payload: Record<string, unknown>;
}

function toNotification(r: InboxRow): NotificationModel {
  return { id: r.id, eventId: r.outbox_id, kind: r.kind, subject: r.subject, payload: r.payload, createdAt: toDate(r.created_at), readAt: toDate(r.read_at) };
}

/** An account's inbox, newest first, before id `beforeId`; `limit` rows at most. */
export async function inboxRows(ctx: Db, accountId: number, beforeId: number | null, limit: number, unreadOnly: boolean): Promise<NotificationModel[]> {
  const rows = await ctx.em.execute<InboxRow[]>(
    `select ${notificationTable.listAs('n')}, o.kind, o.subject, o.payload
       from notification n join notification_outbox o on o.id = n.outbox_id
      where n.account_id = ?${beforeId !== null ? ' and n.id < ?' : ''}${unreadOnly ? ' and n.read_at is null' : ''}
      order by n.id desc limit ?`,
    beforeId !== null ? [accountId, beforeId, limit] : [accountId, limit],
  );
  return rows.map(toNotification);
}

/** One notification of the account's own inbox; null if the id is another account's or unknown. */
export async function inboxRow(ctx: Db, accountId: number, id: number): Promise<NotificationModel | null> {
  const rows = await ctx.em.execute<InboxRow[]>(
    `select ${notificationTable.listAs('n')}, o.kind, o.subject, o.payload
       from notification n join notification_outbox o on o.id = n.outbox_id
      where n.account_id = ? and n.id = ?`,
    [accountId, id],
  );
  return rows.length ? toNotification(rows[0]) : null;
}

export async function unreadCount(ctx: Db, accountId: number): Promise<number> {
  const [row] = await ctx.em.execute<{ n: number }[]>(`select count(*)::int as n from notification where account_id = ? and read_at is null`, [accountId]);
  return row.n;
}

/** Marks the account's own notifications among `ids` read (others' ids are left alone); the ids now read. */
export async function markRead(ctx: Db, accountId: number, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await ctx.em.execute<{ id: number }[]>(
    `update notification set read_at = coalesce(read_at, now()) where account_id = ? and id = any(?::int[]) returning id`,
    [accountId, intArray(ids)],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
