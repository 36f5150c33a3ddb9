import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { closeRecall, getRecall, listRecalls, recordRecallDisposition } from '../incident/recall-progress.service';
import { encodeCursor } from '../registry/pagination';
import { CloseRecallInput, RecallFilter, RecallProgress, RecallProgressConnection, RecordRecallDispositionInput } from '../schema/incident.recall.type';
import * as v from '../validation';

const progress = (p: RecallProgress) => Object.assign(new RecallProgress(), p);

@Resolver(() => RecallProgress)
export class RecallProgressResolver {
  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Query(() => RecallProgressConnection, { description: 'Recalls newest first with their progress; keyset pagination, first ≤ 20' })
  async recalls(
    @Ctx() ctx: Context,
    @Arg('filter', () => RecallFilter, { nullable: true }) filter: RecallFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<RecallProgressConnection> {
    const page = await listRecalls(ctx, { open: filter?.open ?? null }, v.pageSize('first', first, 10, 20), after);
    return {
      edges: page.nodes.map((r) => ({ cursor: encodeCursor(r.id), node: progress(r) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized()
  @Query(() => RecallProgress, { description: "A recall's progress: the office sees every holding, an affected operator its own, a market's gate staff its vendors'" })
  async recall(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<RecallProgress> {
    return progress(await getRecall(ctx, id));
  }

  @Authorized()
  @Mutation(() => RecallProgress, { description: 'An affected operator declares what it did with what it held (its own operator, or the office)' })
  async recordRecallDisposition(@Ctx() ctx: Context, @Arg('input', () => RecordRecallDispositionInput) input: RecordRecallDispositionInput): Promise<RecallProgress> {
    return progress(await recordRecallDisposition(ctx, input));
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => RecallProgress, { description: 'Close a recall with a summary, once' })
  async closeRecall(@Ctx() ctx: Context, @Arg('input', () => CloseRecallInput) input: CloseRecallInput): Promise<RecallProgress> {
    return progress(await closeRecall(ctx, input));
  }
}
