import { Migration } from '@mikro-orm/migrations';

/** Traces and recall impacts find the gate entry through which a lot was received. */
export class Migration20261129110000_entry_received_batch extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists market_entry_received_batch_idx on market_entry (received_batch_id) where received_batch_id is not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists market_entry_received_batch_idx`);
  }
}
