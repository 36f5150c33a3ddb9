import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { Batch } from '../schema/batch.type';
import { MergeBatchesInput, ProcessBatchesInput, RecordBatchLinkInput, SplitBatchInput, TransferBatchInput } from '../schema/lineage.input';
import { ProcessResult } from '../schema/lineage.type';
import { TraceLink } from '../schema/trace.type';
import { mergeBatches, processBatches, recordBatchLink, splitBatch, transferBatch } from '../trace/lineage.service';

/** Lineage steps: an operator account for its own batches, regulators and admins for any. */
@Resolver()
export class LineageResolver {
  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => [Batch], { description: 'Split a lot into parts for the same owner' })
  async splitBatch(@Ctx() ctx: Context, @Arg('input', () => SplitBatchInput) input: SplitBatchInput): Promise<Batch[]> {
    return (await splitBatch(ctx, input)).map(Batch.from);
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => Batch, { description: 'Merge lots of one owner, category and unit into a new lot' })
  async mergeBatches(@Ctx() ctx: Context, @Arg('input', () => MergeBatchesInput) input: MergeBatchesInput): Promise<Batch> {
    return Batch.from(await mergeBatches(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => ProcessResult, { description: 'Turn inputs into a new product (units may change); the yield is recorded' })
  async processBatches(@Ctx() ctx: Context, @Arg('input', () => ProcessBatchesInput) input: ProcessBatchesInput): Promise<ProcessResult> {
    const r = await processBatches(ctx, input);
    return Object.assign(new ProcessResult(), { ...r, batch: Batch.from(r.batch) });
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => Batch, { description: "Hand part of a lot to another operator; returns the receiver's new batch" })
  async transferBatch(@Ctx() ctx: Context, @Arg('input', () => TransferBatchInput) input: TransferBatchInput): Promise<Batch> {
    return Batch.from(await transferBatch(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => TraceLink, { description: 'Record a link between two existing lots of one owner; a cycle is refused' })
  async recordBatchLink(@Ctx() ctx: Context, @Arg('input', () => RecordBatchLinkInput) input: RecordBatchLinkInput): Promise<TraceLink> {
    return Object.assign(new TraceLink(), await recordBatchLink(ctx, input));
  }
}
