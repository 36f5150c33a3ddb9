import { Grade } from '../entities/enums';
import type { CreditState, ScoredEvent } from './credit.model';
import { addMonths, gradeFor } from './rules';

export type { CreditState, ScoredEvent };

/** The score every operator starts from, and its ceiling. */
export const MAX_SCORE = 100;

/**
 * Additions (CLEAN_QUARTER, TRAINING_COMPLETED) recorded before additions expired carry no expiry of their own;
 * they lapse this many months after they occurred, as the rule table says of every addition.
 */
export const UNRECORDED_ADDITION_EXPIRY_MONTHS = 24;

/** When an event stops counting: its recorded expiry; for an addition recorded without one, 24 months on; else never. */
export function expiryOf(e: Pick<ScoredEvent, 'points' | 'occurredAt' | 'expiresAt'>): Date | null {
  if (e.expiresAt) return e.expiresAt;
  return e.points > 0 ? addMonths(e.occurredAt, UNRECORDED_ADDITION_EXPIRY_MONTHS) : null;
}

const clamp = (score: number) => Math.max(0, Math.min(MAX_SCORE, score));

/**
 * The credit state at `asOf`, from the events alone (given in chain order): start at 100 and apply the points of
 * every event that has happened, is not reversed and has not expired, in time order (occurred_at, then chain
 * position), clamping to 0–100 after each one. The ceiling is not a bank: points above 100 are lost, so they never
 * absorb a later deduction. A forcing event that has happened and is not reversed holds D until its end.
 */
export function computeCredit(events: ScoredEvent[], asOf: Date): CreditState {
  const t = asOf.getTime();
  const reversed = new Set<number>();
  for (const e of events) {
    if (e.reversesId !== null && e.occurredAt.getTime() <= t) reversed.add(e.reversesId);
  }
  // the sort is stable, so events of the same moment keep their chain order
  const counting = events
    .filter((e) => e.occurredAt.getTime() <= t && e.reversesId === null && !reversed.has(e.id))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  let score = MAX_SCORE;
  let forcedUntil: Date | null = null;
  for (const e of counting) {
    const expiry = expiryOf(e);
    if (!expiry || expiry.getTime() > t) score = clamp(score + e.points);
    if (e.forcesDUntil && e.forcesDUntil.getTime() > t && (!forcedUntil || e.forcesDUntil > forcedUntil)) forcedUntil = e.forcesDUntil;
  }
  return { score, grade: forcedUntil ? Grade.D : gradeFor(score), forcedUntil };
}
