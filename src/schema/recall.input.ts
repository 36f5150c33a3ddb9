import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class InitiateRecallInput {
  @Field(() => ID)
  batchId!: string;

  @Field(() => String)
  reason!: string;
}
