import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { CanonicalEvent } from './credit.model';

/** The previous hash of every chain's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * How a link's hash is computed. Rows keep the version they were hashed with (credit_event.hash_version), so a
 * row appended before version 2 is still verified the way it was hashed; nothing stored is ever rehashed.
 * 1: sha-256 over `prevHash + "\n" + JSON.stringify([fields in a fixed order])`.
 * 2: sha-256 over the UTF-8 bytes of the RFC 8785 canonical JSON of the event's fields, `hashVersion` and
 *    `prevHash` (docs/LEDGER.md).
 */
export type HashVersion = 1 | 2;
export const CURRENT_HASH_VERSION: HashVersion = 2;

/** The version-1 text of a row: fixed key order, ISO times. Kept to verify rows appended before version 2. */
export function canonicalRow(e: CanonicalEvent): string {
  return JSON.stringify([
    e.operatorId, e.seq, e.ruleCode, e.points, e.reason, e.source, e.sourceRef, e.recordedById,
    e.occurredAt, e.expiresAt, e.forcesDUntil, e.reversesId,
  ]);
}

/** The version-2 canonical text of a link: RFC 8785 JSON of every hashed field, keys sorted by the canonicalisation. */
export function canonicalLink(prevHash: string, e: CanonicalEvent): string {
  return canonicalize({
    hashVersion: 2,
    prevHash,
    operatorId: e.operatorId,
    seq: e.seq,
    ruleCode: e.ruleCode,
    points: e.points,
    reason: e.reason,
    source: e.source,
    sourceRef: e.sourceRef,
    recordedById: e.recordedById,
    occurredAt: e.occurredAt,
    expiresAt: e.expiresAt,
    forcesDUntil: e.forcesDUntil,
    reversesId: e.reversesId,
  });
}

/**
 * The event as PostgreSQL will store it: text is sent as UTF-8, so a lone surrogate arrives as U+FFFD. Hashing this
 * form is hashing what the row will hold; the append checks the stored row against it too.
 */
export function asStored(e: CanonicalEvent): CanonicalEvent {
  // the driver encodes parameters with Buffer.from(text, 'utf8'); the round trip is that encoding
  const text = (s: string | null) => (s === null ? null : Buffer.from(s, 'utf8').toString('utf8'));
  return { ...e, reason: text(e.reason)!, sourceRef: text(e.sourceRef), ruleCode: text(e.ruleCode)!, source: text(e.source)! };
}

/** The hash of a link, by the version it was (or is to be) hashed with; the current version by default. */
export function chainHash(prevHash: string, e: CanonicalEvent, version: HashVersion = CURRENT_HASH_VERSION): string {
  if (version === 1) return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(e)).digest('hex');
  return createHash('sha256').update(canonicalLink(prevHash, e), 'utf8').digest('hex');
}
