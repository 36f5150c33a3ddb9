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

  @Field(() => String, { nullable: true, description: 'The village a VILLAGE_ASSISTANT sees and inspects' })
  village!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When its token stops working; null: it does not expire' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked; a revoked account never signs in again' })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The last request made with its token, recorded at most once a minute' })
  lastUsedAt!: Date | null;
}

@ObjectType({ description: 'A new account and its bearer token, shown only this once' })
export class CreatedAccount {
  @Field(() => Account)
  account!: Account;

  @Field(() => String)
  token!: string;
}
