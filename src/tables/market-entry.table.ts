import type { Db } from './table';
import { GateDecision } from '../entities/enums';
import type { BoardRefusalModel, GateAnswer, GateReasonModel, MarketEntryRecord } from '../gate/gate.model';
import type { QuantityUnit } from '../entities/enums';
import { conflict } from '../errors';
import type { ChartCount } from '../charts/desk-charts.model';
import { defineTable } from './table';

export interface MarketEntryRow extends MarketEntryRecord {
  staff_id: number;
  request_hash: string;
  code_scanned: string;
  response: GateAnswer | null;
  /** The hand-over document the load came with (trace/handover.ts), until admission writes it onto the link. */
  handover: Record<string, string | null> | null;
}

export const marketEntryTable = defineTable<MarketEntryRow>('market_entry', {
  id: 'int4',
  market_id: 'int4',
  staff_id: 'int4',
  scan_id: 'varchar',
  request_hash: 'bpchar',
  code_scanned: 'varchar',
  batch_id: 'int4',
  certificate_id: 'int4',
  vendor_id: 'int4',
  declared_quantity: 'numeric',
  unit: 'text',
  decision: 'text',
  reasons: 'jsonb',
  received_batch_id: 'int4',
  response: 'jsonb',
  created_at: 'timestamptz',
  decided_at: 'timestamptz',
  handover: 'jsonb',
});

/** The columns of an entry as a test answer carries it (the record, without the scan's key, hash and answer). */
const RECORD: { readonly [K in keyof MarketEntryRecord]-?: true } = {
  id: true, market_id: true, scan_id: true, batch_id: true, certificate_id: true, vendor_id: true, declared_quantity: true, unit: true,
  decision: true, reasons: true, received_batch_id: true, created_at: true, decided_at: true,
};
const RECORD_LIST = Object.keys(RECORD).join(', ');

export interface NewEntry extends Pick<MarketEntryRow, 'market_id' | 'scan_id' | 'request_hash' | 'code_scanned' | 'vendor_id' | 'unit' | 'handover'> {
  staff_id: number | null;
  declared_quantity: number;
}

/**
 * The answer stored by the first scan with this scanId, for a retry whose insert found the key taken; a reuse of the
 * scanId for another load (another request hash) is a CONFLICT.
 */
export async function storedScanAnswer(tx: Db, scanId: string, requestHash: string): Promise<GateAnswer> {
  const [stored] = await tx.em.execute<Pick<MarketEntryRow, 'request_hash' | 'response'>[]>(
    'select request_hash, response from market_entry where scan_id = ?', [scanId],
  );
  if (!stored || stored.request_hash !== requestHash || stored.response == null) throw conflict(`scanId ${scanId} was already used for a different scan`);
  return stored.response;
}

/** Writes the gate's decision and the answer every retry of the scan gets. */
export async function recordEntryDecision(tx: Db, id: number, d: {
  batchId: number | null; certificateId: number | null; decision: GateDecision; reasons: GateReasonModel[]; receivedBatchId: number | null;
  answer: GateAnswer; decidedAt: Date | null;
}): Promise<void> {
  await tx.em.execute(
    `update market_entry set batch_id = ?, certificate_id = ?, decision = ?, reasons = ?::jsonb, received_batch_id = ?, response = ?::jsonb, decided_at = ?
      where id = ?`,
    [d.batchId, d.certificateId, d.decision, JSON.stringify(d.reasons), d.receivedBatchId, JSON.stringify(d.answer), d.decidedAt, id],
  );
}

export async function entryById(ctx: Db, id: number): Promise<MarketEntryRecord | undefined> {
  const [row] = await ctx.em.execute<MarketEntryRecord[]>(`select ${RECORD_LIST} from market_entry where id = ?`, [id]);
  return row;
}

/** The entry, locked until commit: only one test at a time can decide it. */
export async function lockEntry(tx: Db, id: number): Promise<MarketEntryRecord | undefined> {
  const [row] = await tx.em.execute<MarketEntryRecord[]>(`select ${RECORD_LIST} from market_entry where id = ? for update`, [id]);
  return row;
}

