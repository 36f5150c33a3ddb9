import type { LinkKind, ProductCategory, QuantityUnit } from '../entities/enums';

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

export interface TransferBatchData {
  batchId: string | number;
  toOperatorId: string | number;
  quantity: number;
}

export interface RecordLinkData {
  parentId: string | number;
  childId: string | number;
  kind: LinkKind;
  quantity: number;
}
