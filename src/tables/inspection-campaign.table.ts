import type { CampaignModel } from '../supervision/supervision.model';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

export interface InspectionCampaignRow {
  id: number;
  name: string;
  village: string | null;
  starts_at: Date;
  ends_at: Date;
  created_by_id: number;
  created_at: Date;
}

export const inspectionCampaignTable = defineTable<InspectionCampaignRow>('inspection_campaign', {
  id: 'int4',
  name: 'varchar',
  village: 'varchar',
  starts_at: 'timestamptz',
  ends_at: 'timestamptz',
  created_by_id: 'int4',
  created_at: 'timestamptz',
});

export function toCampaign(r: InspectionCampaignRow): CampaignModel {
  return { id: r.id, name: r.name, village: r.village, startsAt: toDate(r.starts_at), endsAt: toDate(r.ends_at), createdAt: toDate(r.created_at) };
}

export async function insertCampaign(ctx: Db, c: Pick<InspectionCampaignRow, 'name' | 'village' | 'starts_at' | 'ends_at' | 'created_by_id'>): Promise<CampaignModel> {
  const [row] = await ctx.em.execute<InspectionCampaignRow[]>(
    `insert into inspection_campaign (name, village, starts_at, ends_at, created_by_id) values (?, ?, ?, ?, ?) returning ${inspectionCampaignTable.list}`,
    [c.name, c.village, c.starts_at, c.ends_at, c.created_by_id],
  );
  return toCampaign(row);
}

/** Campaigns, the latest start first (at most 200). */
export async function listCampaigns(ctx: Db): Promise<CampaignModel[]> {
  const rows = await ctx.em.execute<InspectionCampaignRow[]>(`select ${inspectionCampaignTable.list} from inspection_campaign order by starts_at desc, id desc limit 200`);
  return rows.map(toCampaign);
}

export async function campaignById(ctx: Db, id: number): Promise<CampaignModel | null> {
  const row = await inspectionCampaignTable.byId(ctx, id);
  return row ? toCampaign(row) : null;
}
