import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks: other systems subscribe to kinds of notification; each event is posted to each subscriber once
 * (`unique (subscription_id, outbox_id)`), HMAC-signed with the subscriber's secret, retried with backoff by the job
 * queue and marked DEAD after the limit, from where it can be replayed by id.
 */
export class Migration20261201200300_webhook extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table webhook_subscription (
  id serial primary key,
  name varchar(200) not null check (length(name) > 0),
  url varchar(2000) not null check (url ~ '^https?://'),
  secret varchar(200) not null check (length(secret) >= 32),
  kinds jsonb not null default '[]' check (jsonb_typeof(kinds) = 'array'),
  active boolean not null default true,
  created_by_id integer null references account (id),
  created_at timestamptz not null default now()
)`);
    this.addSql(`
create table webhook_delivery (
  id serial primary key,
  subscription_id integer not null references webhook_subscription (id),
  outbox_id integer not null references notification_outbox (id),
  status text not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'DEAD')),
  attempts integer not null default 0 check (attempts >= 0),
  last_status integer null,
  last_error varchar(500) null,
  created_at timestamptz not null default now(),
  delivered_at timestamptz null,
  constraint webhook_delivery_subscription_id_outbox_id_key unique (subscription_id, outbox_id)
)`);
    this.addSql(`create index webhook_delivery_status_idx on webhook_delivery (status, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists webhook_delivery`);
    this.addSql(`drop table if exists webhook_subscription`);
  }
}
