import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay page info for keyset pagination' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}
