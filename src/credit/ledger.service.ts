import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditSource, Grade } from '../entities/enums';
import { badInput, conflict, notFound } from '../errors';
import { ChainProblem, type BrokenChainLink, type ChainVerification } from '../schema/credit.type';
import * as v from '../validation';
import { addMonths, ruleFor } from './rules';
import { computeCredit, type CreditState, type ScoredEvent } from './score';
import { toDate } from './sql-time';

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
  /** Only with rule REVERSAL: the event of the same operator that stops counting. */
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

/** The columns of a stored event that the score depends on. */
type EventRow = Pick<StoredRow, 'id' | 'points' | 'occurred_at' | 'expires_at' | 'forces_d_until' | 'reverses_id'>;

export function toScored(r: EventRow): ScoredEvent {
  return { id: r.id, points: r.points, occurredAt: toDate(r.occurred_at), expiresAt: toDate(r.expires_at), forcesDUntil: toDate(r.forces_d_until), reversesId: r.reverses_id };
}

const iso = (d: Date | string | null): string | null => (d === null ? null : toDate(d).toISOString());

/**
 * Appends one event to the operator's hash chain and updates its stored score and grade.
 * Must run inside the caller's transaction (`em` from `em.transactional`), so the event commits with its cause;
 * the operator row is locked, so appends for one operator are serialised and the chain never forks.
 */
