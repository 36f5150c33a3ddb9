import { Field, ID, InputType } from 'type-graphql';
import { Role } from './enums';

@InputType()
export class CreateAccountInput {
  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => ID, { nullable: true, description: 'Required for GATE_STAFF' })
  marketId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Required for OPERATOR' })
  operatorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Required for VILLAGE_ASSISTANT: the village it sees and inspects' })
  village?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the token stops working; default TOKEN_DEFAULT_TTL_DAYS from now when set, else never' })
  expiresAt?: Date | null;
}
