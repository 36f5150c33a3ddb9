import type { EntityManager } from '@mikro-orm/postgresql';
import { Market, Operator, OperatorKind, OperatorStatus } from '../entities';
import { notFound } from '../errors';

/** Vendors a gate may hand a load to: active market vendors, by name. */
export async function marketVendors(em: EntityManager, marketId: number): Promise<Operator[]> {
  const market = await em.findOne(Market, marketId);
  if (!market) throw notFound('Market', marketId);
  return em.find(Operator, { kind: OperatorKind.MARKET_VENDOR, status: OperatorStatus.ACTIVE }, { orderBy: { name: 'asc', id: 'asc' }, limit: 1000 });
}
