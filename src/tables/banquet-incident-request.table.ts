import type { Db } from './table';
import type { BanquetIncidentRequestModel } from '../banquet/banquet.model';
import { toDate } from './sql-time';
import { defineTable } from './table';

export interface BanquetIncidentRequestRow {
  id: number;
  banquet_id: number;
  people_ill: number;
  suspect_batch_ids: number[];
  note: string | null;
  incident_ref: string | null;
  created_at: Date | string;
}

export const banquetIncidentRequestTable = defineTable<BanquetIncidentRequestRow>('banquet_incident_request', {
  id: 'int4', banquet_id: 'int4', people_ill: 'int4', suspect_batch_ids: 'jsonb', note: 'varchar', incident_ref: 'varchar', created_at: 'timestamptz',
});

function toModel(r: BanquetIncidentRequestRow): BanquetIncidentRequestModel {
  return { id: r.id, banquetId: r.banquet_id, peopleIll: r.people_ill, suspectBatchIds: r.suspect_batch_ids, note: r.note, incidentRef: r.incident_ref, createdAt: toDate(r.created_at) };
}

/** One request per banquet: a second outcome with people ill updates the count and the suspects. */
export async function upsertBanquetIncidentRequest(
  ctx: Db, r: { banquetId: number; peopleIll: number; suspectBatchIds: number[]; note: string | null },
): Promise<BanquetIncidentRequestModel> {
  const [row] = await ctx.em.execute<BanquetIncidentRequestRow[]>(
    `insert into banquet_incident_request (banquet_id, people_ill, suspect_batch_ids, note) values (?, ?, ?::jsonb, ?)
     on conflict (banquet_id) do update set people_ill = excluded.people_ill, suspect_batch_ids = excluded.suspect_batch_ids, note = excluded.note
     returning ${banquetIncidentRequestTable.list}`,
    [r.banquetId, r.peopleIll, JSON.stringify(r.suspectBatchIds), r.note],
  );
  return toModel(row);
}

export async function incidentRequestOfBanquet(ctx: Db, banquetId: number): Promise<BanquetIncidentRequestModel | null> {
  const [row] = await ctx.em.execute<BanquetIncidentRequestRow[]>(`select ${banquetIncidentRequestTable.list} from banquet_incident_request where banquet_id = ?`, [banquetId]);
  return row ? toModel(row) : null;
}

/** Records the incident opened for a banquet's request. */
export async function setIncidentRef(ctx: Db, banquetId: number, incidentRef: string): Promise<BanquetIncidentRequestModel> {
  const [row] = await ctx.em.execute<BanquetIncidentRequestRow[]>(
    `update banquet_incident_request set incident_ref = ? where banquet_id = ? returning ${banquetIncidentRequestTable.list}`,
    [incidentRef, banquetId],
  );
  return toModel(row);
}
