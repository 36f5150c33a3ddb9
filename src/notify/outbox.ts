import type { Db } from '../tables/table';
import { insertOutboxEvent } from '../tables/notification-outbox.table';
import type { OutboxEvent } from './notify.model';

/**
 * Writes the event into the outbox inside the caller's transaction: it is told if and only if the event commits.
 * The job queue (`notify/queue.ts`) delivers it afterwards. The outbox row's id.
 */
export function recordNotification(tx: Db, event: OutboxEvent): Promise<number> {
  return insertOutboxEvent(tx, event);
}
