import { createHash } from 'node:crypto';
import { assertActsFor, assertInspects, FIELD_ROLES, isTownWide, villageScope } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { appendCreditEvent } from '../credit/ledger.append';
import { queuedForOperator } from '../credit/operator-queue';
import { CreditSource, InspectionOutcome, ItemAnswer, OperatorKind, RectificationStatus, Role } from '../entities/enums';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../errors';
import { clientKey } from '../gate/client-key';
import { currentTemplates, templateById } from '../tables/checklist-template.table';
import { completeFieldInspection, insertFieldInspectionOnce, listFieldInspections } from '../tables/field-inspection.table';
import { knownPhotos } from '../tables/field-photo.table';
import { asStored } from '../tables/insert-once';
import { operatorById, operatorsToInspectRows, toPublicOperator } from '../tables/operator.table';
import type { PublicOperator } from '../registry/operator.model';
import {
  answerOrder, insertOrder, listOrders, lockOrder, markOverdueCharged, orderById, recheckKeyOf, recheckOrder, unchargedOverdueIds,
} from '../tables/rectification-order.table';
import * as v from '../validation';
import { deductionOf, OUTCOME_EXPIRY_MONTHS, outcomeOf, RECTIFICATION_DAYS } from './outcome';
import { PHOTO_NAME } from './photo.service';
import type { ChecklistTemplateModel, FieldInspectionModel, InspectionAnswerModel, RectificationOrderModel } from './supervision.model';

const DAY_MS = 86_400_000;
const MAX_PHOTOS = 20;

export interface AnswerData {
  code: string;
  answer: ItemAnswer;
  note?: string | null;
}

export interface RecordInspectionData {
  operatorId: string | number;
  templateId: string | number;
  answers: AnswerData[];
  findings?: string | null;
  photos?: string[] | null;
  inspectedAt?: Date | null;
  /** When faults must be put right; by default 3 days for a serious outcome, 7 otherwise. */
  deadline?: Date | null;
  clientKey: string;
}

export function assertFieldRole(ctx: Context): void {
  if (!ctx.viewer.role) throw unauthenticated();
  if (!FIELD_ROLES.includes(ctx.viewer.role)) throw forbidden(`Requires role ${FIELD_ROLES.join(' or ')}`);
}

export function photoList(field: string, raw: string[] | null | undefined): string[] {
  const list = raw ?? [];
  if (list.length > MAX_PHOTOS) throw badInput(field, `at most ${MAX_PHOTOS} photos`);
  list.forEach((p, i) => {
    if (typeof p !== 'string' || !PHOTO_NAME.test(p)) throw badInput(`${field}[${i}]`, 'must be the sha-256 name an upload answered');
  });
  return [...new Set(list)];
}

export async function assertPhotosStored(ctx: Context, field: string, photos: string[]): Promise<void> {
  const known = await knownPhotos(ctx, photos);
  const missing = photos.find((p) => !known.has(p));
  if (missing) throw badInput(field, `photo ${missing} was not uploaded`);
}

/** Each item of the template answered exactly once, with the item as the template words it. */
function answersFor(template: ChecklistTemplateModel, raw: AnswerData[]): InspectionAnswerModel[] {
  if (!Array.isArray(raw)) throw badInput('answers', 'must be a list');
  const byCode = new Map<string, AnswerData>();
  raw.forEach((a, i) => {
    if (!template.items.some((it) => it.code === a.code)) throw badInput(`answers[${i}].code`, `is not an item of checklist ${template.id} (version ${template.version})`);
    if (byCode.has(a.code)) throw badInput(`answers[${i}].code`, `${a.code} is answered twice`);
    if (!Object.values(ItemAnswer).includes(a.answer)) throw badInput(`answers[${i}].answer`, 'must be YES, NO or NOT_APPLICABLE');
    byCode.set(a.code, a);
  });
  const missing = template.items.filter((it) => !byCode.has(it.code)).map((it) => it.code);
  if (missing.length) throw badInput('answers', `answer every item; missing ${missing.join(', ')}`);
  return template.items.map((it) => {
    const a = byCode.get(it.code)!;
    return { code: it.code, severity: it.severity, zh: it.zh, en: it.en, answer: a.answer, note: v.text(`answers.${it.code}.note`, a.note, 1000, { optional: true, multiline: true }) };
  });
}

export function requestHash(p: unknown): string {
  return createHash('sha256').update(JSON.stringify(p), 'utf8').digest('hex');
}

/**
 * Records a field inspection of an operator against one checklist version, exactly once per client key: a resend
 * (a phone's retry) gets the first answer and writes nothing; the key with other contents is a CONFLICT. The
 * outcome follows from the answers (`outcome.ts`); in the same transaction the operator's credit archive gets
 * INSPECTION_CLEAN (pass) or INSPECTION_VIOLATION with points by severity, and a failed inspection opens a
 * rectification order with the failed items and a deadline. A village assistant inspects only its own village.
 */
