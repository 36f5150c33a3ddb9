import type { Db } from './table';
import type { BanquetChefModel } from '../banquet/banquet.model';
import { defineTable } from './table';

export interface BanquetChefRow {
  id: number;
  banquet_id: number;
  chef_id: number | null;
  name: string;
}

export const banquetChefTable = defineTable<BanquetChefRow>('banquet_chef', { id: 'int4', banquet_id: 'int4', chef_id: 'int4', name: 'varchar' });

export async function insertBanquetChefs(ctx: Db, banquetId: number, chefs: BanquetChefModel[]): Promise<void> {
  for (const c of chefs) await ctx.em.execute('insert into banquet_chef (banquet_id, chef_id, name) values (?, ?, ?)', [banquetId, c.chefId, c.name]);
}

export async function chefsOfBanquet(ctx: Db, banquetId: number): Promise<BanquetChefModel[]> {
  const rows = await ctx.em.execute<BanquetChefRow[]>(`select ${banquetChefTable.list} from banquet_chef where banquet_id = ? order by id`, [banquetId]);
  return rows.map((r) => ({ name: r.name, chefId: r.chef_id }));
}
