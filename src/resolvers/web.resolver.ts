import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { publicOperatorCard } from '../credit/operator-card';
import { OperatorCard } from '../schema/operator-card.type';
import { PublicOperator } from '../schema/operator.type';
import * as v from '../validation';
import { marketVendors } from '../registry/market.service';

/** Queries the server-rendered pages and the gate scanner need. */
@Resolver()
export class WebResolver {
  @Authorized(Role.GATE_STAFF, Role.ADMIN, Role.REGULATOR)
  @Query(() => [PublicOperator], { description: 'Vendors a gate of this market may hand a load to (active market vendors, by name)' })
  async marketVendors(@Ctx() ctx: Context, @Arg('marketId', () => ID) marketId: string): Promise<PublicOperator[]> {
    const id = v.id('marketId', marketId);
    return (await marketVendors(ctx, id)).map((o) => PublicOperator.from(o));
  }

  @Query(() => OperatorCard, { nullable: true, description: "A registration card as its QR page shows it (`/o/:code`); null for an unknown code; public" })
  operatorCard(@Ctx() ctx: Context, @Arg('code', () => String) code: string): Promise<OperatorCard | null> {
    return publicOperatorCard(ctx, code);
  }
}
