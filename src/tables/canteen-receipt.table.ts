import type { Db } from './table';
import type { QuantityUnit, ReceivingLight } from '../entities/enums';
import type { CanteenReceiptModel, ReceivingReason } from '../canteen/canteen.model';
import { insertOnce, type InsertedOnce } from './insert-once';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface CanteenReceiptRow {
  id: number;
  canteen_id: number;
  staff_id: number | null;
  code_scanned: string;
  batch_id: number | null;
  declared_quantity: string | number;
  unit: QuantityUnit;
  light: ReceivingLight;
  reasons: ReceivingReason[];
  received_batch_id: number | null;
  created_at: Date | string;
  client_key: string | null;
  request_hash: string | null;
  response: CanteenReceiptModel | null;
}

export const canteenReceiptTable = defineTable<CanteenReceiptRow>('canteen_receipt', {
  id: 'int4', canteen_id: 'int4', staff_id: 'int4', code_scanned: 'varchar', batch_id: 'int4', declared_quantity: 'numeric', unit: 'text', light: 'text',
  reasons: 'jsonb', received_batch_id: 'int4', created_at: 'timestamptz', client_key: 'varchar', request_hash: 'bpchar', response: 'jsonb',
});

type ReceiptView = CanteenReceiptRow & { product_name: string | null; lot_code: string | null; producer_name: string | null };

function toModel(r: ReceiptView): CanteenReceiptModel {
  return {
    id: r.id, canteenId: r.canteen_id, codeScanned: r.code_scanned, batchId: r.batch_id, productName: r.product_name, lotCode: r.lot_code,
    producerName: r.producer_name, declaredQuantity: Number(r.declared_quantity), unit: r.unit, light: r.light, reasons: r.reasons,
    receivedBatchId: r.received_batch_id, createdAt: toDate(r.created_at),
  };
}

const VIEW = `select ${canteenReceiptTable.listAs('r')}, b.product_name, b.lot_code, o.name as producer_name
  from canteen_receipt r left join batch b on b.id = r.batch_id left join operator o on o.id = b.owner_id`;

export type NewReceipt = Pick<CanteenReceiptRow, 'canteen_id' | 'staff_id' | 'code_scanned' | 'declared_quantity' | 'unit' | 'client_key' | 'request_hash'>;

/**
 * The first write of a receiving check: the receipt row under its client key, held as RED with no reasons until
 * `completeCanteenReceipt` writes the decision in the same transaction. With a key already taken, the answer stored
 * by the first request; the key with another payload is a CONFLICT. Without a key (null) the row never conflicts.
 */
export function insertCanteenReceiptOnce(tx: Db, r: NewReceipt): Promise<InsertedOnce<CanteenReceiptRow, Pick<CanteenReceiptRow, 'id'>>> {
  return insertOnce(tx, canteenReceiptTable, 'client_key', { ...r, light: 'RED', reasons: [] }, ['id'],
    `clientKey ${r.client_key} was already used for a different delivery`);
}

/** Writes the decision and, under a client key, the answer every retry gets back. */
export async function completeCanteenReceipt(
  tx: Db, id: number, r: Pick<CanteenReceiptRow, 'batch_id' | 'light' | 'reasons' | 'received_batch_id'>, keyed: boolean,
): Promise<CanteenReceiptModel> {
  await tx.em.execute(
    `update canteen_receipt set batch_id = ?, light = ?, reasons = ?::jsonb, received_batch_id = ? where id = ?`,
    [r.batch_id, r.light, JSON.stringify(r.reasons), r.received_batch_id, id],
  );
  const [row] = await tx.em.execute<ReceiptView[]>(`${VIEW} where r.id = ?`, [id]);
  const answer = toModel(row);
  if (keyed) await tx.em.execute(`update canteen_receipt set response = ?::jsonb where id = ?`, [JSON.stringify(answer), id]);
  return answer;
}

/** A stored answer read back from jsonb, with its time as a Date again. */
export function receiptFromStored(stored: CanteenReceiptModel): CanteenReceiptModel {
  return { ...stored, createdAt: new Date(stored.createdAt) };
}

/** Counts of a canteen's receipts in [from, to) by light. */
export async function receiptLightCounts(ctx: Db, canteenId: number, from: Date, to: Date): Promise<Record<ReceivingLight, number>> {
  const rows = await ctx.em.execute<{ light: ReceivingLight; n: string }[]>(
    `select light, count(*) as n from canteen_receipt where canteen_id = ? and created_at >= ? and created_at < ? group by light`,
    [canteenId, from, to],
  );
  const counts = { GREEN: 0, AMBER: 0, RED: 0 } as Record<ReceivingLight, number>;
  for (const r of rows) counts[r.light] = Number(r.n);
  return counts;
}

/** A canteen's receipts in [from, to), oldest first: its receiving ledger (进货台账). */
export async function canteenReceiptsBetween(ctx: Db, canteenId: number, from: Date, to: Date, limit: number): Promise<CanteenReceiptModel[]> {
  const rows = await ctx.em.execute<ReceiptView[]>(
    `${VIEW} where r.canteen_id = ? and r.created_at >= ? and r.created_at < ? order by r.created_at, r.id limit ${limit}`,
    [canteenId, from, to],
  );
  return rows.map(toModel);
}
