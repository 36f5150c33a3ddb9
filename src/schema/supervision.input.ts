import { Field, ID, InputType } from 'type-graphql';
import { InspectionOutcome, ItemAnswer, RectificationStatus } from './enums';

@InputType()
export class InspectionAnswerInput {
  @Field(() => String)
  code!: string;

  @Field(() => ItemAnswer)
  answer!: ItemAnswer;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class RecordInspectionInput {
  @Field(() => ID)
  operatorId!: string;

  @Field(() => ID, { description: 'The checklist version walked' })
  templateId!: string;

  @Field(() => [InspectionAnswerInput], { description: 'One answer per item of the checklist' })
  answers!: InspectionAnswerInput[];

  @Field(() => String, { nullable: true })
  findings?: string | null;

  @Field(() => [String], { nullable: true, description: 'sha-256 names answered by POST /inspect/photos' })
  photos?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'When it took place; default now' })
  inspectedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When faults must be put right; default 3 days (serious) or 7 days' })
  deadline?: Date | null;

  @Field(() => String, { description: 'The phone’s key: the same key again records nothing and answers the first' })
  clientKey!: string;
}

@InputType()
export class FieldInspectionFilter {
  @Field(() => ID, { nullable: true })
  operatorId?: string | null;

  @Field(() => String, { nullable: true })
  village?: string | null;

  @Field(() => InspectionOutcome, { nullable: true })
  outcome?: InspectionOutcome | null;

  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}

@InputType()
export class RectificationOrderFilter {
  @Field(() => RectificationStatus, { nullable: true })
  status?: RectificationStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Only open orders past their deadline' })
  overdue?: boolean | null;

  @Field(() => String, { nullable: true })
  village?: string | null;

  @Field(() => ID, { nullable: true })
  operatorId?: string | null;
}

@InputType()
export class RecordRecheckInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Boolean, { description: 'true closes the order, false escalates it' })
  resolved!: boolean;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => String)
  clientKey!: string;
}

@InputType()
export class AnswerRectificationInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String)
  note!: string;

  @Field(() => [String], { nullable: true })
  photos?: string[] | null;
}
