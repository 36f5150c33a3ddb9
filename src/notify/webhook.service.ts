import { randomBytes } from 'node:crypto';
import { withTransaction, type Context } from '../context';
import { NotificationKind, Role, WebhookDeliveryStatus } from '../entities/enums';
import { badInput, forbidden, notFound, unauthenticated } from '../errors';
import { decodeCursor, toPage, type Page } from '../registry/pagination';
import { listWebhookDeliveryRows, resetWebhookDelivery, toWebhookDelivery } from '../tables/webhook-delivery.table';
import {
  insertWebhookSubscription, listWebhookSubscriptionRows, setWebhookActive, toWebhookSubscription,
} from '../tables/webhook-subscription.table';
import * as v from '../validation';
import type { RegisterWebhookData, WebhookDeliveryModel, WebhookSubscriptionModel } from './notify.model';

function assertAdmin(ctx: Context): void {
  if (!ctx.viewer.role) throw unauthenticated();
  if (ctx.viewer.role !== Role.ADMIN) throw forbidden('Only an administrator manages webhooks');
}

function webhookUrl(value: string): string {
  const text = v.text('url', value, 2000);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput('url', 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url', 'must be an absolute http or https URL');
  if (url.username || url.password) throw badInput('url', 'must not carry credentials');
  return url.toString();
}

/**
 * Registers a subscriber for these kinds of notification (none: every kind). Its signing secret is drawn here and
 * answered once; afterwards only its deliveries show it was used.
 */
export async function registerWebhook(ctx: Context, input: RegisterWebhookData): Promise<{ subscription: WebhookSubscriptionModel; secret: string }> {
  assertAdmin(ctx);
  const name = v.text('name', input.name, 200);
  const url = webhookUrl(input.url);
  const kinds = [...new Set(input.kinds ?? [])];
  for (const k of kinds) if (!Object.values(NotificationKind).includes(k)) throw badInput('kinds', `${k} is not a kind of notification`);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const row = await withTransaction(ctx, (tx) => insertWebhookSubscription(tx, { name, url, secret, kinds, created_by_id: tx.viewer.accountId }));
  return { subscription: toWebhookSubscription(row), secret };
}

export async function webhookSubscriptions(ctx: Context): Promise<WebhookSubscriptionModel[]> {
  assertAdmin(ctx);
  return (await listWebhookSubscriptionRows(ctx)).map(toWebhookSubscription);
}

/** Stops or resumes a subscriber: events delivered while it is off are not sent to it. */
export async function setWebhookSubscriptionActive(ctx: Context, idInput: string | number, active: boolean): Promise<WebhookSubscriptionModel> {
  assertAdmin(ctx);
  const id = v.id('id', idInput);
  const row = await withTransaction(ctx, (tx) => setWebhookActive(tx, id, active));
  if (!row) throw notFound('Webhook subscription', id);
  return toWebhookSubscription(row);
}

export async function webhookDeliveries(ctx: Context, status: WebhookDeliveryStatus | null, first: number, after: string | null | undefined): Promise<Page<WebhookDeliveryModel>> {
  assertAdmin(ctx);
  const rows = await listWebhookDeliveryRows(ctx, status, decodeCursor('after', after), first + 1);
  return toPage(rows.map(toWebhookDelivery), first);
}

/** Posts a delivery again (a DEAD one, or one the subscriber lost): PENDING again, handed to the queue at commit. */
export async function replayWebhookDelivery(ctx: Context, idInput: string | number): Promise<WebhookDeliveryModel> {
  assertAdmin(ctx);
  const id = v.id('id', idInput);
  const row = await withTransaction(ctx, (tx) => resetWebhookDelivery(tx, id));
  if (!row) throw notFound('Webhook delivery', id);
  return toWebhookDelivery(row);
}
