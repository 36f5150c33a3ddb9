import { createHash } from 'node:crypto';
import { assertActsFor, assertInspects } from '../auth/access';
import { withTransaction, type Context, type Db } from '../context';
import { CertificateStatus, Meal, OperatorKind, OperatorStatus, QuantityUnit, ReceivingLight, Role } from '../entities/enums';
import { badInput, conflict, notFound, unauthenticated } from '../errors';
import { clientKey } from '../gate/client-key';
import { parseScannedCode } from '../gate/code';
import { asLotCode, scanFacts } from '../gate/gate.sql';
import { localDate, localDayStart } from '../local-time';
import { toMilli } from '../quantity';
import {
  canteenReceiptsBetween, completeCanteenReceipt, insertCanteenReceiptOnce, receiptFromStored, receiptLightCounts,
} from '../tables/canteen-receipt.table';
import {
  insertMorningCheckOnce, morningCheckCounts, morningCheckKeyOf, morningChecksBetween, setMorningCheckAnswer, toMorningCheck,
} from '../tables/canteen-morning-check.table';
import { latestInspectionOf } from '../tables/field-inspection.table';
import { insertCanteenSample, sampleCounts, samplesOfCanteen } from '../tables/canteen-sample.table';
import { publicOperatorById } from '../tables/operator.table';
import { transferWithin } from '../trace/batch-flow';
import * as v from '../validation';
import type { CanteenOverviewModel, CanteenReceiptModel, CanteenSampleModel, CanteenSampleStatusModel, MorningCheckModel } from './canteen.model';
import { MORNING_CHECK_RULES, MORNING_SYMPTOMS, SAMPLE_RULES, decideReceiving, fitByCheck, type ReceivingFacts } from './canteen.rules';

export interface ReceiveDeliveryData {
  canteenId: string | number;
  code: string;
  quantity: number;
  unit: QuantityUnit;
  /** The device's idempotency key: a retried request records the delivery once and gets the first answer. */
  clientKey?: string | null;
}

