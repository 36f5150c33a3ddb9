import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { NotificationKind } from './enums';
import { Account } from './account.entity';
import { foreignKey, insertedAt } from './schema-options';

/** An event to tell of, written in the same transaction as the event; the job queue fans it out. */
@Entity({ tableName: 'notification_outbox' })
@Check({ name: 'notification_outbox_subject_check', expression: 'length(subject) > 0' })
@Check({ name: 'notification_outbox_payload_check', expression: "jsonb_typeof(payload) = 'object'" })
@Check({ name: 'notification_outbox_audience_check', expression: "jsonb_typeof(audience) = 'object'" })
@Index({ name: 'notification_outbox_pending_idx', expression: 'create index notification_outbox_pending_idx on notification_outbox (id) where dispatched_at is null' })
export class NotificationOutbox {
  [OptionalProps]?: 'payload' | 'audience' | 'createdAt' | 'dispatchedAt' | 'deliveredAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  @Property({ type: 'string', length: 200 })
  subject!: string;

  @Property({ type: 'json', defaultRaw: "'{}'" })
  payload: unknown = {};

  /** Who is told: roles, operators' accounts, markets' gate staff. */
  @Property({ type: 'json', defaultRaw: "'{}'" })
  audience: unknown = {};

  @Property(insertedAt())
  createdAt: Date = new Date();

  /** Handed to the job queue. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  dispatchedAt: Date | null = null;

  /** Fanned out to every account of the audience. */
  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  deliveredAt: Date | null = null;
}

/** One outbox event in one account's inbox; at most one per account and event. */
@Entity({ tableName: 'notification' })
@Unique({ name: 'notification_outbox_id_account_id_key', properties: ['outbox', 'account'] })
@Index({ name: 'notification_account_idx', properties: ['account', 'id'] })
export class Notification {
  [OptionalProps]?: 'createdAt' | 'readAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => NotificationOutbox, foreignKey('notification', 'outbox_id'))
  outbox!: NotificationOutbox;

  @ManyToOne(() => Account, foreignKey('notification', 'account_id'))
  account!: Account;

  @Property(insertedAt())
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  readAt: Date | null = null;
}
