import type { Db } from './table';
import type { BanquetIngredientModel } from '../banquet/banquet.model';
import { defineTable } from './table';

export interface BanquetIngredientRow {
  id: number;
  banquet_id: number;
  code_scanned: string | null;
  name: string;
  batch_id: number | null;
}

export const banquetIngredientTable = defineTable<BanquetIngredientRow>('banquet_ingredient', {
  id: 'int4', banquet_id: 'int4', code_scanned: 'varchar', name: 'varchar', batch_id: 'int4',
});

export async function insertBanquetIngredients(ctx: Db, banquetId: number, items: BanquetIngredientModel[]): Promise<void> {
  for (const i of items) {
    await ctx.em.execute('insert into banquet_ingredient (banquet_id, code_scanned, name, batch_id) values (?, ?, ?, ?)', [banquetId, i.codeScanned, i.name, i.batchId]);
  }
}

/** The banquet's ingredients in the order filed, each with its lot's public code when linked. */
export async function ingredientsOfBanquet(ctx: Db, banquetId: number): Promise<BanquetIngredientModel[]> {
  const rows = await ctx.em.execute<(BanquetIngredientRow & { public_code: string | null })[]>(
    `select ${banquetIngredientTable.listAs('i')}, b.public_code from banquet_ingredient i left join batch b on b.id = i.batch_id where i.banquet_id = ? order by i.id`,
    [banquetId],
  );
  return rows.map((r) => ({ name: r.name, codeScanned: r.code_scanned, batchId: r.batch_id, publicCode: r.public_code }));
}
