import type { BatchStatus, ProductCategory, QuantityUnit } from '../entities/enums';

/** What every view of a lot tells about it, whoever reads it. */
export interface BatchFacts {
  id: number;
  publicCode: string;
  productName: string;
  category: ProductCategory;
  lotCode: string;
  quantity: number;
  /** What is left after splits, transfers, merges and processing. */
  remaining: number;
  unit: QuantityUnit;
  producedAt: Date;
  originPlace: string | null;
  gtin: string | null;
  status: BatchStatus;
  /** A test failed on this lot. */
  nonConformant: boolean;
  createdAt: Date;
}

/** A lot as its owner, regulators and gate staff see it. */
export interface Batch extends BatchFacts {
  ownerId: number;
}
