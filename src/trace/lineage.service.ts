import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertActsFor } from '../auth/access';
import { newPublicCode } from '../public-code';
import type { Context } from '../context';
import { BatchStatus, LinkKind, ProductCategory, QuantityUnit } from '../entities/enums';
import { badInput, conflict, notFound } from '../errors';
import * as v from '../validation';

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
  public_code: string;
  non_conformant: boolean;
  created_at: Date;
  process_yield: string | null;
}

const BATCH_COLUMNS =
  'id, owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, status, public_code, non_conformant, created_at, process_yield';

/** Quantities are numeric(14,3): sums are done in thousandths so they stay exact. */
const milli = (q: number | string) => Math.round(Number(q) * 1000);
const fromMilli = (m: number) => m / 1000;

/**
 * Takes `quantity` from a batch atomically: the row is updated only if enough remains, so concurrent
 * takers can never exceed what the parent holds. The row stays locked until the caller's transaction ends.
 */
export async function takeFromBatch(em: EntityManager, batchId: number, quantity: number, field = 'quantity'): Promise<BatchRow> {
  const rows = await em.execute<BatchRow[]>(
    `update batch set remaining = remaining - ?, status = case when remaining - ? = 0 then 'CONSUMED' else status end
     where id = ? and status = 'ACTIVE' and remaining >= ?
     returning ${BATCH_COLUMNS}`,
    [quantity, quantity, batchId, quantity],
  );
  if (rows.length) return rows[0];
  const [batch] = await em.execute<{ remaining: string; unit: string; status: string }[]>('select remaining, unit, status from batch where id = ?', [batchId]);
  if (!batch) throw notFound('Batch', batchId);
  if (batch.status === BatchStatus.CONSUMED) throw badInput(field, `batch ${batchId} is CONSUMED: nothing is left of it`);
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
  processYield?: number | null;
}

/** Inserts a child batch and its links from each parent (quantity taken from that parent). */
export async function insertChild(em: EntityManager, child: NewChild, kind: LinkKind, parents: { id: number; quantity: number }[]): Promise<BatchRow> {
  const [row] = await insertChildren(em, [{ child, parents }], kind);
  return row;
}

/** Inserts several children and all their links in two statements; rows come back in input order. */
export async function insertChildren(em: EntityManager, items: { child: NewChild; parents: { id: number; quantity: number }[] }[], kind: LinkKind): Promise<BatchRow[]> {
  const rows = await insertBatches(em, items.map((i) => i.child), false);
  await insertLinks(em, items.flatMap(({ parents }, i) => parents.map((p) => ({ ...p, childId: rows[i]!.id }))), kind);
  return rows as BatchRow[];
}

/** Advisory-lock class under which derived lot codes are allocated, keyed by the owner's id. */
const DERIVED_LOT_LOCK = 7_310_001;

/**
 * Inserts a child under a derived lot code (`base/tag<serial>`). Allocation is serialised per owner; when a lot
 * registered by hand already holds the code, the insert yields and the next free serial is tried.
 */
export async function insertDerivedChild(
  em: EntityManager, child: Omit<NewChild, 'lotCode'>, base: string, tag: string, kind: LinkKind, parents: { id: number; quantity: number }[],
): Promise<BatchRow> {
  // derived codes for one owner are handed out one transaction at a time, so concurrent steps never race for a serial
  await em.execute('select pg_advisory_xact_lock(?, ?)', [DERIVED_LOT_LOCK, child.ownerId]);
  for (let attempt = 0; attempt < 5; attempt++) {
    const lotCode = await derivedLotCode(em, child.ownerId, base, tag);
    const [row] = await insertBatches(em, [{ ...child, lotCode }], true);
    if (row) {
      await insertLinks(em, parents.map((p) => ({ ...p, childId: row.id })), kind);
      return row;
    }
  }
  throw conflict(`No free lot code for ${base}/${tag}: try again`);
}

