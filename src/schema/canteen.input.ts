import { Field, Float, ID, InputType } from 'type-graphql';
import { Meal, QuantityUnit } from './enums';

@InputType({ description: "One delivery scanned at a canteen's receiving check" })
export class ReceiveDeliveryInput {
  @Field(() => ID) canteenId!: string;
  @Field(() => String, { description: "The lot's public code, its QR URL (…/t/CODE) or a GS1 Digital Link" }) code!: string;
  @Field(() => Float) quantity!: number;
  @Field(() => QuantityUnit) unit!: QuantityUnit;
  @Field(() => String, { nullable: true, description: 'The device\'s idempotency key: a retried request records the delivery once and gets the first answer' })
  clientKey?: string | null;
}

@InputType({ description: "A staff member's morning health check (晨检), today; one per person per day" })
export class MorningCheckInput {
  @Field(() => ID) canteenId!: string;
  @Field(() => String) staffName!: string;
  @Field(() => Float, { description: 'Body temperature in °C' }) temperature!: number;
  @Field(() => [String], { nullable: true, description: 'Symptom codes: DIARRHOEA, VOMITING, JAUNDICE, SORE_THROAT, COUGH, HAND_WOUND' }) symptoms?: string[] | null;
  @Field(() => Boolean, { description: 'A fever (from 37.3 °C) or any symptom means false' }) fitForWork!: boolean;
  @Field(() => String, { description: 'Who made the check' }) checkedBy!: string;
  @Field(() => String, { description: 'The device\'s idempotency key: a retry records the check once' }) clientKey!: string;
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
