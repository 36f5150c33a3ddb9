import type { AssessedUnitKind, PlanStatus } from '../entities/enums';

/** One person at a training: an operator, an account, or only a name. */
export interface TrainingAttendeeModel {
  operatorId: number | null;
  accountId: number | null;
  name: string;
  /** The operator's TRAINING_COMPLETED event that this attendance appended. */
  creditEventId: number | null;
}

export interface TrainingModel {
  id: number;
  topic: string;
  /** Local date, YYYY-MM-DD. */
  heldOn: string;
  trainer: string;
  /** Null for a town-wide training. */
  village: string | null;
  recordedById: number;
  createdAt: Date;
  clientKey: string;
  attendees: TrainingAttendeeModel[];
}

/** Exactly one of operatorId, accountId or name. */
export interface AttendeeData {
  operatorId?: string | number | null;
  accountId?: string | number | null;
  name?: string | null;
}

export interface RecordTrainingData {
  topic: string;
  heldOn: string;
  trainer: string;
  village?: string | null;
  attendees: AttendeeData[];
  clientKey: string;
}

export interface TrainingFilterData {
  /** Local dates, [from, to). */
  from?: string | null;
  to?: string | null;
  village?: string | null;
}

export interface PlanItemModel {
  id: number;
  year: number;
  title: string;
  owner: string;
  dueOn: string;
  progress: number;
  status: PlanStatus;
  notes: string | null;
  createdById: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreatePlanItemData {
  year: number;
  title: string;
  owner: string;
  dueOn: string;
  notes?: string | null;
}

export interface PlanProgressData {
  id: string | number;
  progress: number;
  notes?: string | null;
  /** Only CANCELLED may be asked for; every other status follows from the progress. */
  cancel?: boolean | null;
}

/** What a scorecard is about: the whole town, one village, or one unit (a canteen or a market). */
export interface ScorecardScope {
  kind: 'TOWN' | 'VILLAGE' | `${AssessedUnitKind}`;
  year: number;
  village: string | null;
  /** The canteen's operator id or the market's id. */
  unitId: number | null;
  /** [start, end) of the year in the county's local time. */
  start: Date;
  end: Date;
  /** Local dates of the same bounds, for date columns. */
  startDate: string;
  endDate: string;
  /** What has fallen due is judged at this moment: now, or the year's end once it is over. */
  asOf: Date;
  asOfDate: string;
}

/** One indicator on one scorecard: the counts behind it, its value against the target, and its share of the total. */
export interface IndicatorScoreModel {
  code: string;
  zh: string;
  en: string;
  formulaZh: string;
  formulaEn: string;
  weight: number;
  /** The value the indicator must reach, 0–1. */
  target: number;
  numerator: number;
  denominator: number;
  /** numerator / denominator, at most 1; null when there is nothing to count (the indicator does not apply). */
  value: number | null;
  /** weight × min(value / target, 1), two decimals; null when the indicator does not apply. */
  score: number | null;
  /** value ≥ target; null when it does not apply. */
  met: boolean | null;
  scope: ScorecardScope;
}

export interface ScorecardModel {
  year: number;
  kind: ScorecardScope['kind'];
  village: string | null;
  unitId: number | null;
  unitName: string | null;
  indicators: IndicatorScoreModel[];
  /** The scores' sum over the weights that apply, out of 100, one decimal; null when nothing applies. */
  total: number | null;
  asOf: Date;
}

/** A record behind an indicator: counted in the numerator, or only in the denominator. */
export interface EvidenceModel {
  kind: string;
  id: number;
  counted: boolean;
  at: Date | null;
  label: string | null;
}

/** One row of the monthly work ledger (工作台帐). */
export interface WorkLedgerRow {
  at: Date;
  kind: string;
  id: number;
  village: string | null;
  subject: string;
  result: string;
  recordedBy: string | null;
}
