import type { MikroORM } from '@mikro-orm/postgresql';
import { withTransaction } from '../context';
import { lockOutboxEvent, markOutboxDelivered, markOutboxDispatched, pendingOutboxIds, undeliveredOutboxIds } from '../tables/notification-outbox.table';
import { fanOutNotification } from '../tables/notification.table';
import { insertWebhookDeliveries } from '../tables/webhook-delivery.table';
import type { LiveNotice } from './notify.model';

export interface Delivered {
  /** Inbox rows added now. */
  notices: LiveNotice[];
  /** Webhook deliveries added now, to be posted. */
  webhooks: number[];
}

/**
 * Delivers one outbox event to the inbox of every account of its audience and to every webhook subscriber of its
 * kind, exactly once per recipient: the event row is locked while it is delivered, and the unique (event, account)
 * and (subscriber, event) turn any repeat — a retried job, a job sent again after a restart — into no change.
 */
export async function deliverOutboxEvent(orm: MikroORM, outboxId: number): Promise<Delivered> {
  return withTransaction({ em: orm.em.fork() }, async (tx) => {
    const event = await lockOutboxEvent(tx, outboxId);
    if (!event) return { notices: [], webhooks: [] };
    const notices = await fanOutNotification(tx, event.id, event.kind, event.subject, event.audience);
    const webhooks = await insertWebhookDeliveries(tx, event.id, event.kind);
    await markOutboxDelivered(tx, event.id);
    return { notices, webhooks };
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
