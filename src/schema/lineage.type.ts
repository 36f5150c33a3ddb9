import { Field, Float, ObjectType } from 'type-graphql';
import { Batch } from './batch.type';
import { QuantityUnit } from './enums';
import type * as model from '../trace/trace.model';

@ObjectType({ description: 'The product of a processing step and its yield' })
export class ProcessResult implements model.ProcessResult {
  @Field(() => Batch)
  batch!: Batch;

  @Field(() => Float, { nullable: true, description: 'Total input, when all inputs share one unit' })
  inputQuantity!: number | null;

  @Field(() => QuantityUnit, { nullable: true })
  inputUnit!: QuantityUnit | null;

  @Field(() => Float, { nullable: true, description: 'Output per unit of input, when all inputs share one unit' })
  yield!: number | null;
}
