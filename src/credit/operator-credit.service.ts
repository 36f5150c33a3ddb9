import { assertActsFor } from '../auth/access';
import type { Context } from '../context';
import { notFound } from '../errors';
import type { ChainVerification, CreditState } from './credit.model';
import { creditAsOf } from './ledger.refresh';
import { verifyCreditChain } from './ledger.verify';

/** An operator's score and grade at a moment, recomputed from its events; regulators, admins and the operator itself. */
export function operatorCreditAsOf(ctx: Context, operatorId: number, at: Date): Promise<CreditState> {
  assertActsFor(ctx.viewer, operatorId);
  return creditAsOf(ctx, operatorId, at);
}

/** One operator's hash chain recomputed from the stored rows; regulators, admins and the operator itself. */
export function verifyOperatorChain(ctx: Context, operatorId: number): Promise<ChainVerification> {
  assertActsFor(ctx.viewer, operatorId);
  return verifyCreditChain(ctx, operatorId);
}

/** The operator a credit event belongs to, for those who may read that operator's archive. */
export async function creditEventOperator(ctx: Context, operatorId: number) {
  assertActsFor(ctx.viewer, operatorId);
  const operator = await ctx.loaders.operator.load(operatorId);
  if (!operator) throw notFound('Operator', operatorId);
  return operator;
}
