import { Field, InputType } from 'type-graphql';

@InputType()
export class RegisterMarketInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  village?: string | null;

  @Field(() => String, { nullable: true })
  address?: string | null;
}
