import { Field, ID, ObjectType } from 'type-graphql';
import type { AccountModel } from '../auth/account.model';
import { Role } from './enums';

@ObjectType()
export class Account implements AccountModel {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => ID, { nullable: true })
  marketId!: number | null;

  @Field(() => ID, { nullable: true })
  operatorId!: number | null;
}

@ObjectType({ description: 'A new account and its bearer token, shown only this once' })
export class CreatedAccount {
  @Field(() => Account)
  account!: Account;

  @Field(() => String)
  token!: string;
}
