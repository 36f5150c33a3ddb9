import { Grade } from '../entities/enums';
import type { CreditState, ScoredEvent } from './credit.model';
import { gradeFor } from './rules';

export type { CreditState, ScoredEvent };

/**
 * The credit state at `asOf`, from the events alone: start at 100, add the points of every event that
 * has happened, is not reversed and has not expired; clamp to 0–100; a forcing event holds D until its end.
 */
export function computeCredit(events: ScoredEvent[], asOf: Date): CreditState {
  const t = asOf.getTime();
  const reversed = new Set<number>();
  for (const e of events) {
    if (e.reversesId !== null && e.occurredAt.getTime() <= t) reversed.add(e.reversesId);
  }
  let score = 100;
  let forcedUntil: Date | null = null;
  for (const e of events) {
    if (e.occurredAt.getTime() > t || e.reversesId !== null || reversed.has(e.id)) continue;
    if (!(e.points < 0 && e.expiresAt && e.expiresAt.getTime() <= t)) score += e.points;
    if (e.forcesDUntil && e.forcesDUntil.getTime() > t && (!forcedUntil || e.forcesDUntil > forcedUntil)) forcedUntil = e.forcesDUntil;
  }
  score = Math.max(0, Math.min(100, score));
  return { score, grade: forcedUntil ? Grade.D : gradeFor(score), forcedUntil };
}
