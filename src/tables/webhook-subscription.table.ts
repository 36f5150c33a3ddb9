import type { Db } from './table';
import type { NotificationKind } from '../entities/enums';
import type { WebhookSubscriptionModel } from '../notify/notify.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface WebhookSubscriptionRow {
  id: number;
  name: string;
  url: string;
  secret: string;
  kinds: NotificationKind[];
  active: boolean;
  created_by_id: number | null;
  created_at: Date;
}

export const webhookSubscriptionTable = defineTable<WebhookSubscriptionRow>('webhook_subscription', {
  id: 'int4',
  name: 'varchar',
  url: 'varchar',
  secret: 'varchar',
  kinds: 'jsonb',
  active: 'bool',
  created_by_id: 'int4',
  created_at: 'timestamptz',
});

/** The subscription as anyone may read it: never its secret. */
export function toWebhookSubscription(r: WebhookSubscriptionRow): WebhookSubscriptionModel {
  return { id: r.id, name: r.name, url: r.url, kinds: r.kinds, active: r.active, createdAt: toDate(r.created_at) };
}

export async function insertWebhookSubscription(ctx: Db, s: Pick<WebhookSubscriptionRow, 'name' | 'url' | 'secret' | 'kinds' | 'created_by_id'>): Promise<WebhookSubscriptionRow> {
  const [row] = await ctx.em.execute<WebhookSubscriptionRow[]>(
    `insert into webhook_subscription (name, url, secret, kinds, created_by_id) values (?, ?, ?, ?::jsonb, ?) returning ${webhookSubscriptionTable.list}`,
    [s.name, s.url, s.secret, JSON.stringify(s.kinds), s.created_by_id],
  );
  return row;
}

export async function setWebhookActive(ctx: Db, id: number, active: boolean): Promise<WebhookSubscriptionRow | null> {
  const [row] = await ctx.em.execute<WebhookSubscriptionRow[]>(
    `update webhook_subscription set active = ? where id = ? returning ${webhookSubscriptionTable.list}`,
    [active, id],
  );
  return row ?? null;
}

export function listWebhookSubscriptionRows(ctx: Db): Promise<WebhookSubscriptionRow[]> {
  return ctx.em.execute<WebhookSubscriptionRow[]>(`select ${webhookSubscriptionTable.list} from webhook_subscription order by id`);
}
