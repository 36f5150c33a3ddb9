import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Batch as BatchEntity, Market as MarketEntity, Operator as OperatorEntity, OriginCertificate as CertificateEntity } from '../entities';
import { quantityLeft } from '../quantity';
import type { Batch } from '../registry/batch.model';
import type { OriginCertificate } from '../registry/certificate.model';
import type { Market } from '../registry/market.model';
import type { Operator } from '../registry/operator.model';

/** Loads entities by id in one query, in key order, null for a missing key; each is handed on as `map` makes it. */
function byId<E extends { id: number }, T>(em: EntityManager, entity: new () => E, map: (e: E) => T): DataLoader<number, T | null> {
  return new DataLoader<number, T | null>(async (ids) => {
    const rows = (await em.find(entity as never, { id: { $in: ids as number[] } } as never)) as E[];
    const found = new Map(rows.map((r) => [r.id, map(r)]));
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

// Loaders sit below the table modules, so they read through the ORM entities and hand on the registry's types.

function operatorOf(o: OperatorEntity): Operator {
  return {
    id: o.id,
    kind: o.kind,
    name: o.name,
    creditCode: o.creditCode,
    registrationCardNo: o.registrationCardNo,
    village: o.village,
    address: o.address,
    contactPerson: o.contactPerson,
    contactPhone: o.contactPhone,
    status: o.status,
    publicCode: o.publicCode,
    createdAt: o.createdAt,
    credit: { operatorId: o.id, score: o.creditScore, grade: o.creditGrade, forcedUntil: o.forcedDUntil },
  };
}

function marketOf(m: MarketEntity): Market {
  return { id: m.id, name: m.name, village: m.village, address: m.address };
}

function batchOf(b: BatchEntity): Batch {
  return {
    id: b.id,
    ownerId: b.owner.id,
    productName: b.productName,
    category: b.category,
    lotCode: b.lotCode,
    quantity: b.quantity,
    remaining: b.remaining,
    unit: b.unit,
    producedAt: b.producedAt,
    originPlace: b.originPlace,
    gtin: b.gtin,
    publicCode: b.publicCode,
    status: b.status,
    nonConformant: b.nonConformant,
    createdAt: b.createdAt,
  };
}

function certificateOf(c: CertificateEntity): OriginCertificate {
  return {
    id: c.id,
    number: c.number,
    batchId: c.batch.id,
    issuerId: c.issuer.id,
    quantity: c.quantity,
    quantityAdmitted: c.quantityAdmitted,
    quantityRemaining: quantityLeft(c.quantity, c.quantityAdmitted),
    unit: c.unit,
    issuedAt: c.issuedAt,
    bases: c.bases,
    statement: c.statement,
    testReference: c.testReference,
    status: c.status,
    revokedAt: c.revokedAt,
    revokeReason: c.revokeReason,
  };
}

export function createLoaders(em: EntityManager) {
  return {
    operator: byId(em, OperatorEntity, operatorOf),
    market: byId(em, MarketEntity, marketOf),
    batch: byId(em, BatchEntity, batchOf),
    certificatesByBatch: groupedBy(
      async (ids) => (await em.find(CertificateEntity, { batch: { $in: ids as number[] } }, { orderBy: { id: 'asc' } })).map(certificateOf),
      (c) => c.batchId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
