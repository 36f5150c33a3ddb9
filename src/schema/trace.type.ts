import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import {
  GateDecision, HandoverDocumentType, InspectionKind, LinkKind, QuantityUnit, TestResult,
} from './enums';
import { PublicOperator } from './operator.type';
import type * as model from '../trace/trace.model';
import type { HandoverDocument as HandoverDocumentModel } from '../trace/lineage.model';
import { BatchFields, CertificateTermsFields, InspectionItemFields } from './shared-fields.type';
import { PublicItems, SignedInOnly } from './field-access';

@ObjectType({ description: 'A recall started on one batch; the batch and every descendant are RECALLED' })
export class TraceRecall implements model.TraceRecall {
  @Field(() => ID)
  id!: number;

  @Field(() => ID, { description: 'The batch the recall was started on' })
  batchId!: number;

  @Field(() => String, { description: 'Public code of that batch' })
  batchCode!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Date)
  recalledAt!: Date;
}

@ObjectType({ description: 'A batch in a lineage walk, with its owner as the public sees it' })
export class TraceBatch extends BatchFields implements model.TraceBatch {
  @Field(() => Float)
  remaining!: number;

  /** Exact to a thousandth of the unit (the gram of a kilogram), not a float difference. */
  @Field(() => Float, { description: 'Taken by splits, merges, processing and transfers (quantity − remaining)' })
  consumed!: number;

  @Field(() => Int, { description: 'Fewest links between this batch and the one traced (0 for itself)' })
  depth!: number;

  @Field(() => PublicOperator)
  owner!: PublicOperator;

  @Field(() => TraceRecall, { nullable: true, description: 'A recall started on this very batch' })
  recall!: TraceRecall | null;
}

@ObjectType({ description: 'The document a hand-over travelled under, when it was shipped, from where and to where' })
export class HandoverDocument implements HandoverDocumentModel {
  @Field(() => HandoverDocumentType, { nullable: true })
  documentType!: HandoverDocumentType | null;

  /** A business document's number: the parties and the regulators read it, the public view does not (SECURITY.md). */
  @SignedInOnly(null)
  @Field(() => String, { nullable: true, description: 'Null for anonymous callers' })
  documentNumber!: string | null;

  @Field(() => Date, { nullable: true })
  shippedAt!: Date | null;

  @Field(() => String, { nullable: true })
  shipFrom!: string | null;

  @Field(() => String, { nullable: true })
  shipTo!: string | null;
}

@ObjectType({ description: 'A lineage link parent → child; quantity is what was taken from the parent, in its unit' })
export class TraceLink implements model.TraceLink {
  @Field(() => ID)
  parentId!: number;

  @Field(() => ID)
  childId!: number;

  @Field(() => LinkKind)
  kind!: LinkKind;

  @Field(() => Float)
  quantity!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => HandoverDocument, { nullable: true, description: "A TRANSFER's document, shipping date and places, when the sender gave them" })
  handover!: HandoverDocument | null;
}

@ObjectType({ description: 'An origin certificate of a batch in the chain' })
export class TraceCertificate extends CertificateTermsFields implements model.TraceCertificate {
  @Field(() => ID)
  batchId!: number;

  @Field(() => ID)
  issuerId!: number;

  @Field(() => Float)
  quantityAdmitted!: number;
}

@ObjectType()
export class TraceInspectionItem extends InspectionItemFields implements model.TraceInspectionItem {
}

@ObjectType({ description: 'A rapid or lab test of a batch in the chain' })
export class TraceInspection implements model.TraceInspection {
  @Field(() => ID)
  id!: number;

  @Field(() => ID)
  batchId!: number;

  @Field(() => InspectionKind)
  kind!: InspectionKind;

  @Field(() => [TraceInspectionItem])
  items!: TraceInspectionItem[];

  @Field(() => TestResult)
  result!: TestResult;

  /** A person's name: the public page leaves it out. */
  @SignedInOnly('')
  @Field(() => String, { description: 'Who tested; empty for anonymous callers' })
  tester!: string;

  @Field(() => ID, { nullable: true })
  marketId!: number | null;

  @Field(() => String, { nullable: true })
  marketName!: string | null;

  @Field(() => Date)
  inspectedAt!: Date;
}

@ObjectType({ description: 'A gate scan of a batch in the chain' })
export class TraceMarketEntry implements model.TraceMarketEntry {
  @Field(() => ID)
  id!: number;

  @Field(() => ID, { nullable: true, description: 'The batch scanned at the gate' })
  batchId!: number | null;

