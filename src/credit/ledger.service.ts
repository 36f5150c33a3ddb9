import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditSource, Grade } from '../entities/enums';
import { badInput, notFound } from '../errors';
import { addMonths, CREDIT_RULES } from './rules';
import { computeCredit, type CreditState, type ScoredEvent } from './score';

export const GENESIS_HASH = '0'.repeat(64);

export interface NewCreditEvent {
  operatorId: number;
  ruleCode: string;
  /** Required for rules with a range; must equal the rule's points otherwise. */
  points?: number;
  reason: string;
  source: CreditSource;
  sourceRef?: string | null;
  recordedById?: number | null;
  occurredAt?: Date;
  /** For ranged expiry rules (INSPECTION_VIOLATION): months the deduction counts. */
  expiresMonths?: number;
  reversesId?: number | null;
}

export interface CanonicalEvent {
  operatorId: number;
  seq: number;
  ruleCode: string;
  points: number;
  reason: string;
  source: string;
  sourceRef: string | null;
  recordedById: number | null;
  occurredAt: string;
  expiresAt: string | null;
  forcesDUntil: string | null;
  reversesId: number | null;
}

/** The canonical text of a row: fixed key order, ISO times, so the hash is reproducible from SQL data. */
export function canonicalRow(e: CanonicalEvent): string {
  return JSON.stringify([
    e.operatorId, e.seq, e.ruleCode, e.points, e.reason, e.source, e.sourceRef, e.recordedById,
    e.occurredAt, e.expiresAt, e.forcesDUntil, e.reversesId,
  ]);
}

export function chainHash(prevHash: string, e: CanonicalEvent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(e)).digest('hex');
}

interface EventRow {
  id: number;
  points: number;
  occurred_at: Date;
  expires_at: Date | null;
  forces_d_until: Date | null;
  reverses_id: number | null;
}

export function toScored(r: EventRow): ScoredEvent {
  return { id: r.id, points: r.points, occurredAt: new Date(r.occurred_at), expiresAt: r.expires_at && new Date(r.expires_at), forcesDUntil: r.forces_d_until && new Date(r.forces_d_until), reversesId: r.reverses_id };
}

/**
 * Appends one event to the operator's hash chain and updates its stored score and grade.
 * Must run inside the caller's transaction (`em` from `em.transactional`), so the event commits with its cause;
 * the operator row is locked, so appends for one operator are serialised and the chain never forks.
 */
export async function appendCreditEvent(em: EntityManager, input: NewCreditEvent): Promise<{ id: number; seq: number; hash: string; state: CreditState }> {
  const rule = CREDIT_RULES[input.ruleCode];
  if (!rule) throw badInput('ruleCode', `unknown rule ${input.ruleCode}`);
  let points: number;
  if (typeof rule.points === 'number') {
    points = input.reversesId ? input.points ?? 0 : rule.points;
  } else {
    if (input.points === undefined || !Number.isInteger(input.points) || input.points < rule.points.min || input.points > rule.points.max) {
      throw badInput('points', `must be an integer from ${rule.points.min} to ${rule.points.max} for ${rule.code}`);
    }
    points = input.points;
  }
  let expiresMonths: number | null;
  if (rule.expiresMonths === null || typeof rule.expiresMonths === 'number') expiresMonths = rule.expiresMonths;
  else {
    const m = input.expiresMonths ?? rule.expiresMonths.min;
    if (!Number.isInteger(m) || m < rule.expiresMonths.min || m > rule.expiresMonths.max) {
      throw badInput('expiresMonths', `must be from ${rule.expiresMonths.min} to ${rule.expiresMonths.max} for ${rule.code}`);
    }
    expiresMonths = m;
  }
  const occurredAt = input.occurredAt ?? new Date();
  const locked = await em.execute<{ id: number }[]>('select id from operator where id = ? for update', [input.operatorId]);
  if (!locked.length) throw notFound('Operator', input.operatorId);
  const [last] = await em.execute<{ seq: number; hash: string }[]>(
    'select seq, hash from credit_event where operator_id = ? order by seq desc limit 1',
    [input.operatorId],
  );
  const canonical: CanonicalEvent = {
    operatorId: input.operatorId,
    seq: (last?.seq ?? 0) + 1,
    ruleCode: rule.code,
    points,
    reason: input.reason,
    source: input.source,
    sourceRef: input.sourceRef ?? null,
    recordedById: input.recordedById ?? null,
    occurredAt: occurredAt.toISOString(),
    expiresAt: points < 0 && expiresMonths !== null ? addMonths(occurredAt, expiresMonths).toISOString() : null,
    forcesDUntil: rule.forcesDMonths ? addMonths(occurredAt, rule.forcesDMonths).toISOString() : null,
    reversesId: input.reversesId ?? null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = chainHash(prevHash, canonical);
  const [inserted] = await em.execute<{ id: number }[]>(
    `insert into credit_event (operator_id, seq, rule_code, points, reason, source, source_ref, recorded_by_id, occurred_at, expires_at, forces_d_until, reverses_id, prev_hash, hash)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
    [canonical.operatorId, canonical.seq, canonical.ruleCode, canonical.points, canonical.reason, canonical.source, canonical.sourceRef,
      canonical.recordedById, canonical.occurredAt, canonical.expiresAt, canonical.forcesDUntil, canonical.reversesId, prevHash, hash],
  );
  const state = await refreshStoredCredit(em, input.operatorId);
  return { id: inserted.id, seq: canonical.seq, hash, state };
}

/** Recomputes an operator's score from its events and stores it. */
export async function refreshStoredCredit(em: EntityManager, operatorId: number, asOf = new Date()): Promise<CreditState> {
  const rows = await em.execute<EventRow[]>(
    'select id, points, occurred_at, expires_at, forces_d_until, reverses_id from credit_event where operator_id = ? order by seq',
    [operatorId],
  );
  const state = computeCredit(rows.map(toScored), asOf);
  await em.execute('update operator set credit_score = ?, credit_grade = ?, forced_d_until = ? where id = ?', [
    state.score, state.grade, state.forcedUntil?.toISOString() ?? null, operatorId,
  ]);
  return state;
}

export { Grade };
