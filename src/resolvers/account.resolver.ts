import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { createAccount } from '../auth/account.service';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { CreateAccountInput } from '../schema/account.input';
import { Account, CreatedAccount } from '../schema/account.type';

@Resolver(() => Account)
export class AccountResolver {
  @Authorized(Role.ADMIN)
  @Mutation(() => CreatedAccount, { description: 'Create an account; its token is shown only in this answer' })
  async createAccount(@Ctx() ctx: Context, @Arg('input', () => CreateAccountInput) input: CreateAccountInput): Promise<CreatedAccount> {
    return createAccount(ctx, input);
  }

  @Authorized()
  @Query(() => Account, { description: 'The signed-in account' })
  me(@Ctx() ctx: Context): Account {
    const v = ctx.viewer;
    return { id: v.accountId!, name: v.name!, role: v.role!, marketId: v.marketId, operatorId: v.operatorId };
  }
}
