import type { Db } from '../context';
import type { CreditSource } from '../entities/enums';
import { badInput, conflict, notFound } from '../errors';
import { toDate } from '../tables/sql-time';
import { causeCharged, chainHistory, insertCreditEvent, reversalTarget } from '../tables/credit-event.table';
import { lockOperatorCredit } from '../tables/operator.table';
import * as v from '../validation';
import { asStored, chainHash, GENESIS_HASH } from './chain-hash';
import type { CanonicalEvent, CreditState } from './credit.model';
import { addMonths, ruleFor } from './rules';
import { computeCredit } from './score';

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

/** What a gate or test charge is about: the lot, and the certificate the load came with (if any). */
export interface CreditCause {
  lotId: number;
  certificateId: number | null;
}

export interface AppendedCreditEvent {
  id: number;
  seq: number;
  hash: string;
  state: CreditState;
}

const DAY_MS = 86_400_000;

/**
 * Appends one event to the operator's hash chain and updates its stored score and grade.
 * Must run inside the caller's transaction (`tx` from `withTransaction`), so the event commits with its cause;
 * the operator row is locked, so appends for one operator are serialised and the chain never forks.
 */
export async function appendCreditEvent(tx: Db, input: NewCreditEvent): Promise<AppendedCreditEvent> {
  return (await append(tx, input, null))!;
}

/**
 * Charges a gate or test violation once per cause: when the rule names a cause (`chargeOncePer`) and the operator
 * was already charged that rule for the same certificate or lot within the rule's window, nothing is appended and
 * the answer is null. The check runs under the operator's lock, so concurrent scans or tests cannot both charge.
 */
export async function chargeCreditOnce(tx: Db, input: NewCreditEvent, cause: CreditCause): Promise<AppendedCreditEvent | null> {
  return append(tx, input, cause);
}

async function append(tx: Db, input: NewCreditEvent, cause: CreditCause | null): Promise<AppendedCreditEvent | null> {
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

  if (!(await lockOperatorCredit(tx, input.operatorId))) throw notFound('Operator', input.operatorId);
  if (reversesId !== null) {
    const target = await reversalTarget(tx, reversesId);
    if (!target || target.operatorId !== input.operatorId) throw notFound('Credit event', reversesId);
    if (target.ruleCode === 'REVERSAL') throw badInput('reversesId', 'a reversal cannot itself be reversed');
    if (target.reversed) throw conflict(`Credit event ${reversesId} is already reversed`);
  }
  if (cause && rule.chargeOncePer && (rule.chargeOncePer === 'lot' || cause.certificateId !== null)) {
    const charged = await causeCharged(tx, {
      operatorId: input.operatorId,
      ruleCode: rule.code,
      lotId: cause.lotId,
      certificateId: rule.chargeOncePer === 'certificate' ? cause.certificateId : null,
      since: rule.windowDays === null ? null : new Date(occurredAt.getTime() - rule.windowDays * DAY_MS),
    });
    if (charged) return null;
  }
  // the operator lock keeps the history current until the insert
  const history = await chainHistory(tx, input.operatorId);
  const canonical: CanonicalEvent = {
    operatorId: input.operatorId,
    seq: (history.tail?.seq ?? 0) + 1,
    ruleCode: rule.code,
    points,
    reason,
    source: input.source,
    sourceRef,
    recordedById: input.recordedById ?? null,
    occurredAt: occurredAt.toISOString(),
    // additions expire as deductions do: a ceiling, not a bank (see computeCredit)
    expiresAt: points !== 0 && expiresMonths !== null ? addMonths(occurredAt, expiresMonths).toISOString() : null,
    forcesDUntil: rule.forcesDMonths ? addMonths(occurredAt, rule.forcesDMonths).toISOString() : null,
    reversesId,
  };
  const prevHash = history.tail?.hash ?? GENESIS_HASH;
  const hash = chainHash(prevHash, asStored(canonical));
  const scored = history.events;
  // the new row's id is not known yet; -1 stands in for it, and nothing can reverse an event in the statement that adds it
  scored.push({ id: -1, points, occurredAt, expiresAt: toDate(canonical.expiresAt), forcesDUntil: toDate(canonical.forcesDUntil), reversesId });
  const state = computeCredit(scored, new Date());
  const id = await insertCreditEvent(tx, canonical, prevHash, hash, state, (stored) => chainHash(prevHash, stored) === hash);
  return { id, seq: canonical.seq, hash, state };
}
