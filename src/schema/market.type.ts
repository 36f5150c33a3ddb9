import { Field, ID, ObjectType } from 'type-graphql';
import type { Market as MarketEntity } from '../entities/market.entity';

@ObjectType()
export class Market {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => String, { nullable: true })
  address!: string | null;

  static from(m: MarketEntity): Market {
    return Object.assign(new Market(), { id: m.id, name: m.name, village: m.village, address: m.address });
  }
}