/** Rows in input order; with `skipTaken`, a child whose lot code its owner already uses is not inserted (undefined). */
async function insertBatches(em: EntityManager, children: NewChild[], skipTaken: boolean): Promise<(BatchRow | undefined)[]> {
  const inserted = await em.execute<BatchRow[]>(
    `insert into batch (owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, public_code, process_yield)
     values ${children.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     ${skipTaken ? 'on conflict (owner_id, lot_code) do nothing' : ''}
     returning ${BATCH_COLUMNS}`,
    children.flatMap((c) => [
      c.ownerId, c.productName, c.category, c.lotCode, c.quantity, c.quantity, c.unit, c.producedAt, c.originPlace, c.gtin, newPublicCode(), c.processYield ?? null,
    ]),
  );
  // (owner, lot code) is unique, so it pairs each returned row with its input
  const byLot = new Map(inserted.map((r) => [`${r.owner_id}\u0000${r.lot_code}`, r]));
  return children.map((c) => byLot.get(`${c.ownerId}\u0000${c.lotCode}`));
}

async function insertLinks(em: EntityManager, links: { id: number; childId: number; quantity: number }[], kind: LinkKind): Promise<void> {
  if (!links.length) return;
  await em.execute(
    `insert into batch_link (parent_id, child_id, kind, quantity) values ${links.map(() => '(?, ?, ?, ?)').join(', ')}`,
    links.flatMap((l) => [l.id, l.childId, kind, l.quantity]),
  );
}

/** A lot code for a derived batch, unique for its owner: the parent's code and the next free serial. */
export async function derivedLotCode(em: EntityManager, ownerId: number, base: string, tag: string): Promise<string> {
  return (await derivedLotCodes(em, ownerId, base, tag, 1))[0];
}

