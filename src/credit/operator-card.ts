import { withPublicLookup, type Context, type Db } from '../context';
import { isPublicCode } from '../public-code';
import { operatorCardRow } from '../tables/operator.table';
import type { OperatorCard } from './credit.model';

/** The registration card of the operator holding `code`, in one statement; null for an unknown or malformed code. */
export function operatorCard(ctx: Db, code: string, now: Date = new Date()): Promise<OperatorCard | null> {
  if (!isPublicCode(code)) return Promise.resolve(null);
  return operatorCardRow(ctx, code, now);
}

/** The card behind a printed `/o/` code, in its own bounded read-only lookup; null for an unknown code. */
export function publicOperatorCard(ctx: Pick<Context, 'em' | 'config'>, code: string, now: Date = new Date()): Promise<OperatorCard | null> {
  return withPublicLookup(ctx, (tx) => operatorCard(tx, code, now));
}
