import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { assertActsFor } from '../auth/access';
import { withTransaction, type Context, type Db } from '../context';
import { BatchStatus, LinkKind, OperatorStatus } from '../entities/enums';
import { badInput, notFound } from '../errors';
import { fromMilli, toMilli } from '../quantity';
import type { Batch } from '../registry/batch.model';
import { insertLink, linkExists, reachesDownstream, setTransferDocument, toTraceLink } from '../tables/batch-link.table';
import { batchesByIds, batchOwnerId, lockBatches, toBatch, type BatchRow } from '../tables/batch.table';
import { operatorById } from '../tables/operator.table';
import * as v from '../validation';
import { checkHandover } from './handover';
import { derivedLotCodes, insertChildren, insertNamedOrDerived, takeFromBatch, transferWithin } from './batch-flow';
import type {
  LineageInputData, LineagePart, MergeBatchesData, ProcessBatchesData, RecordLinkData, SplitBatchData, TransferBatchData,
} from './lineage.model';
import type { ProcessResult, TraceLink } from './trace.model';

// Lineage operations: each validates everything first, then takes from its parents and inserts the children in
// one transaction, so a refused operation writes nothing.

export type { LineageInputData, LineagePart, MergeBatchesData, ProcessBatchesData, RecordLinkData, SplitBatchData, TransferBatchData };

const MAX_PARTS = 100;
const MAX_INPUTS = 1000;

function lotCode(field: string, value: string | null | undefined): string | null {
  const code = v.text(field, value, 64, { optional: true });
  if (code !== null && !/^[\p{L}\p{N}._\-/]+$/u.test(code)) throw badInput(field, 'may contain only letters, digits, ".", "_", "-" and "/"');
  return code;
}

async function ownerOf(ctx: Db, batchId: number): Promise<number> {
  const ownerId = await batchOwnerId(ctx, batchId);
  if (ownerId === null) throw notFound('Batch', batchId);
  return ownerId;
}

/** Maps a clash of lot codes inside one owner to a field error. */
async function withLotCodes<T>(field: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw badInput(field, 'a lot code is already used by this operator');
    throw e;
  }
}

/** Splits one lot into parts for the same owner; the parts together never exceed what remains. */
export async function splitBatch(ctx: Context, input: SplitBatchData): Promise<Batch[]> {
  const batchId = v.id('batchId', input.batchId);
  if (!Array.isArray(input.parts) || input.parts.length < 1 || input.parts.length > MAX_PARTS) {
    throw badInput('parts', `must list 1 to ${MAX_PARTS} parts`);
  }
  const parts = input.parts.map((p, i) => ({ quantity: v.quantity(`parts[${i}].quantity`, p.quantity), lotCode: lotCode(`parts[${i}].lotCode`, p.lotCode) }));
  const codes = parts.map((p) => p.lotCode).filter((c): c is string => c !== null);
  if (new Set(codes).size !== codes.length) throw badInput('parts', 'two parts have the same lot code');
  const total = fromMilli(parts.reduce((s, p) => s + toMilli(p.quantity), 0));
  assertActsFor(ctx.viewer, await ownerOf(ctx, batchId));
  const rows = await withLotCodes('parts', () =>
    withTransaction(ctx, async (tx) => {
      const parent = await takeFromBatch(tx, batchId, total, 'parts');
      const derived = await derivedLotCodes(tx, parent.owner_id, parent.lot_code, 'S', parts.filter((p) => !p.lotCode).length);
      const items = parts.map((part) => ({
        child: {
          ownerId: parent.owner_id,
          productName: parent.product_name,
          category: parent.category,
          lotCode: part.lotCode ?? derived.shift()!,
          quantity: part.quantity,
          unit: parent.unit,
          producedAt: new Date(parent.produced_at),
          originPlace: parent.origin_place,
          gtin: parent.gtin,
        },
        parents: [{ id: parent.id, quantity: part.quantity }],
      }));
      return insertChildren(tx, items, LinkKind.SPLIT);
    }),
  );
  return rows.map(toBatch);
}

interface LineageInput {
  row: BatchRow;
  quantity: number;
  field: string;
}

