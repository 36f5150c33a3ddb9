import { assertActsFor, isRegulator } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { QuantityUnit } from '../entities/enums';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../errors';
import { fromMilli, toMilli } from '../quantity';
import { decodeCursor, toPage, type Page } from '../registry/pagination';
import type { Db } from '../tables/table';
import { insertRecallClosure } from '../tables/recall-closure.table';
import { dispositionsOfRecalls, upsertRecallDisposition } from '../tables/recall-disposition.table';
import { vendorsOfMarket } from '../tables/market-entry.table';
import { Role } from '../entities/enums';
import * as v from '../validation';
import type { CloseRecallData, RecallFilterData, RecallHolding, RecallProgress, RecallUnitProgress, RecordDispositionData } from './recall-progress.model';
import { holdingRows, recallRows, type RecallListRow } from './recall-progress.sql';

const share = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10000) / 10000 : null);

/** Three statements for any number of recalls: the recalls, their holdings, their dispositions. */
async function progressOf(ctx: Db, rows: RecallListRow[]): Promise<RecallProgress[]> {
  const ids = rows.map((r) => r.id);
  const [holdings, dispositions] = await Promise.all([holdingRows(ctx, ids), dispositionsOfRecalls(ctx, ids)]);
  return rows.map((r) => {
    const mine: RecallHolding[] = holdings.filter((h) => h.recall_id === r.id).map((h) => {
      const d = dispositions.find((x) => x.recall_id === r.id && x.operator_id === h.operator_id && x.unit === h.unit);
      const [returned, destroyed, sold] = d ? [Number(d.returned), Number(d.destroyed), Number(d.sold)] : [0, 0, 0];
      return {
        operatorId: h.operator_id, operatorName: h.operator_name, operatorKind: h.operator_kind, unit: h.unit, batches: h.batches, held: Number(h.held),
        returned, destroyed, sold, accounted: fromMilli(toMilli(returned) + toMilli(destroyed) + toMilli(sold)), note: d?.note ?? null,
        recordedAt: d ? new Date(d.recorded_at) : null,
      };
    });
    const units: RecallUnitProgress[] = [];
    for (const h of mine) {
      let u = units.find((x) => x.unit === h.unit);
      if (!u) units.push((u = { unit: h.unit, held: 0, accounted: 0, effectiveness: null }));
      u.held = fromMilli(toMilli(u.held) + toMilli(h.held));
      u.accounted = fromMilli(toMilli(u.accounted) + toMilli(h.accounted));
    }
    for (const u of units) u.effectiveness = share(u.accounted, u.held);
    const shares = units.map((u) => u.effectiveness).filter((x): x is number => x !== null);
    return {
      id: r.id, batchId: r.batch_id, batchCode: r.public_code, productName: r.product_name, lotCode: r.lot_code, reason: r.reason,
      recalledAt: new Date(r.created_at), holdings: mine, units, effectiveness: shares.length ? Math.min(...shares) : null,
      answered: mine.filter((h) => h.recordedAt !== null).length, closedAt: r.closed_at ? new Date(r.closed_at) : null,
      closedById: r.closed_by_id, summary: r.summary,
    };
  });
}

function assertOffice(ctx: Context): void {
  if (!ctx.viewer.role) throw unauthenticated();
  if (!isRegulator(ctx.viewer)) throw forbidden('Only the food-safety office follows recalls');
}

/** Recalls newest first with their progress; the food-safety office. */
export async function listRecalls(ctx: Context, filter: RecallFilterData, first: number, after: string | null | undefined): Promise<Page<RecallProgress>> {
  assertOffice(ctx);
  const rows = await recallRows(ctx, filter.open, decodeCursor('after', after), first + 1);
  const page = toPage(rows, first);
  return { ...page, nodes: await progressOf(ctx, page.nodes) };
}

/**
 * One recall's progress: the office; an operator holding some of it (its own holdings only); a market's gate staff
 * (the holdings of the vendors who received goods at its gate). The recall-wide figures are the same for all.
 */
