import { withTransaction, type Context } from '../context';
import { AppealKind, AppealStatus, CreditSource, Role } from '../entities/enums';
import { badInput, conflict, forbidden, notFound } from '../errors';
import { decodeCursor, encodeCursor, type Page } from '../registry/pagination';
import { creditAppealById, decideAppealRow, insertCreditAppeal, listAppealRows, pendingAppealId } from '../tables/credit-appeal.table';
import { appealableEvent, eventOperatorId } from '../tables/credit-event.table';
import { lockOperatorCredit } from '../tables/operator.table';
import * as v from '../validation';
import type { CreditAppeal } from './credit.model';
import { appendCreditEvent } from './ledger.append';

export interface FileAppealData {
  eventId: number | string;
  kind: AppealKind;
  reason: string;
}

/**
 * An operator contests one of its own deductions (APPEAL) or asks for it to stop counting after rectification (REPAIR).
 * The request and an APPEAL_FILED event in the operator's chain commit together.
 */
export async function fileCreditAppeal(ctx: Context, input: FileAppealData): Promise<CreditAppeal> {
  const eventId = v.id('eventId', input.eventId);
  if (!Object.values(AppealKind).includes(input.kind)) throw badInput('kind', `must be one of ${Object.values(AppealKind).join(', ')}`);
  // bounded below the event's 1,000 so the archived text, with its prefix, always fits
  const reason = v.text('reason', input.reason, 900, { multiline: true });
  return withTransaction(ctx, async (tx) => {
    const ownerId = await eventOperatorId(tx, eventId);
    if (ownerId === null) throw notFound('Credit event', eventId);
    if (ctx.viewer.role !== Role.OPERATOR || ctx.viewer.operatorId !== ownerId) throw forbidden('Only the operator itself may appeal its events');
    // the operator row lock serialises this with other appends and appeals of the same operator; read the event after it
    await lockOperatorCredit(tx, ownerId);
    const event = await appealableEvent(tx, eventId);
    if (event.points >= 0) throw badInput('eventId', 'only a deduction can be appealed or repaired');
    if (event.reversed) throw conflict(`Credit event ${eventId} is already reversed`);
    if (input.kind === AppealKind.REPAIR && event.expiresAt && event.expiresAt.getTime() <= Date.now()) {
      throw badInput('eventId', 'the deduction has already expired; there is nothing to repair');
    }
    const pending = await pendingAppealId(tx, eventId);
    if (pending !== null) throw conflict(`Credit event ${eventId} already has a pending appeal (${pending})`);
    const appeal = await insertCreditAppeal(tx, { eventId, operatorId: event.operatorId, kind: input.kind, reason, filedById: ctx.viewer.accountId });
    await appendCreditEvent(tx, {
      operatorId: event.operatorId,
      ruleCode: 'APPEAL_FILED',
      reason: `${input.kind === AppealKind.REPAIR ? 'Repair' : 'Appeal'} of event ${eventId}: ${reason}`,
      source: CreditSource.APPEAL,
      sourceRef: `appeal:${appeal.id}`,
      recordedById: ctx.viewer.accountId,
    });
    return appeal;
  });
}

export interface DecideAppealData {
  appealId: number | string;
  decision: AppealStatus;
  note: string;
}

/**
 * A regulator decides a pending appeal or repair request. UPHELD appends a REVERSAL of the contested event
 * (which stays in the archive, marked reversed); REJECTED appends an APPEAL_REJECTED event. Either way the
 * decision and its event commit together.
 */
export async function decideCreditAppeal(ctx: Context, input: DecideAppealData): Promise<CreditAppeal> {
  const appealId = v.id('appealId', input.appealId);
  if (input.decision !== AppealStatus.UPHELD && input.decision !== AppealStatus.REJECTED) throw badInput('decision', 'must be UPHELD or REJECTED');
  const note = v.text('note', input.note, 900, { multiline: true });
  return withTransaction(ctx, async (tx) => {
    const appeal = await creditAppealById(tx, appealId, true);
    if (!appeal) throw notFound('Credit appeal', appealId);
    if (appeal.status !== AppealStatus.PENDING) throw conflict(`Credit appeal ${appealId} was already decided (${appeal.status})`);
    const what = appeal.kind === AppealKind.REPAIR ? 'Repair' : 'Appeal';
    const appended = await appendCreditEvent(tx, input.decision === AppealStatus.UPHELD
      ? {
          operatorId: appeal.operatorId, ruleCode: 'REVERSAL', reversesId: appeal.eventId, reason: `${what} ${appealId} upheld: ${note}`,
          source: CreditSource.APPEAL, sourceRef: `appeal:${appealId}`, recordedById: ctx.viewer.accountId,
        }
      : {
          operatorId: appeal.operatorId, ruleCode: 'APPEAL_REJECTED', reason: `${what} ${appealId} rejected: ${note}`,
          source: CreditSource.APPEAL, sourceRef: `appeal:${appealId}`, recordedById: ctx.viewer.accountId,
        });
    return decideAppealRow(tx, appealId, {
      status: input.decision, decidedById: ctx.viewer.accountId, note, reversalEventId: input.decision === AppealStatus.UPHELD ? appended.id : null,
    });
  });
}

export interface AppealFilterData {
  status?: AppealStatus | null;
  operatorId?: number | string | null;
}

/** Appeals, oldest first (the order a regulator works through them); an operator sees only its own. */
export async function listCreditAppeals(ctx: Context, filter: AppealFilterData, first: number, after: string | null | undefined): Promise<Page<CreditAppeal>> {
  const afterId = decodeCursor('after', after);
  if (filter.status != null && !Object.values(AppealStatus).includes(filter.status)) {
    throw badInput('filter.status', `must be one of ${Object.values(AppealStatus).join(', ')}`);
  }
  let operatorId = filter.operatorId != null ? v.id('filter.operatorId', filter.operatorId) : null;
  if (ctx.viewer.role === Role.OPERATOR) {
    if (operatorId !== null && operatorId !== ctx.viewer.operatorId) throw forbidden('This account may not act for that operator');
    operatorId = ctx.viewer.operatorId;
  }
  const rows = await listAppealRows(ctx, { afterId: afterId ?? 0, status: filter.status ?? null, operatorId }, first + 1);
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null };
}
