import type { CheckpointHead, CheckpointWithHeads } from '../credit/checkpoint.model';
import { toDate } from './sql-time';
import { defineTable, type Db } from './table';

/** A checkpoint row as PostgreSQL returns it. */
export interface CheckpointRow {
  id: number;
  size: number;
  root: string;
  signed_at: Date | string;
  signature: string;
  key_id: string;
  heads: [number, number, string][];
}

export const checkpointTable = defineTable<CheckpointRow>('checkpoint', {
  id: 'int4',
  size: 'int4',
  root: 'bpchar',
  signed_at: 'timestamptz',
  signature: 'text',
  key_id: 'bpchar',
  heads: 'jsonb',
});

function toCheckpoint(r: CheckpointRow): CheckpointWithHeads {
  return {
    id: r.id, size: r.size, root: r.root, signedAt: toDate(r.signed_at)!.toISOString(), signature: r.signature, keyId: r.key_id,
    heads: r.heads.map(([operatorId, seq, hash]) => ({ operatorId, seq, hash })),
  };
}

/** Stores a signed checkpoint (the table is append-only) and returns its id. */
export async function insertCheckpoint(ctx: Db, c: { size: number; root: string; signedAt: string; signature: string; keyId: string; heads: CheckpointHead[] }): Promise<number> {
  const [row] = await ctx.em.execute<{ id: number }[]>(
    'insert into checkpoint (size, root, signed_at, signature, key_id, heads) values (?, ?, ?, ?, ?, ?::jsonb) returning id',
    [c.size, c.root, c.signedAt, c.signature, c.keyId, JSON.stringify(c.heads.map((h) => [h.operatorId, h.seq, h.hash]))],
  );
  return row.id;
}

/** The newest checkpoint; null when none was made. */
export async function latestCheckpoint(ctx: Db): Promise<CheckpointWithHeads | null> {
  const [row] = await ctx.em.execute<CheckpointRow[]>(`select ${checkpointTable.list} from checkpoint order by id desc limit 1`);
  return row ? toCheckpoint(row) : null;
}

export async function checkpointById(ctx: Db, id: number): Promise<CheckpointWithHeads | null> {
  const row = await checkpointTable.byId(ctx, id);
  return row ? toCheckpoint(row) : null;
}

/** Every checkpoint, oldest first (the export). */
export async function allCheckpoints(ctx: Db): Promise<CheckpointWithHeads[]> {
  const rows = await ctx.em.execute<CheckpointRow[]>(`select ${checkpointTable.list} from checkpoint order by id`);
  return rows.map(toCheckpoint);
}

/**
 * Holds the right to sign until the transaction ends: a second signer (another app process on the same schedule) waits,
 * then finds the heads it would sign already signed.
 */
export async function lockCheckpointSigning(ctx: Db): Promise<void> {
  await ctx.em.execute(`select pg_advisory_xact_lock(hashtext('foodtrace.checkpoint'))`);
}