export async function recordInspection(ctx: Context, input: RecordInspectionData, now = new Date()): Promise<FieldInspectionModel> {
  assertFieldRole(ctx);
  const key = clientKey('clientKey', input.clientKey);
  const operatorId = v.id('operatorId', input.operatorId);
  const templateId = v.id('templateId', input.templateId);
  const inspectedAt = input.inspectedAt == null ? now : v.pastDate('inspectedAt', input.inspectedAt, now);
  const findings = v.text('findings', input.findings, 4000, { optional: true, multiline: true });
  const photos = photoList('photos', input.photos);
  let deadline: Date | null = null;
  if (input.deadline != null) {
    if (!(input.deadline instanceof Date) || Number.isNaN(input.deadline.getTime())) throw badInput('deadline', 'must be a valid date');
    if (input.deadline.getTime() <= inspectedAt.getTime()) throw badInput('deadline', 'must be after the inspection');
    deadline = input.deadline;
  }
  const operator = await operatorById(ctx, operatorId);
  if (!operator) throw notFound('Operator', operatorId);
  assertInspects(ctx.viewer, operator.village);
  const template = await templateById(ctx, templateId);
  if (!template) throw notFound('Checklist', templateId);
  if (template.operatorKind !== operator.kind) throw badInput('templateId', `checklist ${templateId} is for ${template.operatorKind}, the operator is ${operator.kind}`);
  const answers = answersFor(template, input.answers);
  await assertPhotosStored(ctx, 'photos', photos);
  const outcome = outcomeOf(answers);
  const points = deductionOf(answers);
  const hash = requestHash([operatorId, templateId, answers.map((a) => [a.code, a.answer, a.note]), findings, photos, input.inspectedAt?.toISOString() ?? null, deadline?.toISOString() ?? null]);

  return queuedForOperator(ctx, operatorId, () => withTransaction(ctx, async (tx) => {
    // the first write: everything below happens only for the first request with this key
    const once = await insertFieldInspectionOnce(tx, {
      operator_id: operatorId, template_id: templateId, village: operator.village, inspector_id: tx.viewer.accountId!, inspected_at: inspectedAt,
      answers, findings, photos, outcome, points, client_key: key, request_hash: hash,
    });
    if (once.answer) return once.answer;
    const id = once.row!.id;
    const failed = answers.filter((a) => a.answer === ItemAnswer.NO);
    const event = outcome === InspectionOutcome.PASS
      ? await appendCreditEvent(tx, {
        operatorId, ruleCode: 'INSPECTION_CLEAN', reason: `Field inspection ${id}: checklist ${template.en} v${template.version} passed`,
        source: CreditSource.INSPECTION, sourceRef: `field-inspection:${id}`, recordedById: tx.viewer.accountId, occurredAt: inspectedAt,
      })
      : await appendCreditEvent(tx, {
        operatorId, ruleCode: 'INSPECTION_VIOLATION', points, expiresMonths: OUTCOME_EXPIRY_MONTHS[outcome],
        reason: `Field inspection ${id} (${outcome}): ${failed.map((a) => a.en).join('; ')}`.slice(0, 1000),
        source: CreditSource.INSPECTION, sourceRef: `field-inspection:${id}`, recordedById: tx.viewer.accountId, occurredAt: inspectedAt,
      });
    let orderId: number | null = null;
    if (outcome !== InspectionOutcome.PASS) {
      const order = await insertOrder(tx, {
        inspection_id: id, operator_id: operatorId, village: operator.village, items: failed,
        deadline: deadline ?? new Date(inspectedAt.getTime() + RECTIFICATION_DAYS[outcome] * DAY_MS),
      });
      orderId = order.id;
    }
    const answer: FieldInspectionModel = asStored({
      id, operatorId, operatorName: operator.name, village: operator.village, templateId, templateVersion: template.version,
      inspectorId: tx.viewer.accountId!, inspectedAt, recordedAt: once.row!.recorded_at, answers, findings, photos, outcome, points,
      creditEventId: event.id, clientKey: key, rectificationOrderId: orderId,
    });
    await completeFieldInspection(tx, id, event.id, answer);
    return answer;
  })).then(revive);
}

/** Dates come back from the stored JSON answer as strings; the model speaks Date. */
function revive(a: FieldInspectionModel): FieldInspectionModel {
  return { ...a, inspectedAt: new Date(a.inspectedAt), recordedAt: new Date(a.recordedAt) };
}

/** The checklists in use: the latest version for each kind, or for one. Field staff and regulators. */
export async function checklists(ctx: Context, kind: OperatorKind | null): Promise<ChecklistTemplateModel[]> {
  if (!ctx.viewer.role) throw unauthenticated();
  return currentTemplates(ctx, kind);
}

