import { Field, ID, ObjectType } from 'type-graphql';
import type { Market as MarketModel } from '../registry/market.model';

@ObjectType()
export class Market implements MarketModel {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => String, { nullable: true })
  address!: string | null;

  static from(m: MarketModel): Market {
    return Object.assign(new Market(), { id: m.id, name: m.name, village: m.village, address: m.address });
  }
}
