import { Field, ID, InputType, Int } from 'type-graphql';
import { Grade, OperatorKind } from './enums';

@InputType({ description: 'An event a regulator records: INSPECTION_VIOLATION, INSPECTION_CLEAN or TRAINING_COMPLETED' })
export class RecordCreditEventInput {
  @Field(() => ID)
  operatorId!: string;

  @Field(() => String, { description: 'A recordable rule code (see creditRules)' })
  rule!: string;

  @Field(() => Int, { nullable: true, description: 'Required for INSPECTION_VIOLATION (−30 … −5); otherwise fixed by the rule' })
  points?: number | null;

  @Field(() => Int, { nullable: true, description: 'For INSPECTION_VIOLATION: months the deduction counts (12 … 24, default 12)' })
  expiresMonths?: number | null;

  @Field(() => String)
  reason!: string;

  @Field(() => Date, { nullable: true, description: 'When it happened; defaults to now, never in the future' })
  occurredAt?: Date | null;
}

@InputType({ description: "Filters the archive; grade, kind, village and score are the operator's current ones" })
export class CreditArchiveFilter {
  @Field(() => Grade, { nullable: true })
  grade?: Grade | null;

  @Field(() => OperatorKind, { nullable: true })
  kind?: OperatorKind | null;

  @Field(() => String, { nullable: true })
  village?: string | null;

  @Field(() => Int, { nullable: true })
  scoreMin?: number | null;

  @Field(() => Int, { nullable: true })
  scoreMax?: number | null;

  @Field(() => String, { nullable: true, description: 'A rule code' })
  rule?: string | null;

  @Field(() => Date, { nullable: true, description: 'Events that occurred at or after this time' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Events that occurred before this time' })
  to?: Date | null;

  @Field(() => ID, { nullable: true })
  operatorId?: string | null;
}
