import type { IncidentKind, IncidentPlaceKind, IncidentStatus, OperatorKind, QuantityUnit } from '../entities/enums';

/** A batch as an incident's finding names it. */
export interface FindingBatch {
  batchId: number;
  publicCode: string;
  productName: string;
  lotCode: string;
  ownerId: number;
  ownerName: string;
}

/** One suspect lot and where it came from. */
export interface FindingSuspect extends FindingBatch {
  /** The code as reported. */
  code: string;
  /** The origin lots of its backward trace (no parent within the walk). */
  sourceBatchIds: number[];
  /** Batches in its backward trace, itself included. */
  upstreamBatches: number;
  truncated: boolean;
}

/** What was made from one common source, over its whole subtree. */
export interface FindingForward {
  source: FindingBatch;
  batches: number;
  operators: { id: number; name: string; kind: OperatorKind; batches: number }[];
  markets: { id: number; name: string; entries: number; accepted: number }[];
  quantities: { unit: QuantityUnit; batches: number; onHand: number }[];
  entries: number;
  truncated: boolean;
}

/** The backward trace of each suspect lot and the forward trace from their common sources, kept with the incident. */
export interface IncidentFinding {
  tracedAt: Date;
  suspects: FindingSuspect[];
  /** Codes that named no lot. */
  unresolved: string[];
  /** Origin lots every suspect came from. */
  commonSources: FindingBatch[];
  forward: FindingForward[];
}

export interface IncidentStepModel {
  id: number;
  status: IncidentStatus;
  at: Date;
  byId: number | null;
  byName: string | null;
  notes: string | null;
  /** References to photos and documents. */
  evidence: string[];
  /** The deadline of the next step, when the rules set one. */
  dueAt: Date | null;
}

export interface IncidentModel {
  id: number;
  kind: IncidentKind;
  status: IncidentStatus;
  drill: boolean;
  placeKind: IncidentPlaceKind;
  village: string | null;
  operatorId: number | null;
  placeRef: string | null;
  occurredAt: Date;
  peopleIll: number;
  description: string;
  suspectCodes: string[];
  finding: IncidentFinding | null;
  reportedById: number | null;
  reporterName: string | null;
  /** A public reporter's contact: personal data. */
  contact: string | null;
  reportedAt: Date;
  investigateDueAt: Date;
  handleDueAt: Date;
  investigatingAt: Date | null;
  handledAt: Date | null;
  closedAt: Date | null;
}

export interface ReportIncidentData {
  kind: IncidentKind;
  placeKind: IncidentPlaceKind;
  village?: string | null;
  operatorId?: string | number | null;
  placeRef?: string | null;
  occurredAt: Date;
  peopleIll?: number | null;
  description: string;
  suspectCodes?: string[] | null;
  suspectBatchIds?: (string | number)[] | null;
  reporterName?: string | null;
  contact?: string | null;
  drill?: boolean | null;
}

export interface AdvanceIncidentData {
  id: string | number;
  status: IncidentStatus;
  notes?: string | null;
  evidence?: string[] | null;
}

export interface IncidentFilter {
  status: IncidentStatus | null;
  village: string | null;
  drill: boolean | null;
  /** true: only incidents not CLOSED; false: only CLOSED ones. */
  open?: boolean | null;
}

export interface IncidentPeriod {
  from: Date;
  to: Date;
}

/** The plan's two rates over a period, with the counts behind them; drills are counted apart. */
export interface IncidentStatsModel {
  from: Date;
  to: Date;
  village: string | null;
  /** Incidents reported in the period, drills left out. */
  reported: number;
  /** Of those, reported within the rule's window after they occurred. */
  reportedInTime: number;
  /** reportedInTime / reported; null when nothing was reported. */
  reportRate: number | null;
  /** Incidents whose handling deadline has passed or that were handled. */
  handlingDue: number;
  /** Of those, handled by the deadline. */
  handledOnTime: number;
  /** handledOnTime / handlingDue; null when none was due. */
  onTimeHandlingRate: number | null;
  /** Past the deadline and not yet handled. */
  overdue: number;
  byStatus: { status: IncidentStatus; count: number }[];
  peopleIll: number;
  drills: number;
  /** Mean time from report to close of the closed drills, in seconds. */
  drillMeanSeconds: number | null;
}
