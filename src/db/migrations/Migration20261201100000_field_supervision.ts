import { Migration } from '@mikro-orm/migrations';
import { SEED_CHECKLISTS } from './checklists-v1';

const check = (column: string, values: string[]) => `check (${column} in (${values.map((v) => `'${v}'`).join(', ')}))`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

const ROLES = ['ADMIN', 'REGULATOR', 'GATE_STAFF', 'OPERATOR', 'INSPECTOR', 'VILLAGE_ASSISTANT'];
const KINDS = ['FARM', 'COOPERATIVE', 'DAIRY_FARM', 'PROCESSOR', 'WHOLESALER', 'MARKET_VENDOR', 'SMALL_WORKSHOP', 'STREET_VENDOR', 'CANTEEN'];

/**
 * Field supervision: inspectors and village assistants (an assistant belongs to one village), versioned checklists
 * per operator kind (seeded with the first version of each), field inspections with their photos, and
 * rectification orders with their re-checks.
 */
export class Migration20261201100000_field_supervision extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table account drop constraint if exists account_role_check`);
    this.addSql(`alter table account add constraint account_role_check ${check('role', ROLES)}`);
    // the audit trail records the caller's role
    this.addSql(`alter table audit_event drop constraint if exists audit_event_role_check`);
    this.addSql(`alter table audit_event add constraint audit_event_role_check ${check('role', ROLES)}`);
    this.addSql(`alter table account add column if not exists village varchar(100) null`);
    this.addSql(`alter table account add constraint account_village_check check ((role = 'VILLAGE_ASSISTANT') = (village is not null))`);

    this.addSql(`
create table checklist_template (
  id serial primary key,
  operator_kind text not null ${check('operator_kind', KINDS)},
  version integer not null check (version > 0),
  name_zh varchar(200) not null,
  name_en varchar(200) not null,
  items jsonb not null check (jsonb_typeof(items) = 'array' and jsonb_array_length(items) > 0),
  created_at timestamptz not null default now(),
  constraint checklist_template_operator_kind_version_key unique (operator_kind, version)
)`);
    // a template is what past inspections were made with: it is never changed, a change is a new version
    this.addSql(`
create function checklist_template_unchanged() returns trigger language plpgsql as $$
begin
  raise exception 'checklist templates are never changed or deleted; add a new version' using errcode = 'P0001';
end $$`);
    this.addSql(`create trigger checklist_template_unchanged before update or delete on checklist_template
      for each row execute function checklist_template_unchanged()`);
    const values = SEED_CHECKLISTS.map((c) => `(${literal(c.kind)}, 1, ${literal(c.zh)}, ${literal(c.en)}, ${literal(JSON.stringify(c.items))}::jsonb)`);
    this.addSql(`insert into checklist_template (operator_kind, version, name_zh, name_en, items) values ${values.join(',\n  ')}`);

    this.addSql(`
create table field_photo (
  sha256 char(64) primary key,
  media_type varchar(20) not null,
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  bytes integer not null check (bytes > 0),
  uploaded_by_id integer references account (id),
  created_at timestamptz not null default now()
)`);

    this.addSql(`
create table field_inspection (
  id serial primary key,
  operator_id integer not null references operator (id),
  template_id integer not null references checklist_template (id),
  village varchar(100),
  inspector_id integer not null references account (id),
  inspected_at timestamptz not null,
  recorded_at timestamptz not null default now(),
  answers jsonb not null check (jsonb_typeof(answers) = 'array'),
  findings varchar(4000),
  photos jsonb not null default '[]',
  outcome text not null ${check('outcome', ['PASS', 'PUT_RIGHT', 'SERIOUS'])},
  points integer not null default 0 check (points <= 0),
  credit_event_id integer references credit_event (id),
  client_key varchar(64) not null,
  request_hash char(64) not null,
  response jsonb,
  constraint field_inspection_client_key_key unique (client_key)
)`);
    this.addSql(`create index field_inspection_operator_idx on field_inspection (operator_id, inspected_at, id)`);
    this.addSql(`create index field_inspection_time_idx on field_inspection (inspected_at, id)`);
    this.addSql(`create index field_inspection_village_idx on field_inspection (village, inspected_at, id)`);

    this.addSql(`
create table rectification_order (
  id serial primary key,
  inspection_id integer not null references field_inspection (id),
  operator_id integer not null references operator (id),
  village varchar(100),
  items jsonb not null check (jsonb_typeof(items) = 'array' and jsonb_array_length(items) > 0),
  deadline timestamptz not null,
  status text not null default 'OPEN' ${check('status', ['OPEN', 'CLOSED', 'ESCALATED'])},
  created_at timestamptz not null default now(),
  operator_note varchar(4000),
  operator_photos jsonb not null default '[]',
  answered_at timestamptz,
  rechecked_at timestamptz,
  rechecked_by_id integer references account (id),
  recheck_note varchar(4000),
  recheck_key varchar(64),
  overdue_event_id integer references credit_event (id),
  constraint rectification_order_inspection_id_key unique (inspection_id),
  constraint rectification_order_recheck_key_key unique (recheck_key),
  check ((status = 'OPEN') = (rechecked_at is null))
)`);
    this.addSql(`create index rectification_order_status_idx on rectification_order (status, deadline, id)`);
    this.addSql(`create index rectification_order_operator_idx on rectification_order (operator_id, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists rectification_order`);
    this.addSql(`drop table if exists field_inspection`);
    this.addSql(`drop table if exists field_photo`);
    this.addSql(`drop table if exists checklist_template`);
    this.addSql(`drop function if exists checklist_template_unchanged()`);
    this.addSql(`alter table account drop constraint if exists account_village_check`);
    this.addSql(`alter table account drop column if exists village`);
    this.addSql(`alter table account drop constraint if exists account_role_check`);
    this.addSql(`alter table account add constraint account_role_check ${check('role', ROLES.slice(0, 4))}`);
    this.addSql(`alter table audit_event drop constraint if exists audit_event_role_check`);
    this.addSql(`alter table audit_event add constraint audit_event_role_check ${check('role', ROLES.slice(0, 4))}`);
  }
}
