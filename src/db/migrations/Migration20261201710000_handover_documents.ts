import { Migration } from '@mikro-orm/migrations';

const DOCUMENT_TYPES = ['INVOICE', 'DELIVERY_NOTE', 'SALES_VOUCHER', 'PURCHASE_ORDER', 'BILL_OF_LADING', 'OTHER'];

/**
 * A hand-over may name its document (type and number), the shipping date and the places from and to. They sit on the
 * TRANSFER link; a gate scan keeps them on its entry until the load is admitted and the link exists.
 */
export class Migration20261201710000_handover_documents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table batch_link
      add column document_type text null check (document_type in (${DOCUMENT_TYPES.map((t) => `'${t}'`).join(', ')})),
      add column document_number varchar(64) null,
      add column shipped_at timestamptz null,
      add column ship_from varchar(300) null,
      add column ship_to varchar(300) null`);
    this.addSql(`alter table batch_link add constraint batch_link_document_check check ((document_type is null) = (document_number is null))`);
    this.addSql(`alter table batch_link add constraint batch_link_document_number_check check (length(document_number) > 0)`);
    this.addSql(`alter table market_entry add column handover jsonb null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table market_entry drop column handover`);
    this.addSql(`alter table batch_link drop constraint batch_link_document_number_check, drop constraint batch_link_document_check,
      drop column ship_to, drop column ship_from, drop column shipped_at, drop column document_number, drop column document_type`);
  }
}
