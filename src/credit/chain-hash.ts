import { createHash } from 'node:crypto';
import type { CanonicalEvent } from './credit.model';

/** The previous hash of every chain's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The canonical text of a row: fixed key order, ISO times, so the hash is reproducible from SQL data. */
export function canonicalRow(e: CanonicalEvent): string {
  return JSON.stringify([
    e.operatorId, e.seq, e.ruleCode, e.points, e.reason, e.source, e.sourceRef, e.recordedById,
    e.occurredAt, e.expiresAt, e.forcesDUntil, e.reversesId,
  ]);
}

/** The hash of a link: sha-256 over the previous hash and the canonical row. */
export function chainHash(prevHash: string, e: CanonicalEvent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(e)).digest('hex');
}
