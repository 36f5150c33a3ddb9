import type { Db } from './table';
import type { Meal } from '../entities/enums';
import type { CanteenSampleModel } from '../canteen/canteen.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface CanteenSampleRow {
  id: number;
  canteen_id: number;
  dish: string;
  meal: Meal;
  grams: string | number;
  kept_by: string;
  kept_at: Date | string;
  discard_after: Date | string;
  recorded_by_id: number | null;
  created_at: Date | string;
}

export const canteenSampleTable = defineTable<CanteenSampleRow>('canteen_sample', {
  id: 'int4', canteen_id: 'int4', dish: 'varchar', meal: 'text', grams: 'numeric', kept_by: 'varchar', kept_at: 'timestamptz', discard_after: 'timestamptz',
  recorded_by_id: 'int4', created_at: 'timestamptz',
});

function toModel(r: CanteenSampleRow): CanteenSampleModel {
  return {
    id: r.id, canteenId: r.canteen_id, dish: r.dish, meal: r.meal, grams: Number(r.grams), keptBy: r.kept_by, keptAt: toDate(r.kept_at), discardAfter: toDate(r.discard_after),
  };
}

export async function insertCanteenSample(
  ctx: Db, s: { canteenId: number; dish: string; meal: Meal; grams: number; keptBy: string; keptAt: Date; discardAfter: Date; recordedById: number | null },
): Promise<CanteenSampleModel> {
  const [row] = await ctx.em.execute<CanteenSampleRow[]>(
    `insert into canteen_sample (canteen_id, dish, meal, grams, kept_by, kept_at, discard_after, recorded_by_id) values (?, ?, ?, ?, ?, ?, ?, ?)
     returning ${canteenSampleTable.list}`,
    [s.canteenId, s.dish, s.meal, s.grams, s.keptBy, s.keptAt, s.discardAfter, s.recordedById],
  );
  return toModel(row);
}

/** Samples of a canteen still to be kept at `now`, and those that may be discarded, newest first. */
export async function samplesOfCanteen(ctx: Db, canteenId: number, limit: number): Promise<CanteenSampleModel[]> {
  const rows = await ctx.em.execute<CanteenSampleRow[]>(
    `select ${canteenSampleTable.list} from canteen_sample where canteen_id = ? order by kept_at desc, id desc limit ${limit}`,
    [canteenId],
  );
  return rows.map(toModel);
}

/** Samples of a canteen still to be kept at `now`, and those whose time has passed (which may be discarded). */
export async function sampleCounts(ctx: Db, canteenId: number, now: Date): Promise<{ kept: number; mayDiscard: number }> {
  const [row] = await ctx.em.execute<{ kept: string; may: string }[]>(
    `select count(*) filter (where discard_after > ?) as kept, count(*) filter (where discard_after <= ?) as may from canteen_sample where canteen_id = ?`,
    [now, now, canteenId],
  );
  return { kept: Number(row.kept), mayDiscard: Number(row.may) };
}
