import { createHmac } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { withTransaction } from '../context';
import { lockWebhookWork, markWebhookDead, pendingWebhookDeliveryIds, recordWebhookAttempt } from '../tables/webhook-delivery.table';

/** Header names a receiver reads; the recipe to verify them is in README.md › Webhooks. */
export const SIGNATURE_HEADER = 'x-foodtrace-signature';
export const TIMESTAMP_HEADER = 'x-foodtrace-timestamp';
export const EVENT_HEADER = 'x-foodtrace-event-id';

/** `sha256=` and the hex HMAC-SHA256, under the subscriber's secret, of `${timestamp}.${body}`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookFailed extends Error {}

/**
 * Posts one delivery to its subscriber, its row locked meanwhile; a 2xx answer marks it DELIVERED. A delivery
 * delivered already is not posted again. Any other answer or no answer is recorded and thrown, so the queue retries.
 */
export async function postWebhook(orm: MikroORM, deliveryId: number, timeoutMs: number, now: () => Date = () => new Date()): Promise<void> {
  const outcome = await withTransaction({ em: orm.em.fork() }, async (tx) => {
    const work = await lockWebhookWork(tx, deliveryId);
    if (!work || work.delivery.status === 'DELIVERED') return { delivered: true, status: null, error: null, skipped: true };
    const body = JSON.stringify({
      id: work.delivery.outbox_id, kind: work.kind, subject: work.subject, payload: work.payload, createdAt: new Date(work.event_created_at).toISOString(),
    });
    const timestamp = String(Math.floor(now().getTime() / 1000));
    let result: { delivered: boolean; status: number | null; error: string | null };
    try {
      const res = await fetch(work.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'foodtrace-webhook',
          [EVENT_HEADER]: String(work.delivery.outbox_id),
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(work.secret, timestamp, body),
        },
        body,
      });
      await res.body?.cancel().catch(() => undefined);
      result = { delivered: res.status >= 200 && res.status < 300, status: res.status, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}` };
    } catch (e) {
      result = { delivered: false, status: null, error: (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e as Error).message };
    }
    await recordWebhookAttempt(tx, deliveryId, result);
    return { ...result, skipped: false };
  });
  if (!outcome.delivered) throw new WebhookFailed(`webhook delivery ${deliveryId}: ${outcome.error}`);
}

/** A delivery whose retries ran out. */
export function markDead(orm: MikroORM, deliveryId: number): Promise<void> {
  return markWebhookDead({ em: orm.em.fork() }, deliveryId);
}

export async function pendingWebhooks(orm: MikroORM, limit: number): Promise<number[]> {
  return (await pendingWebhookDeliveryIds({ em: orm.em.fork() }, limit)).map((r) => r.id);
}
