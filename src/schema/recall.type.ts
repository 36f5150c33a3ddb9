import { Field, ID, Int, ObjectType } from 'type-graphql';
import { OperatorKind } from './enums';
import { AffectedMarket, UnitQuantity } from './trace.type';
import type * as model from '../trace/trace.model';

@ObjectType()
export class RecallImpactOperator implements model.RecallImpactOperator {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => OperatorKind)
  kind!: OperatorKind;

  @Field(() => Int, { description: 'Recalled batches this operator owns' })
  batches!: number;
}

@ObjectType({ description: 'What a recall reached, as computed when it was made' })
export class RecallImpact implements model.RecallAnswer {
  @Field(() => ID)
  recallId!: number;

  @Field(() => ID)
  batchId!: number;

  @Field(() => String)
  batchCode!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Date)
  recalledAt!: Date;

  @Field(() => Boolean, { description: 'False when the batch had been recalled before and nothing changed' })
  created!: boolean;

  @Field(() => Int, { description: 'The source batch and every descendant' })
  batches!: number;

  @Field(() => Int, { description: 'Batches this recall marked RECALLED (the others already were)' })
  newlyRecalled!: number;

  @Field(() => [RecallImpactOperator])
  operators!: RecallImpactOperator[];

  @Field(() => [AffectedMarket])
  markets!: AffectedMarket[];

  @Field(() => Int, { description: 'Gate entries of recalled batches' })
  entries!: number;

  @Field(() => [UnitQuantity])
  quantities!: UnitQuantity[];
}
