import { Migration } from '@mikro-orm/migrations';

/**
 * The town's own work: trainings and who attended them (each attending operator's TRAINING_COMPLETED event is
 * linked to its row), and the year's plan items with every progress report made on them (the work ledger reads those).
 */
export class Migration20261202100000_assessment extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table training (
  id serial primary key,
  topic varchar(300) not null,
  held_on date not null,
  trainer varchar(100) not null,
  village varchar(100),
  recorded_by_id integer not null references account (id),
  created_at timestamptz not null default now(),
  client_key varchar(64) not null,
  request_hash char(64) not null,
  response jsonb,
  constraint training_client_key_key unique (client_key)
)`);
    this.addSql(`create index training_held_on_idx on training (held_on, id)`);

    this.addSql(`
create table training_attendee (
  id serial primary key,
  training_id integer not null references training (id),
  operator_id integer references operator (id),
  account_id integer references account (id),
  name varchar(100) not null,
  credit_event_id integer references credit_event (id),
  constraint training_attendee_training_id_operator_id_key unique (training_id, operator_id),
  constraint training_attendee_training_id_account_id_key unique (training_id, account_id),
  constraint training_attendee_one_kind_check check (operator_id is null or account_id is null)
)`);
    this.addSql(`create index training_attendee_operator_idx on training_attendee (operator_id)`);

    this.addSql(`
create table plan_item (
  id serial primary key,
  year integer not null,
  title varchar(300) not null,
  owner varchar(100) not null,
  due_on date not null,
  progress integer not null default 0,
  status text not null default 'NOT_STARTED' check (status in ('NOT_STARTED', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
  notes varchar(4000),
  created_by_id integer not null references account (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint plan_item_progress_check check (progress >= 0 and progress <= 100)
)`);
    this.addSql(`create index plan_item_year_idx on plan_item (year, due_on, id)`);

    this.addSql(`
create table plan_progress (
  id serial primary key,
  plan_item_id integer not null references plan_item (id),
  progress integer not null,
  status text not null check (status in ('NOT_STARTED', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
  note varchar(4000),
  recorded_by_id integer not null references account (id),
  recorded_at timestamptz not null default now()
)`);
    this.addSql(`create index plan_progress_time_idx on plan_progress (recorded_at, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists plan_progress`);
    this.addSql(`drop table if exists plan_item`);
    this.addSql(`drop table if exists training_attendee`);
    this.addSql(`drop table if exists training`);
  }
}