/** Validates the inputs of a merge or a processing step: distinct, existing, one owner the viewer acts for. */
async function loadInputs(ctx: Context, raw: LineageInputData[], quantityRequired: boolean, minInputs: number): Promise<{ ownerId: number; inputs: LineageInput[] }> {
  if (!Array.isArray(raw) || raw.length < minInputs || raw.length > MAX_INPUTS) {
    throw badInput('inputs', `must list ${minInputs} to ${MAX_INPUTS} batches`);
  }
  const wanted = raw.map((r, i) => ({
    id: v.id(`inputs[${i}].batchId`, r.batchId),
    quantity: r.quantity === null || r.quantity === undefined ? null : v.quantity(`inputs[${i}].quantity`, r.quantity),
    index: i,
  }));
  if (quantityRequired) {
    const missing = wanted.find((w) => w.quantity === null);
    if (missing) throw badInput(`inputs[${missing.index}].quantity`, 'must be given');
  }
  const seen = new Set<number>();
  for (const w of wanted) {
    if (seen.has(w.id)) throw badInput('inputs', `batch ${w.id} is listed twice`);
    seen.add(w.id);
  }
  const rows = await batchesByIds(ctx, wanted.map((w) => w.id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = wanted.find((w) => !byId.has(w.id));
  if (missing) throw notFound('Batch', missing.id);
  const ownerId = byId.get(wanted[0].id)!.owner_id;
  if (rows.some((r) => r.owner_id !== ownerId)) throw badInput('inputs', 'all inputs must belong to one operator; transfer them first');
  assertActsFor(ctx.viewer, ownerId);
  const inputs = wanted.map((w) => {
    const row = byId.get(w.id)!;
    if (row.status !== BatchStatus.ACTIVE) throw badInput(`inputs[${w.index}].batchId`, `batch ${row.id} is ${row.status}`);
    return { row, quantity: w.quantity ?? Number(row.remaining), field: `inputs[${w.index}].quantity` };
  });
  if (inputs.some((i) => i.quantity <= 0)) throw badInput('inputs', 'an input has nothing left');
  return { ownerId, inputs };
}

/** Takes from every input in id order, so two steps sharing inputs lock rows in one order and never deadlock. */
async function takeAll(tx: Db, inputs: LineageInput[]): Promise<void> {
  for (const i of [...inputs].sort((a, b) => a.row.id - b.row.id)) await takeFromBatch(tx, i.row.id, i.quantity, i.field);
}

const distinctOrNull = <T>(values: T[]): T | null => (values.every((x) => x === values[0]) ? values[0] : null);

/** Merges several lots of one owner, product category and unit into one new lot. */
export async function mergeBatches(ctx: Context, input: MergeBatchesData): Promise<Batch> {
  const requestedName = v.text('productName', input.productName, 200, { optional: true });
  const requestedLot = lotCode('lotCode', input.lotCode);
  const { ownerId, inputs } = await loadInputs(ctx, input.inputs, false, 2);
  const rows = inputs.map((i) => i.row);
  const unit = distinctOrNull(rows.map((r) => r.unit));
  if (!unit) throw badInput('inputs', 'all inputs must have one unit; processing changes units');
  const category = distinctOrNull(rows.map((r) => r.category));
  if (!category) throw badInput('inputs', 'all inputs must be of one product category');
  const productName = requestedName ?? distinctOrNull(rows.map((r) => r.product_name));
  if (!productName) throw badInput('productName', 'the inputs are different products: name the merged one');
  const origins = [...new Set(rows.map((r) => r.origin_place).filter((o): o is string => !!o))];
  const quantity = fromMilli(inputs.reduce((s, i) => s + toMilli(i.quantity), 0));
  v.quantity('inputs', quantity);
  const row = await withLotCodes('lotCode', () =>
    withTransaction(ctx, async (tx) => {
      await takeAll(tx, inputs);
      return insertNamedOrDerived(
        tx,
        {
          ownerId,
          productName,
          category,
          quantity,
          unit,
          // the oldest input dates the whole lot
          producedAt: new Date(Math.min(...rows.map((r) => new Date(r.produced_at).getTime()))),
          originPlace: origins.length ? origins.join(' / ').slice(0, 300) : null,
          gtin: distinctOrNull(rows.map((r) => r.gtin)),
        },
        requestedLot,
        rows[0].lot_code,
        'M',
        LinkKind.MERGE,
        inputs.map((i) => ({ id: i.row.id, quantity: i.quantity })),
      );
    }),
  );
  return toBatch(row);
}

/**
 * Turns inputs into a new product (raw milk into yoghurt); units may change. The yield — output per unit of
 * input — is recorded when all inputs share one unit.
 */
export async function processBatches(ctx: Context, input: ProcessBatchesData): Promise<ProcessResult> {
  const productName = v.text('productName', input.productName, 200);
  const quantity = v.quantity('quantity', input.quantity);
  const requestedLot = lotCode('lotCode', input.lotCode);
  const producedAt = input.producedAt ? v.pastDate('producedAt', input.producedAt) : new Date();
  const originPlace = v.text('originPlace', input.originPlace, 300, { optional: true });
  const gtin = input.gtin?.trim() ? v.gtin('gtin', input.gtin) : null;
  const { ownerId, inputs } = await loadInputs(ctx, input.inputs, true, 1);
  const inputUnit = distinctOrNull(inputs.map((i) => i.row.unit));
  const inputMilli = inputs.reduce((s, i) => s + toMilli(i.quantity), 0);
  const inputQuantity = inputUnit ? fromMilli(inputMilli) : null;
  const processYield = inputUnit ? Math.round((toMilli(quantity) / inputMilli) * 1e6) / 1e6 : null;
  const row = await withLotCodes('lotCode', () =>
    withTransaction(ctx, async (tx) => {
      await takeAll(tx, inputs);
      const owner = (await operatorById(tx, ownerId))!;
      if (owner.status !== OperatorStatus.ACTIVE) throw badInput('inputs', `operator ${ownerId} is ${owner.status}`);
      return insertNamedOrDerived(
        tx,
        {
          ownerId,
          productName,
          category: input.category,
          quantity,
          unit: input.unit,
          producedAt,
          originPlace: originPlace ?? owner.village,
          gtin,
          processYield,
        },
        requestedLot,
        inputs[0].row.lot_code,
        'P',
        LinkKind.PROCESS,
        inputs.map((i) => ({ id: i.row.id, quantity: i.quantity })),
      );
    }),
  );
  return { batch: toBatch(row), inputQuantity, inputUnit, yield: processYield };
}

/** Hands part of a lot to another operator, with the document it travels under; an operator account only for its own batches. */
export async function transferBatch(ctx: Context, input: TransferBatchData): Promise<Batch> {
  const batchId = v.id('batchId', input.batchId);
  const toOperatorId = v.id('toOperatorId', input.toOperatorId);
  const quantity = v.quantity('quantity', input.quantity);
  const handover = checkHandover(input.handover);
  assertActsFor(ctx.viewer, await ownerOf(ctx, batchId));
  return toBatch(await withTransaction(ctx, async (tx) => {
    const child = await transferWithin(tx, { parentId: batchId, toOperatorId, quantity });
    if (handover) await setTransferDocument(tx, batchId, child.id, handover);
    return child;
  }));
}

/**
 * Records a link between two existing lots of one owner (an input entered late), taking the quantity from the
 * parent. A link that would close a cycle is refused.
 */
export async function recordBatchLink(ctx: Context, input: RecordLinkData): Promise<TraceLink> {
  const parentId = v.id('parentId', input.parentId);
  const childId = v.id('childId', input.childId);
  const quantity = v.quantity('quantity', input.quantity);
  if (input.kind === LinkKind.TRANSFER) throw badInput('kind', 'a transfer creates the receiver’s batch: use transferBatch');
  if (parentId === childId) throw badInput('childId', 'a batch cannot be its own parent');
  const [parentOwner, childOwner] = [await ownerOf(ctx, parentId), await ownerOf(ctx, childId)];
  if (parentOwner !== childOwner) throw badInput('childId', 'both batches must belong to one operator');
  assertActsFor(ctx.viewer, parentOwner);
  return withTransaction(ctx, async (tx) => {
    // both rows locked in id order: two opposite links cannot pass the cycle check at the same time
    await lockBatches(tx, [parentId, childId]);
    if (await reachesDownstream(tx, childId, parentId)) {
      throw badInput('parentId', `batch ${parentId} descends from batch ${childId}: the link would close a cycle`);
    }
    if (await linkExists(tx, parentId, childId)) throw badInput('childId', `batch ${childId} is already linked to batch ${parentId}`);
    await takeFromBatch(tx, parentId, quantity);
    return toTraceLink(await insertLink(tx, parentId, childId, input.kind, quantity));
  });
}
