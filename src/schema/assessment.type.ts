import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type {
  EvidenceModel, IndicatorScoreModel, PlanItemModel, ScorecardModel, ScorecardScope, TrainingAttendeeModel, TrainingModel,
} from '../assessment/assessment.model';
import { PlanStatus } from './enums';
import { PersonalData } from './field-access';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'A record counted by an indicator: in its denominator, and in its numerator when counted' })
export class Evidence implements EvidenceModel {
  @Field(() => String, { description: 'OPERATOR, HAZARD_SITE, RECTIFICATION_ORDER, INCIDENT, BANQUET, TRAINING, TEST, MARKET_ENTRY or RECALL' })
  kind!: string;

  @Field(() => ID)
  id!: number;

  @Field(() => Boolean, { description: 'Counted in the numerator' })
  counted!: boolean;

  @Field(() => Date, { nullable: true })
  at!: Date | null;

  @Field(() => String, { nullable: true, description: "A name to tell it by: the operator's name, the product, the banquet's number" })
  label!: string | null;
}

@ObjectType()
export class EvidenceConnection {
  @Field(() => [Evidence])
  nodes!: Evidence[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'One indicator on a scorecard: the counts behind it, its value against the target, and its score' })
export class IndicatorScore implements IndicatorScoreModel {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  zh!: string;

  @Field(() => String)
  en!: string;

  @Field(() => String, { description: 'How it is computed, in Chinese' })
  formulaZh!: string;

  @Field(() => String, { description: 'How it is computed, in English' })
  formulaEn!: string;

  @Field(() => Int, { description: 'Its share of the 100 points' })
  weight!: number;

  @Field(() => Float, { description: 'The value it must reach, 0–1' })
  target!: number;

  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;

  @Field(() => Float, { nullable: true, description: 'numerator / denominator, at most 1; null when there is nothing to count' })
  value!: number | null;

  @Field(() => Float, { nullable: true, description: 'weight × min(value / target, 1); null when the indicator does not apply' })
  score!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'value ≥ target; null when the indicator does not apply' })
  met!: boolean | null;

  scope!: ScorecardScope;
}

@ObjectType({ description: "A year's scorecard of a village or a unit, computed from what was recorded" })
export class Scorecard implements ScorecardModel {
  @Field(() => Int)
  year!: number;

  @Field(() => String, { description: 'VILLAGE, CANTEEN or MARKET' })
  kind!: ScorecardModel['kind'];

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => ID, { nullable: true, description: "The canteen's operator id or the market's id" })
  unitId!: number | null;

  @Field(() => String, { nullable: true })
  unitName!: string | null;

  @Field(() => [IndicatorScore])
  indicators!: IndicatorScore[];

  @Field(() => Float, { nullable: true, description: 'Out of 100 over the indicators that apply; null when none applies' })
  total!: number | null;

  @Field(() => Date, { description: 'What had fallen due was judged at this moment' })
  asOf!: Date;
}

@ObjectType()
export class TrainingAttendee implements TrainingAttendeeModel {
  @Field(() => ID, { nullable: true })
  operatorId!: number | null;

  @Field(() => ID, { nullable: true })
  accountId!: number | null;

  @PersonalData()
  @Field(() => String)
  name!: string;

  @Field(() => ID, { nullable: true, description: "The operator's TRAINING_COMPLETED event this attendance appended" })
  creditEventId!: number | null;
}

@ObjectType({ description: 'A food-safety training and who attended it' })
export class Training implements TrainingModel {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  topic!: string;

  @Field(() => String, { description: 'Local date, YYYY-MM-DD' })
  heldOn!: string;

  @Field(() => String)
  trainer!: string;

  @Field(() => String, { nullable: true, description: 'Null for a town-wide training' })
  village!: string | null;

  @Field(() => ID)
  recordedById!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => String)
  clientKey!: string;

  @Field(() => [TrainingAttendee])
  attendees!: TrainingAttendee[];
}

@ObjectType()
export class TrainingConnection {
  @Field(() => [Training])
  nodes!: Training[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: "An item of the year's work plan" })
export class PlanItem implements PlanItemModel {
  @Field(() => ID)
  id!: number;

  @Field(() => Int)
  year!: number;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'Who answers for it' })
  owner!: string;

  @Field(() => String, { description: 'Local date, YYYY-MM-DD' })
  dueOn!: string;

  @Field(() => Int, { description: '0–100 %' })
  progress!: number;

  @Field(() => PlanStatus)
  status!: PlanStatus;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => ID)
  createdById!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@InputType({ description: 'Exactly one of operatorId, accountId or name' })
export class TrainingAttendeeInput {
  @Field(() => ID, { nullable: true, description: "An operator: its credit archive gets TRAINING_COMPLETED" })
  operatorId?: string | null;

  @Field(() => ID, { nullable: true, description: 'An account (staff, a village assistant)' })
  accountId?: string | null;

  @Field(() => String, { nullable: true, description: 'Anyone else, by name' })
  name?: string | null;
}

@InputType()
export class RecordTrainingInput {
  @Field(() => String)
  topic!: string;

  @Field(() => String, { description: 'Local date, YYYY-MM-DD; not in the future' })
  heldOn!: string;

  @Field(() => String)
  trainer!: string;

  @Field(() => String, { nullable: true, description: "The village it was held for; a village assistant's own village when left out, none (town-wide) otherwise" })
  village?: string | null;

  @Field(() => [TrainingAttendeeInput])
  attendees!: TrainingAttendeeInput[];

  @Field(() => String, { description: 'The recording client’s key: the same key again answers the first recording and writes nothing' })
  clientKey!: string;
}

@InputType()
export class TrainingFilter {
  @Field(() => String, { nullable: true, description: 'Held on or after this local date' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Held before this local date' })
  to?: string | null;

  @Field(() => String, { nullable: true, description: "A village's trainings and the town-wide ones" })
  village?: string | null;
}

@InputType()
export class CreatePlanItemInput {
  @Field(() => Int)
  year!: number;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  owner!: string;

  @Field(() => String, { description: 'Local date, YYYY-MM-DD' })
  dueOn!: string;

  @Field(() => String, { nullable: true })
  notes?: string | null;
}

@InputType()
export class UpdatePlanProgressInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: '0–100 %; the status follows from it' })
  progress!: number;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Drop the item: it becomes CANCELLED and takes no more reports' })
  cancel?: boolean | null;
}
