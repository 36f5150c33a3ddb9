import type { MikroORM } from '@mikro-orm/postgresql';
import { withTransaction } from '../context';
import { lockOutboxEvent, markOutboxDelivered, markOutboxDispatched, pendingOutboxIds, undeliveredOutboxIds } from '../tables/notification-outbox.table';
import { fanOutNotification } from '../tables/notification.table';
import type { LiveNotice } from './notify.model';

/**
 * Delivers one outbox event to the inbox of every account of its audience, exactly once per account: the event row
 * is locked while it is delivered, and the inbox's unique (event, account) turns any repeat — a retried job, a job
 * sent again after a restart — into no change. The notices added now (none on a repeat).
 */
export async function deliverOutboxEvent(orm: MikroORM, outboxId: number): Promise<LiveNotice[]> {
  return withTransaction({ em: orm.em.fork() }, async (tx) => {
    const event = await lockOutboxEvent(tx, outboxId);
    if (!event) return [];
    const added = await fanOutNotification(tx, event.id, event.kind, event.subject, event.audience);
    await markOutboxDelivered(tx, event.id);
    return added;
  });
}

/** Events written but not yet handed to the queue, oldest first. */
export function pendingOutbox(orm: MikroORM, limit: number): Promise<number[]> {
  return pendingOutboxIds({ em: orm.em.fork() }, limit);
}

export function markDispatched(orm: MikroORM, ids: number[]): Promise<void> {
  return markOutboxDispatched({ em: orm.em.fork() }, ids);
}

/** Events handed to the queue whose delivery never finished. */
export function undeliveredOutbox(orm: MikroORM, limit: number): Promise<number[]> {
  return undeliveredOutboxIds({ em: orm.em.fork() }, limit);
}
