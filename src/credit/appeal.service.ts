import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { AppealKind, AppealStatus, CreditSource, Role } from '../entities/enums';
import { badInput, conflict, forbidden, notFound } from '../errors';
import { decodeCursor, encodeCursor, type Page } from '../registry/pagination';
import type { CreditAppeal } from '../schema/appeal.type';
import * as v from '../validation';
import { appendCreditEvent } from './ledger.service';
import { toDate } from './sql-time';

interface AppealRow {
  id: number;
  event_id: number;
  operator_id: number;
  kind: AppealKind;
  reason: string;
  status: AppealStatus;
  filed_by_id: number | null;
  decided_by_id: number | null;
  decided_at: Date | string | null;
  decision_note: string | null;
  reversal_event_id: number | null;
  created_at: Date | string;
}

const APPEAL_COLUMNS = 'id, event_id, operator_id, kind, reason, status, filed_by_id, decided_by_id, decided_at, decision_note, reversal_event_id, created_at';

function toAppeal(r: AppealRow): CreditAppeal {
  return {
    id: r.id, eventId: r.event_id, operatorId: r.operator_id, kind: r.kind, reason: r.reason, status: r.status, filedById: r.filed_by_id,
    decidedById: r.decided_by_id, decidedAt: toDate(r.decided_at), decisionNote: r.decision_note, reversalEventId: r.reversal_event_id, createdAt: toDate(r.created_at),
  };
}

async function loadAppeal(em: EntityManager, id: number, lock = false): Promise<CreditAppeal> {
  const [row] = await em.execute<AppealRow[]>(`select ${APPEAL_COLUMNS} from credit_appeal where id = ?${lock ? ' for update' : ''}`, [id]);
  if (!row) throw notFound('Credit appeal', id);
  return toAppeal(row);
}

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
  return ctx.em.transactional(async (em) => {
    const [owner] = await em.execute<{ operator_id: number }[]>('select operator_id from credit_event where id = ?', [eventId]);
    if (!owner) throw notFound('Credit event', eventId);
    if (ctx.viewer.role !== Role.OPERATOR || ctx.viewer.operatorId !== owner.operator_id) throw forbidden('Only the operator itself may appeal its events');
    // the operator row lock serialises this with other appends and appeals of the same operator; read the event after it
    await em.execute('select id from operator where id = ? for no key update', [owner.operator_id]);
    const [event] = await em.execute<{ operator_id: number; points: number; expires_at: Date | string | null; reversed: boolean }[]>(
      `select e.operator_id, e.points, e.expires_at, exists (select 1 from credit_event r where r.reverses_id = e.id) as reversed
         from credit_event e where e.id = ?`,
      [eventId],
    );
    if (event.points >= 0) throw badInput('eventId', 'only a deduction can be appealed or repaired');
    if (event.reversed) throw conflict(`Credit event ${eventId} is already reversed`);
    if (input.kind === AppealKind.REPAIR && event.expires_at && toDate(event.expires_at).getTime() <= Date.now()) {
      throw badInput('eventId', 'the deduction has already expired; there is nothing to repair');
    }
    const [pending] = await em.execute<{ id: number }[]>(`select id from credit_appeal where event_id = ? and status = 'PENDING'`, [eventId]);
    if (pending) throw conflict(`Credit event ${eventId} already has a pending appeal (${pending.id})`);
    const [row] = await em.execute<AppealRow[]>(
      `insert into credit_appeal (event_id, operator_id, kind, reason, filed_by_id) values (?, ?, ?, ?, ?) returning ${APPEAL_COLUMNS}`,
      [eventId, event.operator_id, input.kind, reason, ctx.viewer.accountId],
    );
    await appendCreditEvent(em, {
      operatorId: event.operator_id,
      ruleCode: 'APPEAL_FILED',
      reason: `${input.kind === AppealKind.REPAIR ? 'Repair' : 'Appeal'} of event ${eventId}: ${reason}`,
      source: CreditSource.APPEAL,
      sourceRef: `appeal:${row.id}`,
      recordedById: ctx.viewer.accountId,
    });
    return toAppeal(row);
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
  return ctx.em.transactional(async (em) => {
    const appeal = await loadAppeal(em, appealId, true);
    if (appeal.status !== AppealStatus.PENDING) throw conflict(`Credit appeal ${appealId} was already decided (${appeal.status})`);
    const what = appeal.kind === AppealKind.REPAIR ? 'Repair' : 'Appeal';
    const appended = await appendCreditEvent(em, input.decision === AppealStatus.UPHELD
      ? {
          operatorId: appeal.operatorId, ruleCode: 'REVERSAL', reversesId: appeal.eventId, reason: `${what} ${appealId} upheld: ${note}`,
          source: CreditSource.APPEAL, sourceRef: `appeal:${appealId}`, recordedById: ctx.viewer.accountId,
        }
      : {
          operatorId: appeal.operatorId, ruleCode: 'APPEAL_REJECTED', reason: `${what} ${appealId} rejected: ${note}`,
          source: CreditSource.APPEAL, sourceRef: `appeal:${appealId}`, recordedById: ctx.viewer.accountId,
        });
    const [row] = await em.execute<AppealRow[]>(
      `update credit_appeal set status = ?, decided_by_id = ?, decided_at = now(), decision_note = ?, reversal_event_id = ?
        where id = ? returning ${APPEAL_COLUMNS}`,
      [input.decision, ctx.viewer.accountId, note, input.decision === AppealStatus.UPHELD ? appended.id : null, appealId],
    );
    return toAppeal(row);
  });
}

export interface AppealFilterData {
  status?: AppealStatus | null;
  operatorId?: number | string | null;
}

/** Appeals, oldest first (the order a regulator works through them); an operator sees only its own. */
export async function listCreditAppeals(ctx: Context, filter: AppealFilterData, first: number, after: string | null | undefined): Promise<Page<CreditAppeal>> {
  const afterId = decodeCursor('after', after);
  const conditions = ['id > ?'];
  const params: unknown[] = [afterId ?? 0];
  if (filter.status != null) {
    if (!Object.values(AppealStatus).includes(filter.status)) throw badInput('filter.status', `must be one of ${Object.values(AppealStatus).join(', ')}`);
    conditions.push('status = ?');
    params.push(filter.status);
  }
  let operatorId = filter.operatorId != null ? v.id('filter.operatorId', filter.operatorId) : null;
  if (ctx.viewer.role === Role.OPERATOR) {
    if (operatorId !== null && operatorId !== ctx.viewer.operatorId) throw forbidden('This account may not act for that operator');
    operatorId = ctx.viewer.operatorId;
  }
  if (operatorId !== null) {
    conditions.push('operator_id = ?');
    params.push(operatorId);
  }
  const rows = await ctx.em.execute<AppealRow[]>(
    `select ${APPEAL_COLUMNS} from credit_appeal where ${conditions.join(' and ')} order by id limit ${first + 1}`,
    params,
  );
  const nodes = rows.slice(0, first).map(toAppeal);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null };
}
