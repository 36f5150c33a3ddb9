import { Field, Int, ObjectType } from 'type-graphql';
import type { GradeCount as GradeCountModel } from '../credit/credit.model';
import { Grade } from './enums';

@ObjectType({ description: 'How many operators hold one credit grade' })
export class GradeCount implements GradeCountModel {
  @Field(() => Grade)
  grade!: Grade;

  @Field(() => Int, { description: 'Every registered operator with this grade, whatever its status' })
  operators!: number;

  @Field(() => Int, { description: 'Those of them that are ACTIVE' })
  active!: number;
}
