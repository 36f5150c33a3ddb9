import { Migration } from '@mikro-orm/migrations';

/**
 * Incidents and their timeline. An incident is reported by a signed-in account or through the public form
 * (`reported_by_id` null, `contact` private); a drill runs the same flow and is kept out of the statistics.
 * Each status change is one `incident_step` row with who, when, notes, evidence and the next deadline; the
 * incident row keeps the deadlines and times the statistics count.
 */
export class Migration20261201200000_incident extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table incident (
  id serial primary key,
  kind text not null check (kind in ('FOOD_POISONING', 'COMPLAINT', 'HAZARD', 'FAILED_TEST', 'OTHER')),
  status text not null default 'REPORTED' check (status in ('REPORTED', 'INVESTIGATING', 'HANDLED', 'CLOSED')),
  drill boolean not null default false,
  place_kind text not null check (place_kind in ('VILLAGE', 'OPERATOR', 'CANTEEN', 'BANQUET')),
  village varchar(200) null,
  operator_id integer null references operator (id),
  place_ref varchar(200) null,
  occurred_at timestamptz not null,
  people_ill integer not null default 0 check (people_ill >= 0),
  description varchar(4000) not null check (length(description) > 0),
  suspect_codes jsonb not null default '[]' check (jsonb_typeof(suspect_codes) = 'array'),
  finding jsonb null,
  reported_by_id integer null references account (id),
  reporter_name varchar(200) null,
  contact varchar(200) null,
  reported_at timestamptz not null default now(),
  investigate_due_at timestamptz not null,
  handle_due_at timestamptz not null,
  investigating_at timestamptz null,
  handled_at timestamptz null,
  closed_at timestamptz null
)`);
    this.addSql(`create index incident_reported_at_idx on incident (reported_at, id)`);
    this.addSql(`create index incident_status_idx on incident (status, id)`);
    this.addSql(`
create table incident_step (
  id serial primary key,
  incident_id integer not null references incident (id),
  status text not null check (status in ('REPORTED', 'INVESTIGATING', 'HANDLED', 'CLOSED')),
  at timestamptz not null default now(),
  by_id integer null references account (id),
  notes varchar(4000) null,
  evidence jsonb not null default '[]' check (jsonb_typeof(evidence) = 'array'),
  due_at timestamptz null
)`);
    this.addSql(`create index incident_step_incident_idx on incident_step (incident_id, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists incident_step`);
    this.addSql(`drop table if exists incident`);
  }
}
