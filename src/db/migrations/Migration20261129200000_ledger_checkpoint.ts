import { Migration } from '@mikro-orm/migrations';

/**
 * Each credit event records how its hash was computed (rows appended before this migration keep version 1 and are
 * verified that way; new rows are version 2, RFC 8785 JSON), and signed checkpoints of every chain head are kept,
 * append-only like the events.
 */
export class Migration20261129200000_ledger_checkpoint extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table credit_event add column hash_version integer not null default 1 constraint credit_event_hash_version_check check (hash_version >= 1 and hash_version <= 2)`);
    this.addSql(`alter table credit_event alter column hash_version set default 2`);
    this.addSql(`
create table checkpoint (
  id serial primary key,
  size integer not null check (size >= 0),
  root char(64) not null,
  signed_at timestamptz not null,
  signature text not null,
  key_id char(64) not null,
  heads jsonb not null
)`);
    this.addSql(`
create function checkpoint_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'checkpoint is append-only: % refused', tg_op using errcode = 'P0001';
end $$`);
    this.addSql(`create trigger checkpoint_no_update before update or delete on checkpoint for each row execute function checkpoint_refuse_change()`);
    this.addSql(`create trigger checkpoint_no_truncate before truncate on checkpoint for each statement execute function checkpoint_refuse_change()`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists checkpoint`);
    this.addSql(`drop function if exists checkpoint_refuse_change()`);
    this.addSql(`alter table credit_event drop column hash_version`);
  }
}
