import type { GateDecision, InspectionKind, LinkKind, OperatorKind, QuantityUnit, TestResult } from '../entities/enums';
import type { Batch, BatchFacts } from '../registry/batch.model';
import type { Certificate } from '../registry/certificate.model';
import type { InspectionItemModel } from '../gate/inspection.model';
import type { PublicOperator } from '../registry/operator.model';
import type { HandoverDocument } from './lineage.model';

/** A recall started on one batch; the batch and every descendant are RECALLED. */
export interface TraceRecall {
  id: number;
  /** The batch the recall was started on. */
  batchId: number;
  /** Public code of that batch. */
  batchCode: string;
  reason: string;
  recalledAt: Date;
}

/** A batch in a lineage walk, with its owner as the public sees it. */
export interface TraceBatch extends BatchFacts {
  /** Taken by splits, merges, processing and transfers (quantity − remaining), exact to the thousandth. */
  consumed: number;
  /** Fewest links between this batch and the one the walk started from (0 for itself). */
  depth: number;
  owner: PublicOperator;
  /** A recall started on this very batch. */
  recall: TraceRecall | null;
}

/** A lineage link parent → child; quantity is what was taken from the parent, in its unit. */
export interface TraceLink {
  parentId: number;
  childId: number;
  kind: LinkKind;
  quantity: number;
  createdAt: Date;
  /** A TRANSFER's document, shipping date and places, when the sender gave them. */
  handover: HandoverDocument | null;
}

export type TraceCertificate = Certificate;

/** The same items the gate records with a test. */
export type TraceInspectionItem = InspectionItemModel;

/** A rapid or lab test of a batch in the chain. */
export interface TraceInspection {
  id: number;
  batchId: number;
  kind: InspectionKind;
  items: TraceInspectionItem[];
  result: TestResult;
  tester: string;
  marketId: number | null;
  marketName: string | null;
  inspectedAt: Date;
}

/** A gate scan of a batch in the chain. */
export interface TraceMarketEntry {
  id: number;
  /** The batch scanned at the gate. */
  batchId: number | null;
  /** The vendor's batch created when the load was accepted. */
  receivedBatchId: number | null;
  marketId: number;
  marketName: string;
  vendorId: number;
  vendorName: string;
  declaredQuantity: number;
  unit: QuantityUnit;
  decision: GateDecision;
  at: Date;
}

/** Certificates, tests and gate entries of a set of batches. */
export interface TraceDetails {
  certificates: TraceCertificate[];
  inspections: TraceInspection[];
  marketEntries: TraceMarketEntry[];
}

/** The whole upstream chain of a public code. */
export interface Trace extends TraceDetails {
  code: string;
  /** The URL the batch QR code encodes. */
  url: string;
  batch: TraceBatch;
  origin: string | null;
  /** Owner of the origin lot (the deepest upstream batch without parents; among equals, the lowest id). */
  producer: PublicOperator;
  /** Owners of every upstream batch without parents, deepest first, each once. */
  producers: PublicOperator[];
  nodes: TraceBatch[];
  edges: TraceLink[];
  recalled: boolean;
  /** The recall covering this batch: on it or on its nearest recalled ancestor. */
  recall: TraceRecall | null;
  /** The chain was longer than the public bounds and was cut. */
  truncated: boolean;
}

/** Bounds of a walk; the public trace uses PUBLIC_TRACE_BOUNDS. */
export interface WalkBounds {
  maxDepth: number;
  maxNodes: number;
}

/** Nodes of one walk and the links between them; a link to a node left out means the walk was cut. */
export interface Walk {
  nodes: TraceBatch[];
  edges: TraceLink[];
  truncated: boolean;
}

/** A bounded walk of the lineage graph from one batch. */
export interface LineageGraph extends Walk, WalkBounds {
  batch: TraceBatch;
}

export interface UnitQuantity {
  unit: QuantityUnit;
  batches: number;
  /** What those batches still hold. */
  onHand: number;
}

export interface AffectedMarket {
  id: number;
  name: string;
  entries: number;
  accepted: number;
}

export interface AffectedOperator extends PublicOperator {
  /** Affected batches this operator owns. */
  batches: number;
}

/** What a batch reached over its whole subtree, whatever the bounds of the node list. */
export interface SubtreeImpact {
  /** The batch and every descendant. */
  batches: number;
  operators: AffectedOperator[];
  markets: AffectedMarket[];
  /** Gate entries of those batches. */
  entries: number;
  quantities: UnitQuantity[];
}

/** Everything made from a batch and where it went; the aggregates cover every descendant within maxDepth. */
export interface ForwardTrace extends LineageGraph {
  totalBatches: number;
  affectedOperators: AffectedOperator[];
  markets: AffectedMarket[];
  entryCount: number;
  quantities: UnitQuantity[];
  /** Gate entries of the listed nodes. */
  marketEntries: TraceMarketEntry[];
  /** Tests of the listed nodes. */
  inspections: TraceInspection[];
}

export interface RecallImpactOperator {
  id: number;
  name: string;
  kind: OperatorKind;
  /** Recalled batches this operator owns. */
  batches: number;
}

/** What a recall reached, as computed when it was made (stored with the recall). */
export interface RecallImpact {
  recallId: number;
  batchId: number;
  batchCode: string;
  reason: string;
  recalledAt: Date;
  /** The source batch and every descendant. */
  batches: number;
  /** Batches this recall marked RECALLED (the others already were). */
  newlyRecalled: number;
  operators: RecallImpactOperator[];
  markets: AffectedMarket[];
  /** Gate entries of recalled batches. */
  entries: number;
  quantities: UnitQuantity[];
}

/** A recall's impact as one request answers it: `created` is false when the batch had been recalled before. */
export interface RecallAnswer extends RecallImpact {
  created: boolean;
}

/** The product of a processing step and its yield. */
export interface ProcessResult {
  batch: Batch;
  /** Total input, when all inputs share one unit. */
  inputQuantity: number | null;
  inputUnit: QuantityUnit | null;
  /** Output per unit of input, when all inputs share one unit. */
  yield: number | null;
}
