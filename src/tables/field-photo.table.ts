import type { PhotoModel } from '../supervision/supervision.model';
import { defineTable, type Db } from './table';

export interface FieldPhotoRow {
  sha256: string;
  media_type: string;
  width: number;
  height: number;
  bytes: number;
  uploaded_by_id: number | null;
  created_at: Date;
}

export const fieldPhotoTable = defineTable<FieldPhotoRow>('field_photo', {
  sha256: 'bpchar',
  media_type: 'varchar',
  width: 'int4',
  height: 'int4',
  bytes: 'int4',
  uploaded_by_id: 'int4',
  created_at: 'timestamptz',
});

/** Records a stored photo; the same picture uploaded again keeps its first record. */
export async function insertPhoto(ctx: Db, p: PhotoModel & { uploadedById: number | null }): Promise<void> {
  await ctx.em.execute(
    `insert into field_photo (sha256, media_type, width, height, bytes, uploaded_by_id) values (?, ?, ?, ?, ?, ?) on conflict (sha256) do nothing`,
    [p.sha256, p.mediaType, p.width, p.height, p.bytes, p.uploadedById],
  );
}

/** Of these photo names, the ones on record. */
export async function knownPhotos(ctx: Db, names: readonly string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const rows = await ctx.em.execute<{ sha256: string }[]>(`select sha256 from field_photo where sha256 = any(?::text[])`, [`{${names.join(',')}}`]);
  return new Set(rows.map((r) => r.sha256));
}

/**
 * Who a photo may be shown to, as facts: who uploaded it, and the villages and operators of the inspections and
 * orders it belongs to. Null when it is not on record.
 */
export async function photoAudience(ctx: Db, sha256: string): Promise<{ uploadedById: number | null; villages: (string | null)[]; operatorIds: number[] } | null> {
  const [row] = await ctx.em.execute<{ uploaded_by_id: number | null; villages: (string | null)[] | null; operator_ids: number[] | null }[]>(
    `select p.uploaded_by_id,
            (select array_agg(x.village) from (
               select village from field_inspection where photos @> jsonb_build_array(p.sha256::text)
               union all select village from rectification_order where operator_photos @> jsonb_build_array(p.sha256::text)) x) as villages,
            (select array_agg(x.operator_id) from (
               select operator_id from field_inspection where photos @> jsonb_build_array(p.sha256::text)
               union all select operator_id from rectification_order where operator_photos @> jsonb_build_array(p.sha256::text)) x) as operator_ids
       from field_photo p where p.sha256 = ?`,
    [sha256],
  );
  if (!row) return null;
  return { uploadedById: row.uploaded_by_id, villages: row.villages ?? [], operatorIds: row.operator_ids ?? [] };
}
