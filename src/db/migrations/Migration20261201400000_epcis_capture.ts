import { Migration } from '@mikro-orm/migrations';

/**
 * EPCIS capture: one row per capture job, one per captured event (unique by its CBV event hash, so a document sent
 * twice adds nothing), and the identifier table that maps foreign EPCs, classes, locations and parties to our own
 * lots, operators and markets, or keeps them as master data.
 */
export class Migration20261201400000_epcis_capture extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table epcis_capture (
  id serial primary key,
  account_id integer references account (id),
  received_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null check (status in ('RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED')),
  event_count integer not null default 0 check (event_count >= 0),
  captured_count integer not null default 0 check (captured_count >= 0),
  duplicate_count integer not null default 0 check (duplicate_count >= 0),
  errors jsonb not null default '[]' check (jsonb_typeof(errors) = 'array')
)`);
    this.addSql(`
create table epcis_event (
  id serial primary key,
  capture_id integer not null references epcis_capture (id),
  event_hash varchar(200) not null,
  event_id varchar(500),
  event_type varchar(40) not null,
  event_time timestamptz not null,
  biz_step varchar(500),
  disposition varchar(500),
  read_point varchar(500),
  epcs jsonb not null default '[]' check (jsonb_typeof(epcs) = 'array'),
  body jsonb not null,
  corrected_by_id integer references epcis_event (id),
  created_at timestamptz not null default now(),
  constraint epcis_event_event_hash_key unique (event_hash)
)`);
    this.addSql(`create index epcis_event_event_time_idx on epcis_event (event_time, id)`);
    this.addSql(`create index epcis_event_event_id_idx on epcis_event (event_id)`);
    this.addSql(`
create table exchange_identifier (
  id serial primary key,
  foreign_id varchar(500) not null,
  scheme varchar(40) not null,
  batch_id integer references batch (id),
  operator_id integer references operator (id),
  market_id integer references market (id),
  master_data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  constraint exchange_identifier_foreign_id_key unique (foreign_id)
)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists exchange_identifier`);
    this.addSql(`drop table if exists epcis_event`);
    this.addSql(`drop table if exists epcis_capture`);
  }
}
