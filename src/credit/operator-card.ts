import type { Db } from '../context';
import { isPublicCode } from '../public-code';
import { operatorCardRow } from '../tables/operator.table';
import type { OperatorCard } from './credit.model';

/** The registration card of the operator holding `code`, in one statement; null for an unknown or malformed code. */
export function operatorCard(ctx: Db, code: string, now: Date = new Date()): Promise<OperatorCard | null> {
  if (!isPublicCode(code)) return Promise.resolve(null);
  return operatorCardRow(ctx, code, now);
}
