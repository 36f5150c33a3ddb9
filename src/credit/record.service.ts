import { withTransaction, type Context } from '../context';
import { CreditSource } from '../entities/enums';
import { badInput } from '../errors';
import * as v from '../validation';
import { eventsById } from '../tables/credit-event.table';
import type { CreditEventData, CreditState } from './credit.model';
import { appendCreditEvent } from './ledger.append';
import { queuedForOperator } from './operator-queue';
import { CREDIT_RULES, ruleFor } from './rules';

export interface RecordCreditEventData {
  operatorId: number | string;
  rule: string;
  points?: number | null;
  expiresMonths?: number | null;
  reason: string;
  occurredAt?: Date | null;
}

export const RECORDABLE_RULES = Object.values(CREDIT_RULES).filter((r) => r.recordable).map((r) => r.code);

/** Records an event a regulator observed (an inspection finding, a training); it commits with the new score. */
export async function recordCreditEvent(ctx: Context, input: RecordCreditEventData): Promise<{ event: CreditEventData; state: CreditState }> {
  const operatorId = v.id('operatorId', input.operatorId);
  const rule = ruleFor(input.rule);
  if (!rule || !rule.recordable) throw badInput('rule', `must be one of ${RECORDABLE_RULES.join(', ')}`);
  const occurredAt = input.occurredAt ? v.pastDate('occurredAt', input.occurredAt) : new Date();
  const { id, state } = await queuedForOperator(ctx, operatorId, () => withTransaction(ctx, (tx) =>
    appendCreditEvent(tx, {
      operatorId,
      ruleCode: rule.code,
      points: input.points ?? undefined,
      expiresMonths: input.expiresMonths ?? undefined,
      reason: input.reason,
      source: CreditSource.REGULATOR,
      recordedById: ctx.viewer.accountId,
      occurredAt,
    }),
  ));
  const [event] = await eventsById(ctx, [id]);
  return { event: event!, state };
}
