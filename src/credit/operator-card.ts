import { withPublicLookup, type Context, type Db } from '../context';
import { isPublicCode } from '../public-code';
import { operatorCardRow } from '../tables/operator.table';
import type { OperatorCard } from './credit.model';

/** How many of the latest field inspections a card shows. */
export const CARD_INSPECTIONS = 3;

/**
 * The registration card of the operator holding `code`, with the date and outcome of its latest field inspections
 * (nothing more of them: no findings, no photos, no inspector), in one statement; null for an unknown or malformed code.
 */
export async function operatorCard(ctx: Db, code: string, now: Date = new Date()): Promise<OperatorCard | null> {
  if (!isPublicCode(code)) return null;
  return operatorCardRow(ctx, code, now, CARD_INSPECTIONS);
}

/** The card behind a printed `/o/` code, in its own bounded read-only lookup; null for an unknown code. */
export function publicOperatorCard(ctx: Pick<Context, 'em' | 'config'>, code: string, now: Date = new Date()): Promise<OperatorCard | null> {
  return withPublicLookup(ctx, (tx) => operatorCard(tx, code, now));
}
