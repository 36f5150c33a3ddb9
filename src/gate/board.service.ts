import { withPublicLookup, type Context, type Db } from '../context';
import { badInput, notFound } from '../errors';
import { localDate, localDayStart } from '../local-time';
import { boardTests } from '../tables/inspection.table';
import * as v from '../validation';
import type { MarketTestBoardModel } from './gate.model';
import { marketById } from '../tables/market.table';
import { boardRefusals } from '../tables/market-entry.table';

const DAY_MS = 86_400_000;

/** The market day (YYYY-MM-DD in the county's time zone) that contains `at`. */
export function marketDay(timeZone: string, at: Date = new Date()): string {
  return localDate(at, timeZone);
}

/** Validates a YYYY-MM-DD market day and returns its bounds as instants: from its local midnight to the next. */
export function marketDayBounds(field: string, date: string, timeZone: string): { day: string; from: Date; to: Date } {
  const day = (date ?? '').trim();
  const noon = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T12:00:00Z`) : new Date(NaN);
  const from = Number.isNaN(noon.getTime()) ? noon : localDayStart(day, timeZone);
  if (Number.isNaN(from.getTime()) || marketDay(timeZone, from) !== day) throw badInput(field, 'must be a calendar date YYYY-MM-DD');
  if (from.getUTCFullYear() < 2000 || from.getUTCFullYear() > 2999) throw badInput(field, 'must be between 2000 and 2999');
  const next = new Date(noon.getTime() + DAY_MS).toISOString().slice(0, 10);
  return { day, from, to: localDayStart(next, timeZone) };
}

/**
 * Every test recorded at a market on one market day (today when no date is given), oldest first: what the market
 * must display publicly, with the loads refused that day and how each was dealt with, and the complaint number.
 * Public data only: product, lot code for the trace page, vendor name, items, results and reasons.
 */
export async function marketTestBoard(ctx: Db & Pick<Context, 'config'>, marketId: number | string, date?: string | null): Promise<MarketTestBoardModel> {
  const id = v.id('marketId', marketId);
  const timeZone = ctx.config.timeZone;
  const { day, from, to } = marketDayBounds('date', date ?? marketDay(timeZone), timeZone);
  return withPublicLookup(ctx, async (tx) => {
    const market = await marketById(tx, id);
    if (!market) throw notFound('Market', id);
    return {
      marketId: id, marketName: market.name, date: day,
      tests: await boardTests(tx, id, from, to),
      refusals: await boardRefusals(tx, id, from, to),
      complaintPhone: ctx.config.complaintPhone,
    };
  });
}
