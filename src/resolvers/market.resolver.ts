import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { getMarket, registerMarket } from '../registry/market.service';
import { RegisterMarketInput } from '../schema/market.input';
import { Market } from '../schema/market.type';
import * as v from '../validation';

@Resolver(() => Market)
export class MarketResolver {
  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => Market)
  async registerMarket(@Ctx() ctx: Context, @Arg('input', () => RegisterMarketInput) input: RegisterMarketInput): Promise<Market> {
    return Market.from(await registerMarket(ctx, input));
  }

  @Query(() => Market, { description: 'A market, public' })
  async market(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Market> {
    return Market.from(await getMarket(ctx, v.id('id', id)));
  }
}
