import type { Db } from './table';
import type { Market } from '../registry/market.model';
import { defineTable } from './table';

export interface MarketRow {
  id: number;
  name: string;
  village: string | null;
  address: string | null;
  created_at: Date;
}

export const marketTable = defineTable<MarketRow>('market', {
  id: 'int4',
  name: 'varchar',
  village: 'varchar',
  address: 'varchar',
  created_at: 'timestamptz',
});

export function toMarket(r: MarketRow): Market {
  return { id: r.id, name: r.name, village: r.village, address: r.address };
}

export async function insertMarket(ctx: Db, m: Omit<Market, 'id'>): Promise<MarketRow> {
  const [row] = await ctx.em.execute<MarketRow[]>(
    `insert into market (name, village, address, created_at) values (?, ?, ?, ?) returning ${marketTable.list}`,
    [m.name, m.village, m.address, new Date()],
  );
  return row;
}

export function marketById(ctx: Db, id: number): Promise<MarketRow | null> {
  return marketTable.byId(ctx, id);
}

export function marketsByIds(ctx: Db, ids: readonly number[]): Promise<MarketRow[]> {
  return marketTable.byIds(ctx, ids);
}

/** The id of the first market registered under this name, if any. */
export async function marketIdByName(ctx: Db, name: string): Promise<number | null> {
  const [row] = await ctx.em.execute<{ id: number }[]>('select id from market where name = ? order by id limit 1', [name]);
  return row?.id ?? null;
}
