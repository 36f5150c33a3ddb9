import { Migration } from '@mikro-orm/migrations';

/**
 * EPCIS capture through the job queue: the accepted document is kept with its job until the job has run, so a
 * capture answered 202 survives a restart; running jobs are found by their status.
 */
export class Migration20261202100000_epcis_capture_queue extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table epcis_capture add column document jsonb null`);
    this.addSql(`create index epcis_capture_running_idx on epcis_capture (id) where status = 'RUNNING'`);
    // GET /epcis/events pages in (event time, event hash) order
    this.addSql(`create index epcis_event_time_hash_idx on epcis_event (event_time, event_hash)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index epcis_event_time_hash_idx`);
    this.addSql(`drop index epcis_capture_running_idx`);
    this.addSql(`alter table epcis_capture drop column document`);
  }
}
