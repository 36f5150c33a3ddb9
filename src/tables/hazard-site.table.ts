import type { SiteKind, SiteStatus } from '../entities/enums';
import type { HazardSiteModel } from '../supervision/supervision.model';
import { insertOnce, type InsertedOnce } from './insert-once';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface HazardSiteRow {
  id: number;
  kind: SiteKind;
  location: string;
  village: string;
  notes: string | null;
  photos: string[];
  status: SiteStatus;
  operator_id: number | null;
  resolution_note: string | null;
  resolved_at: Date | null;
  resolved_by_id: number | null;
  created_by_id: number;
  created_at: Date;
  client_key: string;
  request_hash: string;
  response: HazardSiteModel | null;
}

export const hazardSiteTable = defineTable<HazardSiteRow>('hazard_site', {
  id: 'int4',
  kind: 'text',
  location: 'varchar',
  village: 'varchar',
  notes: 'varchar',
  photos: 'jsonb',
  status: 'text',
  operator_id: 'int4',
  resolution_note: 'varchar',
  resolved_at: 'timestamptz',
  resolved_by_id: 'int4',
  created_by_id: 'int4',
  created_at: 'timestamptz',
  client_key: 'varchar',
  request_hash: 'bpchar',
  response: 'jsonb',
});

export function toSite(r: HazardSiteRow): HazardSiteModel {
  return {
    id: r.id, kind: r.kind, location: r.location, village: r.village, notes: r.notes, photos: r.photos, status: r.status, operatorId: r.operator_id,
    resolutionNote: r.resolution_note, resolvedAt: toDate(r.resolved_at), createdById: r.created_by_id, createdAt: toDate(r.created_at),
  };
}

export type NewSite = Pick<HazardSiteRow, 'kind' | 'location' | 'village' | 'notes' | 'photos' | 'created_by_id' | 'client_key' | 'request_hash'>;

/** The site registered under this client key: inserted now, or the stored answer of the first registration. */
export function insertSiteOnce(tx: Db, row: NewSite): Promise<InsertedOnce<HazardSiteRow, HazardSiteRow>> {
  return insertOnce(tx, hazardSiteTable, 'client_key', row, Object.keys(hazardSiteTable.columns) as (keyof HazardSiteRow & string)[], `clientKey ${row.client_key} was already used for a different site`);
}

export async function storeSiteAnswer(tx: Db, id: number, answer: HazardSiteModel): Promise<void> {
  await tx.em.execute(`update hazard_site set response = ?::jsonb where id = ?`, [JSON.stringify(answer), id]);
}

export async function siteById(ctx: Db, id: number): Promise<HazardSiteModel | null> {
  const row = await hazardSiteTable.byId(ctx, id);
  return row ? toSite(row) : null;
}

/** The site, locked until commit, so one resolution decides it. */
export async function lockSite(tx: Db, id: number): Promise<HazardSiteModel | null> {
  const [row] = await tx.em.execute<HazardSiteRow[]>(`select ${hazardSiteTable.list} from hazard_site where id = ? for update`, [id]);
  return row ? toSite(row) : null;
}

/** Registers the site as an operator or closes it. */
export async function resolveSiteRow(tx: Db, id: number, r: { status: SiteStatus; operatorId: number | null; note: string | null; byId: number | null }): Promise<HazardSiteModel> {
  const [row] = await tx.em.execute<HazardSiteRow[]>(
    `update hazard_site set status = ?, operator_id = ?, resolution_note = ?, resolved_at = now(), resolved_by_id = ? where id = ? returning ${hazardSiteTable.list}`,
    [r.status, r.operatorId, r.note, r.byId, id],
  );
  return toSite(row);
}

/** Sites newest first, keyset-paged on (created_at, id). */
export async function listSites(
  ctx: Db, f: { status: SiteStatus | null; village: string | null; kind: SiteKind | null }, after: { at: Date; id: number } | null, limit: number,
): Promise<HazardSiteModel[]> {
  const rows = await ctx.em.execute<HazardSiteRow[]>(
    `select ${hazardSiteTable.list} from hazard_site
      where (?::text is null or status = ?) and (?::text is null or village = ?) and (?::text is null or kind = ?)
        and (?::timestamptz is null or (created_at, id) < (?::timestamptz, ?::int))
      order by created_at desc, id desc limit ?`,
    [f.status, f.status, f.village, f.village, f.kind, f.kind, after?.at ?? null, after?.at ?? null, after?.id ?? null, limit],
  );
  return rows.map(toSite);
}

/** Sites found, registered and closed within [from, to), in one village or all. */
export async function siteCounts(ctx: Db, from: Date, to: Date, village: string | null): Promise<{ found: number; registered: number; closed: number }> {
  const [row] = await ctx.em.execute<{ found: number; registered: number; closed: number }[]>(
    `select (count(*) filter (where created_at >= ? and created_at < ?))::int as found,
            (count(*) filter (where status = 'REGISTERED' and resolved_at >= ? and resolved_at < ?))::int as registered,
            (count(*) filter (where status = 'CLOSED' and resolved_at >= ? and resolved_at < ?))::int as closed
       from hazard_site where (?::text is null or village = ?)`,
    [from, to, from, to, from, to, village, village],
  );
  return row;
}
