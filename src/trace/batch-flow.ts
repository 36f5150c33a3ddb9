import type { Db } from '../context';
import { BatchStatus, LinkKind, OperatorStatus } from '../entities/enums';
import { badInput, conflict, notFound } from '../errors';
import { insertLinks } from '../tables/batch-link.table';
import {
  batchById, highestLotSerial, insertBatches, lockDerivedLotCodes, takeQuantity, type BatchRow, type NewBatch,
} from '../tables/batch.table';
import { operatorStatus } from '../tables/operator.table';

/**
 * How goods move between lots: quantities taken from parents and children inserted with their links. Every
 * function runs inside the caller's transaction; the lineage steps and the gate's admission are made of them.
 */

export type { BatchRow, NewBatch };

export interface ParentShare {
  id: number;
  quantity: number;
}

/**
 * Takes `quantity` from a batch atomically: only if enough remains, so concurrent takers can never exceed what
 * the parent holds. The row stays locked until the caller's transaction ends.
 */
export async function takeFromBatch(tx: Db, batchId: number, quantity: number, field = 'quantity'): Promise<BatchRow> {
  const taken = await takeQuantity(tx, batchId, quantity);
  if (taken) return taken;
  const batch = await batchById(tx, batchId);
  if (!batch) throw notFound('Batch', batchId);
  if (batch.status === BatchStatus.CONSUMED) throw badInput(field, `batch ${batchId} is CONSUMED: nothing is left of it`);
  if (batch.status !== BatchStatus.ACTIVE) throw badInput(field, `batch ${batchId} is ${batch.status}`);
  throw badInput(field, `batch ${batchId} has only ${Number(batch.remaining)} ${batch.unit} left`);
}

/** Inserts a child batch and its links from each parent (quantity taken from that parent). */
export async function insertChild(tx: Db, child: NewBatch, kind: LinkKind, parents: ParentShare[], at: Date | null = null): Promise<BatchRow> {
  const [row] = await insertChildren(tx, [{ child, parents }], kind, at);
  return row;
}

/** Inserts several children and all their links in two statements; rows come back in input order. */
export async function insertChildren(tx: Db, items: { child: NewBatch; parents: ParentShare[] }[], kind: LinkKind, at: Date | null = null): Promise<BatchRow[]> {
  const rows = await insertBatches(tx, items.map((i) => i.child), false);
  await insertLinks(tx, items.flatMap(({ parents }, i) => parents.map((p) => ({ ...p, childId: rows[i]!.id }))), kind, at);
  return rows as BatchRow[];
}

/**
 * Inserts a child under a derived lot code (`base/tag<serial>`). Allocation is serialised per owner; when a lot
 * registered by hand already holds the code, the insert yields and the next free serial is tried.
 */
export async function insertDerivedChild(
  tx: Db, child: Omit<NewBatch, 'lotCode'>, base: string, tag: string, kind: LinkKind, parents: ParentShare[], at: Date | null = null,
): Promise<BatchRow> {
  // derived codes for one owner are handed out one transaction at a time, so concurrent steps never race for a serial
  await lockDerivedLotCodes(tx, child.ownerId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const lotCode = await derivedLotCode(tx, child.ownerId, base, tag);
    const [row] = await insertBatches(tx, [{ ...child, lotCode }], true);
    if (row) {
      await insertLinks(tx, parents.map((p) => ({ ...p, childId: row.id })), kind, at);
      return row;
    }
  }
  throw conflict(`No free lot code for ${base}/${tag}: try again`);
}

/** Inserts a child under the requested lot code, or under a derived one when none was given. */
export function insertNamedOrDerived(
  tx: Db, child: Omit<NewBatch, 'lotCode'>, requested: string | null, base: string, tag: string, kind: LinkKind, parents: ParentShare[],
): Promise<BatchRow> {
  return requested === null ? insertDerivedChild(tx, child, base, tag, kind, parents) : insertChild(tx, { ...child, lotCode: requested }, kind, parents);
}

/** A lot code for a derived batch, unique for its owner: the parent's code and the next free serial. */
export async function derivedLotCode(tx: Db, ownerId: number, base: string, tag: string): Promise<string> {
  return (await derivedLotCodes(tx, ownerId, base, tag, 1))[0];
}

/** `count` consecutive derived lot codes for one owner, after the highest serial it already uses. */
export async function derivedLotCodes(tx: Db, ownerId: number, base: string, tag: string, count: number): Promise<string[]> {
  const prefix = `${base.slice(0, 50)}/${tag}`;
  const n = await highestLotSerial(tx, ownerId, prefix);
  return Array.from({ length: count }, (_, i) => `${prefix}${n + 1 + i}`);
}

export interface TransferWithin {
  parentId: number;
  toOperatorId: number;
  quantity: number;
  /** When the hand-over happened, where an earlier record tells it (a captured event); now otherwise. */
  at?: Date | null;
  /** The receiver's lot code and public code, where an earlier record tells them; derived and fresh otherwise. */
  lotCode?: string | null;
  publicCode?: string | null;
  /** The caller has just found the receiver ACTIVE in this transaction: no need to read it again. */
  receiverActive?: true;
}

/**
 * Hands `quantity` of a batch to another operator, who receives a new batch linked by TRANSFER.
 * Runs inside the caller's transaction; the receiver must be active.
 */
export async function transferWithin(tx: Db, input: TransferWithin): Promise<BatchRow> {
  if (!input.receiverActive) {
    const receiver = await operatorStatus(tx, input.toOperatorId);
    if (!receiver) throw notFound('Operator', input.toOperatorId);
    if (receiver !== OperatorStatus.ACTIVE) throw badInput('toOperatorId', `operator ${input.toOperatorId} is ${receiver}`);
  }
  const parent = await takeFromBatch(tx, input.parentId, input.quantity);
  if (parent.owner_id === input.toOperatorId) throw badInput('toOperatorId', 'a batch cannot be transferred to its own owner');
  const child = {
    ownerId: input.toOperatorId,
    productName: parent.product_name,
    category: parent.category,
    quantity: input.quantity,
    unit: parent.unit,
    producedAt: new Date(parent.produced_at),
    originPlace: parent.origin_place,
    gtin: parent.gtin,
    publicCode: input.publicCode ?? null,
  };
  const parents = [{ id: parent.id, quantity: input.quantity }];
  const at = input.at ?? null;
  if (input.lotCode) return insertChild(tx, { ...child, lotCode: input.lotCode }, LinkKind.TRANSFER, parents, at);
  return insertDerivedChild(tx, child, parent.lot_code, 'T', LinkKind.TRANSFER, parents, at);
}
