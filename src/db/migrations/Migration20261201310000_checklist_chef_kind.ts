import { Migration } from '@mikro-orm/migrations';

const check = (column: string, values: string[]) => `check (${column} in (${values.map((v) => `'${v}'`).join(', ')}))`;

const KINDS = ['FARM', 'COOPERATIVE', 'DAIRY_FARM', 'PROCESSOR', 'WHOLESALER', 'MARKET_VENDOR', 'SMALL_WORKSHOP', 'STREET_VENDOR', 'CANTEEN'];

/** Checklists may be written for every operator kind, rural chefs included, as the operator table allows them. */
export class Migration20261201310000_checklist_chef_kind extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table checklist_template drop constraint checklist_template_operator_kind_check`);
    this.addSql(`alter table checklist_template add constraint checklist_template_operator_kind_check ${check('operator_kind', [...KINDS, 'RURAL_CHEF'])}`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table checklist_template drop constraint checklist_template_operator_kind_check`);
    this.addSql(`alter table checklist_template add constraint checklist_template_operator_kind_check ${check('operator_kind', KINDS)}`);
  }
}
