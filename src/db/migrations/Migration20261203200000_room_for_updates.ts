import { Migration } from '@mikro-orm/migrations';

/**
 * Room on every page of the two tables whose rows are updated in place most: a lot's `remaining` and `status` (each
 * gate admission, each split, each recall) and a certificate's `quantity_admitted` (each admission). With the room,
 * PostgreSQL keeps the new row version on the same page and touches none of the indexes (a heap-only update); on a
 * full page every update writes a new entry in each index — five on `batch`. Pages written from now on keep 15 %
 * free; pages already full keep their rows until rewritten (`VACUUM FULL batch, origin_certificate`, at a quiet hour).
 */
export class Migration20261203200000_room_for_updates extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table batch set (fillfactor = 85)`);
    this.addSql(`alter table origin_certificate set (fillfactor = 85)`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table batch reset (fillfactor)`);
    this.addSql(`alter table origin_certificate reset (fillfactor)`);
  }
}
