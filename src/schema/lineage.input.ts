import { Field, Float, ID, InputType } from 'type-graphql';
import type * as model from '../trace/lineage.model';
import { HandoverDocumentType, LinkKind, ProductCategory, QuantityUnit } from './enums';

@InputType()
export class SplitPartInput implements model.LineagePart {
  @Field(() => Float)
  quantity!: number;

  @Field(() => String, { nullable: true, description: "Defaults to the parent's lot code with /S and a serial" })
  lotCode?: string | null;
}

@InputType()
export class SplitBatchInput implements model.SplitBatchData {
  @Field(() => ID)
  batchId!: string;

  @Field(() => [SplitPartInput], { description: 'Together at most what remains of the batch' })
  parts!: SplitPartInput[];
}

@InputType()
export class LineageInput implements model.LineageInputData {
  @Field(() => ID)
  batchId!: string;

  @Field(() => Float, { nullable: true, description: 'Taken from the batch; a merge takes all that remains when omitted' })
  quantity?: number | null;
}

@InputType()
export class MergeBatchesInput implements model.MergeBatchesData {
  @Field(() => [LineageInput], { description: 'Two or more batches of one owner, category and unit' })
  inputs!: LineageInput[];

  @Field(() => String, { nullable: true, description: 'Required when the inputs are different products' })
  productName?: string | null;

  @Field(() => String, { nullable: true })
  lotCode?: string | null;
}

@InputType()
export class ProcessBatchesInput implements model.ProcessBatchesData {
  @Field(() => [LineageInput], { description: 'Batches of one owner, each with the quantity used' })
  inputs!: LineageInput[];

  @Field(() => String)
  productName!: string;

  @Field(() => ProductCategory)
  category!: ProductCategory;

  @Field(() => Float, { description: 'Output quantity, in the output unit' })
  quantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => String, { nullable: true })
  lotCode?: string | null;

  @Field(() => Date, { nullable: true, description: 'Defaults to now' })
  producedAt?: Date | null;

  @Field(() => String, { nullable: true, description: "Defaults to the processor's village" })
  originPlace?: string | null;

  @Field(() => String, { nullable: true })
  gtin?: string | null;
}

@InputType({ description: 'The document a hand-over travels under, when it was shipped and between which places; every part optional' })
export class HandoverDocumentInput implements model.HandoverDocumentData {
  @Field(() => HandoverDocumentType, { nullable: true, description: 'Given together with documentNumber' })
  documentType?: HandoverDocumentType | null;

  @Field(() => String, { nullable: true, description: 'The number printed on the document (1–64 characters)' })
  documentNumber?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the goods were shipped; not in the future' })
  shippedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'The place shipped from (≤ 300 characters)' })
  shipFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'The place shipped to (≤ 300 characters)' })
  shipTo?: string | null;
}

@InputType()
export class TransferBatchInput implements model.TransferBatchData {
  @Field(() => ID)
  batchId!: string;

  @Field(() => ID)
  toOperatorId!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => HandoverDocumentInput, { nullable: true, description: 'The document the goods travel under' })
  handover?: HandoverDocumentInput | null;
}

@InputType()
export class RecordBatchLinkInput implements model.RecordLinkData {
  @Field(() => ID)
  parentId!: string;

  @Field(() => ID)
  childId!: string;

  @Field(() => LinkKind, { description: 'SPLIT, MERGE or PROCESS; transfers go through transferBatch' })
  kind!: LinkKind;

  @Field(() => Float, { description: 'Taken from the parent' })
  quantity!: number;
}
