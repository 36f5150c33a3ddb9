import type { EntityManager } from '@mikro-orm/postgresql';
import { InspectionKind, TestResult } from '../entities/enums';
import type { InspectionItem } from '../entities/inspection.entity';
import { badInput, notFound } from '../errors';
import type { BoardTest as PublicBoardTest, MarketTestBoard as PublicBoard } from '../schema/inspection.type';
import * as v from '../validation';

/** Markets keep China Standard Time (no daylight saving): a market day runs from 00:00 to 24:00 at +08:00. */
export const MARKET_UTC_OFFSET = '+08:00';
const OFFSET_MS = 8 * 3_600_000;

/** A test on the board, with the id of the tested lot; the vendor is the entry's receiving vendor, else the lot's owner. */
export interface BoardTest extends Omit<PublicBoardTest, 'items'> {
  batchId: number;
  items: InspectionItem[];
}

/** A market's board for one market day (`date` is YYYY-MM-DD in market time). */
export interface MarketTestBoard extends Omit<PublicBoard, 'tests'> {
  tests: BoardTest[];
}

/** The market day (YYYY-MM-DD, market time) that contains `at`. */
export function marketDay(at: Date = new Date()): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Validates a YYYY-MM-DD market day and returns its bounds as instants. */
export function marketDayBounds(field: string, date: string): { day: string; from: Date; to: Date } {
  const day = (date ?? '').trim();
  const from = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00${MARKET_UTC_OFFSET}`) : new Date(NaN);
  if (Number.isNaN(from.getTime()) || marketDay(from) !== day) throw badInput(field, 'must be a calendar date YYYY-MM-DD');
  if (from.getUTCFullYear() < 2000 || from.getUTCFullYear() > 2999) throw badInput(field, 'must be between 2000 and 2999');
  return { day, from, to: new Date(from.getTime() + 86_400_000) };
}

interface BoardRow {
  id: number;
  kind: InspectionKind;
  inspected_at: Date;
  batch_id: number;
  public_code: string;
  product_name: string;
  vendor_id: number;
  vendor_name: string;
  items: InspectionItem[];
  result: TestResult;
  tester: string;
}

/**
 * Every test recorded at a market on one market day, oldest first: what the market must display publicly.
 * Public data only: product, lot code for the trace page, vendor name, items and results.
 */
export async function marketTestBoard(em: EntityManager, marketId: number | string, date: string): Promise<MarketTestBoard> {
  const id = v.id('marketId', marketId);
  const { day, from, to } = marketDayBounds('date', date);
  const [market] = await em.execute<{ name: string }[]>('select name from market where id = ?', [id]);
  if (!market) throw notFound('Market', id);
  const rows = await em.execute<BoardRow[]>(
    `select i.id, i.kind, i.inspected_at, i.batch_id, b.public_code, b.product_name,
            coalesce(e.vendor_id, b.owner_id) as vendor_id, v.name as vendor_name, i.items, i.result, i.tester
       from inspection i
       join batch b on b.id = i.batch_id
       left join market_entry e on e.id = i.entry_id
       join operator v on v.id = coalesce(e.vendor_id, b.owner_id)
      where i.market_id = ? and i.inspected_at >= ? and i.inspected_at < ?
      order by i.inspected_at, i.id`,
    [id, from, to],
  );
  return {
    marketId: id,
    marketName: market.name,
    date: day,
    tests: rows.map((r) => ({
      inspectionId: r.id,
      kind: r.kind,
      inspectedAt: new Date(r.inspected_at),
      batchId: r.batch_id,
      batchPublicCode: r.public_code,
      productName: r.product_name,
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      items: r.items,
      result: r.result,
      tester: r.tester,
    })),
  };
}
