import { IsolationLevel } from '@mikro-orm/core';
import { withTransaction, type Context, type Db } from '../context';
import { notFound } from '../errors';
import { allCheckpoints, checkpointById, insertCheckpoint, latestCheckpoint, lockCheckpointSigning } from '../tables/checkpoint.table';
import { storedEventsAfter } from '../tables/credit-event.table';
import { chainHeadsForCheckpoint, recordedHeadsAndCredit } from '../tables/operator.table';
import { CURRENT_HASH_VERSION } from './chain-hash';
import { ledgerKey } from './checkpoint.key';
import { auditPath, checkpointMessage, merkleRoot } from './checkpoint.merkle';
import type { CheckpointWithHeads, InclusionProof } from './checkpoint.model';

type LedgerCtx = Db & Pick<Context, 'config'>;

/**
 * Signs and stores a checkpoint: the RFC 6962 Merkle root over every operator's recorded chain head, in operator id
 * order, with its size and time, signed with the ledger's Ed25519 key (kept outside the database). With `onlyIfChanged`
 * (the schedule) nothing is stored when the heads are those of the latest checkpoint; that one is returned. Signers
 * take turns, so app processes on the same schedule never sign the same heads twice.
 */
export function createLedgerCheckpoint(ctx: LedgerCtx, onlyIfChanged = false): Promise<CheckpointWithHeads> {
  const key = ledgerKey(ctx.config);
  return withTransaction(ctx, async (tx) => {
    await lockCheckpointSigning(tx);
    const heads = await chainHeadsForCheckpoint(tx);
    const root = merkleRoot(heads);
    if (onlyIfChanged) {
      const latest = await latestCheckpoint(tx);
      if (latest && latest.root === root && latest.size === heads.length && latest.keyId === key.keyId) return latest;
    }
    const unsigned = { size: heads.length, root, signedAt: new Date().toISOString(), keyId: key.keyId };
    const signature = key.sign(checkpointMessage(unsigned));
    const id = await insertCheckpoint(tx, { ...unsigned, signature, heads });
    return { id, ...unsigned, signature, heads };
  });
}

/** A stored checkpoint by id, or the latest when `id` is null; NOT_FOUND when there is none. */
export async function publishedCheckpoint(ctx: Db, id: number | null): Promise<CheckpointWithHeads> {
  const c = id === null ? await latestCheckpoint(ctx) : await checkpointById(ctx, id);
  if (!c) throw notFound('Checkpoint', id ?? 'latest');
  return c;
}

/** The public key checkpoints are signed with (PEM, SubjectPublicKeyInfo). */
export function ledgerPublicKey(ctx: Pick<Context, 'config'>): { pem: string; keyId: string } {
  const key = ledgerKey(ctx.config);
  return { pem: key.publicKeyPem, keyId: key.keyId };
}

/** The proof that an operator's head is a leaf of a checkpoint (the latest when `checkpointId` is null). */
export async function inclusionProof(ctx: Db, operatorId: number, checkpointId: number | null): Promise<InclusionProof> {
  const c = await publishedCheckpoint(ctx, checkpointId);
  const index = c.heads.findIndex((h) => h.operatorId === operatorId);
  if (index < 0) throw notFound(`Head of operator ${operatorId} in checkpoint`, c.id);
  const head = c.heads[index];
  return { checkpointId: c.id, operatorId, seq: head.seq, hash: head.hash, leafIndex: index, treeSize: c.size, root: c.root, auditPath: auditPath(c.heads, index) };
}

const EXPORT_CHUNK = 5000;

/**
 * The whole ledger as JSON lines, from one repeatable-read snapshot: a header (time, public key, hash versions), every
 * operator's recorded head and stored credit, every event exactly as stored in (operator, seq) order, and every
 * checkpoint with its leaves. `npm run verify-ledger` checks such a file without the database.
 */
export function ledgerExport(ctx: LedgerCtx): Promise<string[]> {
  const key = ledgerKey(ctx.config);
  return ctx.em.transactional(
    async (em) => {
      const tx = { ...ctx, em };
      const exportedAt = new Date().toISOString();
      const lines: string[] = [JSON.stringify({ type: 'ledger', format: 1, exportedAt, hashVersion: CURRENT_HASH_VERSION, publicKey: key.publicKeyPem, keyId: key.keyId })];
      for (const h of await recordedHeadsAndCredit(tx, null)) {
        lines.push(JSON.stringify({ type: 'operator', operatorId: h.operatorId, seq: h.seq, hash: h.hash, score: h.score, grade: h.grade, forcedUntil: h.forcedUntil?.toISOString() ?? null }));
      }
      let after: [number, number] = [0, 0];
      for (;;) {
        const rows = await storedEventsAfter(tx, after, EXPORT_CHUNK);
        for (const r of rows) lines.push(JSON.stringify({ type: 'event', ...r }));
        if (rows.length < EXPORT_CHUNK) break;
        after = [rows[rows.length - 1].operator_id, rows[rows.length - 1].seq];
      }
      for (const c of await allCheckpoints(tx)) lines.push(JSON.stringify({ type: 'checkpoint', ...c }));
      return lines;
    },
    { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
}
