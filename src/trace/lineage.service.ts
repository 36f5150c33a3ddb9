import type { EntityManager } from '@mikro-orm/postgresql';
import { newPublicCode } from '../auth/token';
import { BatchStatus, LinkKind } from '../entities/enums';
import { badInput, notFound } from '../errors';

export interface BatchRow {
  id: number;
  owner_id: number;
  product_name: string;
  category: string;
  lot_code: string;
  quantity: string;
  remaining: string;
  unit: string;
  produced_at: Date;
  origin_place: string | null;
  gtin: string | null;
  status: string;
}

/**
 * Takes `quantity` from a batch atomically: the row is updated only if enough remains, so concurrent
 * takers can never exceed what the parent holds. The row stays locked until the caller's transaction ends.
 */
export async function takeFromBatch(em: EntityManager, batchId: number, quantity: number, field = 'quantity'): Promise<BatchRow> {
  const rows = await em.execute<BatchRow[]>(
    `update batch set remaining = remaining - ?, status = case when remaining - ? = 0 then 'CONSUMED' else status end
     where id = ? and status = 'ACTIVE' and remaining >= ?
     returning id, owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, status`,
    [quantity, quantity, batchId, quantity],
  );
  if (rows.length) return rows[0];
  const [batch] = await em.execute<{ remaining: string; unit: string; status: string }[]>('select remaining, unit, status from batch where id = ?', [batchId]);
  if (!batch) throw notFound('Batch', batchId);
  if (batch.status !== BatchStatus.ACTIVE) throw badInput(field, `batch ${batchId} is ${batch.status}`);
  throw badInput(field, `batch ${batchId} has only ${Number(batch.remaining)} ${batch.unit} left`);
}

export interface NewChild {
  ownerId: number;
  productName: string;
  category: string;
  lotCode: string;
  quantity: number;
  unit: string;
  producedAt: Date;
  originPlace: string | null;
  gtin: string | null;
}

/** Inserts a child batch and its links from each parent (quantity taken from that parent). */
export async function insertChild(em: EntityManager, child: NewChild, kind: LinkKind, parents: { id: number; quantity: number }[]): Promise<BatchRow> {
  const [row] = await em.execute<BatchRow[]>(
    `insert into batch (owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, public_code)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     returning id, owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, status`,
    [child.ownerId, child.productName, child.category, child.lotCode, child.quantity, child.quantity, child.unit, child.producedAt, child.originPlace, child.gtin, newPublicCode()],
  );
  for (const p of parents) {
    await em.execute('insert into batch_link (parent_id, child_id, kind, quantity) values (?, ?, ?, ?)', [p.id, row.id, kind, p.quantity]);
  }
  return row;
}

/** A lot code for a derived batch, unique for its owner: the parent's code and a serial. */
export async function derivedLotCode(em: EntityManager, ownerId: number, base: string, tag: string): Promise<string> {
  const prefix = `${base.slice(0, 50)}/${tag}`;
  const [{ n }] = await em.execute<{ n: string }[]>(
    `select count(*) as n from batch where owner_id = ? and lot_code like ? escape '\\'`,
    [ownerId, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  );
  return `${prefix}${Number(n) + 1}`;
}

/**
 * Hands `quantity` of a batch to another operator, who receives a new batch linked by TRANSFER.
 * Runs inside the caller's transaction; the receiver must be active.
 */
export async function transferWithin(em: EntityManager, input: { parentId: number; toOperatorId: number; quantity: number; at?: Date }): Promise<BatchRow> {
  const [receiver] = await em.execute<{ status: string }[]>('select status from operator where id = ?', [input.toOperatorId]);
  if (!receiver) throw notFound('Operator', input.toOperatorId);
  if (receiver.status !== 'ACTIVE') throw badInput('toOperatorId', `operator ${input.toOperatorId} is ${receiver.status}`);
  const parent = await takeFromBatch(em, input.parentId, input.quantity);
  if (parent.owner_id === input.toOperatorId) throw badInput('toOperatorId', 'a batch cannot be transferred to its own owner');
  const lotCode = await derivedLotCode(em, input.toOperatorId, parent.lot_code, 'T');
  return insertChild(
    em,
    {
      ownerId: input.toOperatorId,
      productName: parent.product_name,
      category: parent.category,
      lotCode,
      quantity: input.quantity,
      unit: parent.unit,
      producedAt: new Date(parent.produced_at),
      originPlace: parent.origin_place,
      gtin: parent.gtin,
    },
    LinkKind.TRANSFER,
    [{ id: parent.id, quantity: input.quantity }],
  );
}
