import { assertActsFor } from '../auth/access';
import { withTransaction, type Context, type Db } from '../context';
import { CertificateStatus, Meal, OperatorKind, OperatorStatus, QuantityUnit, ReceivingLight } from '../entities/enums';
import { badInput, notFound } from '../errors';
import { parseScannedCode } from '../gate/code';
import { localDayStart } from '../local-time';
import { toMilli } from '../quantity';
import { batchByGtinLot, batchIdByPublicCode, lockBatchForScan } from '../tables/batch.table';
import { canteenReceiptsBetween, insertCanteenReceipt } from '../tables/canteen-receipt.table';
import { insertCanteenSample, samplesOfCanteen } from '../tables/canteen-sample.table';
import { publicOperatorById } from '../tables/operator.table';
import { certificatesOfBatch } from '../tables/origin-certificate.table';
import { transferWithin } from '../trace/batch-flow';
import * as v from '../validation';
import type { CanteenReceiptModel, CanteenSampleModel } from './canteen.model';
import { SAMPLE_RULES, decideReceiving, type ReceivingFacts } from './canteen.rules';

export interface ReceiveDeliveryData {
  canteenId: string | number;
  code: string;
  quantity: number;
  unit: QuantityUnit;
}

/** The canteen exists, is a canteen, and this account may act for it. */
async function canteenOf(tx: Db & Pick<Context, 'viewer'>, raw: string | number): Promise<number> {
  const id = v.id('canteenId', raw);
  assertActsFor(tx.viewer, id);
  const canteen = await publicOperatorById(tx, id);
  if (!canteen || canteen.kind !== OperatorKind.CANTEEN) throw notFound('Canteen', id);
  if (canteen.status !== OperatorStatus.ACTIVE) throw badInput('canteenId', `canteen ${id} is ${canteen.status}`);
  return id;
}

async function batchIdOfCode(tx: Db, raw: string): Promise<number | null> {
  const scanned = parseScannedCode(raw);
  if (scanned.kind === 'PUBLIC_CODE') return batchIdByPublicCode(tx, scanned.code);
  if (scanned.kind === 'DIGITAL_LINK') return (await batchByGtinLot(tx, scanned.gtin, scanned.lot))?.id ?? null;
  if (scanned.kind === 'TEXT') return batchIdByPublicCode(tx, scanned.text);
  return null;
}

/**
 * The receiving check (进货查验): the delivery's code is read, its lot checked against the rule table, and the answer
 * recorded in the receiving ledger. A GREEN or AMBER delivery is received: the quantity passes to the canteen as a new
 * lot linked by TRANSFER, so forward traces and recalls of the lot reach the canteen. A RED one is refused.
 */
export async function receiveDelivery(ctx: Context, input: ReceiveDeliveryData): Promise<CanteenReceiptModel> {
  const code = v.text('code', input.code, 500);
  const quantity = v.quantity('quantity', input.quantity);
  if (!Object.values(QuantityUnit).includes(input.unit)) throw badInput('unit', `must be one of ${Object.values(QuantityUnit).join(', ')}`);
  return withTransaction(ctx, async (tx) => {
    const canteenId = await canteenOf(tx, input.canteenId);
    const batchId = await batchIdOfCode(tx, code);
    const batch = batchId === null ? null : await lockBatchForScan(tx, batchId);
    const certificates = batch ? await certificatesOfBatch(tx, batch.id) : [];
    const supplier = batch ? await publicOperatorById(tx, batch.owner_id) : null;
    const facts: ReceivingFacts = {
      found: !!batch,
      batchStatus: batch?.status ?? null,
      nonConformant: batch?.non_conformant ?? false,
      unitMatches: !batch || batch.unit === input.unit,
      holdsQuantity: !!batch && toMilli(batch.remaining) >= toMilli(quantity),
      certificate: certificates.some((c) => c.status === CertificateStatus.VALID) ? CertificateStatus.VALID
        : certificates.length ? CertificateStatus.REVOKED : 'NONE',
      supplierStatus: supplier?.status ?? null,
      supplierGrade: supplier?.credit_grade ?? null,
    };
    const outcome = decideReceiving(facts);
    let receivedBatchId: number | null = null;
    if (outcome.light !== ReceivingLight.RED && batch) {
      receivedBatchId = batch.owner_id === canteenId ? batch.id : (await transferWithin(tx, { parentId: batch.id, toOperatorId: canteenId, quantity })).id;
    }
    return insertCanteenReceipt(tx, {
      canteen_id: canteenId, staff_id: tx.viewer.accountId, code_scanned: code, batch_id: batch?.id ?? null, declared_quantity: quantity, unit: input.unit,
      light: outcome.light, reasons: outcome.rules.map((r) => ({ code: r.code, zh: r.zh, en: r.en })), received_batch_id: receivedBatchId,
    });
  });
}

