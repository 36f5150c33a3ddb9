import { Migration } from '@mikro-orm/migrations';

/**
 * The serial of the lot a vendor receives at a gate (`<lot>/T<serial>`): a sequence hands numbers out without a lock or
 * a counter row, so scans for one vendor or one lot never queue for a number. It starts after the highest `/T` serial
 * already in use, so codes made before it are not handed out again.
 */
export class Migration20261202200000_received_lot_serial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence received_lot_serial`);
    this.addSql(`select setval('received_lot_serial', coalesce(
      (select max(substring(lot_code from '/T([0-9]{1,9})$')::bigint) from batch where lot_code ~ '/T[0-9]{1,9}$'), 0) + 1, false)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists received_lot_serial`);
  }
}
