import { Field, InputType } from 'type-graphql';
import { Grade, OperatorKind, OperatorStatus } from './enums';

@InputType()
export class RegisterOperatorInput {
  @Field(() => OperatorKind)
  kind!: OperatorKind;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'GB 32100 unified social credit code; without it a card kind gets a town registration card' })
  creditCode?: string | null;

  @Field(() => String, { nullable: true })
  village?: string | null;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true })
  contactPerson?: string | null;

  @Field(() => String, { nullable: true })
  contactPhone?: string | null;
}

@InputType()
export class OperatorFilter {
  @Field(() => OperatorKind, { nullable: true })
  kind?: OperatorKind | null;

  @Field(() => OperatorStatus, { nullable: true })
  status?: OperatorStatus | null;

  @Field(() => Grade, { nullable: true })
  grade?: Grade | null;

  @Field(() => String, { nullable: true })
  village?: string | null;

  @Field(() => String, { nullable: true })
  nameContains?: string | null;
}
