import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Batch, Market, Operator, OriginCertificate } from '../entities';

/** Loads entities by id in one query, in key order, null for a missing key. */
function byId<T extends { id: number }>(em: EntityManager, entity: new () => T): DataLoader<number, T | null> {
  return new DataLoader<number, T | null>(async (ids) => {
    const rows = (await em.find(entity as never, { id: { $in: ids as number[] } } as never)) as T[];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
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

export function createLoaders(em: EntityManager) {
  return {
    operator: byId(em, Operator),
    market: byId(em, Market),
    batch: byId(em, Batch),
    certificatesByBatch: groupedBy(
      (ids) => em.find(OriginCertificate, { batch: { $in: ids as number[] } }, { orderBy: { id: 'asc' } }),
      (c) => c.batch.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
