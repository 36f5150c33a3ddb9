import { Migration } from '@mikro-orm/migrations';

const check = (column: string, values: string[]) => `check (${column} in (${values.map((v) => `'${v}'`).join(', ')}))`;

const BEFORE = ['VEGETABLE', 'FRUIT', 'DAIRY'];
const ADDED = ['EDIBLE_FUNGI', 'TEA', 'LIVESTOCK_POULTRY', 'EGGS', 'AQUATIC'];

/** Lots may be of every category the commitment-to-standard certificate rules name, not only vegetables, fruit and dairy. */
export class Migration20261201700000_product_categories extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table batch drop constraint batch_category_check`);
    this.addSql(`alter table batch add constraint batch_category_check ${check('category', [...BEFORE, ...ADDED])}`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table batch drop constraint batch_category_check`);
    this.addSql(`alter table batch add constraint batch_category_check ${check('category', BEFORE)}`);
  }
}
