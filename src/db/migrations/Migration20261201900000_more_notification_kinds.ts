import { Migration } from '@mikro-orm/migrations';

const KINDS = ['RECALL_STARTED', 'TEST_FAILED', 'INCIDENT_REPORTED', 'BANQUET_DUE', 'CHEF_CERTIFICATE_EXPIRING'];
const check = (values: string[]) => `check (kind in (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * Three more events through the notification outbox: a load refused at a gate, a rectification order overdue (each
 * order told once, claimed by its `overdue_notified_at`), a certificate revoked.
 */
export class Migration20261201900000_more_notification_kinds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table notification_outbox drop constraint notification_outbox_kind_check`);
    this.addSql(`alter table notification_outbox add constraint notification_outbox_kind_check ${check([...KINDS, 'LOAD_REFUSED', 'ORDER_OVERDUE', 'CERTIFICATE_REVOKED'])}`);
    this.addSql(`alter table rectification_order add column overdue_notified_at timestamptz null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table rectification_order drop column overdue_notified_at`);
    this.addSql(`alter table notification_outbox drop constraint notification_outbox_kind_check`);
    this.addSql(`alter table notification_outbox add constraint notification_outbox_kind_check ${check(KINDS)}`);
  }
}
