import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type {
  CanteenOverviewModel, CanteenReceiptModel, CanteenSampleModel, MorningCheckModel, ReceivingReason as ReceivingReasonModel,
} from '../canteen/canteen.model';
import { InspectionOutcome, Meal, QuantityUnit, ReceivingLight } from './enums';

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
  @Field(() => Boolean, { description: 'Its 48 hours have passed: it may be discarded now' }) mayDiscard!: boolean;

  static from(s: CanteenSampleModel & { mayDiscard?: boolean }, now = new Date()): CanteenSample {
    return Object.assign(new CanteenSample(), {
      ...s, id: String(s.id), canteenId: String(s.canteenId), mayDiscard: s.mayDiscard ?? s.discardAfter.getTime() <= now.getTime(),
    });
  }
}

@ObjectType({ description: "A staff member's morning health check (晨检)" })
export class MorningCheck implements Omit<MorningCheckModel, 'id' | 'canteenId'> {
  @Field(() => ID) id!: string;
  @Field(() => ID) canteenId!: string;
  @Field(() => String, { description: 'YYYY-MM-DD, in the county\'s time zone' }) checkedOn!: string;
  @Field(() => String) staffName!: string;
  @Field(() => Float) temperature!: number;
  @Field(() => [String]) symptoms!: string[];
  @Field(() => Boolean) fitForWork!: boolean;
  @Field(() => String) checkedBy!: string;
  @Field(() => Date) createdAt!: Date;

  static from(m: MorningCheckModel): MorningCheck {
    return Object.assign(new MorningCheck(), { ...m, id: String(m.id), canteenId: String(m.canteenId) });
  }
}

@ObjectType()
export class CanteenLatestInspection {
  @Field(() => ID) id!: string;
  @Field(() => Date) inspectedAt!: Date;
  @Field(() => InspectionOutcome) outcome!: InspectionOutcome;
}

@ObjectType({ description: 'What the regulator sees of one canteen' })
export class CanteenOverview implements Omit<CanteenOverviewModel, 'canteenId' | 'latestInspection'> {
  @Field(() => ID) canteenId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) village!: string | null;
  @Field(() => String, { description: 'This month, YYYY-MM' }) month!: string;
  @Field(() => Int, { description: 'Deliveries checked this month' }) receipts!: number;
  @Field(() => Int) green!: number;
  @Field(() => Int) amber!: number;
  @Field(() => Int) red!: number;
  @Field(() => Int, { description: 'Samples still within their 48 hours' }) samplesKept!: number;
  @Field(() => Int, { description: 'Samples past their 48 hours: may be discarded' }) samplesMayDiscard!: number;
  @Field(() => String, { description: 'Today, YYYY-MM-DD' }) today!: string;
  @Field(() => Int) morningChecksToday!: number;
  @Field(() => Int) unfitToday!: number;
  @Field(() => Int) morningChecksThisMonth!: number;
  @Field(() => CanteenLatestInspection, { nullable: true, description: 'The latest field inspection and its outcome' }) latestInspection!: CanteenLatestInspection | null;

  static from(o: CanteenOverviewModel): CanteenOverview {
    return Object.assign(new CanteenOverview(), {
      ...o, canteenId: String(o.canteenId),
      latestInspection: o.latestInspection && Object.assign(new CanteenLatestInspection(), { ...o.latestInspection, id: String(o.latestInspection.id) }),
    });
  }
}
