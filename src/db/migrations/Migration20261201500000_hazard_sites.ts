import { Migration } from '@mikro-orm/migrations';

const check = (column: string, values: string[]) => `check (${column} in (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * Hazard sites and campaigns: places found making or storing food without registration (a workshop in a rented
 * warehouse, an empty house), each visit to them, and campaigns — a named period, town-wide or in one village —
 * whose report is read from what was recorded in it.
 */
export class Migration20261201500000_hazard_sites extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table hazard_site (
  id serial primary key,
  kind text not null ${check('kind', ['UNLICENSED_WORKSHOP', 'RENTED_WAREHOUSE', 'EMPTY_HOUSE', 'STREET_STALL', 'OTHER'])},
  location varchar(300) not null,
  village varchar(100) not null,
  notes varchar(4000),
  photos jsonb not null default '[]',
  status text not null default 'OPEN' ${check('status', ['OPEN', 'REGISTERED', 'CLOSED'])},
  operator_id integer references operator (id),
  resolution_note varchar(4000),
  resolved_at timestamptz,
  resolved_by_id integer references account (id),
  created_by_id integer not null references account (id),
  created_at timestamptz not null default now(),
  client_key varchar(64) not null,
  request_hash char(64) not null,
  response jsonb,
  constraint hazard_site_client_key_key unique (client_key),
  constraint hazard_site_registered_check check ((status = 'REGISTERED') = (operator_id is not null)),
  constraint hazard_site_resolved_check check ((status = 'OPEN') = (resolved_at is null))
)`);
    this.addSql(`create index hazard_site_village_idx on hazard_site (village, created_at, id)`);
    this.addSql(`create index hazard_site_time_idx on hazard_site (created_at, id)`);

    this.addSql(`
create table site_inspection (
  id serial primary key,
  site_id integer not null references hazard_site (id),
  village varchar(100) not null,
  inspector_id integer not null references account (id),
  inspected_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  activity_found boolean not null,
  findings varchar(4000),
  photos jsonb not null default '[]',
  client_key varchar(64) not null,
  request_hash char(64) not null,
  response jsonb,
  constraint site_inspection_client_key_key unique (client_key)
)`);
    this.addSql(`create index site_inspection_site_idx on site_inspection (site_id, inspected_at, id)`);
    this.addSql(`create index site_inspection_time_idx on site_inspection (inspected_at, id)`);

    this.addSql(`
create table inspection_campaign (
  id serial primary key,
  name varchar(200) not null,
  village varchar(100),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  created_by_id integer not null references account (id),
  created_at timestamptz not null default now(),
  constraint inspection_campaign_period_check check (ends_at > starts_at)
)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists inspection_campaign`);
    this.addSql(`drop table if exists site_inspection`);
    this.addSql(`drop table if exists hazard_site`);
  }
}
