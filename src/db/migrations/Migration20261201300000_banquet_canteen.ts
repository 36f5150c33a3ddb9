import { Migration } from '@mikro-orm/migrations';

const check = (column: string, values: string[]) =>
  `check (${column} in (${values.map((v) => `'${v}'`).join(', ')}))`;

const UNITS = ['KG', 'G', 'T', 'L', 'ML', 'PIECE', 'BOX', 'CRATE', 'BOTTLE'];

const OPERATOR_KINDS = ['FARM', 'COOPERATIVE', 'DAIRY_FARM', 'PROCESSOR', 'WHOLESALER', 'MARKET_VENDOR', 'SMALL_WORKSHOP', 'STREET_VENDOR', 'CANTEEN'];

/**
 * Rural banquets (filing, guidance, outcome, ingredients linked to lots), rural chefs (operators of kind RURAL_CHEF,
 * so each has the credit archive every operator has, plus a health certificate), canteen receiving checks and
 * retained samples.
 */
export class Migration20261201300000_banquet_canteen extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table operator drop constraint operator_kind_check`);
    this.addSql(`alter table operator add constraint operator_kind_check ${check('kind', [...OPERATOR_KINDS, 'RURAL_CHEF'])}`);
    this.addSql(`
create table rural_chef (
  operator_id int not null primary key references operator,
  health_certificate_no varchar(64) not null check (length(health_certificate_no) > 0),
  health_certificate_expires_on date not null,
  trainings_attended int not null default 0 check (trainings_attended >= 0),
  last_trained_on date null
)`);
    this.addSql(`create index rural_chef_expiry_idx on rural_chef (health_certificate_expires_on, operator_id)`);
    this.addSql(`
create table banquet (
  id serial primary key,
  number varchar(20) not null unique,
  host_name varchar(100) not null check (length(host_name) > 0),
  host_phone varchar(32) not null check (length(host_phone) > 0),
  village varchar(100) not null check (length(village) > 0),
  kind text not null ${check('kind', ['WEDDING', 'FUNERAL', 'BIRTHDAY', 'HOUSEWARMING', 'STUDY_FAREWELL', 'OTHER'])},
  held_on date not null,
  meal text not null ${check('meal', ['BREAKFAST', 'LUNCH', 'DINNER'])},
  guests int not null check (guests > 0),
  tables_count int null check (tables_count > 0),
  venue varchar(300) not null check (length(venue) > 0),
  menu varchar(2000) not null check (length(menu) > 0),
  tier text not null ${check('tier', ['HOST_FILES', 'TOWN_ON_SITE', 'COUNTY_ON_SITE'])},
  status text not null default 'FILED' ${check('status', ['FILED', 'GUIDED', 'SERVED'])},
  warnings jsonb not null default '[]',
  guidance_note varchar(2000) null,
  guided_by_id int null references account,
  guided_at timestamptz null,
  served_at timestamptz null,
  people_ill int null check (people_ill >= 0),
  outcome_note varchar(2000) null,
  created_at timestamptz not null default now()
)`);
    this.addSql(`create index banquet_held_on_idx on banquet (held_on, id)`);
    this.addSql(`
create table banquet_chef (
  id serial primary key,
  banquet_id int not null references banquet,
  chef_id int null references rural_chef,
  name varchar(100) not null check (length(name) > 0)
)`);
    this.addSql(`create index banquet_chef_banquet_idx on banquet_chef (banquet_id)`);
    this.addSql(`create index banquet_chef_chef_idx on banquet_chef (chef_id)`);
    this.addSql(`
create table banquet_ingredient (
  id serial primary key,
  banquet_id int not null references banquet,
  code_scanned varchar(500) null,
  name varchar(200) not null check (length(name) > 0),
  batch_id int null references batch
)`);
    this.addSql(`create index banquet_ingredient_banquet_idx on banquet_ingredient (banquet_id)`);
    this.addSql(`create index banquet_ingredient_batch_idx on banquet_ingredient (batch_id)`);
    // where an illness after a banquet waits for the incident it opens; the incident area takes it from here
    this.addSql(`
create table banquet_incident_request (
  id serial primary key,
  banquet_id int not null unique references banquet,
  people_ill int not null check (people_ill > 0),
  suspect_batch_ids jsonb not null,
  note varchar(2000) null,
  incident_ref varchar(64) null,
  created_at timestamptz not null default now()
)`);
    this.addSql(`
create table canteen_receipt (
  id serial primary key,
  canteen_id int not null references operator,
  staff_id int null references account,
  code_scanned varchar(500) not null,
  batch_id int null references batch,
  declared_quantity numeric(14,3) not null check (declared_quantity > 0),
  unit text not null ${check('unit', UNITS)},
  light text not null ${check('light', ['GREEN', 'AMBER', 'RED'])},
  reasons jsonb not null,
  received_batch_id int null references batch,
  created_at timestamptz not null default now()
)`);
    this.addSql(`create index canteen_receipt_canteen_idx on canteen_receipt (canteen_id, created_at)`);
    this.addSql(`
create table canteen_sample (
  id serial primary key,
  canteen_id int not null references operator,
  dish varchar(200) not null check (length(dish) > 0),
  meal text not null ${check('meal', ['BREAKFAST', 'LUNCH', 'DINNER'])},
  grams numeric(10,1) not null check (grams > 0),
  kept_by varchar(100) not null check (length(kept_by) > 0),
  kept_at timestamptz not null,
  discard_after timestamptz not null,
  recorded_by_id int null references account,
  created_at timestamptz not null default now()
)`);
    this.addSql(`create index canteen_sample_canteen_idx on canteen_sample (canteen_id, kept_at)`);
  }

  override async down(): Promise<void> {
    for (const t of ['canteen_sample', 'canteen_receipt', 'banquet_incident_request', 'banquet_ingredient', 'banquet_chef', 'banquet', 'rural_chef']) {
      this.addSql(`drop table if exists ${t}`);
    }
    this.addSql(`alter table operator drop constraint operator_kind_check`);
    this.addSql(`alter table operator add constraint operator_kind_check ${check('kind', OPERATOR_KINDS)}`);
  }
}
