import type { Db } from './table';
import type { BatchStatus, ProductCategory, QuantityUnit } from '../entities/enums';
import { newPublicCode } from '../public-code';
import type { Batch } from '../registry/batch.model';
import { DESCENDANTS_CTE } from './batch-link.table';
import { defineTable } from './table';

export interface BatchRow {
  id: number;
  owner_id: number;
  product_name: string;
  category: ProductCategory;
  lot_code: string;
  quantity: string;
  remaining: string;
  unit: QuantityUnit;
  produced_at: Date;
  origin_place: string | null;
  gtin: string | null;
  status: BatchStatus;
  public_code: string;
  non_conformant: boolean;
  created_at: Date;
  process_yield: string | null;
}

export const batchTable = defineTable<BatchRow>('batch', {
  id: 'int4',
  owner_id: 'int4',
  product_name: 'varchar',
  category: 'text',
  lot_code: 'varchar',
  quantity: 'numeric',
  remaining: 'numeric',
  unit: 'text',
  produced_at: 'timestamptz',
  origin_place: 'varchar',
  gtin: 'varchar',
  status: 'text',
  public_code: 'varchar',
  non_conformant: 'bool',
  created_at: 'timestamptz',
  process_yield: 'numeric',
});

/** The one mapping of a batch row to the registry's batch. */
export function toBatch(r: BatchRow): Batch {
  return {
    id: r.id,
    ownerId: r.owner_id,
    productName: r.product_name,
    category: r.category,
    lotCode: r.lot_code,
    quantity: Number(r.quantity),
    remaining: Number(r.remaining),
    unit: r.unit,
    producedAt: new Date(r.produced_at),
    originPlace: r.origin_place,
    gtin: r.gtin,
    publicCode: r.public_code,
    status: r.status,
    nonConformant: r.non_conformant,
    createdAt: new Date(r.created_at),
  };
}

/** A lot to register; its public code is made on insert. */
export interface NewBatch {
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
  /** The lot's public code when it is restored from an export of ours; a fresh one otherwise. */
  publicCode?: string | null;
}

/**
 * Inserts lots in one statement, each with a fresh public code; rows come back in input order. With `skipTaken`,
 * a lot whose code its owner already uses is not inserted (undefined); without it the unique violation is thrown.
 */
export async function insertBatches(ctx: Db, batches: NewBatch[], skipTaken: boolean): Promise<(BatchRow | undefined)[]> {
  const inserted = await ctx.em.execute<BatchRow[]>(
    `insert into batch (owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, public_code, process_yield)
     values ${batches.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     ${skipTaken ? 'on conflict (owner_id, lot_code) do nothing' : ''}
     returning ${batchTable.list}`,
    batches.flatMap((c) => [
      c.ownerId, c.productName, c.category, c.lotCode, c.quantity, c.quantity, c.unit, c.producedAt, c.originPlace, c.gtin, c.publicCode ?? newPublicCode(), c.processYield ?? null,
    ]),
  );
  // (owner, lot code) is unique, so it pairs each returned row with its input
  const byLot = new Map(inserted.map((r) => [`${r.owner_id}\u0000${r.lot_code}`, r]));
  return batches.map((c) => byLot.get(`${c.ownerId}\u0000${c.lotCode}`));
}

/**
 * Takes `quantity` from an ACTIVE batch holding at least that much, in one conditional update (a batch emptied
 * becomes CONSUMED); null when the batch is missing, not ACTIVE or holds less. The row stays locked until the
 * transaction ends.
 */
export async function takeQuantity(ctx: Db, batchId: number, quantity: number): Promise<BatchRow | null> {
  const rows = await ctx.em.execute<BatchRow[]>(
    `update batch set remaining = remaining - ?, status = case when remaining - ? = 0 then 'CONSUMED' else status end
     where id = ? and status = 'ACTIVE' and remaining >= ?
     returning ${batchTable.list}`,
    [quantity, quantity, batchId, quantity],
  );
  return rows[0] ?? null;
}

export function batchById(ctx: Db, id: number): Promise<BatchRow | null> {
  return batchTable.byId(ctx, id);
}

/** Batches by id, in no particular order; missing ids are left out. */
export function batchesByIds(ctx: Db, ids: readonly number[]): Promise<BatchRow[]> {
  return batchTable.byIds(ctx, ids);
}

export async function batchOwnerId(ctx: Db, id: number): Promise<number | null> {
  const [row] = await ctx.em.execute<Pick<BatchRow, 'owner_id'>[]>('select owner_id from batch where id = ?', [id]);
  return row?.owner_id ?? null;
}

export async function batchIdByPublicCode(ctx: Db, code: string): Promise<number | null> {
  const [row] = await ctx.em.execute<Pick<BatchRow, 'id'>[]>('select id from batch where public_code = ?', [code]);
  return row?.id ?? null;
}

/** The batch with this GTIN and lot: the first registered, should owners share both. */
export async function batchByGtinLot(ctx: Db, gtin14: string, lot: string): Promise<Pick<BatchRow, 'id' | 'public_code'> | null> {
  const [row] = await ctx.em.execute<Pick<BatchRow, 'id' | 'public_code'>[]>(
    'select id, public_code from batch where gtin = ? and lot_code = ? order by id limit 1',
    [gtin14, lot],
  );
  return row ?? null;
}

