import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { createAccount, ownAccount, revokeAccount, rotateAccountToken } from '../auth/account.service';
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

  @Authorized(Role.ADMIN)
  @Mutation(() => Account, { description: 'Revoke an account: its token stops working at once, for good' })
  async revokeAccount(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Account> {
    return revokeAccount(ctx, id);
  }

  @Authorized()
  @Mutation(() => CreatedAccount, {
    description: "A new token for an account, shown only in this answer; the old one stops working at once. Admins rotate any account's and may set its expiry; others their own",
  })
  async rotateAccountToken(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('expiresAt', () => Date, { nullable: true, description: 'Admins only; default: TOKEN_DEFAULT_TTL_DAYS from now when set, else the expiry it had' }) expiresAt: Date | null,
  ): Promise<CreatedAccount> {
    return rotateAccountToken(ctx, id, expiresAt ?? null);
  }

  @Authorized()
  @Query(() => Account, { description: 'The signed-in account' })
  me(@Ctx() ctx: Context): Promise<Account> {
    return ownAccount(ctx);
  }
}
