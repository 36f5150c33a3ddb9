import { Field, Float, ID, InputType } from 'type-graphql';
import { ProductCategory, QuantityUnit } from './enums';

@InputType()
export class CreateBatchInput {
  @Field(() => ID)
  ownerId!: string;

  @Field(() => String)
  productName!: string;

  @Field(() => ProductCategory)
  category!: ProductCategory;

  @Field(() => String, { description: 'Unique per owner' })
  lotCode!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => QuantityUnit)
  unit!: QuantityUnit;

  @Field(() => Date, { description: 'Produced or harvested at; not in the future' })
  producedAt!: Date;

  @Field(() => String, { nullable: true, description: "Defaults to the owner's village" })
  originPlace?: string | null;

  @Field(() => String, { nullable: true, description: 'GTIN-8/12/13/14 for GS1 Digital Link' })
  gtin?: string | null;
}
