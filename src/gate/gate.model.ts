import type {
  BatchStatus, CertificateStatus, CommitmentBasis, GateDecision, InspectionKind, ProductCategory,
  QuantityUnit, TestResult,
} from '../entities/enums';
import type { PublicOperator } from '../registry/operator.model';
import type { InspectionItemModel, InspectionRecord } from './inspection.model';

/** A time inside a stored answer: ISO 8601 text, so the first answer and every replay serialise identically. */
export type IsoTime = string;

/** A value as it travels in a stored answer: its times are ISO text. */
export type Stored<T> = { [K in keyof T]: T[K] extends Date ? IsoTime : T[K] extends Date | null ? IsoTime | null : T[K] };

/** Why a load was rejected, sent to a test, or decided by one; in Chinese and English. */
export interface GateReasonModel {
  code: string;
  zh: string;
  en: string;
}

/** The scanned lot as the gate saw it. */
export interface GateBatchModel {
  id: number;
  publicCode: string;
  productName: string;
  category: ProductCategory;
  lotCode: string;
  unit: QuantityUnit;
  status: BatchStatus;
}

/** The certificate a load travelled under, after the scan claimed its quantity. */
export interface GateCertificateModel {
  id: number;
  number: string;
  status: CertificateStatus;
  quantity: number;
  quantityAdmitted: number;
  quantityRemaining: number;
  unit: QuantityUnit;
  issuedAt: IsoTime;
  bases: CommitmentBasis[];
}

/** The batch the receiving vendor got when a load was admitted (the lot itself when a producer sells its own goods). */
export interface GateReceivedBatchModel {
  id: number;
  publicCode: string;
  lotCode: string;
  quantity: number;
  unit: QuantityUnit;
  ownerId: number;
}

/** The answer to a scan, as stored in `market_entry.response` and returned to every retry (plain JSON, ISO times). */
export interface GateAnswer {
  entryId: number;
  scanId: string;
  marketId: number;
  decision: GateDecision;
  /** Every reason of the deciding kind; empty when ACCEPTED. */
  reasons: GateReasonModel[];
  declaredQuantity: number;
  unit: QuantityUnit;
  scannedAt: IsoTime;
  batch: GateBatchModel | null;
  certificate: GateCertificateModel | null;
  /** The producer answering for the load: the certificate's issuer, else the lot's owner. */
  producer: PublicOperator | null;
  receivedBatch: GateReceivedBatchModel | null;
}

/**
 * A gate entry as a test answer carries it, in the row's own names (the answer is stored as JSON with the
 * inspection); a test may have decided it after the scan.
 */
export interface MarketEntryRecord {
  id: number;
  market_id: number;
  scan_id: string;
  batch_id: number | null;
  certificate_id: number | null;
  vendor_id: number;
  /** numeric(14,3) as PostgreSQL returns it: text. */
  declared_quantity: string;
  unit: QuantityUnit;
  decision: GateDecision;
  reasons: GateReasonModel[];
  received_batch_id: number | null;
  created_at: Date;
  /** Null while a test is pending. */
  decided_at: Date | null;
}

/**
 * What recording a test answers: the inspection and, when the test named an entry, that entry as the test left it.
 * Stored with an inspection that carries a testId and returned as is to every resend.
 */
export interface RecordedTestAnswer {
  inspection: Stored<InspectionRecord>;
  entry: Stored<MarketEntryRecord> | null;
}

/** A test on the public board; the vendor is the entry's receiving vendor, else the lot's owner. */
export interface BoardTestModel {
  inspectionId: number;
  kind: InspectionKind;
  inspectedAt: Date;
  /** The tested lot; not shown on the board, which links the lot by its public code. */
  batchId: number;
  batchPublicCode: string;
  productName: string;
  vendorId: number;
  vendorName: string;
  items: InspectionItemModel[];
  result: TestResult;
  tester: string;
}

/** A market's public board for one market day (`date` is YYYY-MM-DD in the county's time zone). */
/** A load the market refused that day, as the board shows it: what it was, why, and how it was dealt with. */
export interface BoardRefusalModel {
  entryId: number;
  decidedAt: Date;
  productName: string | null;
  batchPublicCode: string | null;
  vendorName: string;
  declaredQuantity: number;
  unit: QuantityUnit;
  reasons: GateReasonModel[];
  /** RETURNED: turned back at the gate, never admitted; HELD_NON_CONFORMANT: failed a test, the lot is marked and may not be sold. */
  handling: 'RETURNED' | 'HELD_NON_CONFORMANT';
}

export interface MarketTestBoardModel {
  marketId: number;
  marketName: string;
  date: string;
  tests: BoardTestModel[];
  /** Loads refused that day and how each was dealt with (market rules: the board shows it). */
  refusals: BoardRefusalModel[];
  /** The complaint telephone number the board shows (market rules). */
  complaintPhone: string;
}
