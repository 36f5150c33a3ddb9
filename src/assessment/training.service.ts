import { assertInspects, villageScope } from '../auth/access';
import { withReadOnlyTransaction, withTransaction, type Context } from '../context';
import { appendCreditEvent } from '../credit/ledger.append';
import { CreditSource } from '../entities/enums';
import { badInput, notFound, unauthenticated } from '../errors';
import { clientKey } from '../gate/client-key';
import { localDate, localDayStart } from '../local-time';
import { decodeCursor, encodeCursor } from '../registry/pagination';
import { assertFieldRole, requestHash } from '../supervision/inspection.service';
import { accountById } from '../tables/account.table';
import { asStored } from '../tables/insert-once';
import { operatorById } from '../tables/operator.table';
import { recordChefTraining } from '../tables/rural-chef.table';
import { attendeesOf, insertAttendee, linkAttendeeEvent, toAttendee } from '../tables/training-attendee.table';
import { heldOnText, insertTrainingOnce, listTrainingRows, storeTrainingAnswer } from '../tables/training.table';
import * as v from '../validation';
import type { AttendeeData, RecordTrainingData, TrainingAttendeeModel, TrainingFilterData, TrainingModel } from './assessment.model';

export const MAX_ATTENDEES = 500;

/** A local date `YYYY-MM-DD` that exists. */
export function localDateInput(field: string, value: string | null | undefined): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw badInput(field, 'must be a date like 2026-11-30');
  }
  return value;
}

type Attendee = { operatorId: number; accountId: null; name: string } | { operatorId: null; accountId: number; name: string } | { operatorId: null; accountId: null; name: string };

/** Each attendee as exactly one of an operator, an account or a name; an operator or account listed twice attends once. */
async function attendeesFor(ctx: Context, raw: AttendeeData[]): Promise<Attendee[]> {
  if (!Array.isArray(raw) || raw.length === 0) throw badInput('attendees', 'list at least one attendee');
  if (raw.length > MAX_ATTENDEES) throw badInput('attendees', `at most ${MAX_ATTENDEES}`);
  const out: Attendee[] = [];
  const seen = new Set<string>();
  for (const [i, a] of raw.entries()) {
    const field = `attendees[${i}]`;
    const given = [a.operatorId, a.accountId, a.name].filter((x) => x !== null && x !== undefined && x !== '').length;
    if (given !== 1) throw badInput(field, 'give exactly one of operatorId, accountId or name');
    if (a.operatorId != null && a.operatorId !== '') {
      const id = v.id(`${field}.operatorId`, a.operatorId);
      if (seen.has(`o${id}`)) continue;
      const operator = await operatorById(ctx, id);
      if (!operator) throw notFound('Operator', id);
      assertInspects(ctx.viewer, operator.village);
      seen.add(`o${id}`);
      out.push({ operatorId: id, accountId: null, name: operator.name.slice(0, 100) });
    } else if (a.accountId != null && a.accountId !== '') {
      const id = v.id(`${field}.accountId`, a.accountId);
      if (seen.has(`a${id}`)) continue;
      const account = await accountById(ctx, id);
      if (!account) throw notFound('Account', id);
      seen.add(`a${id}`);
      out.push({ operatorId: null, accountId: id, name: account.name.slice(0, 100) });
    } else {
      out.push({ operatorId: null, accountId: null, name: v.text(`${field}.name`, a.name, 100) });
    }
  }
  return out;
}

function revive(t: TrainingModel): TrainingModel {
  return { ...t, createdAt: new Date(t.createdAt) };
}

/**
 * Records a training and who attended, exactly once per client key (a resend gets the first answer). In the same
 * transaction every attending operator's credit archive gets one TRAINING_COMPLETED event (source ref
 * `training:<id>`), and an attending rural chef its training count; an operator listed twice attends once. A village
 * assistant records its own village's trainings only.
 */
