import { isRegulator } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { PlanStatus } from '../entities/enums';
import { badInput, forbidden, notFound } from '../errors';
import { insertPlanItem, lockPlanItem, planItemsOfYear, setPlanProgress } from '../tables/plan-item.table';
import { insertPlanProgress } from '../tables/plan-progress.table';
import * as v from '../validation';
import type { CreatePlanItemData, PlanItemModel, PlanProgressData } from './assessment.model';
import { assessmentYear } from './scorecard.service';
import { localDateInput } from './training.service';

function assertPlans(ctx: Context): void {
  if (!isRegulator(ctx.viewer)) throw forbidden('Requires role ADMIN or REGULATOR');
}

/** Where an item stands at a progress: nothing done, under way, or done. */
export function statusAt(progress: number): PlanStatus {
  if (progress === 0) return PlanStatus.NOT_STARTED;
  return progress === 100 ? PlanStatus.DONE : PlanStatus.IN_PROGRESS;
}

/** Adds an item to the year's work plan, at 0 %. */
export async function createPlanItem(ctx: Context, input: CreatePlanItemData): Promise<PlanItemModel> {
  assertPlans(ctx);
  const year = assessmentYear('year', input.year);
  const title = v.text('title', input.title, 300);
  const owner = v.text('owner', input.owner, 100);
  const dueOn = localDateInput('dueOn', input.dueOn);
  const notes = v.text('notes', input.notes, 4000, { optional: true, multiline: true });
  return withTransaction(ctx, (tx) => insertPlanItem(tx, { year, title, owner, due_on: dueOn, notes, created_by_id: tx.viewer.accountId! }));
}

/**
 * Reports progress on a plan item: the status follows from the percentage (0 not started, 100 done), or the item is
 * cancelled. Each report is kept, so the month's work ledger lists it; a cancelled item takes no more reports.
 */
export async function updatePlanProgress(ctx: Context, input: PlanProgressData): Promise<PlanItemModel> {
  assertPlans(ctx);
  const id = v.id('id', input.id);
  const progress = input.progress;
  if (!Number.isInteger(progress) || progress < 0 || progress > 100) throw badInput('progress', 'must be a whole percentage from 0 to 100');
  const note = v.text('notes', input.notes, 4000, { optional: true, multiline: true });
  return withTransaction(ctx, async (tx) => {
    const item = await lockPlanItem(tx, id);
    if (!item) throw notFound('Plan item', id);
    if (item.status === PlanStatus.CANCELLED) throw badInput('id', `plan item ${id} was cancelled`);
    const status = input.cancel ? PlanStatus.CANCELLED : statusAt(progress);
    await insertPlanProgress(tx, { plan_item_id: id, progress, status, note, recorded_by_id: tx.viewer.accountId! });
    return setPlanProgress(tx, id, { progress, status, notes: note ?? item.notes });
  });
}

/** The year's plan items, soonest due first. */
export async function planItems(ctx: Context, yearInput: number): Promise<PlanItemModel[]> {
  assertPlans(ctx);
  return planItemsOfYear(ctx, assessmentYear('year', yearInput));
}