/** Decides an entry that waited for a test; `receivedBatchId` null keeps the one it has. */
export async function settleEntry(tx: Db, id: number, decision: GateDecision, reasons: GateReasonModel[], receivedBatchId: number | null): Promise<MarketEntryRecord> {
  const [row] = await tx.em.execute<MarketEntryRecord[]>(
    `update market_entry set decision = ?, reasons = ?::jsonb, received_batch_id = coalesce(?, received_batch_id), decided_at = now()
      where id = ? returning ${RECORD_LIST}`,
    [decision, JSON.stringify(reasons), receivedBatchId, id],
  );
  return row;
}

/** Reasons that mean a test failed: the lot is marked non-conformant, not merely turned back. */
const TEST_FAILED = ['RAPID_TEST_FAILED', 'LAB_TEST_FAILED'];

/** The loads a market refused in [from, to) by decision time, oldest first, with public names only. */
export async function boardRefusals(ctx: Db, marketId: number, from: Date, to: Date): Promise<BoardRefusalModel[]> {
  const rows = await ctx.em.execute<{
    id: number; decided_at: Date; product_name: string | null; public_code: string | null; vendor_name: string;
    declared_quantity: string; unit: QuantityUnit; reasons: GateReasonModel[];
  }[]>(
    `select e.id, e.decided_at, b.product_name, b.public_code, v.name as vendor_name, e.declared_quantity, e.unit, e.reasons
       from market_entry e
       left join batch b on b.id = e.batch_id
       join operator v on v.id = e.vendor_id
      where e.market_id = ? and e.decision = ? and e.decided_at >= ? and e.decided_at < ?
      order by e.decided_at, e.id`,
    [marketId, GateDecision.REJECTED, from, to],
  );
  return rows.map((r) => ({
    entryId: r.id,
    decidedAt: new Date(r.decided_at),
    productName: r.product_name,
    batchPublicCode: r.public_code,
    vendorName: r.vendor_name,
    declaredQuantity: Number(r.declared_quantity),
    unit: r.unit,
    reasons: r.reasons,
    handling: r.reasons.some((x) => TEST_FAILED.includes(x.code)) ? 'HELD_NON_CONFORMANT' : 'RETURNED',
  }));
}

/** The hand-over document a gate entry was scanned with, or null. */
export async function entryHandover(ctx: Db, id: number): Promise<Record<string, string | null> | null> {
  const [row] = await ctx.em.execute<{ handover: Record<string, string | null> | null }[]>(`select handover from market_entry where id = ?`, [id]);
  return row?.handover ?? null;
}

/** The markets at whose gates a certificate was presented: their gate staff are told when it is revoked. */
export async function marketsOfCertificate(ctx: Db, certificateId: number): Promise<number[]> {
  const rows = await ctx.em.execute<{ market_id: number }[]>(`select distinct market_id from market_entry where certificate_id = ? order by market_id`, [certificateId]);
  return rows.map((r) => r.market_id);
}

/** Which of `operatorIds` received goods through an accepted entry at the market: its vendors, whom its gate staff look after. */
export async function vendorsOfMarket(ctx: Db, marketId: number, operatorIds: readonly number[]): Promise<number[]> {
  if (!operatorIds.length) return [];
  const rows = await ctx.em.execute<{ vendor_id: number }[]>(
    `select distinct vendor_id from market_entry where market_id = ? and decision = 'ACCEPTED' and vendor_id = any(?::int[]) order by vendor_id`,
    [marketId, `{${operatorIds.join(',')}}`],
  );
  return rows.map((r) => r.vendor_id);
}

/** Gate decisions per local day (in `timeZone`) and market, `series` as `<marketId>:<decision>`, for entries in [from, to). */
export function decisionCountsByDay(ctx: Db, from: Date, to: Date, timeZone: string): Promise<ChartCount[]> {
  return ctx.em.execute<ChartCount[]>(
    `select to_char(created_at at time zone ?, 'YYYY-MM-DD') as bucket, market_id || ':' || decision as series, count(*)::int as count
       from market_entry where created_at >= ? and created_at < ? group by 1, 2`,
    [timeZone, from, to],
  );
}