export async function appendCreditEvent(em: EntityManager, input: NewCreditEvent): Promise<{ id: number; seq: number; hash: string; state: CreditState }> {
  const rule = ruleFor(input.ruleCode);
  if (!rule) throw badInput('ruleCode', `unknown rule ${input.ruleCode}`);
  let points: number;
  if (typeof rule.points === 'number') {
    if (input.points !== undefined && input.points !== null && input.points !== rule.points) {
      throw badInput('points', `must be ${rule.points} for ${rule.code}`);
    }
    points = rule.points;
  } else {
    if (input.points === undefined || input.points === null || !Number.isInteger(input.points) || input.points < rule.points.min || input.points > rule.points.max) {
      throw badInput('points', `must be an integer from ${rule.points.min} to ${rule.points.max} for ${rule.code}`);
    }
    points = input.points;
  }
  let expiresMonths: number | null;
  if (rule.expiresMonths === null || typeof rule.expiresMonths === 'number') {
    if (input.expiresMonths !== undefined && input.expiresMonths !== null && input.expiresMonths !== rule.expiresMonths) {
      throw badInput('expiresMonths', `is fixed by rule ${rule.code}`);
    }
    expiresMonths = rule.expiresMonths;
  } else {
    const m = input.expiresMonths ?? rule.expiresMonths.min;
    if (!Number.isInteger(m) || m < rule.expiresMonths.min || m > rule.expiresMonths.max) {
      throw badInput('expiresMonths', `must be from ${rule.expiresMonths.min} to ${rule.expiresMonths.max} for ${rule.code}`);
    }
    expiresMonths = m;
  }
  const reversesId = input.reversesId ?? null;
  if ((rule.code === 'REVERSAL') !== (reversesId !== null)) {
    throw badInput('reversesId', rule.code === 'REVERSAL' ? 'is required for a reversal' : 'is only allowed with rule REVERSAL');
  }
  const reason = v.text('reason', input.reason, 1000, { multiline: true });
  const sourceRef = v.text('sourceRef', input.sourceRef, 64, { optional: true });
  const occurredAt = input.occurredAt ?? new Date();
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) throw badInput('occurredAt', 'must be a valid date');

  // no key update: serialises appenders without waiting for rows that merely reference the operator (FK key-share locks)
  const locked = await em.execute<{ id: number }[]>('select id from operator where id = ? for no key update', [input.operatorId]);
  if (!locked.length) throw notFound('Operator', input.operatorId);
  if (reversesId !== null) {
    const [target] = await em.execute<{ operator_id: number; rule_code: string; reversed: boolean }[]>(
      'select e.operator_id, e.rule_code, exists (select 1 from credit_event r where r.reverses_id = e.id) as reversed from credit_event e where e.id = ?',
      [reversesId],
    );
    if (!target || target.operator_id !== input.operatorId) throw notFound('Credit event', reversesId);
    if (target.rule_code === 'REVERSAL') throw badInput('reversesId', 'a reversal cannot itself be reversed');
    if (target.reversed) throw conflict(`Credit event ${reversesId} is already reversed`);
  }
  // one read gives the chain's tail and everything the score needs; the operator lock keeps it current
  const history = await em.execute<(EventRow & { seq: number; hash: string })[]>(
    'select id, seq, hash, points, occurred_at, expires_at, forces_d_until, reverses_id from credit_event where operator_id = ? order by seq',
    [input.operatorId],
  );
  const last = history[history.length - 1];
  const canonical: CanonicalEvent = {
    operatorId: input.operatorId,
    seq: (last?.seq ?? 0) + 1,
    ruleCode: rule.code,
    points,
    reason,
    source: input.source,
    sourceRef,
    recordedById: input.recordedById ?? null,
    occurredAt: occurredAt.toISOString(),
    expiresAt: points < 0 && expiresMonths !== null ? addMonths(occurredAt, expiresMonths).toISOString() : null,
    forcesDUntil: rule.forcesDMonths ? addMonths(occurredAt, rule.forcesDMonths).toISOString() : null,
    reversesId,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = chainHash(prevHash, canonical);
  const scored = history.map(toScored);
  // the new row's id is not known yet; -1 stands in for it, and nothing can reverse an event in the statement that adds it
  scored.push({ id: -1, points, occurredAt, expiresAt: toDate(canonical.expiresAt), forcesDUntil: toDate(canonical.forcesDUntil), reversesId });
  const state = computeCredit(scored, new Date());
  // the event and the stored score it leads to are written by one statement
  const [inserted] = await em.execute<{ id: number }[]>(
    `with ins as (
       insert into credit_event (operator_id, seq, rule_code, points, reason, source, source_ref, recorded_by_id, occurred_at, expires_at, forces_d_until, reverses_id, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id
     ), upd as (
       update operator set credit_score = ?, credit_grade = ?, forced_d_until = ?, credit_chain_seq = ?, credit_chain_head = ? where id = ? returning id
     )
     select ins.id from ins, upd`,
    [canonical.operatorId, canonical.seq, canonical.ruleCode, canonical.points, canonical.reason, canonical.source, canonical.sourceRef,
      canonical.recordedById, canonical.occurredAt, canonical.expiresAt, canonical.forcesDUntil, canonical.reversesId, prevHash, hash,
      state.score, state.grade, iso(state.forcedUntil), canonical.seq, hash, input.operatorId],
  );
  return { id: inserted.id, seq: canonical.seq, hash, state };
}

async function loadScored(em: EntityManager, operatorId: number): Promise<ScoredEvent[]> {
  const rows = await em.execute<EventRow[]>(
    'select id, points, occurred_at, expires_at, forces_d_until, reverses_id from credit_event where operator_id = ? order by seq',
    [operatorId],
  );
  return rows.map(toScored);
}

/** Recomputes an operator's score from its events and stores it. */
export async function refreshStoredCredit(em: EntityManager, operatorId: number, asOf = new Date()): Promise<CreditState> {
  const state = computeCredit(await loadScored(em, operatorId), asOf);
  await em.execute('update operator set credit_score = ?, credit_grade = ?, forced_d_until = ? where id = ?', [
    state.score, state.grade, state.forcedUntil?.toISOString() ?? null, operatorId,
  ]);
  return state;
}

