import { assertWorksAt } from '../auth/access';
import type { Context, Db } from '../context';
import { notFound } from '../errors';
import { insertMarket, marketById, toMarket } from '../tables/market.table';
import { activeMarketVendors, toPublicOperator } from '../tables/operator.table';
import * as v from '../validation';
import type { Market } from './market.model';
import type { PublicOperator } from './operator.model';

export interface RegisterMarketData {
  name: string;
  village?: string | null;
  address?: string | null;
}

/** Registers a market. */
export async function registerMarket(ctx: Context, input: RegisterMarketData): Promise<Market> {
  const row = await insertMarket(ctx, {
    name: v.text('name', input.name, 200),
    village: v.text('village', input.village, 100, { optional: true }),
    address: v.text('address', input.address, 300, { optional: true }),
  });
  return toMarket(row);
}

/** The market with this id; NOT_FOUND when there is none. */
export async function getMarket(ctx: Db, id: number): Promise<Market> {
  const row = await marketById(ctx, id);
  if (!row) throw notFound('Market', id);
  return toMarket(row);
}

/** Vendors a gate of this market may hand a load to: active market vendors, by name. */
export async function marketVendors(ctx: Context, marketId: number): Promise<PublicOperator[]> {
  assertWorksAt(ctx.viewer, marketId);
  await getMarket(ctx, marketId);
  return (await activeMarketVendors(ctx)).map(toPublicOperator);
}
