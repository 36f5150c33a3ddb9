import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { batchesByIds, toBatch } from '../tables/batch.table';
import { marketsByIds, toMarket } from '../tables/market.table';
import { operatorsByIds, toOperator } from '../tables/operator.table';
import { certificatesOfBatches, toOriginCertificate } from '../tables/origin-certificate.table';
import type { Db } from '../tables/table';

/** Loads rows by id in one statement, in key order, null for a missing key; each is handed on as `map` makes it. */
function byId<R extends { id: number }, T>(ctx: Db, load: (ctx: Db, ids: readonly number[]) => Promise<R[]>, map: (row: R) => T): DataLoader<number, T | null> {
  return new DataLoader<number, T | null>(async (ids) => {
    const found = new Map((await load(ctx, ids)).map((r) => [r.id, map(r)]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Loads children rows grouped by a foreign key, in key order, empty for none. */
function groupedBy<T>(load: (keys: readonly number[]) => Promise<T[]>, keyOf: (row: T) => number): DataLoader<number, T[]> {
  return new DataLoader<number, T[]>(async (keys) => {
    const rows = await load(keys);
    const groups = new Map<number, T[]>();
    for (const row of rows) {
      const k = keyOf(row);
      const list = groups.get(k);
      if (list) list.push(row);
      else groups.set(k, [row]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** The request's loaders, reading through the table modules on the request's EntityManager. */
export function createLoaders(em: EntityManager) {
  const ctx: Db = { em };
  return {
    operator: byId(ctx, operatorsByIds, toOperator),
    market: byId(ctx, marketsByIds, toMarket),
    batch: byId(ctx, batchesByIds, toBatch),
    certificatesByBatch: groupedBy(async (ids) => (await certificatesOfBatches(ctx, ids)).map(toOriginCertificate), (c) => c.batchId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