/** The operator's credit at any moment, from its events alone (events recorded later with an earlier time count too). */
export async function creditAsOf(em: EntityManager, operatorId: number, asOf: Date): Promise<CreditState> {
  const [op] = await em.execute<{ id: number }[]>('select id from operator where id = ?', [operatorId]);
  if (!op) throw notFound('Operator', operatorId);
  return computeCredit(await loadScored(em, operatorId), asOf);
}

/**
 * Brings stored grades up to date where time alone changed them: a deduction expired, a forced D ended, or an
 * event recorded ahead of its time (a device clock running fast) came due. Only operators with such a moment
 * after `since` (any time, when null) and by `asOf` are recomputed; returns how many stored states changed.
 */
export async function refreshLapsedCredit(em: EntityManager, asOf = new Date(), since: Date | null = null): Promise<number> {
  const after = since ?? new Date(0);
  const candidates = await em.execute<{ operator_id: number }[]>(
    `select distinct operator_id from credit_event
      where (expires_at > ? and expires_at <= ?) or (forces_d_until > ? and forces_d_until <= ?)
         or (occurred_at > created_at and occurred_at > ? and occurred_at <= ?)
      order by operator_id`,
    [after, asOf, after, asOf, after, asOf],
  );
  let changed = 0;
  for (const { operator_id: operatorId } of candidates) {
    changed += await em.transactional(async (tx) => {
      const [stored] = await tx.execute<{ credit_score: number; credit_grade: Grade; forced_d_until: Date | string | null }[]>(
        'select credit_score, credit_grade, forced_d_until from operator where id = ? for no key update',
        [operatorId],
      );
      const state = computeCredit(await loadScored(tx, operatorId), asOf);
      if (stored.credit_score === state.score && stored.credit_grade === state.grade && iso(stored.forced_d_until) === iso(state.forcedUntil)) return 0;
      await tx.execute('update operator set credit_score = ?, credit_grade = ?, forced_d_until = ? where id = ?', [
        state.score, state.grade, iso(state.forcedUntil), operatorId,
      ]);
      return 1;
    });
  }
  return changed;
}

/** A credit_event row as SQL returns it: the columns that are hashed, with the row's id and chain hashes. */
export interface StoredRow {
  id: number;
  operator_id: number;
  seq: number;
  rule_code: string;
  points: number;
  reason: string;
  source: CreditSource;
  source_ref: string | null;
  recorded_by_id: number | null;
  occurred_at: Date | string;
  expires_at: Date | string | null;
  forces_d_until: Date | string | null;
  reverses_id: number | null;
  prev_hash: string;
  hash: string;
}

/** The canonical form of a stored row: exactly what was hashed when it was appended. */
export function canonicalFromStored(r: StoredRow): CanonicalEvent {
  return {
    operatorId: r.operator_id,
    seq: r.seq,
    ruleCode: r.rule_code,
    points: r.points,
    reason: r.reason,
    source: r.source,
    sourceRef: r.source_ref,
    recordedById: r.recorded_by_id,
    occurredAt: iso(r.occurred_at)!,
    expiresAt: iso(r.expires_at),
    forcesDUntil: iso(r.forces_d_until),
    reversesId: r.reverses_id,
  };
}

const VERIFY_CHUNK = 5000;

/**
 * Walks chains in (operator, seq) order, recomputing each row's hash from its stored columns, and checks that each
 * chain ends at the head its operator recorded (an operator with no recorded head, from a bulk import, is not checked).
 */