/** Whether a public code names a batch or an operator (`/t/` or `/o/`); one statement over both tables. */
export async function publicCodeKind(ctx: Db, code: string): Promise<'batch' | 'operator' | null> {
  const [row] = await ctx.em.execute<{ kind: 'batch' | 'operator' }[]>(
    `select 'batch' as kind from batch where public_code = ? union all select 'operator' from operator where public_code = ? limit 1`,
    [code, code],
  );
  return row?.kind ?? null;
}

/** Locks batches in id order, so two writers locking the same pair never deadlock. */
export async function lockBatches(ctx: Db, ids: number[]): Promise<void> {
  await ctx.em.execute(`select id from batch where id in (${ids.map(() => '?').join(', ')}) order by id for update`, ids);
}

/** The batch, locked for update until the transaction ends. */
export async function lockBatch(ctx: Db, id: number): Promise<BatchRow | null> {
  const [row] = await ctx.em.execute<BatchRow[]>(`select ${batchTable.list} from batch where id = ? for update`, [id]);
  return row ?? null;
}

/** Advisory-lock class under which derived lot codes are allocated, keyed by the owner's id. */
const DERIVED_LOT_LOCK = 7_310_001;

/** Serialises the allocation of derived lot codes of one owner until the transaction ends. */
export async function lockDerivedLotCodes(ctx: Db, ownerId: number): Promise<void> {
  await ctx.em.execute('select pg_advisory_xact_lock(?, ?)', [DERIVED_LOT_LOCK, ownerId]);
}

/** The highest serial the owner uses after `prefix` (`base/tag<serial>`), 0 for none. */
export async function highestLotSerial(ctx: Db, ownerId: number, prefix: string): Promise<number> {
  const [{ n }] = await ctx.em.execute<{ n: number }[]>(
    `select coalesce(max(substr(lot_code, ?)::int), 0) as n from batch
     where owner_id = ? and left(lot_code, ?) = ? and substr(lot_code, ?) ~ '^[0-9]{1,9}$'`,
    [prefix.length + 1, ownerId, prefix.length, prefix, prefix.length + 1],
  );
  return Number(n);
}

/** A batch and every descendant, ids ascending (one array, not a row per lot: 400,000 rows cost the server 87 MB). */
export async function descendantIds(ctx: Db, batchId: number): Promise<number[]> {
  const [{ ids }] = await ctx.em.execute<{ ids: number[] }[]>(`${DESCENDANTS_CTE} select array_agg(id order by id) as ids from down`, [batchId]);
  return ids;
}

/** Marks these lots RECALLED where they were not yet; returns how many it marked. */
export async function markRecalled(ctx: Db, ids: readonly number[]): Promise<number> {
  if (!ids.length) return 0;
  const [{ n }] = await ctx.em.execute<{ n: string }[]>(
    `with marked as (update batch set status = 'RECALLED' where id = any(?::int[]) and status <> 'RECALLED' returning 1) select count(*) as n from marked`,
    [`{${ids.join(',')}}`],
  );
  return Number(n);
}

/**
 * Marks at most `limit` of a batch's descendants (the batch among them) RECALLED that were not yet, lowest ids first;
 * returns how many it marked. Called until it marks none, each call one statement of bounded size.
 */
export async function markDescendantsRecalled(ctx: Db, batchId: number, limit: number): Promise<number> {
  const [{ n }] = await ctx.em.execute<{ n: string }[]>(
    `${DESCENDANTS_CTE},
     marked as (update batch set status = 'RECALLED' where id in (
       select b.id from down join batch b on b.id = down.id where b.status <> 'RECALLED' order by b.id limit ?) returning 1)
     select count(*) as n from marked`,
    [batchId, limit],
  );
  return Number(n);
}

/** What a gate scan or a test reads of a lot. */
export type ScannedBatchRow = Pick<
  BatchRow, 'id' | 'owner_id' | 'public_code' | 'product_name' | 'category' | 'lot_code' | 'remaining' | 'unit' | 'status' | 'non_conformant'
>;

export const SCANNED_COLUMNS = 'id, owner_id, public_code, product_name, category, lot_code, remaining, unit, status, non_conformant';

/** The lot, locked against changes of its quantities and status (not against new links) until the transaction ends. */
export async function lockBatchForScan(ctx: Db, id: number): Promise<ScannedBatchRow | null> {
  const [row] = await ctx.em.execute<ScannedBatchRow[]>(`select ${SCANNED_COLUMNS} from batch where id = ? for no key update`, [id]);
  return row ?? null;
}

/** Records that a test failed on this lot. */
export async function markNonConformant(ctx: Db, id: number): Promise<void> {
  await ctx.em.execute('update batch set non_conformant = true where id = ?', [id]);
}

/** The batches with these public codes: id, owner and code. */
export async function batchesByPublicCodes(ctx: Db, codes: string[]): Promise<Pick<BatchRow, 'id' | 'owner_id' | 'public_code'>[]> {
  if (!codes.length) return [];
  return ctx.em.execute<Pick<BatchRow, 'id' | 'owner_id' | 'public_code'>[]>(
    'select id, owner_id, public_code from batch where public_code = any(?::text[])',
    [`{${codes.join(',')}}`],
  );
}

/** The id of the owner's lot with this lot code, if it has one. */
export async function batchIdByOwnerLot(ctx: Db, ownerId: number, lotCode: string): Promise<number | null> {
  const [row] = await ctx.em.execute<Pick<BatchRow, 'id'>[]>('select id from batch where owner_id = ? and lot_code = ?', [ownerId, lotCode]);
  return row?.id ?? null;
}
