import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications: the outbox is written in the same transaction as the event it tells of (a recall, a failed test,
 * an incident reported); the job queue fans each outbox row out to the accounts of its audience. The unique
 * (outbox_id, account_id) makes that fan-out idempotent, so a retried or replayed job never delivers twice.
 */
export class Migration20261201200100_notification extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table notification_outbox (
  id serial primary key,
  kind text not null check (kind in ('RECALL_STARTED', 'TEST_FAILED', 'INCIDENT_REPORTED')),
  subject varchar(200) not null check (length(subject) > 0),
  payload jsonb not null default '{}' check (jsonb_typeof(payload) = 'object'),
  audience jsonb not null default '{}' check (jsonb_typeof(audience) = 'object'),
  created_at timestamptz not null default now(),
  dispatched_at timestamptz null,
  delivered_at timestamptz null
)`);
    this.addSql(`create index notification_outbox_pending_idx on notification_outbox (id) where dispatched_at is null`);
    this.addSql(`
create table notification (
  id serial primary key,
  outbox_id integer not null references notification_outbox (id),
  account_id integer not null references account (id),
  created_at timestamptz not null default now(),
  read_at timestamptz null,
  constraint notification_outbox_id_account_id_key unique (outbox_id, account_id)
)`);
    this.addSql(`create index notification_account_idx on notification (account_id, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists notification`);
    this.addSql(`drop table if exists notification_outbox`);
  }
}
