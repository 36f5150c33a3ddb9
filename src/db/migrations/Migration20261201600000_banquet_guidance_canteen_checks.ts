import { Migration } from '@mikro-orm/migrations';

/**
 * A banquet's guidance may cite a field inspection (its checklist answers and photos) and photos of its own; a
 * canteen's delivery may carry a client key so a retried request records it once; canteen staff's morning health
 * checks (晨检), one per person per day, each recorded once per client key.
 */
export class Migration20261201600000_banquet_guidance_canteen_checks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table banquet add column guidance_inspection_id int null references field_inspection`);
    this.addSql(`alter table banquet add column guidance_photos jsonb not null default '[]'`);
    this.addSql(`create index banquet_village_held_on_idx on banquet (village, held_on, id)`);
    this.addSql(`alter table canteen_receipt add column client_key varchar(64) null`);
    this.addSql(`alter table canteen_receipt add constraint canteen_receipt_client_key_key unique (client_key)`);
    this.addSql(`alter table canteen_receipt add column request_hash char(64) null`);
    this.addSql(`alter table canteen_receipt add column response jsonb null`);
    this.addSql(`
create table canteen_morning_check (
  id serial primary key,
  canteen_id int not null references operator,
  checked_on date not null,
  staff_name varchar(100) not null check (length(staff_name) > 0),
  temperature numeric(3,1) not null check (temperature >= 34 and temperature <= 43),
  symptoms jsonb not null default '[]' check (jsonb_typeof(symptoms) = 'array'),
  fit_for_work boolean not null,
  checked_by varchar(100) not null check (length(checked_by) > 0),
  recorded_by_id int null references account,
  client_key varchar(64) not null,
  request_hash char(64) not null,
  response jsonb null,
  created_at timestamptz not null default now(),
  constraint canteen_morning_check_client_key_key unique (client_key),
  constraint canteen_morning_check_person_day_key unique (canteen_id, checked_on, staff_name)
)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists canteen_morning_check`);
    this.addSql(`alter table canteen_receipt drop column response, drop column request_hash, drop column client_key`);
    this.addSql(`drop index if exists banquet_village_held_on_idx`);
    this.addSql(`alter table banquet drop column guidance_photos, drop column guidance_inspection_id`);
  }
}
