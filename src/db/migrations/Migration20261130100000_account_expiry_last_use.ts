import { Migration } from '@mikro-orm/migrations';

/** A token may end (`expires_at`); the last use of an account is kept, at most once a minute. */
export class Migration20261130100000_account_expiry_last_use extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table account add column if not exists expires_at timestamptz null`);
    this.addSql(`alter table account add column if not exists last_used_at timestamptz null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table account drop column if exists last_used_at`);
    this.addSql(`alter table account drop column if exists expires_at`);
  }
}