export async function recordTraining(ctx: Context, input: RecordTrainingData): Promise<TrainingModel> {
  assertFieldRole(ctx);
  const key = clientKey('clientKey', input.clientKey);
  const topic = v.text('topic', input.topic, 300);
  const trainer = v.text('trainer', input.trainer, 100);
  const heldOn = localDateInput('heldOn', input.heldOn);
  if (heldOn > localDate(new Date(), ctx.config.timeZone)) throw badInput('heldOn', 'must not be in the future');
  const own = villageScope(ctx.viewer);
  const village = v.text('village', input.village, 100, { optional: true }) ?? own;
  assertInspects(ctx.viewer, village);
  const attendees = await attendeesFor(ctx, input.attendees);
  const hash = requestHash([topic, trainer, heldOn, village, attendees.map((a) => [a.operatorId, a.accountId, a.name])]);
  const occurredAt = localDayStart(heldOn, ctx.config.timeZone);

  const answer = await withTransaction(ctx, async (tx) => {
    const once = await insertTrainingOnce(tx, { topic, trainer, held_on: heldOn, village, recorded_by_id: tx.viewer.accountId!, client_key: key, request_hash: hash });
    if (once.answer) return once.answer;
    const id = once.row!.id;
    const listed: TrainingAttendeeModel[] = [];
    // operators in id order, so two trainings recorded at once lock their credit rows in the same order
    const ordered = [...attendees].sort((a, b) => (a.operatorId ?? Infinity) - (b.operatorId ?? Infinity));
    for (const a of ordered) {
      const attendeeId = await insertAttendee(tx, { training_id: id, operator_id: a.operatorId, account_id: a.accountId, name: a.name });
      let creditEventId: number | null = null;
      if (attendeeId !== null && a.operatorId !== null) {
        const event = await appendCreditEvent(tx, {
          operatorId: a.operatorId, ruleCode: 'TRAINING_COMPLETED', reason: `Training ${id} (${heldOn}): ${topic}`.slice(0, 1000),
          source: CreditSource.REGULATOR, sourceRef: `training:${id}`, recordedById: tx.viewer.accountId, occurredAt,
        });
        creditEventId = event.id;
        await linkAttendeeEvent(tx, attendeeId, event.id);
        await recordChefTraining(tx, a.operatorId, heldOn);
      }
      if (attendeeId !== null) listed.push({ operatorId: a.operatorId, accountId: a.accountId, name: a.name, creditEventId });
    }
    const model: TrainingModel = asStored({
      id, topic, heldOn, trainer, village, recordedById: tx.viewer.accountId!, createdAt: once.row!.created_at, clientKey: key, attendees: listed,
    });
    await storeTrainingAnswer(tx, id, model);
    return model;
  });
  return revive(answer);
}

/** Trainings newest first; a village assistant sees its village's and the town-wide ones. */
export async function trainings(
  ctx: Context, filter: TrainingFilterData, first: number | null | undefined, after: string | null | undefined,
): Promise<{ nodes: TrainingModel[]; hasNextPage: boolean; endCursor: string | null }> {
  if (!ctx.viewer.role) throw unauthenticated();
  const limit = v.pageSize('first', first, 20, 100);
  const before = decodeCursor('after', after);
  const from = filter.from == null ? null : localDateInput('filter.from', filter.from);
  const to = filter.to == null ? null : localDateInput('filter.to', filter.to);
  const own = villageScope(ctx.viewer);
  const asked = v.text('filter.village', filter.village, 100, { optional: true });
  if (own !== null && asked !== null && asked !== own) assertInspects(ctx.viewer, asked);
  const village = own ?? asked;
  const { rows, attendees } = await withReadOnlyTransaction(ctx, ctx.config.limits.publicStatementTimeoutMs * 10, async (tx) => {
    const rows = await listTrainingRows(tx, { from, to, village }, before, limit + 1);
    return { rows, attendees: await attendeesOf(tx, rows.slice(0, limit).map((r) => r.id)) };
  });
  const nodes = rows.slice(0, limit).map((r): TrainingModel => ({
    id: r.id, topic: r.topic, heldOn: heldOnText(r), trainer: r.trainer, village: r.village, recordedById: r.recorded_by_id, createdAt: r.created_at,
    clientKey: r.client_key, attendees: attendees.filter((a) => a.training_id === r.id).map(toAttendee),
  }));
  return { nodes, hasNextPage: rows.length > limit, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null };
}
