import { Migration } from '@mikro-orm/migrations';

/**
 * The audit trail: one row per GraphQL request that changed something or read personal data. Append-only like
 * credit_event: triggers refuse UPDATE and TRUNCATE always, and DELETE except from `purge_audit_events`, the one
 * way rows leave — rows older than the retention, and never rows younger than 30 days.
 */
export class Migration20261129200000_audit_event extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table audit_event (
  id serial primary key,
  at timestamptz not null default now(),
  account_id integer references account (id),
  role text check (role in ('ADMIN', 'REGULATOR', 'GATE_STAFF', 'OPERATOR')),
  kind text not null check (kind in ('MUTATION', 'READ')),
  operation varchar(200) not null check (length(operation) > 0),
  variables jsonb not null default '{}',
  outcome varchar(200) not null,
  personal_data jsonb not null default '[]' check (jsonb_typeof(personal_data) = 'array'),
  client_ip varchar(64)
)`);
    this.addSql(`create index audit_event_at_idx on audit_event (at, id)`);
    this.addSql(`create index audit_event_account_idx on audit_event (account_id, id)`);
    this.addSql(`create index audit_event_operation_idx on audit_event (operation, id)`);
    this.addSql(`
create function audit_event_refuse_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('foodtrace.audit_purge', true) = 'on' then
    return old;
  end if;
  raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'P0001';
end $$`);
    this.addSql(`create trigger audit_event_no_update before update or delete on audit_event for each row execute function audit_event_refuse_change()`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on audit_event for each statement execute function audit_event_refuse_change()`);
    // SECURITY DEFINER: the application's role may call it without holding DELETE on the table itself
    this.addSql(`
create function purge_audit_events(before timestamptz) returns integer
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
  purged integer;
begin
  if before is null or before > now() - interval '30 days' then
    raise exception 'purge_audit_events keeps at least 30 days: % refused', before using errcode = '22023';
  end if;
  perform set_config('foodtrace.audit_purge', 'on', true);
  delete from audit_event where at < before;
  get diagnostics purged = row_count;
  perform set_config('foodtrace.audit_purge', 'off', true);
  return purged;
end $$`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists purge_audit_events(timestamptz)`);
    this.addSql(`drop table if exists audit_event`);
    this.addSql(`drop function if exists audit_event_refuse_change()`);
  }
}
