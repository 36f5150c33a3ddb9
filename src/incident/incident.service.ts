import { isRegulator } from '../auth/access';
import { withReadOnlyTransaction, withTransaction, type Context } from '../context';
import { IncidentKind, IncidentPlaceKind, IncidentStatus, NotificationKind, Role } from '../entities/enums';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../errors';
import { recordNotification } from '../notify/outbox';
import { decodeCursor, toPage, type Page } from '../registry/pagination';
import { batchIdByPublicCode, batchById } from '../tables/batch.table';
import { incidentStatsRows, incidentTable, insertIncident, listIncidentRows, lockIncident, setIncidentStatus, toIncident } from '../tables/incident.table';
import { insertIncidentStep, stepsOfIncidents } from '../tables/incident-step.table';
import { operatorById } from '../tables/operator.table';
import * as v from '../validation';
import { traceSuspects } from './finding';
import type {
  AdvanceIncidentData, IncidentFilter, IncidentModel, IncidentPeriod, IncidentStatsModel, IncidentStepModel, ReportIncidentData,
} from './incident.model';
import { deadlinesFor, INCIDENT_KIND_NAMES, reportWindows } from './incident.rules';

export interface IncidentWithSteps extends IncidentModel {
  steps: IncidentStepModel[];
}

/** Suspects per report: each is traced both ways inside the report's transaction. */
export const MAX_SUSPECTS = 10;
const MAX_EVIDENCE = 20;
const ORDER = [IncidentStatus.REPORTED, IncidentStatus.INVESTIGATING, IncidentStatus.HANDLED, IncidentStatus.CLOSED];
const STATS_MAX_DAYS = 366 * 5;

function checkReport(input: ReportIncidentData, now: Date) {
  if (!Object.values(IncidentKind).includes(input.kind)) throw badInput('kind', 'is not a kind of incident');
  if (!Object.values(IncidentPlaceKind).includes(input.placeKind)) throw badInput('placeKind', 'is not a kind of place');
  const occurredAt = v.pastDate('occurredAt', input.occurredAt, now);
  const peopleIll = input.peopleIll ?? 0;
  if (!Number.isInteger(peopleIll) || peopleIll < 0 || peopleIll > 100_000) throw badInput('peopleIll', 'must be a whole number from 0 to 100000');
  const codes = (input.suspectCodes ?? []).map((c, i) => v.text(`suspectCodes[${i}]`, c, 200));
  const ids = (input.suspectBatchIds ?? []).map((id, i) => v.id(`suspectBatchIds[${i}]`, id));
  if (codes.length + ids.length > MAX_SUSPECTS) throw badInput('suspectCodes', `at most ${MAX_SUSPECTS} suspect lots per report`);
  const operatorId = input.operatorId != null && input.operatorId !== '' ? v.id('operatorId', input.operatorId) : null;
  if (input.placeKind === IncidentPlaceKind.OPERATOR && operatorId === null) throw badInput('operatorId', 'is required when the place is an operator');
  const village = v.text('village', input.village, 200, { optional: true });
  const placeRef = v.text('placeRef', input.placeRef, 200, { optional: true });
  if (input.placeKind === IncidentPlaceKind.VILLAGE && village === null) throw badInput('village', 'is required when the place is a village');
  if ((input.placeKind === IncidentPlaceKind.CANTEEN || input.placeKind === IncidentPlaceKind.BANQUET) && placeRef === null && operatorId === null) {
    throw badInput('placeRef', 'names the canteen or banquet');
  }
  return {
    kind: input.kind, placeKind: input.placeKind, occurredAt, peopleIll, codes, ids, operatorId, village, placeRef,
    description: v.text('description', input.description, 4000, { multiline: true }),
    reporterName: v.text('reporterName', input.reporterName, 200, { optional: true }),
    contact: v.text('contact', input.contact, 200, { optional: true }),
    drill: input.drill === true,
  };
}

/**
 * Records an incident: its place, suspects, the backward trace of each suspect lot and the forward trace from their
 * common sources (kept with it), the first step of its timeline with the deadlines of the rule table, and the
 * notification to the food-safety office — one transaction. Any signed-in account may report; the public form
 * reports anonymously (see `reportPublicComplaint`).
 */
export async function reportIncident(ctx: Context, input: ReportIncidentData, now = new Date()): Promise<IncidentWithSteps> {
  if (!ctx.viewer.accountId) throw unauthenticated();
  return report(ctx, input, now);
}