export async function getRecall(ctx: Context, idInput: string | number): Promise<RecallProgress> {
  if (!ctx.viewer.role) throw unauthenticated();
  const id = v.id('id', idInput);
  const [row] = await recallRows(ctx, null, null, 1, id);
  if (!row) throw notFound('Recall', id);
  const [progress] = await progressOf(ctx, [row]);
  if (isRegulator(ctx.viewer)) return progress;
  const holders = ctx.viewer.role === Role.GATE_STAFF && ctx.viewer.marketId !== null
    ? await vendorsOfMarket(ctx, ctx.viewer.marketId, progress.holdings.map((h) => h.operatorId))
    : [ctx.viewer.operatorId];
  const own = progress.holdings.filter((h) => holders.includes(h.operatorId));
  if (!own.length) throw forbidden('This account holds nothing of that recall');
  return { ...progress, holdings: own };
}

/**
 * An affected operator's disposition of what it holds of a recall in one unit — returned, destroyed, already sold —
 * replacing its earlier statement; together they may not exceed what it holds. Its own operator, or the office.
 */
export async function recordRecallDisposition(ctx: Context, input: RecordDispositionData): Promise<RecallProgress> {
  const recallId = v.id('recallId', input.recallId);
  const operatorId = v.id('operatorId', input.operatorId);
  assertActsFor(ctx.viewer, operatorId);
  if (!Object.values(QuantityUnit).includes(input.unit)) throw badInput('unit', 'is not a unit');
  const amount = (field: 'returned' | 'destroyed' | 'sold') => (input[field] == null ? 0 : v.quantity(field, input[field]!));
  const returned = amount('returned');
  const destroyed = amount('destroyed');
  const sold = amount('sold');
  const note = v.text('note', input.note, 2000, { optional: true, multiline: true });
  if (!returned && !destroyed && !sold) throw badInput('returned', 'give at least one of returned, destroyed or sold');
  return withTransaction(ctx, async (tx) => {
    const [row] = await recallRows(tx, null, null, 1, recallId);
    if (!row) throw notFound('Recall', recallId);
    if (row.closed_at) throw conflict(`recall ${recallId} is closed`);
    const [before] = await progressOf(tx, [row]);
    const holding = before.holdings.find((h) => h.operatorId === operatorId && h.unit === input.unit);
    if (!holding) throw badInput('operatorId', `operator ${operatorId} holds nothing of recall ${recallId} in ${input.unit}`);
    if (toMilli(returned) + toMilli(destroyed) + toMilli(sold) > toMilli(holding.held)) {
      throw badInput('returned', `returned, destroyed and sold together exceed the ${holding.held} ${input.unit} held`);
    }
    await upsertRecallDisposition(tx, { recall_id: recallId, operator_id: operatorId, unit: input.unit, returned, destroyed, sold, note, recorded_by_id: tx.viewer.accountId });
    const [after] = await progressOf(tx, [row]);
    return isRegulator(tx.viewer) ? after : { ...after, holdings: after.holdings.filter((h) => h.operatorId === operatorId) };
  });
}

/** Closes a recall with a summary, once; the food-safety office. */
export async function closeRecall(ctx: Context, input: CloseRecallData): Promise<RecallProgress> {
  assertOffice(ctx);
  const recallId = v.id('recallId', input.recallId);
  const summary = v.text('summary', input.summary, 4000, { multiline: true });
  return withTransaction(ctx, async (tx) => {
    const [row] = await recallRows(tx, null, null, 1, recallId);
    if (!row) throw notFound('Recall', recallId);
    if (!(await insertRecallClosure(tx, recallId, summary, tx.viewer.accountId))) throw conflict(`recall ${recallId} is closed already`);
    const [closed] = await recallRows(tx, null, null, 1, recallId);
    return (await progressOf(tx, [closed]))[0];
  });
}
