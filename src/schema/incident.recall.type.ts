import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type * as model from '../incident/recall-progress.model';
import { OperatorKind, QuantityUnit } from './enums';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'What one affected operator holds of a recall in one unit, and what it declared it did with it' })
export class RecallHolding implements model.RecallHolding {
  @Field(() => ID) operatorId!: number;
  @Field(() => String) operatorName!: string;
  @Field(() => OperatorKind) operatorKind!: OperatorKind;
  @Field(() => QuantityUnit) unit!: QuantityUnit;
  @Field(() => Int) batches!: number;
  @Field(() => Float, { description: 'What its recalled batches hold' }) held!: number;
  @Field(() => Float) returned!: number;
  @Field(() => Float) destroyed!: number;
  @Field(() => Float, { description: 'Already sold before the recall reached it' }) sold!: number;
  @Field(() => Float, { description: 'returned + destroyed + sold' }) accounted!: number;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => Date, { nullable: true, description: 'Its last disposition; null while the notice is unanswered' }) recordedAt!: Date | null;
}

@ObjectType()
export class RecallUnitProgress implements model.RecallUnitProgress {
  @Field(() => QuantityUnit) unit!: QuantityUnit;
  @Field(() => Float) held!: number;
  @Field(() => Float) accounted!: number;
  @Field(() => Float, { nullable: true, description: 'accounted / held' }) effectiveness!: number | null;
}

@ObjectType({ description: 'A recall and how far it has got: holdings, dispositions, effectiveness, closure' })
export class RecallProgress implements model.RecallProgress {
  @Field(() => ID) id!: number;
  @Field(() => ID) batchId!: number;
  @Field(() => String) batchCode!: string;
  @Field(() => String) productName!: string;
  @Field(() => String) lotCode!: string;
  @Field(() => String) reason!: string;
  @Field(() => Date) recalledAt!: Date;
  @Field(() => [RecallHolding]) holdings!: RecallHolding[];
  @Field(() => [RecallUnitProgress]) units!: RecallUnitProgress[];
  @Field(() => Float, { nullable: true, description: 'Share of the affected quantity accounted for (over several units, the lowest share)' }) effectiveness!: number | null;
  @Field(() => Int, { description: 'Holdings whose operator has declared a disposition' }) answered!: number;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  @Field(() => ID, { nullable: true }) closedById!: number | null;
  @Field(() => String, { nullable: true }) summary!: string | null;
}

@ObjectType()
export class RecallProgressEdge {
  @Field(() => String) cursor!: string;
  @Field(() => RecallProgress) node!: RecallProgress;
}

@ObjectType()
export class RecallProgressConnection {
  @Field(() => [RecallProgressEdge]) edges!: RecallProgressEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class RecallFilter {
  @Field(() => Boolean, { nullable: true, description: 'true: open recalls only; false: closed ones only' }) open?: boolean | null;
}

@InputType()
export class RecordRecallDispositionInput {
  @Field(() => ID) recallId!: string;
  @Field(() => ID) operatorId!: string;
  @Field(() => QuantityUnit) unit!: QuantityUnit;
  @Field(() => Float, { nullable: true }) returned?: number | null;
  @Field(() => Float, { nullable: true }) destroyed?: number | null;
  @Field(() => Float, { nullable: true }) sold?: number | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class CloseRecallInput {
  @Field(() => ID) recallId!: string;
  @Field(() => String) summary!: string;
}
