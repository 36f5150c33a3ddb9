import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role, type BatchStatus, type LinkKind, type ProductCategory, type QuantityUnit } from '../entities/enums';
import { Batch } from '../schema/batch.type';
import { MergeBatchesInput, ProcessBatchesInput, RecordBatchLinkInput, SplitBatchInput, TransferBatchInput } from '../schema/lineage.input';
import { ProcessResult } from '../schema/lineage.type';
import { TraceLink } from '../schema/trace.type';
import { mergeBatches, processBatches, recordBatchLink, splitBatch, transferBatch, type BatchRow } from '../trace/lineage.service';

function batchFromRow(r: BatchRow): Batch {
  return Object.assign(new Batch(), {
    id: r.id,
    ownerId: r.owner_id,
    productName: r.product_name,
    category: r.category as ProductCategory,
    lotCode: r.lot_code,
    quantity: Number(r.quantity),
    remaining: Number(r.remaining),
    unit: r.unit as QuantityUnit,
    producedAt: new Date(r.produced_at),
    originPlace: r.origin_place,
    gtin: r.gtin,
    publicCode: r.public_code,
    status: r.status as BatchStatus,
    nonConformant: r.non_conformant,
    createdAt: new Date(r.created_at),
  });
}

/** Lineage steps: an operator account for its own batches, regulators and admins for any. */
@Resolver()
export class LineageResolver {
  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => [Batch], { description: 'Split a lot into parts for the same owner' })
  async splitBatch(@Ctx() ctx: Context, @Arg('input', () => SplitBatchInput) input: SplitBatchInput): Promise<Batch[]> {
    return (await splitBatch(ctx, input)).map(batchFromRow);
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => Batch, { description: 'Merge lots of one owner, category and unit into a new lot' })
  async mergeBatches(@Ctx() ctx: Context, @Arg('input', () => MergeBatchesInput) input: MergeBatchesInput): Promise<Batch> {
    return batchFromRow(await mergeBatches(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => ProcessResult, { description: 'Turn inputs into a new product (units may change); the yield is recorded' })
  async processBatches(@Ctx() ctx: Context, @Arg('input', () => ProcessBatchesInput) input: ProcessBatchesInput): Promise<ProcessResult> {
    const r = await processBatches(ctx, input);
    return Object.assign(new ProcessResult(), { batch: batchFromRow(r.batch), inputQuantity: r.inputQuantity, inputUnit: r.inputUnit as QuantityUnit | null, yield: r.yield });
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => Batch, { description: "Hand part of a lot to another operator; returns the receiver's new batch" })
  async transferBatch(@Ctx() ctx: Context, @Arg('input', () => TransferBatchInput) input: TransferBatchInput): Promise<Batch> {
    return batchFromRow(await transferBatch(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => TraceLink, { description: 'Record a link between two existing lots of one owner; a cycle is refused' })
  async recordBatchLink(@Ctx() ctx: Context, @Arg('input', () => RecordBatchLinkInput) input: RecordBatchLinkInput): Promise<TraceLink> {
    const l = await recordBatchLink(ctx, input);
    return Object.assign(new TraceLink(), { parentId: l.parent_id, childId: l.child_id, kind: l.kind as LinkKind, quantity: Number(l.quantity), createdAt: new Date(l.created_at) });
  }
}
