import type { Db } from './table';
import type { BanquetKind, BanquetStatus, BanquetTier, Meal } from '../entities/enums';
import type { BanquetWarning } from '../banquet/banquet.model';
import { dateText } from './sql-date';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface BanquetRow {
  id: number;
  number: string;
  host_name: string;
  host_phone: string;
  village: string;
  kind: BanquetKind;
  held_on: Date | string;
  meal: Meal;
  guests: number;
  tables_count: number | null;
  venue: string;
  menu: string;
  tier: BanquetTier;
  status: BanquetStatus;
  warnings: BanquetWarning[];
  guidance_note: string | null;
  guided_by_id: number | null;
  guided_at: Date | string | null;
  guidance_inspection_id: number | null;
  guidance_photos: string[];
  served_at: Date | string | null;
  people_ill: number | null;
  outcome_note: string | null;
  created_at: Date | string;
  reminded_at: Date | null;
}

export const banquetTable = defineTable<BanquetRow>('banquet', {
  id: 'int4',
  number: 'varchar',
  host_name: 'varchar',
  host_phone: 'varchar',
  village: 'varchar',
  kind: 'text',
  held_on: 'date',
  meal: 'text',
  guests: 'int4',
  tables_count: 'int4',
  venue: 'varchar',
  menu: 'varchar',
  tier: 'text',
  status: 'text',
  warnings: 'jsonb',
  guidance_note: 'varchar',
  guided_by_id: 'int4',
  guided_at: 'timestamptz',
  guidance_inspection_id: 'int4',
  guidance_photos: 'jsonb',
  served_at: 'timestamptz',
  people_ill: 'int4',
  outcome_note: 'varchar',
  created_at: 'timestamptz',
  reminded_at: 'timestamptz',
});

/** The row's own fields in the domain's words (chefs and ingredients are read from their tables). */
export function banquetFields(r: BanquetRow) {
  return {
    id: r.id, number: r.number, hostName: r.host_name, hostPhone: r.host_phone, village: r.village, kind: r.kind, heldOn: dateText(r.held_on)!,
    meal: r.meal, guests: r.guests, tablesCount: r.tables_count, venue: r.venue, menu: r.menu, tier: r.tier, status: r.status, warnings: r.warnings,
    guidanceNote: r.guidance_note, guidedAt: toDate(r.guided_at), guidanceInspectionId: r.guidance_inspection_id, guidancePhotos: r.guidance_photos, servedAt: toDate(r.served_at), peopleIll: r.people_ill, outcomeNote: r.outcome_note,
    createdAt: toDate(r.created_at),
  };
}

export type NewBanquet = Pick<BanquetRow, 'host_name' | 'host_phone' | 'village' | 'kind' | 'meal' | 'guests' | 'tables_count' | 'venue' | 'menu' | 'tier' | 'warnings'> & { held_on: string };

/** Inserts a filing; its number is YH, the year of the banquet, and the row id, so it is unique without a counter. */
export async function insertBanquet(ctx: Db, b: NewBanquet): Promise<BanquetRow> {
  const [{ id }] = await ctx.em.execute<{ id: string }[]>(`select nextval(pg_get_serial_sequence('banquet', 'id')) as id`);
  const number = `YH${b.held_on.slice(0, 4)}${String(id).padStart(6, '0')}`;
  const [row] = await ctx.em.execute<BanquetRow[]>(
    `insert into banquet (id, number, host_name, host_phone, village, kind, held_on, meal, guests, tables_count, venue, menu, tier, warnings)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
     returning ${banquetTable.list}`,
    [Number(id), number, b.host_name, b.host_phone, b.village, b.kind, b.held_on, b.meal, b.guests, b.tables_count, b.venue, b.menu, b.tier, JSON.stringify(b.warnings)],
  );
  return row;
}

export async function banquetByNumber(ctx: Db, number: string, lock = false): Promise<BanquetRow | null> {
  const [row] = await ctx.em.execute<BanquetRow[]>(`select ${banquetTable.list} from banquet where number = ?${lock ? ' for update' : ''}`, [number]);
  return row ?? null;
}

export async function setBanquetGuidance(
  ctx: Db, id: number, g: { note: string; byId: number | null; inspectionId?: number | null; photos?: string[] },
): Promise<BanquetRow> {
  const [row] = await ctx.em.execute<BanquetRow[]>(
    `update banquet set status = case when status = 'SERVED' then status else 'GUIDED' end, guidance_note = ?, guided_by_id = ?, guided_at = now(),
            guidance_inspection_id = ?, guidance_photos = ?::jsonb
      where id = ? returning ${banquetTable.list}`,
    [g.note, g.byId, g.inspectionId ?? null, JSON.stringify(g.photos ?? []), id],
  );
  return row;
}

export async function setBanquetOutcome(ctx: Db, id: number, peopleIll: number, note: string | null): Promise<BanquetRow> {
  const [row] = await ctx.em.execute<BanquetRow[]>(
    `update banquet set status = 'SERVED', served_at = now(), people_ill = ?, outcome_note = ? where id = ? returning ${banquetTable.list}`,
    [peopleIll, note, id],
  );
  return row;
}

/** Filed banquets held from `from` to `to` (inclusive) and not yet served: what the reminders are about. */
export async function banquetsHeldBetween(ctx: Db, from: string, to: string, limit: number, village: string | null = null): Promise<BanquetRow[]> {
  return ctx.em.execute<BanquetRow[]>(
    `select ${banquetTable.list} from banquet where held_on between ?::date and ?::date and status <> 'SERVED' and (?::text is null or village = ?)
      order by held_on, id limit ${limit}`,
    [from, to, village, village],
  );
}

export interface BanquetFilterRow {
  village: string | null;
  from: string | null;
  to: string | null;
  tier: BanquetTier | null;
}

/** Banquets by date, newest first, keyset-paged on (held_on, id). */
export async function listBanquets(ctx: Db, f: BanquetFilterRow, after: { on: string; id: number } | null, limit: number): Promise<BanquetRow[]> {
  return ctx.em.execute<BanquetRow[]>(
    `select ${banquetTable.list} from banquet
      where (?::text is null or village = ?)
        and (?::date is null or held_on >= ?::date)
        and (?::date is null or held_on <= ?::date)
        and (?::text is null or tier = ?)
        and (?::date is null or (held_on, id) < (?::date, ?::int))
      order by held_on desc, id desc
      limit ?`,
    [f.village, f.village, f.from, f.from, f.to, f.to, f.tier, f.tier, after?.on ?? null, after?.on ?? null, after?.id ?? null, limit],
  );
}

/** Marks the banquets held from `from` to `to` (local dates), not yet served and not yet reminded, as reminded now; returns them. */
export async function claimBanquetReminders(ctx: Db, from: string, to: string): Promise<BanquetRow[]> {
  return ctx.em.execute<BanquetRow[]>(
    `update banquet set reminded_at = now()
      where held_on between ?::date and ?::date and status <> 'SERVED' and reminded_at is null
      returning ${banquetTable.list}`,
    [from, to],
  );
}
