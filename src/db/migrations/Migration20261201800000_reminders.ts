import { Migration } from '@mikro-orm/migrations';

const KINDS = ['RECALL_STARTED', 'TEST_FAILED', 'INCIDENT_REPORTED'];
const check = (values: string[]) => `check (kind in (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * Reminders sent through the notification outbox: a banquet due within the reminder window, a rural chef's health
 * certificate about to end. Each is sent once — for a banquet once, for a chef once per certificate end date.
 */
export class Migration20261201800000_reminders extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table notification_outbox drop constraint notification_outbox_kind_check`);
    this.addSql(`alter table notification_outbox add constraint notification_outbox_kind_check ${check([...KINDS, 'BANQUET_DUE', 'CHEF_CERTIFICATE_EXPIRING'])}`);
    this.addSql(`alter table banquet add column reminded_at timestamptz null`);
    this.addSql(`alter table rural_chef add column expiry_reminded_for date null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table rural_chef drop column expiry_reminded_for`);
    this.addSql(`alter table banquet drop column reminded_at`);
    this.addSql(`alter table notification_outbox drop constraint notification_outbox_kind_check`);
    this.addSql(`alter table notification_outbox add constraint notification_outbox_kind_check ${check(KINDS)}`);
  }
}
