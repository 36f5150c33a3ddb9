import type { OperatorKind, QuantityUnit } from '../entities/enums';

/** What one affected operator holds of a recall in one unit, and what it declared it did with it. */
export interface RecallHolding {
  operatorId: number;
  operatorName: string;
  operatorKind: OperatorKind;
  unit: QuantityUnit;
  /** Recalled batches it owns in this unit. */
  batches: number;
  /** What those batches hold (they cannot be taken from once recalled). */
  held: number;
  returned: number;
  destroyed: number;
  sold: number;
  /** returned + destroyed + sold. */
  accounted: number;
  note: string | null;
  /** When it last declared its disposition; null while the notice is unanswered. */
  recordedAt: Date | null;
}

export interface RecallUnitProgress {
  unit: QuantityUnit;
  held: number;
  accounted: number;
  /** accounted / held; null when nothing is held. */
  effectiveness: number | null;
}

/** A recall and how far it has got. */
export interface RecallProgress {
  id: number;
  batchId: number;
  batchCode: string;
  productName: string;
  lotCode: string;
  reason: string;
  recalledAt: Date;
  holdings: RecallHolding[];
  units: RecallUnitProgress[];
  /** Share of the affected quantity accounted for: over one unit its share; over several, the lowest. */
  effectiveness: number | null;
  /** Holdings whose operator has declared a disposition. */
  answered: number;
  closedAt: Date | null;
  closedById: number | null;
  summary: string | null;
}

export interface RecallFilterData {
  /** true: only open recalls; false: only closed ones. */
  open: boolean | null;
}

export interface RecordDispositionData {
  recallId: string | number;
  operatorId: string | number;
  unit: QuantityUnit;
  returned?: number | null;
  destroyed?: number | null;
  sold?: number | null;
  note?: string | null;
}

export interface CloseRecallData {
  recallId: string | number;
  summary: string;
}
