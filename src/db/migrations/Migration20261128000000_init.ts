import { Migration } from '@mikro-orm/migrations';

const check = (column: string, values: string[]) =>
  `check (${column} in (${values.map((v) => `'${v}'`).join(', ')}))`;

const UNITS = ['KG', 'G', 'T', 'L', 'ML', 'PIECE', 'BOX', 'CRATE', 'BOTTLE'];

/** The whole domain of DESIGN.md, with its constraints in SQL. */
export class Migration20261128000000_init extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table operator (
  id serial primary key,
  kind text not null ${check('kind', ['FARM', 'COOPERATIVE', 'DAIRY_FARM', 'PROCESSOR', 'WHOLESALER', 'MARKET_VENDOR', 'SMALL_WORKSHOP', 'STREET_VENDOR', 'CANTEEN'])},
  name varchar(200) not null check (length(name) > 0),
  credit_code varchar(18) unique check (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  registration_card_no varchar(32) unique,
  village varchar(100),
  address varchar(300),
  contact_person varchar(100),
  contact_phone varchar(32),
  status text not null default 'ACTIVE' ${check('status', ['ACTIVE', 'SUSPENDED', 'REVOKED'])},
  public_code varchar(32) not null unique,
  credit_score integer not null default 100 check (credit_score between 0 and 100),
  credit_grade char(1) not null default 'A' ${check('credit_grade', ['A', 'B', 'C', 'D'])},
  forced_d_until timestamptz,
  created_at timestamptz not null default now(),
  check (credit_code is not null or registration_card_no is not null)
)`);
    this.addSql(`create sequence registration_card_seq`);
    this.addSql(`create index operator_kind_id_idx on operator (kind, id)`);
    this.addSql(`create index operator_grade_score_idx on operator (credit_grade, credit_score, id)`);
    this.addSql(`create index operator_village_idx on operator (village, id)`);

    this.addSql(`
create table market (
  id serial primary key,
  name varchar(200) not null check (length(name) > 0),
  village varchar(100),
  address varchar(300),
  created_at timestamptz not null default now()
)`);

    this.addSql(`
create table account (
  id serial primary key,
  name varchar(200) not null check (length(name) > 0),
  role text not null ${check('role', ['ADMIN', 'REGULATOR', 'GATE_STAFF', 'OPERATOR'])},
  market_id integer references market (id),
  operator_id integer references operator (id),
  token_hash char(64) not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  check ((role = 'GATE_STAFF') = (market_id is not null)),
  check ((role = 'OPERATOR') = (operator_id is not null))
)`);

    this.addSql(`
create table batch (
  id serial primary key,
  owner_id integer not null references operator (id),
  product_name varchar(200) not null check (length(product_name) > 0),
  category text not null ${check('category', ['VEGETABLE', 'FRUIT', 'DAIRY'])},
  lot_code varchar(64) not null check (length(lot_code) > 0),
  quantity numeric(14,3) not null check (quantity > 0),
  remaining numeric(14,3) not null check (remaining >= 0 and remaining <= quantity),
  unit text not null ${check('unit', UNITS)},
  produced_at timestamptz not null,
  origin_place varchar(300),
  gtin varchar(14) check (gtin ~ '^[0-9]{14}$'),
  public_code varchar(32) not null unique,
  status text not null default 'ACTIVE' ${check('status', ['ACTIVE', 'CONSUMED', 'RECALLED'])},
  non_conformant boolean not null default false,
  created_at timestamptz not null default now(),
  unique (owner_id, lot_code)
)`);
    this.addSql(`create index batch_gtin_lot_idx on batch (gtin, lot_code) where gtin is not null`);

    this.addSql(`
create table batch_link (
  id serial primary key,
  parent_id integer not null references batch (id),
  child_id integer not null references batch (id),
  kind text not null ${check('kind', ['SPLIT', 'MERGE', 'PROCESS', 'TRANSFER'])},
  quantity numeric(14,3) not null check (quantity > 0),
  created_at timestamptz not null default now(),
  unique (parent_id, child_id),
  check (parent_id <> child_id)
)`);
    this.addSql(`create index batch_link_child_idx on batch_link (child_id, parent_id)`);

    this.addSql(`
create table origin_certificate (
  id serial primary key,
  number varchar(40) not null unique,
  batch_id integer not null references batch (id),
  issuer_id integer not null references operator (id),
  quantity numeric(14,3) not null check (quantity > 0),
  quantity_admitted numeric(14,3) not null default 0 check (quantity_admitted >= 0 and quantity_admitted <= quantity),
  unit text not null ${check('unit', UNITS)},
  issued_at timestamptz not null,
  bases text[] not null check (cardinality(bases) > 0 and bases <@ array['COMMISSIONED_TEST', 'SELF_TEST', 'INTERNAL_QC', 'SELF_COMMITMENT']),
  statement text not null check (length(statement) > 0),
  test_reference varchar(100),
  status text not null default 'VALID' ${check('status', ['VALID', 'REVOKED'])},
  revoked_at timestamptz,
  revoke_reason varchar(500),
  created_at timestamptz not null default now()
)`);
    this.addSql(`create index origin_certificate_batch_idx on origin_certificate (batch_id)`);

    this.addSql(`
create table market_entry (
  id serial primary key,
  market_id integer not null references market (id),
  staff_id integer not null references account (id),
  scan_id varchar(64) not null unique,
  request_hash char(64) not null,
  code_scanned varchar(500) not null,
  batch_id integer references batch (id),
  certificate_id integer references origin_certificate (id),
  vendor_id integer not null references operator (id),
  declared_quantity numeric(14,3) not null check (declared_quantity > 0),
  unit text not null ${check('unit', UNITS)},
  decision text not null ${check('decision', ['ACCEPTED', 'TEST_REQUIRED', 'REJECTED'])},
  reasons jsonb not null default '[]',
  received_batch_id integer references batch (id),
  response jsonb,
  created_at timestamptz not null default now(),
  decided_at timestamptz
)`);
    this.addSql(`create index market_entry_batch_idx on market_entry (batch_id)`);
    this.addSql(`create index market_entry_market_idx on market_entry (market_id, created_at)`);
    this.addSql(`create index market_entry_vendor_idx on market_entry (vendor_id)`);

    this.addSql(`
create table inspection (
  id serial primary key,
  batch_id integer not null references batch (id),
  market_id integer references market (id),
  entry_id integer references market_entry (id),
  kind text not null ${check('kind', ['RAPID', 'LAB'])},
  items jsonb not null check (jsonb_typeof(items) = 'array' and jsonb_array_length(items) > 0),
  result text not null ${check('result', ['PASS', 'FAIL'])},
  tester varchar(100) not null,
  recorded_by_id integer references account (id),
  inspected_at timestamptz not null default now()
)`);
    this.addSql(`create index inspection_batch_idx on inspection (batch_id)`);
    this.addSql(`create index inspection_market_day_idx on inspection (market_id, inspected_at)`);

    this.addSql(`
create table credit_event (
  id serial primary key,
  operator_id integer not null references operator (id),
  seq integer not null check (seq > 0),
  rule_code varchar(64) not null,
  points integer not null,
  reason varchar(1000) not null,
  source text not null ${check('source', ['ENTRY', 'INSPECTION', 'RECALL', 'REGULATOR', 'APPEAL', 'SYSTEM'])},
  source_ref varchar(64),
  recorded_by_id integer references account (id),
  occurred_at timestamptz not null,
  expires_at timestamptz,
  forces_d_until timestamptz,
  reverses_id integer unique references credit_event (id),
  prev_hash char(64) not null,
  hash char(64) not null unique,
  created_at timestamptz not null default now(),
  unique (operator_id, seq)
)`);
    this.addSql(`create index credit_event_rule_idx on credit_event (rule_code, occurred_at, id)`);
    this.addSql(`create index credit_event_occurred_idx on credit_event (occurred_at, id)`);
    this.addSql(`create unique index credit_event_period_award_idx on credit_event (operator_id, rule_code, source_ref) where rule_code = 'CLEAN_QUARTER'`);
    this.addSql(`
create function credit_event_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'credit_event is append-only: % refused', tg_op using errcode = 'P0001';
end $$`);
    this.addSql(`create trigger credit_event_no_update before update or delete on credit_event for each row execute function credit_event_refuse_change()`);
    this.addSql(`create trigger credit_event_no_truncate before truncate on credit_event for each statement execute function credit_event_refuse_change()`);

    this.addSql(`
create table recall (
  id serial primary key,
  batch_id integer not null unique references batch (id),
  reason varchar(1000) not null check (length(reason) > 0),
  initiated_by_id integer references account (id),
  impact jsonb not null,
  created_at timestamptz not null default now()
)`);

    this.addSql(`
create table credit_appeal (
  id serial primary key,
  event_id integer not null references credit_event (id),
  operator_id integer not null references operator (id),
  kind text not null ${check('kind', ['APPEAL', 'REPAIR'])},
  reason varchar(2000) not null check (length(reason) > 0),
  status text not null default 'PENDING' ${check('status', ['PENDING', 'UPHELD', 'REJECTED'])},
  filed_by_id integer references account (id),
  decided_by_id integer references account (id),
  decided_at timestamptz,
  decision_note varchar(2000),
  reversal_event_id integer references credit_event (id),
  created_at timestamptz not null default now()
)`);
    this.addSql(`create index credit_appeal_status_idx on credit_appeal (status, id)`);
    this.addSql(`create unique index credit_appeal_one_pending_idx on credit_appeal (event_id) where status = 'PENDING'`);
  }

  override async down(): Promise<void> {
    for (const table of ['credit_appeal', 'recall', 'credit_event', 'inspection', 'market_entry', 'origin_certificate', 'batch_link', 'batch', 'account', 'market', 'operator']) {
      this.addSql(`drop table if exists ${table} cascade`);
    }
    this.addSql(`drop function if exists credit_event_refuse_change()`);
    this.addSql(`drop sequence if exists registration_card_seq`);
  }
}
