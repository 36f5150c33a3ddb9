import type { AppealKind, AppealStatus, CreditSource, Grade, InspectionOutcome, OperatorKind } from '../entities/enums';

/** The fields of an archived event that a client may see. */
export interface CreditEventData {
  id: number;
  operatorId: number;
  seq: number;
  ruleCode: string;
  points: number;
  reason: string;
  source: CreditSource;
  sourceRef: string | null;
  recordedById: number | null;
  occurredAt: Date;
  expiresAt: Date | null;
  forcesDUntil: Date | null;
  reversesId: number | null;
  reversedById: number | null;
  prevHash: string;
  hash: string;
  createdAt: Date;
}

/** A validated archive filter: each criterion, or null for any. */
export interface ArchiveCriteria {
  grade: Grade | null;
  kind: OperatorKind | null;
  village: string | null;
  scoreMin: number | null;
  scoreMax: number | null;
  rule: string | null;
  from: Date | null;
  to: Date | null;
  operatorId: number | null;
}

/** An archived event with its operator as the export lists it (the operator's stored grade and score). */
export interface ArchiveEventRow {
  event: CreditEventData;
  operatorName: string;
  operatorKind: OperatorKind;
  village: string | null;
  grade: Grade;
  score: number;
}

/** An operator's credit state. */
export interface Credit {
  operatorId: number;
  score: number;
  grade: Grade;
  /** Grade is held at D until this time. */
  forcedUntil: Date | null;
}

/** The credit state alone, as events lead to it. */
export type CreditState = Pick<Credit, 'score' | 'grade' | 'forcedUntil'>;

/** The fields of an event that the score depends on. */
export type ScoredEvent = Pick<CreditEventData, 'id' | 'points' | 'occurredAt' | 'expiresAt' | 'forcesDUntil' | 'reversesId'>;

/** One event as it is hashed into its operator's chain; times are ISO text so the hash is reproducible from SQL. */
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

/** A stored chain link: what was hashed, and the hashes stored with it. */
export interface StoredLink {
  id: number;
  canonical: CanonicalEvent;
  prevHash: string;
  hash: string;
  /** How `hash` was computed (chain-hash.ts); rows without one are version 1. */
  hashVersion?: number;
}

/** An operator's recorded chain head (seq 0 and null hash: none) and its stored credit. */
export interface RecordedHead {
  operatorId: number;
  seq: number;
  hash: string | null;
  score: number;
  grade: Grade;
  forcedUntil: Date | null;
}

/** The last link of an operator's chain and the score-relevant history before the next append. */
export interface ChainHistory {
  events: ScoredEvent[];
  tail: { seq: number; hash: string } | null;
}

/** How a link of a credit hash chain is broken. */
export enum ChainProblem {
  SEQUENCE_GAP = 'SEQUENCE_GAP',
  PREVIOUS_HASH_MISMATCH = 'PREVIOUS_HASH_MISMATCH',
  HASH_MISMATCH = 'HASH_MISMATCH',
  HEAD_MISMATCH = 'HEAD_MISMATCH',
  CREDIT_MISMATCH = 'CREDIT_MISMATCH',
  CHECKPOINT_MISMATCH = 'CHECKPOINT_MISMATCH',
}

export interface BrokenChainLink {
  operatorId: number;
  /** The offending row; null when the chain ends early. */
  eventId: number | null;
  seq: number;
  problem: ChainProblem;
  expected: string;
  found: string;
}

export interface ChainVerification {
  ok: boolean;
  operatorsChecked: number;
  eventsChecked: number;
  firstBroken: BrokenChainLink | null;
  /** In id order. */
  brokenOperatorIds: number[];
  /** The checkpoint the heads were checked against; null when none was made. */
  checkpointId?: number | null;
  /** What is wrong with that checkpoint itself (its signature, or its leaves against its root); null when sound. */
  checkpointProblem?: string | null;
}

/** An operator due for an on-site inspection in the planned month. */
export interface InspectionPlanItem {
  operatorId: number;
  grade: Grade;
  score: number;
  forcedUntil: Date | null;
  inspectionsPerYear: number;
  lastInspectedAt: Date | null;
  dueSince: Date | null;
  /** Field inspections recorded within the month: done once there is one. */
  inspectionsInMonth: number;
  /** The latest field inspection within the month, and what it found; null while still due. */
  doneAt: Date | null;
  doneOutcome: InspectionOutcome | null;
}

/** What closing a quarter awarded. */
export interface QuarterCloseResult {
  quarter: string;
  eligible: number;
  /** In id order. */
  awardedOperatorIds: number[];
  alreadyAwarded: number;
}

/** How many operators hold one credit grade. */
export interface GradeCount {
  grade: Grade;
  operators: number;
  active: number;
}

/** An operator's appeal against a deduction, or its request for credit repair after rectification. */
export interface CreditAppeal {
  id: number;
  eventId: number;
  operatorId: number;
  kind: AppealKind;
  reason: string;
  status: AppealStatus;
  filedById: number | null;
  decidedById: number | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  reversalEventId: number | null;
  createdAt: Date;
}

/** What a registration card's QR shows: public fields only, never contact data or ids. */
export interface OperatorCard {
  publicCode: string;
  kind: string;
  name: string;
  registrationNumber: string | null;
  village: string | null;
  status: string;
  grade: string;
  /** Deductions (negative points) that occurred in the last 12 months and were not reversed. */
  recentViolations: number;
  /** The latest field inspections, newest first: date and outcome only. */
  latestInspections: { inspectedAt: Date; outcome: InspectionOutcome }[];
}