async function verifyChains(em: EntityManager, operatorId: number | null): Promise<ChainVerification> {
  const report: ChainVerification = { ok: true, operatorsChecked: 0, eventsChecked: 0, firstBroken: null, brokenOperatorIds: [] };
  const heads = new Map(
    (await em.execute<{ id: number; credit_chain_seq: number; credit_chain_head: string }[]>(
      `select id, credit_chain_seq, credit_chain_head from operator where credit_chain_seq > 0 ${operatorId === null ? '' : 'and id = ?'}`,
      operatorId === null ? [] : [operatorId],
    )).map((h) => [h.id, { seq: h.credit_chain_seq, hash: h.credit_chain_head }]),
  );
  const fail = (link: BrokenChainLink) => {
    report.ok = false;
    report.brokenOperatorIds.push(link.operatorId);
    if (!report.firstBroken || link.operatorId < report.firstBroken.operatorId) report.firstBroken = link;
  };
  let current: number | null = null;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let broken = false;
  const seen = new Set<number>();
  // the chain just walked must end where its operator says it does
  const closeChain = () => {
    if (current === null || broken) return;
    const head = heads.get(current);
    const lastSeq = expectedSeq - 1;
    if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
      fail({ operatorId: current, eventId: null, seq: head.seq, problem: ChainProblem.HEAD_MISMATCH, expected: `${head.seq}:${head.hash}`, found: `${lastSeq}:${prevHash}` });
    }
  };
  let after: [number, number] = [0, 0];
  for (;;) {
    const rows: StoredRow[] = await em.execute<StoredRow[]>(
      `select id, operator_id, seq, rule_code, points, reason, source, source_ref, recorded_by_id, occurred_at, expires_at, forces_d_until, reverses_id, prev_hash, hash
         from credit_event
        where (operator_id, seq) > (?, ?) ${operatorId === null ? '' : 'and operator_id = ?'}
        order by operator_id, seq limit ${VERIFY_CHUNK}`,
      operatorId === null ? after : [...after, operatorId],
    );
    for (const r of rows) {
      if (r.operator_id !== current) {
        closeChain();
        current = r.operator_id;
        seen.add(current);
        report.operatorsChecked += 1;
        expectedSeq = 1;
        prevHash = GENESIS_HASH;
        broken = false;
      }
      report.eventsChecked += 1;
      if (broken) continue;
      let link: BrokenChainLink | null = null;
      const at = { operatorId: r.operator_id, eventId: r.id, seq: r.seq };
      if (r.seq !== expectedSeq) link = { ...at, problem: ChainProblem.SEQUENCE_GAP, expected: String(expectedSeq), found: String(r.seq) };
      else if (r.prev_hash !== prevHash) link = { ...at, problem: ChainProblem.PREVIOUS_HASH_MISMATCH, expected: prevHash, found: r.prev_hash };
      else {
        const recomputed = chainHash(prevHash, canonicalFromStored(r));
        if (recomputed !== r.hash) link = { ...at, problem: ChainProblem.HASH_MISMATCH, expected: recomputed, found: r.hash };
      }
      if (link) {
        broken = true;
        fail(link);
        continue;
      }
      expectedSeq += 1;
      prevHash = r.hash;
    }
    if (rows.length < VERIFY_CHUNK) break;
    const tail = rows[rows.length - 1];
    after = [tail.operator_id, tail.seq];
  }
  closeChain();
  // operators whose every event is gone
  for (const [id, head] of heads) {
    if (seen.has(id)) continue;
    report.operatorsChecked += 1;
    fail({ operatorId: id, eventId: null, seq: head.seq, problem: ChainProblem.HEAD_MISMATCH, expected: `${head.seq}:${head.hash}`, found: `0:${GENESIS_HASH}` });
  }
  report.brokenOperatorIds.sort((x, y) => x - y);
  return report;
}

/** Verifies one operator's chain and reports its first broken link. */
export async function verifyCreditChain(em: EntityManager, operatorId: number): Promise<ChainVerification> {
  const [op] = await em.execute<{ id: number }[]>('select id from operator where id = ?', [operatorId]);
  if (!op) throw notFound('Operator', operatorId);
  return verifyChains(em, operatorId);
}

/** Verifies every operator's chain in the archive. */
export function verifyCreditArchive(em: EntityManager): Promise<ChainVerification> {
  return verifyChains(em, null);
}

export { ChainProblem, Grade };
