import type { HandoverDocumentType, LinkKind, ProductCategory, QuantityUnit } from '../entities/enums';

/** What the lineage steps are asked to do, as their callers name it (ids may come as GraphQL ID strings). */

export interface LineagePart {
  quantity: number;
  lotCode?: string | null;
}

export interface LineageInputData {
  batchId: string | number;
  /** Omitted in a merge: everything that remains of the batch. */
  quantity?: number | null;
}

export interface SplitBatchData {
  batchId: string | number;
  parts: LineagePart[];
}

export interface MergeBatchesData {
  inputs: LineageInputData[];
  productName?: string | null;
  lotCode?: string | null;
}

export interface ProcessBatchesData {
  inputs: LineageInputData[];
  productName: string;
  category: ProductCategory;
  quantity: number;
  unit: QuantityUnit;
  lotCode?: string | null;
  producedAt?: Date | null;
  originPlace?: string | null;
  gtin?: string | null;
}

/** What a hand-over travelled under: its document (type and number), when it was shipped, from where, to where. */
export interface HandoverDocument {
  documentType: HandoverDocumentType | null;
  documentNumber: string | null;
  shippedAt: Date | null;
  shipFrom: string | null;
  shipTo: string | null;
}

/** The hand-over document as a client sends it: every part optional, type and number together. */
export interface HandoverDocumentData {
  documentType?: HandoverDocumentType | null;
  documentNumber?: string | null;
  shippedAt?: Date | null;
  shipFrom?: string | null;
  shipTo?: string | null;
}

export interface TransferBatchData {
  batchId: string | number;
  toOperatorId: string | number;
  quantity: number;
  handover?: HandoverDocumentData | null;
}

export interface RecordLinkData {
  parentId: string | number;
  childId: string | number;
  kind: LinkKind;
  quantity: number;
}

/** What a delivery note prints: one hand-over into the receiver's lot, its document and the two parties' public names. */
export interface DeliveryNote {
  /** The receiver's lot: its public code is the note's address and its trace is what the QR opens. */
  receivedPublicCode: string;
  receivedLotCode: string;
  sentLotCode: string;
  productName: string;
  quantity: number;
  unit: QuantityUnit;
  senderName: string;
  receiverName: string;
  /** When the hand-over was recorded. */
  recordedAt: Date;
  /** The document's number is left out (null) unless the reader is a party to the hand-over or a regulator. */
  handover: HandoverDocument | null;
}
