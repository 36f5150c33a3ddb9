import type { MorningCheckModel } from '../canteen/canteen.model';
import { insertOnce, type InsertedOnce } from './insert-once';
import { dateText } from './sql-date';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface CanteenMorningCheckRow {
  id: number;
  canteen_id: number;
  checked_on: Date | string;
  staff_name: string;
  temperature: string | number;
  symptoms: string[];
  fit_for_work: boolean;
  checked_by: string;
  recorded_by_id: number | null;
  client_key: string;
  request_hash: string;
  response: MorningCheckModel | null;
  created_at: Date | string;
}

export const canteenMorningCheckTable = defineTable<CanteenMorningCheckRow>('canteen_morning_check', {
  id: 'int4', canteen_id: 'int4', checked_on: 'date', staff_name: 'varchar', temperature: 'numeric', symptoms: 'jsonb', fit_for_work: 'bool',
  checked_by: 'varchar', recorded_by_id: 'int4', client_key: 'varchar', request_hash: 'bpchar', response: 'jsonb', created_at: 'timestamptz',
});

export function toMorningCheck(r: CanteenMorningCheckRow): MorningCheckModel {
  return {
    id: r.id, canteenId: r.canteen_id, checkedOn: dateText(r.checked_on)!, staffName: r.staff_name, temperature: Number(r.temperature), symptoms: r.symptoms,
    fitForWork: r.fit_for_work, checkedBy: r.checked_by, createdAt: toDate(r.created_at),
  };
}

export type NewMorningCheck = Omit<CanteenMorningCheckRow, 'id' | 'response' | 'created_at' | 'checked_on'> & { checked_on: string };

/**
 * Records a morning check under its client key, or hands back the answer stored by the first request with that key
 * (the same key with other contents is a CONFLICT).
 */
export function insertMorningCheckOnce(tx: Db, row: NewMorningCheck): Promise<InsertedOnce<CanteenMorningCheckRow, CanteenMorningCheckRow>> {
  return insertOnce(tx, canteenMorningCheckTable, 'client_key', row, Object.keys(canteenMorningCheckTable.columns) as (keyof CanteenMorningCheckRow & string)[],
    `clientKey ${row.client_key} was already used for a different morning check`);
}

export async function setMorningCheckAnswer(tx: Db, id: number, answer: MorningCheckModel): Promise<void> {
  await tx.em.execute(`update canteen_morning_check set response = ?::jsonb where id = ?`, [JSON.stringify(answer), id]);
}

/** The client key of this person's check at this canteen on this day, if one was recorded. */
export async function morningCheckKeyOf(ctx: Db, canteenId: number, on: string, staffName: string): Promise<string | null> {
  const [row] = await ctx.em.execute<{ client_key: string }[]>(
    `select client_key from canteen_morning_check where canteen_id = ? and checked_on = ?::date and staff_name = ?`,
    [canteenId, on, staffName],
  );
  return row?.client_key ?? null;
}

/** A canteen's checks from `from` to `to` (inclusive dates), newest day first, then by name. */
export async function morningChecksBetween(ctx: Db, canteenId: number, from: string, to: string, limit: number): Promise<MorningCheckModel[]> {
  const rows = await ctx.em.execute<CanteenMorningCheckRow[]>(
    `select ${canteenMorningCheckTable.list} from canteen_morning_check where canteen_id = ? and checked_on between ?::date and ?::date
      order by checked_on desc, staff_name, id limit ${limit}`,
    [canteenId, from, to],
  );
  return rows.map(toMorningCheck);
}

/** How many checks from `from` to `to` (inclusive), and how many of them found the person unfit. */
export async function morningCheckCounts(ctx: Db, canteenId: number, from: string, to: string): Promise<{ checks: number; unfit: number }> {
  const [row] = await ctx.em.execute<{ checks: string; unfit: string }[]>(
    `select count(*) as checks, count(*) filter (where not fit_for_work) as unfit from canteen_morning_check
      where canteen_id = ? and checked_on between ?::date and ?::date`,
    [canteenId, from, to],
  );
  return { checks: Number(row.checks), unfit: Number(row.unfit) };
}
