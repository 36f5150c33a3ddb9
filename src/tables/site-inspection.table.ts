import type { SiteInspectionModel } from '../supervision/supervision.model';
import { insertOnce, type InsertedOnce } from './insert-once';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface SiteInspectionRow {
  id: number;
  site_id: number;
  village: string;
  inspector_id: number;
  inspected_at: Date;
  recorded_at: Date;
  activity_found: boolean;
  findings: string | null;
  photos: string[];
  client_key: string;
  request_hash: string;
  response: SiteInspectionModel | null;
}

export const siteInspectionTable = defineTable<SiteInspectionRow>('site_inspection', {
  id: 'int4',
  site_id: 'int4',
  village: 'varchar',
  inspector_id: 'int4',
  inspected_at: 'timestamptz',
  recorded_at: 'timestamptz',
  activity_found: 'bool',
  findings: 'varchar',
  photos: 'jsonb',
  client_key: 'varchar',
  request_hash: 'bpchar',
  response: 'jsonb',
});

export function toSiteInspection(r: SiteInspectionRow): SiteInspectionModel {
  return {
    id: r.id, siteId: r.site_id, village: r.village, inspectorId: r.inspector_id, inspectedAt: toDate(r.inspected_at), activityFound: r.activity_found,
    findings: r.findings, photos: r.photos, clientKey: r.client_key,
  };
}

export type NewSiteInspection = Pick<SiteInspectionRow, 'site_id' | 'village' | 'inspector_id' | 'inspected_at' | 'activity_found' | 'findings' | 'photos' | 'client_key' | 'request_hash'>;

export function insertSiteInspectionOnce(tx: Db, row: NewSiteInspection): Promise<InsertedOnce<SiteInspectionRow, SiteInspectionRow>> {
  return insertOnce(tx, siteInspectionTable, 'client_key', row, Object.keys(siteInspectionTable.columns) as (keyof SiteInspectionRow & string)[], `clientKey ${row.client_key} was already used for a different site inspection`);
}

export async function storeSiteInspectionAnswer(tx: Db, id: number, answer: SiteInspectionModel): Promise<void> {
  await tx.em.execute(`update site_inspection set response = ?::jsonb where id = ?`, [JSON.stringify(answer), id]);
}

/** A site's visits, newest first. */
export async function siteInspectionsOf(ctx: Db, siteId: number): Promise<SiteInspectionModel[]> {
  const rows = await ctx.em.execute<SiteInspectionRow[]>(
    `select ${siteInspectionTable.list} from site_inspection where site_id = ? order by inspected_at desc, id desc limit 100`, [siteId],
  );
  return rows.map(toSiteInspection);
}

/** Site visits within [from, to), and those that found food being made or stored. */
export async function siteVisitCounts(ctx: Db, from: Date, to: Date, village: string | null): Promise<{ visits: number; withActivity: number }> {
  const [row] = await ctx.em.execute<{ visits: number; with_activity: number }[]>(
    `select count(*)::int as visits, (count(*) filter (where activity_found))::int as with_activity
       from site_inspection where inspected_at >= ? and inspected_at < ? and (?::text is null or village = ?)`,
    [from, to, village, village],
  );
  return { visits: row.visits, withActivity: row.with_activity };
}