/** `count` consecutive derived lot codes for one owner, after the highest serial it already uses. */
export async function derivedLotCodes(em: EntityManager, ownerId: number, base: string, tag: string, count: number): Promise<string[]> {
  const prefix = `${base.slice(0, 50)}/${tag}`;
  const [{ n }] = await em.execute<{ n: number }[]>(
    `select coalesce(max(substr(lot_code, ?)::int), 0) as n from batch
     where owner_id = ? and left(lot_code, ?) = ? and substr(lot_code, ?) ~ '^[0-9]{1,9}$'`,
    [prefix.length + 1, ownerId, prefix.length, prefix, prefix.length + 1],
  );
  return Array.from({ length: count }, (_, i) => `${prefix}${Number(n) + 1 + i}`);
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
  return insertDerivedChild(
    em,
    {
      ownerId: input.toOperatorId,
      productName: parent.product_name,
      category: parent.category,
      quantity: input.quantity,
      unit: parent.unit,
      producedAt: new Date(parent.produced_at),
      originPlace: parent.origin_place,
      gtin: parent.gtin,
    },
    parent.lot_code,
    'T',
    LinkKind.TRANSFER,
    [{ id: parent.id, quantity: input.quantity }],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Lineage operations: each validates everything first, then takes from its parents and inserts the children in
// one transaction, so a refused operation writes nothing.

export interface LineagePart {
  quantity: number;
  lotCode?: string | null;
}

export interface LineageInputData {
  batchId: string | number;
  /** Omitted in a merge: everything that remains of the batch. */
  quantity?: number | null;
}

export interface SplitBatchData {
  batchId: string | number;
  parts: LineagePart[];
}

export interface MergeBatchesData {
  inputs: LineageInputData[];
  productName?: string | null;
  lotCode?: string | null;
}

export interface ProcessBatchesData {
  inputs: LineageInputData[];
  productName: string;
  category: ProductCategory;
  quantity: number;
  unit: QuantityUnit;
  lotCode?: string | null;
  producedAt?: Date | null;
  originPlace?: string | null;
  gtin?: string | null;
}

export interface TransferBatchData {
  batchId: string | number;
  toOperatorId: string | number;
  quantity: number;
}

export interface RecordLinkData {
  parentId: string | number;
  childId: string | number;
  kind: LinkKind;
  quantity: number;
}

export interface ProcessResultData {
  batch: BatchRow;
  inputQuantity: number | null;
  inputUnit: string | null;
  yield: number | null;
}

export interface LinkRow {
  id: number;
  parent_id: number;
  child_id: number;
  kind: string;
  quantity: string;
  created_at: Date;
}

const MAX_PARTS = 100;
const MAX_INPUTS = 1000;

function lotCode(field: string, value: string | null | undefined): string | null {
  const code = v.text(field, value, 64, { optional: true });
  if (code !== null && !/^[\p{L}\p{N}._\-/]+$/u.test(code)) throw badInput(field, 'may contain only letters, digits, ".", "_", "-" and "/"');
  return code;
}

async function ownerOf(em: EntityManager, batchId: number): Promise<number> {
  const [row] = await em.execute<{ owner_id: number }[]>('select owner_id from batch where id = ?', [batchId]);
  if (!row) throw notFound('Batch', batchId);
  return row.owner_id;
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
export async function splitBatch(ctx: Context, input: SplitBatchData): Promise<BatchRow[]> {
  const batchId = v.id('batchId', input.batchId);
  if (!Array.isArray(input.parts) || input.parts.length < 1 || input.parts.length > MAX_PARTS) {
    throw badInput('parts', `must list 1 to ${MAX_PARTS} parts`);
  }
  const parts = input.parts.map((p, i) => ({ quantity: v.quantity(`parts[${i}].quantity`, p.quantity), lotCode: lotCode(`parts[${i}].lotCode`, p.lotCode) }));
  const codes = parts.map((p) => p.lotCode).filter((c): c is string => c !== null);
  if (new Set(codes).size !== codes.length) throw badInput('parts', 'two parts have the same lot code');
  const total = fromMilli(parts.reduce((s, p) => s + milli(p.quantity), 0));
  const ownerId = await ownerOf(ctx.em, batchId);
  assertActsFor(ctx.viewer, ownerId);
  return withLotCodes('parts', () =>
    ctx.em.transactional(async (em) => {
      const parent = await takeFromBatch(em, batchId, total, 'parts');
      const codes = await derivedLotCodes(em, parent.owner_id, parent.lot_code, 'S', parts.filter((p) => !p.lotCode).length);
      const items = parts.map((part) => ({
        child: {
          ownerId: parent.owner_id,
          productName: parent.product_name,
          category: parent.category,
          lotCode: part.lotCode ?? codes.shift()!,
          quantity: part.quantity,
          unit: parent.unit,
          producedAt: new Date(parent.produced_at),
          originPlace: parent.origin_place,
          gtin: parent.gtin,
        },
        parents: [{ id: parent.id, quantity: part.quantity }],
      }));
      return insertChildren(em, items, LinkKind.SPLIT);
    }),
  );
}

interface InputBatch {
  id: number;
  owner_id: number;
  product_name: string;
  category: string;
  lot_code: string;
  unit: string;
  remaining: string;
  status: string;
  produced_at: Date;
  origin_place: string | null;
  gtin: string | null;
}

/** Validates the inputs of a merge or a processing step: distinct, existing, one owner the viewer acts for. */
async function loadInputs(ctx: Context, raw: LineageInputData[], quantityRequired: boolean, minInputs: number) {
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
  const rows = await ctx.em.execute<InputBatch[]>(
    `select id, owner_id, product_name, category, lot_code, unit, remaining, status, produced_at, origin_place, gtin from batch where id = any(?::int[])`,
    [`{${wanted.map((w) => w.id).join(',')}}`],
  );
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
async function takeAll(em: EntityManager, inputs: { row: InputBatch; quantity: number; field: string }[]) {
  for (const i of [...inputs].sort((a, b) => a.row.id - b.row.id)) await takeFromBatch(em, i.row.id, i.quantity, i.field);
}

/** Inserts a child under the requested lot code, or under a derived one when none was given. */
function insertNamedOrDerived(
  em: EntityManager, child: Omit<NewChild, 'lotCode'>, requested: string | null, base: string, tag: string, kind: LinkKind, parents: { id: number; quantity: number }[],
): Promise<BatchRow> {
  return requested === null ? insertDerivedChild(em, child, base, tag, kind, parents) : insertChild(em, { ...child, lotCode: requested }, kind, parents);
}

const distinctOrNull = <T>(values: T[]): T | null => (values.every((x) => x === values[0]) ? values[0] : null);

/** Merges several lots of one owner, product category and unit into one new lot. */
export async function mergeBatches(ctx: Context, input: MergeBatchesData): Promise<BatchRow> {
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
  const quantity = fromMilli(inputs.reduce((s, i) => s + milli(i.quantity), 0));
  v.quantity('inputs', quantity);
  return withLotCodes('lotCode', () =>
    ctx.em.transactional(async (em) => {
      await takeAll(em, inputs);
      return insertNamedOrDerived(
        em,
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
}

/**
 * Turns inputs into a new product (raw milk into yoghurt); units may change. The yield — output per unit of
 * input — is recorded when all inputs share one unit.
 */
export async function processBatches(ctx: Context, input: ProcessBatchesData): Promise<ProcessResultData> {
  const productName = v.text('productName', input.productName, 200);
  const quantity = v.quantity('quantity', input.quantity);
  const requestedLot = lotCode('lotCode', input.lotCode);
  const producedAt = input.producedAt ? v.pastDate('producedAt', input.producedAt) : new Date();
  const originPlace = v.text('originPlace', input.originPlace, 300, { optional: true });
  const gtin = input.gtin?.trim() ? v.gtin('gtin', input.gtin) : null;
  const { ownerId, inputs } = await loadInputs(ctx, input.inputs, true, 1);
  const inputUnit = distinctOrNull(inputs.map((i) => i.row.unit));
  const inputMilli = inputs.reduce((s, i) => s + milli(i.quantity), 0);
  const inputQuantity = inputUnit ? fromMilli(inputMilli) : null;
  const processYield = inputUnit ? Math.round((milli(quantity) / inputMilli) * 1e6) / 1e6 : null;
  const batch = await withLotCodes('lotCode', () =>
    ctx.em.transactional(async (em) => {
      await takeAll(em, inputs);
      const [owner] = await em.execute<{ village: string | null; status: string }[]>('select village, status from operator where id = ?', [ownerId]);
      if (owner.status !== 'ACTIVE') throw badInput('inputs', `operator ${ownerId} is ${owner.status}`);
      return insertNamedOrDerived(
        em,
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
  return { batch, inputQuantity, inputUnit, yield: processYield };
}

/** Hands part of a lot to another operator; an operator account only for its own batches. */
export async function transferBatch(ctx: Context, input: TransferBatchData): Promise<BatchRow> {
  const batchId = v.id('batchId', input.batchId);
  const toOperatorId = v.id('toOperatorId', input.toOperatorId);
  const quantity = v.quantity('quantity', input.quantity);
  assertActsFor(ctx.viewer, await ownerOf(ctx.em, batchId));
  return ctx.em.transactional((em) => transferWithin(em, { parentId: batchId, toOperatorId, quantity }));
}

/** True when `toId` is `fromId` or descends from it; a link toId → fromId would then close a cycle. */
export async function reachesDownstream(em: EntityManager, fromId: number, toId: number): Promise<boolean> {
  const rows = await em.execute<{ hit: number }[]>(
    `with recursive down(id) as (
       select ?::int
       union
       select l.child_id from batch_link l join down d on l.parent_id = d.id
     )
     select 1 as hit from down where id = ? limit 1`,
    [fromId, toId],
  );
  return rows.length > 0;
}

/**
 * Records a link between two existing lots of one owner (an input entered late), taking the quantity from the
 * parent. A link that would close a cycle is refused.
 */
export async function recordBatchLink(ctx: Context, input: RecordLinkData): Promise<LinkRow> {
  const parentId = v.id('parentId', input.parentId);
  const childId = v.id('childId', input.childId);
  const quantity = v.quantity('quantity', input.quantity);
  if (input.kind === LinkKind.TRANSFER) throw badInput('kind', 'a transfer creates the receiver’s batch: use transferBatch');
  if (parentId === childId) throw badInput('childId', 'a batch cannot be its own parent');
  const [parentOwner, childOwner] = [await ownerOf(ctx.em, parentId), await ownerOf(ctx.em, childId)];
  if (parentOwner !== childOwner) throw badInput('childId', 'both batches must belong to one operator');
  assertActsFor(ctx.viewer, parentOwner);
  return ctx.em.transactional(async (em) => {
    // both rows locked in id order: two opposite links cannot pass the cycle check at the same time
    await em.execute('select id from batch where id in (?, ?) order by id for update', [parentId, childId]);
    if (await reachesDownstream(em, childId, parentId)) {
      throw badInput('parentId', `batch ${parentId} descends from batch ${childId}: the link would close a cycle`);
    }
    const [exists] = await em.execute<{ id: number }[]>('select id from batch_link where parent_id = ? and child_id = ?', [parentId, childId]);
    if (exists) throw badInput('childId', `batch ${childId} is already linked to batch ${parentId}`);
    await takeFromBatch(em, parentId, quantity);
    const [link] = await em.execute<LinkRow[]>(
      'insert into batch_link (parent_id, child_id, kind, quantity) values (?, ?, ?, ?) returning id, parent_id, child_id, kind, quantity, created_at',
      [parentId, childId, input.kind, quantity],
    );
    return link;
  });
}
