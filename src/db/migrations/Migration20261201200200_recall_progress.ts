import { Migration } from '@mikro-orm/migrations';

/**
 * A recall carried to the end: each affected operator's disposition of what it held (returned, destroyed, already
 * sold — per unit, the latest statement standing), and the recall's closure with a summary, once.
 */
export class Migration20261201200200_recall_progress extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table recall_disposition (
  id serial primary key,
  recall_id integer not null references recall (id),
  operator_id integer not null references operator (id),
  unit text not null check (unit in ('KG', 'G', 'T', 'L', 'ML', 'PIECE', 'BOX', 'CRATE', 'BOTTLE')),
  returned numeric(14,3) not null default 0 check (returned >= 0),
  destroyed numeric(14,3) not null default 0 check (destroyed >= 0),
  sold numeric(14,3) not null default 0 check (sold >= 0),
  note varchar(2000) null,
  recorded_by_id integer null references account (id),
  recorded_at timestamptz not null default now(),
  constraint recall_disposition_recall_id_operator_id_unit_key unique (recall_id, operator_id, unit)
)`);
    this.addSql(`
create table recall_closure (
  id serial primary key,
  recall_id integer not null references recall (id),
  summary varchar(4000) not null check (length(summary) > 0),
  closed_by_id integer null references account (id),
  closed_at timestamptz not null default now(),
  constraint recall_closure_recall_id_key unique (recall_id)
)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists recall_closure`);
    this.addSql(`drop table if exists recall_disposition`);
  }
}
