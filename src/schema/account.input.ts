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
}
