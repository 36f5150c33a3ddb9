import { Migration } from '@mikro-orm/migrations';

/**
 * Each operator records the head of its credit chain (last position and hash), written by the same statement as
 * the event. A chain alone cannot show that its newest events were removed; the recorded head can.
 */
export class Migration20261129030100_credit_chain_head extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table operator add column credit_chain_seq integer not null default 0 check (credit_chain_seq >= 0), add column credit_chain_head char(64)`);
    this.addSql(`
update operator o set credit_chain_seq = h.seq, credit_chain_head = h.hash
  from (select distinct on (operator_id) operator_id, seq, hash from credit_event order by operator_id, seq desc) h
 where h.operator_id = o.id`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table operator drop column credit_chain_head, drop column credit_chain_seq`);
  }
}
