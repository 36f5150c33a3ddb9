import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { EpcisDirection } from '../schema/epcis.type';
import { lineageEpcisDocument, type EpcisDocument } from '../trace/epcis.service';
import * as v from '../validation';

@Resolver()
export class EpcisResolver {
  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => GraphQLJSONObject, {
    description:
      "A GS1 EPCIS 2.0 JSON-LD EPCISDocument of a batch's lineage (backward, forward or both) within the regulator trace bounds; also GET /epcis/batches/{id}.jsonld",
  })
  async epcisLineage(
    @Ctx() ctx: Context,
    @Arg('batchId', () => ID) batchId: string,
    @Arg('direction', () => EpcisDirection, { defaultValue: EpcisDirection.BOTH }) direction: EpcisDirection,
    @Arg('maxDepth', () => Int, { nullable: true, description: 'Default 50, at most 500' }) maxDepth?: number | null,
    @Arg('maxNodes', () => Int, { nullable: true, description: 'Default 1000, at most 10000 (per direction)' }) maxNodes?: number | null,
  ): Promise<EpcisDocument> {
    return lineageEpcisDocument(ctx, v.id('batchId', batchId), direction, { maxDepth, maxNodes });
  }
}