/** The public complaint form: anonymous, a complaint or hazard, no drill, the contact kept private. */
export async function reportPublicComplaint(ctx: Context, input: ReportIncidentData, now = new Date()): Promise<{ id: number }> {
  if (input.kind === IncidentKind.FAILED_TEST) throw badInput('kind', 'is not a kind the public reports');
  const done = await report({ ...ctx, viewer: { ...ctx.viewer, accountId: null } }, { ...input, drill: false, operatorId: null, suspectBatchIds: null }, now);
  return { id: done.id };
}

async function report(ctx: Context, input: ReportIncidentData, now: Date): Promise<IncidentWithSteps> {
  const r = checkReport(input, now);
  return withTransaction(ctx, async (tx) => {
    let village = r.village;
    if (r.operatorId !== null) {
      const op = await operatorById(tx, r.operatorId);
      if (!op) throw notFound('Operator', r.operatorId);
      village ??= op.village;
    }
    const suspects: { code: string; batchId: number }[] = [];
    const unresolved: string[] = [];
    for (const code of r.codes) {
      const id = await batchIdByPublicCode(tx, code);
      if (id === null) unresolved.push(code);
      else if (!suspects.some((s) => s.batchId === id)) suspects.push({ code, batchId: id });
    }
    for (const id of r.ids) {
      if (!(await batchById(tx, id))) throw notFound('Batch', id);
      if (!suspects.some((s) => s.batchId === id)) suspects.push({ code: String(id), batchId: id });
    }
    const finding = suspects.length || unresolved.length ? await traceSuspects(tx, suspects, unresolved, now) : null;
    const due = deadlinesFor(r.kind, now);
    const row = await insertIncident(tx, {
      kind: r.kind, drill: r.drill, place_kind: r.placeKind, village, operator_id: r.operatorId, place_ref: r.placeRef, occurred_at: r.occurredAt,
      people_ill: r.peopleIll, description: r.description, suspect_codes: [...r.codes, ...r.ids.map(String)], finding,
      reported_by_id: tx.viewer.accountId, reporter_name: r.reporterName ?? tx.viewer.name, contact: r.contact, reported_at: now,
      investigate_due_at: due.investigateDueAt, handle_due_at: due.handleDueAt,
    });
    await insertIncidentStep(tx, { incident_id: row.id, status: IncidentStatus.REPORTED, at: now, by_id: tx.viewer.accountId, notes: null, evidence: [], due_at: due.investigateDueAt });
    const label = `${r.drill ? '[演练 drill] ' : ''}${INCIDENT_KIND_NAMES[r.kind].zh} ${INCIDENT_KIND_NAMES[r.kind].en}: ${village ?? r.placeRef ?? ''}`.trim();
    await recordNotification(tx, {
      kind: NotificationKind.INCIDENT_REPORTED,
      subject: `${label} (#${row.id})`,
      payload: { incidentId: row.id, kind: r.kind, drill: r.drill, peopleIll: r.peopleIll, village, commonSources: finding?.commonSources.map((s) => s.batchId) ?? [] },
      audience: { roles: [Role.REGULATOR, Role.ADMIN] },
    });
    const steps = await stepsOfIncidents(tx, [row.id]);
    return { ...toIncident(row), steps: steps.get(row.id)! };
  });
}


function assertHandles(ctx: Context): void {
  if (!ctx.viewer.role) throw unauthenticated();
  if (!isRegulator(ctx.viewer)) throw forbidden('Only the food-safety office handles incidents');
}

/**
 * Moves an incident one step along REPORTED → INVESTIGATING → HANDLED → CLOSED, recording who, when, notes and
 * evidence; skipping a step or going back is a CONFLICT. The row lock makes two simultaneous steps run in turn.
 */
