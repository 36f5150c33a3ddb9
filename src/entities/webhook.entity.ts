import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { WebhookDeliveryStatus } from './enums';
import { Account } from './account.entity';
import { NotificationOutbox } from './notification.entity';
import { foreignKey, insertedAt } from './schema-options';

/** Another system that receives notifications by HTTP POST, signed with its secret. */
@Entity({ tableName: 'webhook_subscription' })
@Check({ name: 'webhook_subscription_name_check', expression: 'length(name) > 0' })
@Check({ name: 'webhook_subscription_url_check', expression: "url ~ '^https?://'" })
@Check({ name: 'webhook_subscription_secret_check', expression: 'length(secret) >= 32' })
@Check({ name: 'webhook_subscription_kinds_check', expression: "jsonb_typeof(kinds) = 'array'" })
export class WebhookSubscription {
  [OptionalProps]?: 'kinds' | 'active' | 'createdBy' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 2000 })
  url!: string;

  @Property({ type: 'string', length: 200 })
  secret!: string;

  /** Kinds of notification sent; empty: every kind. */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  kinds: unknown = [];

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('webhook_subscription', 'created_by_id') })
  createdBy: Account | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}

/** One event posted to one subscriber; at most one per pair. */
@Entity({ tableName: 'webhook_delivery' })
@Unique({ name: 'webhook_delivery_subscription_id_outbox_id_key', properties: ['subscription', 'outbox'] })
@Index({ name: 'webhook_delivery_status_idx', properties: ['status', 'id'] })
@Check({ name: 'webhook_delivery_attempts_check', expression: 'attempts >= 0' })
export class WebhookDelivery {
  [OptionalProps]?: 'status' | 'attempts' | 'lastStatus' | 'lastError' | 'createdAt' | 'deliveredAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => WebhookSubscription, foreignKey('webhook_delivery', 'subscription_id'))
  subscription!: WebhookSubscription;

  @ManyToOne(() => NotificationOutbox, foreignKey('webhook_delivery', 'outbox_id'))
  outbox!: NotificationOutbox;

  @Enum({ items: () => WebhookDeliveryStatus, default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus = WebhookDeliveryStatus.PENDING;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'integer', nullable: true })
  lastStatus: number | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;
}
