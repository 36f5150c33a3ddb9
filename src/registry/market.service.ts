import type { Context } from '../context';
import { Market } from '../entities';
import * as v from '../validation';

export interface RegisterMarketData {
  name: string;
  village?: string | null;
  address?: string | null;
}

export async function registerMarket(ctx: Context, input: RegisterMarketData): Promise<Market> {
  const market = ctx.em.create(Market, {
    name: v.text('name', input.name, 200),
    village: v.text('village', input.village, 100, { optional: true }),
    address: v.text('address', input.address, 300, { optional: true }),
  });
  await ctx.em.persistAndFlush(market);
  return market;
}
