import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { batchForViewer, createBatch } from '../registry/batch.service';
import { issueCertificate, revokeCertificate } from '../registry/certificate.service';
import { publicView } from '../registry/operator.model';
import { CreateBatchInput } from '../schema/batch.input';
import { Batch } from '../schema/batch.type';
import { IssueCertificateInput } from '../schema/certificate.input';
import { OriginCertificate } from '../schema/certificate.type';
import { PublicOperator } from '../schema/operator.type';
import * as v from '../validation';

@Resolver(() => Batch)
export class BatchResolver {
  @Authorized(Role.ADMIN, Role.OPERATOR)
  @Mutation(() => Batch, { description: 'Register a lot; an operator account only for its own operator' })
  async createBatch(@Ctx() ctx: Context, @Arg('input', () => CreateBatchInput) input: CreateBatchInput): Promise<Batch> {
    return Batch.from(await createBatch(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR, Role.GATE_STAFF)
  @Query(() => Batch, { description: "A batch by id; an operator account sees only its own operator's" })
  async batch(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Batch> {
    return Batch.from(await batchForViewer(ctx, v.id('id', id)));
  }

  @FieldResolver(() => PublicOperator)
  async owner(@Ctx() ctx: Context, @Root() batch: Batch): Promise<PublicOperator> {
    return PublicOperator.from(publicView((await ctx.loaders.operator.load(batch.ownerId))!));
  }

  @FieldResolver(() => [OriginCertificate])
  async certificates(@Ctx() ctx: Context, @Root() batch: Batch): Promise<OriginCertificate[]> {
    return (await ctx.loaders.certificatesByBatch.load(batch.id)).map(OriginCertificate.from);
  }

  @FieldResolver(() => String, { description: 'The URL its QR code encodes' })
  traceUrl(@Ctx() ctx: Context, @Root() batch: Batch): string {
    return `${ctx.config.publicUrl}/t/${batch.publicCode}`;
  }

  @Authorized(Role.ADMIN, Role.OPERATOR)
  @Mutation(() => OriginCertificate, { description: "Issue an origin certificate for one's own batch" })
  async issueCertificate(@Ctx() ctx: Context, @Arg('input', () => IssueCertificateInput) input: IssueCertificateInput): Promise<OriginCertificate> {
    return OriginCertificate.from(await issueCertificate(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Mutation(() => OriginCertificate)
  async revokeCertificate(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string): Promise<OriginCertificate> {
    return OriginCertificate.from(await revokeCertificate(ctx, id, reason));
  }
}