function requestHash(p: unknown): string {
  return createHash('sha256').update(JSON.stringify(p), 'utf8').digest('hex');
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

/**
 * The receiving check (进货查验): the delivery's code is read, its lot checked against the rule table, and the answer
 * recorded in the receiving ledger. A GREEN or AMBER delivery is received: the quantity passes to the canteen as a new
 * lot linked by TRANSFER, so forward traces and recalls of the lot reach the canteen. A RED one is refused.
 * With a client key the receipt row is written first, under that key, so a retry records nothing more and gets the
 * first answer; the key with another delivery is a CONFLICT.
 */
export async function receiveDelivery(ctx: Context, input: ReceiveDeliveryData): Promise<CanteenReceiptModel> {
  const code = v.text('code', input.code, 500);
  const quantity = v.quantity('quantity', input.quantity);
  if (!Object.values(QuantityUnit).includes(input.unit)) throw badInput('unit', `must be one of ${Object.values(QuantityUnit).join(', ')}`);
  const key = input.clientKey == null ? null : clientKey('clientKey', input.clientKey);
  return withTransaction(ctx, async (tx) => {
    const canteenId = await canteenOf(tx, input.canteenId);
    const once = await insertCanteenReceiptOnce(tx, {
      canteen_id: canteenId, staff_id: tx.viewer.accountId, code_scanned: code, declared_quantity: quantity, unit: input.unit,
      client_key: key, request_hash: key === null ? null : requestHash([canteenId, code, quantity, input.unit]),
    });
    if (once.answer) return receiptFromStored(once.answer);
    // the lot, locked with its certificates, and its owner, in one statement as the gate reads them
    const { batch, certificates, operators } = await scanFacts(tx, asLotCode(parseScannedCode(code)));
    const supplier = operators.find((o) => o.id === batch?.owner_id) ?? null;
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
    return completeCanteenReceipt(tx, once.row.id, {
      batch_id: batch?.id ?? null, light: outcome.light, reasons: outcome.rules.map((r) => ({ code: r.code, zh: r.zh, en: r.en })), received_batch_id: receivedBatchId,
    }, key !== null);
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

/** A sample as it stands at `now`: past its 48 hours it may be discarded. */
export function sampleStatus<S extends { discardAfter: Date }>(s: S, now: Date): S & { mayDiscard: boolean } {
  return { ...s, mayDiscard: s.discardAfter.getTime() <= now.getTime() };
}

/** The canteen's samples, newest first, each marked whether it may be discarded yet (the discard reminder). */
export async function canteenSamples(ctx: Context, canteenId: string | number, now = new Date()): Promise<CanteenSampleStatusModel[]> {
  return withTransaction(ctx, async (tx) => (await samplesOfCanteen(tx, await canteenOf(tx, canteenId), 200)).map((x) => sampleStatus(x, now)));
}

export interface MorningCheckData {
  canteenId: string | number;
  staffName: string;
  temperature: number;
  symptoms?: string[] | null;
  fitForWork: boolean;
  checkedBy: string;
  clientKey: string;
}

/**
 * The morning health check (晨检) of one staff member, today in the county's time zone: one per person per canteen
 * per day, recorded exactly once per client key (a retry gets the first answer; the key with another check is a
 * CONFLICT). A fever or any symptom means not fit for work: a check saying otherwise is refused.
 */
export async function recordMorningCheck(ctx: Context, input: MorningCheckData, now = new Date()): Promise<MorningCheckModel> {
  const key = clientKey('clientKey', input.clientKey);
  const staffName = v.text('staffName', input.staffName, 100);
  const checkedBy = v.text('checkedBy', input.checkedBy, 100);
  const t = input.temperature;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < MORNING_CHECK_RULES.minTemperature || t > MORNING_CHECK_RULES.maxTemperature) {
    throw badInput('temperature', `must be a body temperature in °C from ${MORNING_CHECK_RULES.minTemperature} to ${MORNING_CHECK_RULES.maxTemperature}`);
  }
  const temperature = Math.round(t * 10) / 10;
  const raw = input.symptoms ?? [];
  if (!Array.isArray(raw) || raw.length > MORNING_SYMPTOMS.length) throw badInput('symptoms', 'must be a list of symptom codes');
  raw.forEach((c, i) => {
    if (!MORNING_SYMPTOMS.some((m) => m.code === c)) throw badInput(`symptoms[${i}]`, `must be one of ${MORNING_SYMPTOMS.map((m) => m.code).join(', ')}`);
  });
  const symptoms = MORNING_SYMPTOMS.map((m) => m.code).filter((c) => raw.includes(c));
  if (typeof input.fitForWork !== 'boolean') throw badInput('fitForWork', 'must be true or false');
  if (input.fitForWork && !fitByCheck(temperature, symptoms)) {
    throw badInput('fitForWork', `a temperature from ${MORNING_CHECK_RULES.feverFrom} °C or any symptom means not fit for work`);
  }
  const checkedOn = localDate(now, ctx.config.timeZone);
  return withTransaction(ctx, async (tx) => {
    const canteenId = await canteenOf(tx, input.canteenId);
    const taken = await morningCheckKeyOf(tx, canteenId, checkedOn, staffName);
    if (taken !== null && taken !== key) throw conflict(`${staffName} was already checked on ${checkedOn}`);
    const once = await insertMorningCheckOnce(tx, {
      canteen_id: canteenId, checked_on: checkedOn, staff_name: staffName, temperature, symptoms, fit_for_work: input.fitForWork, checked_by: checkedBy,
      recorded_by_id: tx.viewer.accountId, client_key: key,
      request_hash: requestHash([canteenId, checkedOn, staffName, temperature, symptoms, input.fitForWork, checkedBy]),
    });
    if (once.answer) return { ...once.answer, createdAt: new Date(once.answer.createdAt) };
    const answer = toMorningCheck(once.row);
    await setMorningCheckAnswer(tx, answer.id, answer);
    return answer;
  });
}

/** The canteen's morning checks of one day (today when left out), by name. */
export async function morningChecks(ctx: Context, canteenId: string | number, on?: string | null, now = new Date()): Promise<MorningCheckModel[]> {
  const day = on == null ? localDate(now, ctx.config.timeZone) : v.text('on', on, 10);
  if (!/^\d{4}-\d\d-\d\d$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw badInput('on', 'must be a date YYYY-MM-DD');
  }
  return withTransaction(ctx, async (tx) => morningChecksBetween(tx, await canteenOf(tx, canteenId), day, day, 500));
}

/**
 * What the regulator sees of one canteen: this month's receipts by light, samples kept and free to discard, morning
 * checks today and this month, and the latest field inspection's outcome. Town-wide roles see every canteen, a
 * village assistant its village's, the canteen's own account its own.
 */
export async function canteenOverview(ctx: Context, canteenId: string | number, now = new Date()): Promise<CanteenOverviewModel> {
  if (!ctx.viewer.role) throw unauthenticated();
  const id = v.id('canteenId', canteenId);
  if (ctx.viewer.role === Role.OPERATOR) assertActsFor(ctx.viewer, id);
  return withTransaction(ctx, async (tx) => {
    const canteen = await publicOperatorById(tx, id);
    if (!canteen || canteen.kind !== OperatorKind.CANTEEN) throw notFound('Canteen', id);
    if (tx.viewer.role !== Role.OPERATOR) assertInspects(tx.viewer, canteen.village);
    const today = localDate(now, tx.config.timeZone);
    const month = today.slice(0, 7);
    const { from, to } = monthBounds(month, tx.config.timeZone);
    const lights = await receiptLightCounts(tx, id, from, to);
    const samples = await sampleCounts(tx, id, now);
    const day = await morningCheckCounts(tx, id, today, today);
    const monthChecks = await morningCheckCounts(tx, id, `${month}-01`, today);
    const latest = await latestInspectionOf(tx, id);
    return {
      canteenId: id, name: canteen.name, village: canteen.village, month, receipts: lights.GREEN + lights.AMBER + lights.RED, green: lights.GREEN,
      amber: lights.AMBER, red: lights.RED, samplesKept: samples.kept, samplesMayDiscard: samples.mayDiscard, today, morningChecksToday: day.checks,
      unfitToday: day.unfit, morningChecksThisMonth: monthChecks.checks, latestInspection: latest,
    };
  });
}
