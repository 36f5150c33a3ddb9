import { Migration } from '@mikro-orm/migrations';

/** Indexes for reading the credit archive per operator by time (archive filters, quarter close, inspection plan). */
export class Migration20261129030000_credit_archive extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index credit_event_operator_occurred_idx on credit_event (operator_id, occurred_at, id)`);
    this.addSql(`create index credit_appeal_operator_idx on credit_appeal (operator_id, id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists credit_appeal_operator_idx`);
    this.addSql(`drop index if exists credit_event_operator_occurred_idx`);
  }
}
