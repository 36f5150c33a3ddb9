import { withTransaction, type Db } from '../context';
import { notFound } from '../errors';
import { operatorsWithLapses, scoredEvents } from '../tables/credit-event.table';
import { lockedStoredCredit, operatorExists, storeCredit } from '../tables/operator.table';
import type { CreditState } from './credit.model';
import { computeCredit } from './score';

/** Recomputes an operator's score from its events and stores it. */
export async function refreshStoredCredit(tx: Db, operatorId: number, asOf = new Date()): Promise<CreditState> {
  const state = computeCredit(await scoredEvents(tx, operatorId), asOf);
  await storeCredit(tx, operatorId, state);
  return state;
}

/** The operator's credit at any moment, from its events alone (events recorded later with an earlier time count too). */
export async function creditAsOf(ctx: Db, operatorId: number, asOf: Date): Promise<CreditState> {
  if (!(await operatorExists(ctx, operatorId))) throw notFound('Operator', operatorId);
  return computeCredit(await scoredEvents(ctx, operatorId), asOf);
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Brings stored grades up to date where time alone changed them: an event expired (a deduction, or an addition, so
 * a grade may move down as well as up), a forced D ended, or an event recorded ahead of its time (a device clock
 * running fast) came due. Only operators with such a moment
 * after `since` (any time, when null) and by `asOf` are recomputed, each in its own transaction; returns how many
 * stored states changed.
 */
export async function refreshLapsedCredit(ctx: Db, asOf = new Date(), since: Date | null = null): Promise<number> {
  const candidates = await operatorsWithLapses(ctx, since ?? new Date(0), asOf);
  let changed = 0;
  for (const operatorId of candidates) {
    changed += await withTransaction(ctx, async (tx) => {
      const stored = await lockedStoredCredit(tx, operatorId);
      const state = computeCredit(await scoredEvents(tx, operatorId), asOf);
      if (stored.score === state.score && stored.grade === state.grade && sameTime(stored.forcedUntil, state.forcedUntil)) return 0;
      await storeCredit(tx, operatorId, state);
      return 1;
    });
  }
  return changed;
}