/** First day of the month `YYYY-MM` and of the next, in the county's time zone. */
function monthBounds(month: string, timeZone: string): { from: Date; to: Date } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw badInput('month', 'must be a month YYYY-MM');
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: localDayStart(`${month}-01`, timeZone), to: localDayStart(`${next}-01`, timeZone) };
}

/** The canteen's receiving ledger (进货台账) of one month, oldest first. */
export async function canteenReceipts(ctx: Context, canteenId: string | number, month: string): Promise<CanteenReceiptModel[]> {
  const m = v.text('month', month, 7);
  return withTransaction(ctx, async (tx) => {
    const id = await canteenOf(tx, canteenId);
    const { from, to } = monthBounds(m, tx.config.timeZone);
    return canteenReceiptsBetween(tx, id, from, to, 10_000);
  });
}

const CSV_HEADER = ['received_at', 'light', 'reasons', 'product', 'lot', 'supplier', 'quantity', 'unit', 'code_scanned', 'received_lot_id'];

/** A cell that a spreadsheet shows as text: quoted, and a leading formula character defused. */
function cell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function receiptsCsv(receipts: CanteenReceiptModel[]): string {
  const lines = receipts.map((r) => [
    r.createdAt.toISOString(), r.light, r.reasons.map((x) => x.code).join(' '), r.productName, r.lotCode, r.producerName, r.declaredQuantity, r.unit, r.codeScanned,
    r.receivedBatchId,
  ].map(cell).join(','));
  return `${[CSV_HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}

export interface RecordSampleData {
  canteenId: string | number;
  dish: string;
  meal: Meal;
  grams: number;
  keptBy: string;
  keptAt?: Date | null;
}

/** A retained sample: at least 125 g, kept until 48 hours after it was sealed (when it may be discarded). */
export async function recordCanteenSample(ctx: Context, input: RecordSampleData): Promise<CanteenSampleModel> {
  const dish = v.text('dish', input.dish, 200);
  const keptBy = v.text('keptBy', input.keptBy, 100);
  if (!Object.values(Meal).includes(input.meal)) throw badInput('meal', `must be one of ${Object.values(Meal).join(', ')}`);
  if (typeof input.grams !== 'number' || !Number.isFinite(input.grams) || input.grams < SAMPLE_RULES.minGrams || input.grams > 10_000) {
    throw badInput('grams', `must be at least ${SAMPLE_RULES.minGrams} g (and at most 10000)`);
  }
  const keptAt = input.keptAt ? v.pastDate('keptAt', input.keptAt) : new Date();
  const discardAfter = new Date(keptAt.getTime() + SAMPLE_RULES.keepHours * 3_600_000);
  return withTransaction(ctx, async (tx) => {
    const canteenId = await canteenOf(tx, input.canteenId);
    return insertCanteenSample(tx, { canteenId, dish, meal: input.meal, grams: Math.round(input.grams * 10) / 10, keptBy, keptAt, discardAfter, recordedById: tx.viewer.accountId });
  });
}

export async function canteenSamples(ctx: Context, canteenId: string | number): Promise<CanteenSampleModel[]> {
  return withTransaction(ctx, async (tx) => samplesOfCanteen(tx, await canteenOf(tx, canteenId), 200));
}