  @Field(() => ID, { nullable: true, description: "The vendor's batch created when the load was accepted" })
  receivedBatchId!: number | null;

  @Field(() => ID)
  marketId!: number;

  @Field(() => String)
  marketName!: string;

  @Field(() => ID)
  vendorId!: number;

  @Field(() => String)
  vendorName!: string;

  @Field(() => Float)
  declaredQuantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => GateDecision)
  decision!: GateDecision;

  @Field(() => Date)
  at!: Date;
}

@ObjectType({ description: 'The whole upstream chain of a public code' })
export class Trace implements model.Trace {
  @Field(() => String)
  code!: string;

  @Field(() => String, { description: 'The URL the batch QR code encodes' })
  url!: string;

  @Field(() => TraceBatch)
  batch!: TraceBatch;

  @Field(() => String, { nullable: true })
  origin!: string | null;

  /** Among origin lots of equal depth, the one with the lowest id. */
  @Field(() => PublicOperator, { description: 'Owner of the origin lot (the deepest upstream batch without parents)' })
  producer!: PublicOperator;

  /** Each owner once. */
  @Field(() => [PublicOperator], { description: 'Owners of every upstream batch without parents, deepest first' })
  producers!: PublicOperator[];

  @Field(() => [TraceBatch], { description: 'The batch and every upstream batch, by depth then id' })
  nodes!: TraceBatch[];

  @Field(() => [TraceLink])
  edges!: TraceLink[];

  @Field(() => [TraceCertificate])
  certificates!: TraceCertificate[];

  @Field(() => [TraceInspection])
  inspections!: TraceInspection[];

  /** The public page shows only the entries through which a lot of the chain was received, not refused loads. */
  @PublicItems((e: model.TraceMarketEntry) => e.receivedBatchId !== null)
  @Field(() => [TraceMarketEntry], { description: 'Gate entries of the chain; anonymous callers get only those through which a lot of the chain was received' })
  marketEntries!: TraceMarketEntry[];

  @Field(() => Boolean)
  recalled!: boolean;

  @Field(() => TraceRecall, { nullable: true, description: 'The recall covering this batch: on it or on its nearest recalled ancestor' })
  recall!: TraceRecall | null;

  @Field(() => Boolean, { description: 'The chain was longer than the public bounds and was cut' })
  truncated!: boolean;
}

@ObjectType({ description: 'A bounded walk of the lineage graph from one batch' })
export class LineageGraph implements model.LineageGraph {
  @Field(() => TraceBatch)
  batch!: TraceBatch;

  @Field(() => [TraceBatch])
  nodes!: TraceBatch[];

  @Field(() => [TraceLink])
  edges!: TraceLink[];

  @Field(() => Boolean, { description: 'Some batches lie beyond maxDepth or maxNodes and were left out' })
  truncated!: boolean;

  @Field(() => Int)
  maxDepth!: number;

  @Field(() => Int)
  maxNodes!: number;
}

@ObjectType()
export class UnitQuantity implements model.UnitQuantity {
  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => Int)
  batches!: number;

  @Field(() => Float, { description: 'What those batches still hold' })
  onHand!: number;
}

@ObjectType()
export class AffectedMarket implements model.AffectedMarket {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  entries!: number;

  @Field(() => Int)
  accepted!: number;
}

@ObjectType()
export class AffectedOperator extends PublicOperator implements model.AffectedOperator {
  @Field(() => Int, { description: 'Affected batches this operator owns' })
  batches!: number;
}

@ObjectType({ description: 'Everything made from a batch and where it went; the aggregates cover every descendant within maxDepth, not only the maxNodes listed' })
export class ForwardTrace extends LineageGraph implements model.ForwardTrace {
  @Field(() => Int, { description: 'The batch and every descendant within maxDepth' })
  totalBatches!: number;

  @Field(() => [AffectedOperator], { description: 'Owners of the batch and every descendant' })
  affectedOperators!: AffectedOperator[];

  @Field(() => [AffectedMarket], { description: 'Markets where any of them was scanned at the gate' })
  markets!: AffectedMarket[];

  @Field(() => Int, { description: 'Gate entries of the batch and every descendant' })
  entryCount!: number;

  @Field(() => [UnitQuantity], { description: 'What the batch and every descendant still hold, per unit' })
  quantities!: UnitQuantity[];

  @Field(() => [TraceMarketEntry], { description: 'Gate entries of the listed nodes' })
  marketEntries!: TraceMarketEntry[];

  @Field(() => [TraceInspection], { description: 'Tests of the listed nodes' })
  inspections!: TraceInspection[];
}
