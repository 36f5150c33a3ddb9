import type { Db } from './table';
import type { QuantityUnit, ReceivingLight } from '../entities/enums';
import type { CanteenReceiptModel, ReceivingReason } from '../canteen/canteen.model';
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
}

export const canteenReceiptTable = defineTable<CanteenReceiptRow>('canteen_receipt', {
  id: 'int4', canteen_id: 'int4', staff_id: 'int4', code_scanned: 'varchar', batch_id: 'int4', declared_quantity: 'numeric', unit: 'text', light: 'text',
  reasons: 'jsonb', received_batch_id: 'int4', created_at: 'timestamptz',
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

export async function insertCanteenReceipt(
  ctx: Db, r: Omit<CanteenReceiptRow, 'id' | 'created_at'>,
): Promise<CanteenReceiptModel> {
  const [{ id }] = await ctx.em.execute<{ id: number }[]>(
    `insert into canteen_receipt (canteen_id, staff_id, code_scanned, batch_id, declared_quantity, unit, light, reasons, received_batch_id)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) returning id`,
    [r.canteen_id, r.staff_id, r.code_scanned, r.batch_id, r.declared_quantity, r.unit, r.light, JSON.stringify(r.reasons), r.received_batch_id],
  );
  const [row] = await ctx.em.execute<ReceiptView[]>(`${VIEW} where r.id = ?`, [id]);
  return toModel(row);
}

/** A canteen's receipts in [from, to), oldest first: its receiving ledger (进货台账). */
export async function canteenReceiptsBetween(ctx: Db, canteenId: number, from: Date, to: Date, limit: number): Promise<CanteenReceiptModel[]> {
  const rows = await ctx.em.execute<ReceiptView[]>(
    `${VIEW} where r.canteen_id = ? and r.created_at >= ? and r.created_at < ? order by r.created_at, r.id limit ${limit}`,
    [canteenId, from, to],
  );
  return rows.map(toModel);
}
