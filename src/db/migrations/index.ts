import { Migration20261128000000_init } from './Migration20261128000000_init';
import { Migration20261129010000_lineage } from './Migration20261129010000_lineage';
import { Migration20261129010100_lineage_cycle_statement } from './Migration20261129010100_lineage_cycle_statement';
import { Migration20261129030000_credit_archive } from './Migration20261129030000_credit_archive';
import { Migration20261129030100_credit_chain_head } from './Migration20261129030100_credit_chain_head';
import { Migration20261129090000_inspection_test_id } from './Migration20261129090000_inspection_test_id';
import { Migration20261129110000_entry_received_batch } from './Migration20261129110000_entry_received_batch';
import { Migration20261129200000_audit_event } from './Migration20261129200000_audit_event';
import { Migration20261129200000_ledger_checkpoint } from './Migration20261129200000_ledger_checkpoint';
import { Migration20261129203000_credit_score_fold } from './Migration20261129203000_credit_score_fold';
import { Migration20261130100000_account_expiry_last_use } from './Migration20261130100000_account_expiry_last_use';
import { Migration20261201100000_field_supervision } from './Migration20261201100000_field_supervision';
import { Migration20261201300000_banquet_canteen } from './Migration20261201300000_banquet_canteen';
import { Migration20261201310000_checklist_chef_kind } from './Migration20261201310000_checklist_chef_kind';
import { Migration20261201400000_epcis_capture } from './Migration20261201400000_epcis_capture';
import { Migration20261201700000_product_categories } from './Migration20261201700000_product_categories';
import { Migration20261201710000_handover_documents } from './Migration20261201710000_handover_documents';

/** Every migration in order; new ones are appended here. */
export const MIGRATIONS = [
  { name: 'Migration20261128000000_init', class: Migration20261128000000_init },
  { name: 'Migration20261129010000_lineage', class: Migration20261129010000_lineage },
  { name: 'Migration20261129010100_lineage_cycle_statement', class: Migration20261129010100_lineage_cycle_statement },
  { name: 'Migration20261129030000_credit_archive', class: Migration20261129030000_credit_archive },
  { name: 'Migration20261129030100_credit_chain_head', class: Migration20261129030100_credit_chain_head },
  { name: 'Migration20261129090000_inspection_test_id', class: Migration20261129090000_inspection_test_id },
  { name: 'Migration20261129110000_entry_received_batch', class: Migration20261129110000_entry_received_batch },
  { name: 'Migration20261129200000_audit_event', class: Migration20261129200000_audit_event },
  { name: 'Migration20261129200000_ledger_checkpoint', class: Migration20261129200000_ledger_checkpoint },
  { name: 'Migration20261129203000_credit_score_fold', class: Migration20261129203000_credit_score_fold },
  { name: 'Migration20261130100000_account_expiry_last_use', class: Migration20261130100000_account_expiry_last_use },
  { name: 'Migration20261201100000_field_supervision', class: Migration20261201100000_field_supervision },
  { name: 'Migration20261201300000_banquet_canteen', class: Migration20261201300000_banquet_canteen },
  { name: 'Migration20261201310000_checklist_chef_kind', class: Migration20261201310000_checklist_chef_kind },
  { name: 'Migration20261201400000_epcis_capture', class: Migration20261201400000_epcis_capture },
  { name: 'Migration20261201700000_product_categories', class: Migration20261201700000_product_categories },
  { name: 'Migration20261201710000_handover_documents', class: Migration20261201710000_handover_documents },
];
