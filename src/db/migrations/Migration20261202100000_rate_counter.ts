import { Migration } from '@mikro-orm/migrations';

/**
 * Rate-limit budgets shared by every app process. UNLOGGED: no WAL per hit (so nothing for a replica to replay either),
 * and after a crash the table starts empty, which only gives every client a fresh window.
 */
export class Migration20261202100000_rate_counter extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unlogged table rate_counter (
      key text primary key,
      hits integer not null,
      window_ends_at timestamptz not null
    )`);
    this.addSql(`create index rate_counter_window_idx on rate_counter (window_ends_at)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table rate_counter`);
  }
}
