import { Migration } from '@mikro-orm/migrations';

/**
 * A test result is recorded exactly once per client key: `test_id` is unique (several rows without a key are
 * allowed), `request_hash` tells a resend from a reuse of the key for another result, and `response` is the first
 * answer, returned as is to every resend.
 */
export class Migration20261129090000_inspection_test_id extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table inspection add column test_id varchar(64), add column request_hash char(64), add column response jsonb`);
    this.addSql(`alter table inspection add constraint inspection_test_id_key unique (test_id)`);
    this.addSql(`alter table inspection add constraint inspection_test_id_answer check ((test_id is null) = (request_hash is null))`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table inspection drop column if exists response, drop column if exists request_hash, drop column if exists test_id`);
  }
}