export async function advanceIncident(ctx: Context, input: AdvanceIncidentData, now = new Date()): Promise<IncidentWithSteps> {
  assertHandles(ctx);
  const id = v.id('id', input.id);
  if (!ORDER.includes(input.status) || input.status === IncidentStatus.REPORTED) throw badInput('status', 'must be INVESTIGATING, HANDLED or CLOSED');
  const notes = v.text('notes', input.notes, 4000, { optional: true, multiline: true });
  const evidence = (input.evidence ?? []).map((e, i) => v.text(`evidence[${i}]`, e, 500));
  if (evidence.length > MAX_EVIDENCE) throw badInput('evidence', `at most ${MAX_EVIDENCE} items`);
  if (input.status === IncidentStatus.HANDLED && !notes) throw badInput('notes', 'say how the incident was handled');
  return withTransaction(ctx, async (tx) => {
    const current = await lockIncident(tx, id);
    if (!current) throw notFound('Incident', id);
    const from = ORDER.indexOf(current.status);
    if (ORDER.indexOf(input.status) !== from + 1) throw conflict(`the incident is ${current.status}; the next step is ${ORDER[from + 1] ?? 'none'}`);
    const row = await setIncidentStatus(tx, id, input.status, now);
    const dueAt = input.status === IncidentStatus.INVESTIGATING ? toIncident(row).handleDueAt : null;
    await insertIncidentStep(tx, { incident_id: id, status: input.status, at: now, by_id: tx.viewer.accountId, notes, evidence, due_at: dueAt });
    const steps = await stepsOfIncidents(tx, [id]);
    return { ...toIncident(row), steps: steps.get(id)! };
  });
}

/** One incident with its timeline; the food-safety office, or the account that reported it. */
export async function getIncident(ctx: Context, idInput: string | number): Promise<IncidentWithSteps> {
  if (!ctx.viewer.role) throw unauthenticated();
  const id = v.id('id', idInput);
  const row = await incidentTable.byId(ctx, id);
  if (!row) throw notFound('Incident', id);
  if (!isRegulator(ctx.viewer) && row.reported_by_id !== ctx.viewer.accountId) throw notFound('Incident', id);
  const steps = await stepsOfIncidents(ctx, [id]);
  return { ...toIncident(row), steps: steps.get(id)! };
}

/** Incidents newest first, with their timelines (one statement for all of them); the food-safety office only. */
export async function listIncidents(ctx: Context, filter: IncidentFilter, first: number, after: string | null | undefined): Promise<Page<IncidentWithSteps>> {
  assertHandles(ctx);
  const beforeId = decodeCursor('after', after);
  const rows = await listIncidentRows(ctx, filter, beforeId, first + 1);
  const page = toPage(rows.map(toIncident), first);
  const steps = await stepsOfIncidents(ctx, page.nodes.map((n) => n.id));
  return { ...page, nodes: page.nodes.map((n) => ({ ...n, steps: steps.get(n.id)! })) };
}

/**
 * The plan's report rate and on-time handling rate over incidents reported in [from, to), drills left out and
 * counted apart, with the counts behind them.
 */
export async function incidentStats(ctx: Context, period: IncidentPeriod, villageInput: string | null | undefined, now = new Date()): Promise<IncidentStatsModel> {
  assertHandles(ctx);
  const from = period.from;
  const to = period.to;
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw badInput('period.from', 'must be a valid time');
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw badInput('period.to', 'must be a valid time');
  if (to <= from) throw badInput('period.to', 'must be after period.from');
  if (to.getTime() - from.getTime() > STATS_MAX_DAYS * 86400_000) throw badInput('period', `must span at most ${STATS_MAX_DAYS} days`);
  const village = v.text('village', villageInput, 200, { optional: true });
  const rows = await withReadOnlyTransaction(ctx, ctx.config.limits.publicStatementTimeoutMs * 10, (tx) => incidentStatsRows(tx, from, to, village, reportWindows(), now));
  const real = rows.filter((r) => !r.drill);
  const drills = rows.filter((r) => r.drill);
  const sum = (list: typeof rows, key: 'reported' | 'reported_in_time' | 'handling_due' | 'handled_on_time' | 'overdue' | 'people_ill' | 'closed') =>
    list.reduce((n, r) => n + r[key], 0);
  const reported = sum(real, 'reported');
  const reportedInTime = sum(real, 'reported_in_time');
  const handlingDue = sum(real, 'handling_due');
  const handledOnTime = sum(real, 'handled_on_time');
  const drillsClosed = sum(drills, 'closed');
  const drillSeconds = drills.reduce((n, r) => n + (r.closed_seconds ?? 0), 0);
  const rate = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 10000 : null);
  return {
    from, to, village, reported, reportedInTime, reportRate: rate(reportedInTime, reported), handlingDue, handledOnTime,
    onTimeHandlingRate: rate(handledOnTime, handlingDue), overdue: sum(real, 'overdue'),
    byStatus: ORDER.map((status) => ({ status, count: real.filter((r) => r.status === status).reduce((n, r) => n + r.reported, 0) })),
    peopleIll: sum(real, 'people_ill'), drills: sum(drills, 'reported'), drillMeanSeconds: drillsClosed ? Math.round(drillSeconds / drillsClosed) : null,
  };
}
