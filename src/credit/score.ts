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
  return stateAt(inTimeOrder(events), asOf.getTime());
}

/** The credit states at several moments (as `computeCredit` at each), the events put in time order once. */
export function computeCreditAt(events: ScoredEvent[], moments: Date[]): CreditState[] {
  const ordered = inTimeOrder(events);
  return moments.map((m) => stateAt(ordered, m.getTime()));
}

/** The events in the order they apply: by occurred_at; the sort is stable, so events of one moment keep their chain order. */
function inTimeOrder(events: ScoredEvent[]): ScoredEvent[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

function stateAt(ordered: ScoredEvent[], t: number): CreditState {
  const reversed = new Set<number>();
  for (const e of ordered) {
    if (e.occurredAt.getTime() > t) break;
    if (e.reversesId !== null) reversed.add(e.reversesId);
  }
  let score = MAX_SCORE;
  let forcedUntil: Date | null = null;
  for (const e of ordered) {
    if (e.occurredAt.getTime() > t) break;
    if (e.reversesId !== null || reversed.has(e.id)) continue;
    const expiry = expiryOf(e);
    if (!expiry || expiry.getTime() > t) score = clamp(score + e.points);
    if (e.forcesDUntil && e.forcesDUntil.getTime() > t && (!forcedUntil || e.forcesDUntil > forcedUntil)) forcedUntil = e.forcesDUntil;
  }
  return { score, grade: forcedUntil ? Grade.D : gradeFor(score), forcedUntil };
}
