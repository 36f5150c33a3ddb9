import { Migration } from '@mikro-orm/migrations';

/**
 * The FSMA 204 spreadsheet of a time range reads the critical tracking events by when they happened: lots by their
 * production time, links by when they were made, gate hand-overs by the gate's decision. Without these a 30-day
 * range scans every lot and link of the county.
 */
export class Migration20261203100000_cte_time_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index batch_produced_at_idx on batch (produced_at)`);
    this.addSql(`create index batch_link_created_at_idx on batch_link (created_at)`);
    this.addSql(`create index market_entry_handover_at_idx on market_entry ((coalesce(decided_at, created_at)))
      where received_batch_id is not null and batch_id is distinct from received_batch_id`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index market_entry_handover_at_idx`);
    this.addSql(`drop index batch_link_created_at_idx`);
    this.addSql(`drop index batch_produced_at_idx`);
  }
}
