import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { CanteenReceiptModel, CanteenSampleModel, ReceivingReason as ReceivingReasonModel } from '../canteen/canteen.model';
import { Meal, QuantityUnit, ReceivingLight } from './enums';

@ObjectType()
export class ReceivingReason implements ReceivingReasonModel {
  @Field(() => String) code!: string;
  @Field(() => String) zh!: string;
  @Field(() => String) en!: string;
}

@ObjectType({ description: "A delivery at a canteen's receiving check; a row of its receiving ledger" })
export class CanteenReceipt implements Omit<CanteenReceiptModel, 'id' | 'canteenId' | 'batchId' | 'receivedBatchId'> {
  @Field(() => ID) id!: string;
  @Field(() => ID) canteenId!: string;
  @Field(() => String) codeScanned!: string;
  @Field(() => ID, { nullable: true }) batchId!: string | null;
  @Field(() => String, { nullable: true }) productName!: string | null;
  @Field(() => String, { nullable: true }) lotCode!: string | null;
  @Field(() => String, { nullable: true }) producerName!: string | null;
  @Field(() => Float) declaredQuantity!: number;
  @Field(() => QuantityUnit) unit!: QuantityUnit;
  @Field(() => ReceivingLight) light!: ReceivingLight;
  @Field(() => [ReceivingReason]) reasons!: ReceivingReason[];
  @Field(() => ID, { nullable: true, description: "The canteen's lot the delivery became (none when refused)" }) receivedBatchId!: string | null;
  @Field(() => Date) createdAt!: Date;

  static from(r: CanteenReceiptModel): CanteenReceipt {
    const id = (x: number | null) => (x === null ? null : String(x));
    return Object.assign(new CanteenReceipt(), {
      ...r, id: String(r.id), canteenId: String(r.canteenId), batchId: id(r.batchId), receivedBatchId: id(r.receivedBatchId),
      reasons: r.reasons.map((x) => Object.assign(new ReceivingReason(), x)),
    });
  }
}

@ObjectType({ description: 'A retained sample (留样) of one dish' })
export class CanteenSample implements Omit<CanteenSampleModel, 'id' | 'canteenId'> {
  @Field(() => ID) id!: string;
  @Field(() => ID) canteenId!: string;
  @Field(() => String) dish!: string;
  @Field(() => Meal) meal!: Meal;
  @Field(() => Float) grams!: number;
  @Field(() => String) keptBy!: string;
  @Field(() => Date) keptAt!: Date;
  @Field(() => Date, { description: 'When it may be discarded (48 hours after it was kept)' }) discardAfter!: Date;

  static from(s: CanteenSampleModel): CanteenSample {
    return Object.assign(new CanteenSample(), { ...s, id: String(s.id), canteenId: String(s.canteenId) });
  }
}