export async function checklist(ctx: Context, id: string | number): Promise<ChecklistTemplateModel> {
  const templateId = v.id('id', id);
  const t = await templateById(ctx, templateId);
  if (!t) throw notFound('Checklist', templateId);
  return t;
}

export interface InspectionFilterData {
  operatorId?: string | number | null;
  village?: string | null;
  outcome?: InspectionOutcome | null;
  from?: Date | null;
  to?: Date | null;
}

/** Keyset cursor over (time, id). */
export function encodeCursor(at: Date, id: number): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(field: string, raw: string | null | undefined): { at: Date; id: number } | null {
  if (raw == null || raw === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,10})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m || Number.isNaN(new Date(m[1]).getTime())) throw badInput(field, 'is not a cursor this list gave');
  return { at: new Date(m[1]), id: v.id(field, m[2]) };
}

/**
 * Whose records a list may show: an operator's account only its own operator's, a village assistant only its
 * village's (a filter naming another is refused), town-wide roles what the filter asks.
 */
function listScope(ctx: Context, filter: { operatorId?: string | number | null; village?: string | null }, what: string): { operatorId: number | null; village: string | null } {
  let operatorId = filter.operatorId != null ? v.id('filter.operatorId', filter.operatorId) : null;
  let village = v.text('filter.village', filter.village, 100, { optional: true });
  if (ctx.viewer.role === Role.OPERATOR) {
    if (operatorId !== null && operatorId !== ctx.viewer.operatorId) throw forbidden('This account may not act for that operator');
    operatorId = ctx.viewer.operatorId;
  } else if (!isTownWide(ctx.viewer)) {
    const own = villageScope(ctx.viewer);
    if (own === null) throw forbidden(`This account may not see ${what}`);
    if (village !== null && village !== own) throw forbidden('This account may act only in its own village');
    village = own;
  }
  return { operatorId, village };
}

/**
 * Inspections, newest first, keyset-paged. A village assistant sees only its village's (a filter naming another
 * village is refused); an operator's account only its own operator's; town-wide roles any.
 */
export async function inspections(ctx: Context, filter: InspectionFilterData, first?: number | null, after?: string | null): Promise<{ items: FieldInspectionModel[]; endCursor: string | null; hasNextPage: boolean }> {
  if (!ctx.viewer.role) throw unauthenticated();
  const limit = v.pageSize('first', first);
  const { operatorId, village } = listScope(ctx, filter, 'inspections');
  if (filter.outcome != null && !Object.values(InspectionOutcome).includes(filter.outcome)) throw badInput('filter.outcome', 'must be PASS, PUT_RIGHT or SERIOUS');
  const rows = await listFieldInspections(ctx, {
    operatorId, village, outcome: filter.outcome ?? null, from: filter.from ?? null, to: filter.to ?? null,
  }, decodeCursor('after', after), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, endCursor: last ? encodeCursor(last.inspectedAt, last.id) : null, hasNextPage: rows.length > limit };
}

export interface OrderFilterData {
  status?: RectificationStatus | null;
  overdue?: boolean | null;
  village?: string | null;
  operatorId?: string | number | null;
}

/**
 * Rectification orders by deadline, keyset-paged: open, overdue (open past the deadline), by village or operator.
 * Scoped as inspections are: a village assistant its village, an operator's account its own operator.
 */
export async function rectificationOrders(ctx: Context, filter: OrderFilterData, first?: number | null, after?: string | null, now = new Date()): Promise<{ items: RectificationOrderModel[]; endCursor: string | null; hasNextPage: boolean }> {
  if (!ctx.viewer.role) throw unauthenticated();
  const limit = v.pageSize('first', first);
  const { operatorId, village } = listScope(ctx, filter, 'rectification orders');
  const rows = await listOrders(ctx, { status: filter.status ?? null, overdueAt: filter.overdue ? now : null, village, operatorId }, decodeCursor('after', after), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, endCursor: last ? encodeCursor(last.deadline, last.id) : null, hasNextPage: rows.length > limit };
}

/** The operator's answer to its own open order: what it did, with photos; the re-check decides. */
export async function answerRectification(ctx: Context, input: { orderId: string | number; note: string; photos?: string[] | null }): Promise<RectificationOrderModel> {
  if (!ctx.viewer.role) throw unauthenticated();
  if (ctx.viewer.role !== Role.OPERATOR) throw forbidden('Requires role OPERATOR');
  const id = v.id('orderId', input.orderId);
  const note = v.text('note', input.note, 4000, { multiline: true });
  const photos = photoList('photos', input.photos);
  await assertPhotosStored(ctx, 'photos', photos);
  return withTransaction(ctx, async (tx) => {
    const order = await lockOrder(tx, id);
    if (!order) throw notFound('Rectification order', id);
    assertActsFor(tx.viewer, order.operatorId);
    if (order.status !== RectificationStatus.OPEN) throw conflict(`Rectification order ${id} is ${order.status}`);
    return answerOrder(tx, id, note, photos);
  });
}

