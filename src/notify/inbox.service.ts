import { withTransaction, type Context } from '../context';
import { badInput, unauthenticated } from '../errors';
import { decodeCursor, toPage, type Page } from '../registry/pagination';
import { inboxRow, inboxRows, markRead, unreadCount } from '../tables/notification.table';
import * as v from '../validation';
import type { NotificationModel } from './notify.model';

export interface Inbox extends Page<NotificationModel> {
  unread: number;
}

function accountOf(ctx: Context): number {
  if (!ctx.viewer.accountId) throw unauthenticated();
  return ctx.viewer.accountId;
}

/** The caller's own notifications, newest first; every signed-in account has an inbox. */
export async function notificationsOf(ctx: Context, first: number, after: string | null | undefined, unreadOnly = false): Promise<Inbox> {
  const accountId = accountOf(ctx);
  const beforeId = decodeCursor('after', after);
  const rows = await inboxRows(ctx, accountId, beforeId, first + 1, unreadOnly);
  return { ...toPage(rows, first), unread: await unreadCount(ctx, accountId) };
}

/** Marks the caller's own notifications read; ids of others' notifications are ignored. The ids now read. */
export async function markNotificationsRead(ctx: Context, idsInput: (string | number)[]): Promise<number[]> {
  const accountId = accountOf(ctx);
  if (!idsInput.length) throw badInput('ids', 'must name at least one notification');
  if (idsInput.length > 500) throw badInput('ids', 'at most 500 at a time');
  const ids = [...new Set(idsInput.map((id, i) => v.id(`ids[${i}]`, id)))];
  return withTransaction(ctx, (tx) => markRead(tx, accountId, ids));
}

/** One of the caller's own notifications by id; null if it is not the caller's. */
export async function notificationOf(ctx: Context, id: number): Promise<NotificationModel | null> {
  return inboxRow(ctx, accountOf(ctx), id);
}
