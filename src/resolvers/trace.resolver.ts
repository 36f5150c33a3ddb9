import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { notFound } from '../errors';
import { InitiateRecallInput } from '../schema/recall.input';
import { RecallImpact } from '../schema/recall.type';
import { ForwardTrace, LineageGraph, Trace } from '../schema/trace.type';
import { publicEpcisDocument, type EpcisDocument } from '../trace/epcis.service';
import { initiateRecall } from '../trace/recall.service';
import { publicTrace, traceBackward, traceForward } from '../trace/trace.service';
import * as v from '../validation';

@Resolver()
export class TraceResolver {
  @Query(() => Trace, { description: 'The whole upstream chain of a public code; anyone may ask' })
  async trace(@Ctx() ctx: Context, @Arg('code', () => String) code: string): Promise<Trace> {
    const result = await publicTrace(ctx, code.trim());
    if (!result) throw notFound('Trace code');
    return result;
  }

  @Query(() => GraphQLJSONObject, { description: 'The chain of a public code as an EPCIS 2.0 JSON-LD document (GS1); anyone may ask' })
  async epcisDocument(@Ctx() ctx: Context, @Arg('code', () => String) code: string): Promise<EpcisDocument> {
    const doc = await publicEpcisDocument(ctx, code.trim());
    if (!doc) throw notFound('Trace code');
    return doc;
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => LineageGraph, { description: 'Everything a batch came from, within the bounds' })
  async traceBackward(
    @Ctx() ctx: Context,
    @Arg('batchId', () => ID) batchId: string,
    @Arg('maxDepth', () => Int, { nullable: true, description: 'Default 50, at most 500' }) maxDepth?: number | null,
    @Arg('maxNodes', () => Int, { nullable: true, description: 'Default 1000, at most 10000' }) maxNodes?: number | null,
  ): Promise<LineageGraph> {
    return traceBackward(ctx, v.id('batchId', batchId), { maxDepth, maxNodes });
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => ForwardTrace, { description: 'Everything made from a batch, who holds it and which markets it reached' })
  async traceForward(
    @Ctx() ctx: Context,
    @Arg('batchId', () => ID) batchId: string,
    @Arg('maxDepth', () => Int, { nullable: true, description: 'Default 50, at most 500' }) maxDepth?: number | null,
    @Arg('maxNodes', () => Int, { nullable: true, description: 'Default 1000, at most 10000' }) maxNodes?: number | null,
  ): Promise<ForwardTrace> {
    return traceForward(ctx, v.id('batchId', batchId), { maxDepth, maxNodes });
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => RecallImpact, { description: 'Recall a batch and every descendant; the same batch again changes nothing' })
  async initiateRecall(@Ctx() ctx: Context, @Arg('input', () => InitiateRecallInput) input: InitiateRecallInput): Promise<RecallImpact> {
    const { impact, created } = await initiateRecall(ctx, input);
    return { ...impact, created };
  }
}
