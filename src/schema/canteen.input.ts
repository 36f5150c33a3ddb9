import { Field, Float, ID, InputType } from 'type-graphql';
import { Meal, QuantityUnit } from './enums';

@InputType({ description: "One delivery scanned at a canteen's receiving check" })
export class ReceiveDeliveryInput {
  @Field(() => ID) canteenId!: string;
  @Field(() => String, { description: "The lot's public code, its QR URL (…/t/CODE) or a GS1 Digital Link" }) code!: string;
  @Field(() => Float) quantity!: number;
  @Field(() => QuantityUnit) unit!: QuantityUnit;
}

@InputType({ description: 'A retained sample: at least 125 g, kept 48 hours' })
export class CanteenSampleInput {
  @Field(() => ID) canteenId!: string;
  @Field(() => String) dish!: string;
  @Field(() => Meal) meal!: Meal;
  @Field(() => Float) grams!: number;
  @Field(() => String) keptBy!: string;
  @Field(() => Date, { nullable: true, description: 'When it was sealed; now when left out' }) keptAt?: Date | null;
}