/** Charges RECTIFICATION_OVERDUE to an order's operator once; the order is locked and remembers its charge. */
async function chargeOverdue(tx: Context, order: RectificationOrderModel, now: Date): Promise<boolean> {
  if (order.overdueEventId !== null || order.deadline.getTime() >= now.getTime()) return false;
  const event = await appendCreditEvent(tx, {
    operatorId: order.operatorId, ruleCode: 'RECTIFICATION_OVERDUE', reason: `Rectification order ${order.id} not put right by ${order.deadline.toISOString()}`,
    source: CreditSource.INSPECTION, sourceRef: `rectification:${order.id}`, recordedById: tx.viewer.accountId, occurredAt: now,
  });
  await markOverdueCharged(tx, order.id, event.id);
  return true;
}

/**
 * Re-checks an open order: `resolved` closes it, otherwise it is ESCALATED (to the regulators' desk). An order
 * re-checked after its deadline is charged RECTIFICATION_OVERDUE unless it already was. The same
 * `clientKey` again answers the recorded re-check; another re-check of a decided order is a CONFLICT.
 */
export async function recordRecheck(
  ctx: Context, input: { orderId: string | number; resolved: boolean; note?: string | null; clientKey: string }, now = new Date(),
): Promise<RectificationOrderModel> {
  assertFieldRole(ctx);
  const id = v.id('orderId', input.orderId);
  const key = clientKey('clientKey', input.clientKey);
  const note = v.text('note', input.note, 4000, { optional: true, multiline: true });
  if (typeof input.resolved !== 'boolean') throw badInput('resolved', 'must be true or false');
  const before = await orderById(ctx, id);
  if (!before) throw notFound('Rectification order', id);
  assertInspects(ctx.viewer, before.village);
  return queuedForOperator(ctx, before.operatorId, () => withTransaction(ctx, async (tx) => {
    const order = (await lockOrder(tx, id))!;
    if (order.status !== RectificationStatus.OPEN) {
      if ((await recheckKeyOf(tx, id)) === key) return order;
      throw conflict(`Rectification order ${id} was already re-checked (${order.status})`);
    }
    const status = input.resolved ? RectificationStatus.CLOSED : RectificationStatus.ESCALATED;
    await chargeOverdue(tx, order, now);
    return recheckOrder(tx, id, { status, byId: tx.viewer.accountId, note, key, at: now });
  }));
}

/**
 * Charges every open order past its deadline RECTIFICATION_OVERDUE, once: each order is locked and keeps its
 * charge, so a second run (or two at once) charges nothing more. Returns the ids charged now.
 */
export async function chargeOverdueOrders(ctx: Context, now = new Date()): Promise<number[]> {
  if (!ctx.viewer.role) throw unauthenticated();
  if (ctx.viewer.role !== Role.REGULATOR && ctx.viewer.role !== Role.ADMIN) throw forbidden('Requires role REGULATOR or ADMIN');
  const charged: number[] = [];
  for (const id of await unchargedOverdueIds(ctx, now)) {
    const before = await orderById(ctx, id);
    if (!before) continue;
    const done = await queuedForOperator(ctx, before.operatorId, () => withTransaction(ctx, async (tx) => {
      const order = await lockOrder(tx, id);
      if (!order || order.status !== RectificationStatus.OPEN) return false;
      return chargeOverdue(tx, order, now);
    }));
    if (done) charged.push(id);
  }
  return charged;
}

/** The public code in a registration card's QR text (`…/o/CODE`), or null when the text is no such link. */
export function cardCodeOf(text: string): string | null {
  const m = /(?:^|\/)o\/([A-Za-z0-9_-]{1,64})\/?(?:[?#].*)?$/.exec(text);
  return m ? m[1] : null;
}

/**
 * Operators field staff may inspect, found by what the phone has: the text of a registration card's QR (its
 * `/o/CODE` link: that operator only), a card or credit code, or part of a name; empty: all, by name. A village
 * assistant finds only its own village's operators.
 */
export async function operatorsToInspect(ctx: Context, search: string | null | undefined, first?: number | null): Promise<PublicOperator[]> {
  assertFieldRole(ctx);
  const limit = v.pageSize('first', first, 50, 500);
  const text = v.text('search', search, 300, { optional: true });
  const code = text === null ? null : cardCodeOf(text);
  const rows = await operatorsToInspectRows(ctx, {
    code: code ?? text, nameContains: code === null ? text : null, village: villageScope(ctx.viewer),
  }, limit);
  return rows.map(toPublicOperator);
}
