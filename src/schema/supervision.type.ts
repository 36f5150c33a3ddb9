import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  ChecklistItemModel, ChecklistTemplateModel, FieldInspectionModel, InspectionAnswerModel, PhotoModel, RectificationOrderModel,
} from '../supervision/supervision.model';
import { InspectionOutcome, ItemAnswer, ItemSeverity, OperatorKind, RectificationStatus } from './enums';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'One item of a checklist' })
export class ChecklistItem implements ChecklistItemModel {
  @Field(() => String, { description: 'Stable within the checklist; answers name it' })
  code!: string;

  @Field(() => ItemSeverity)
  severity!: ItemSeverity;

  @Field(() => String)
  zh!: string;

  @Field(() => String)
  en!: string;
}

@ObjectType({ description: 'One version of the checklist for a kind of operator; a change is a new version, past inspections keep theirs' })
export class ChecklistTemplate implements ChecklistTemplateModel {
  @Field(() => ID)
  id!: number;

  @Field(() => OperatorKind)
  operatorKind!: OperatorKind;

  @Field(() => Int)
  version!: number;

  @Field(() => String)
  zh!: string;

  @Field(() => String)
  en!: string;

  @Field(() => [ChecklistItem])
  items!: ChecklistItem[];

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: "The inspector's answer to one item, with the item as its checklist version words it" })
export class InspectionAnswer implements InspectionAnswerModel {
  @Field(() => String)
  code!: string;

  @Field(() => ItemSeverity)
  severity!: ItemSeverity;

  @Field(() => String)
  zh!: string;

  @Field(() => String)
  en!: string;

  @Field(() => ItemAnswer)
  answer!: ItemAnswer;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

@ObjectType({ description: 'A stored photo: named by the sha-256 of its bytes, metadata (location) removed; GET /inspect/photos/{sha256}.jpg' })
export class FieldPhoto implements PhotoModel {
  @Field(() => String)
  sha256!: string;

  @Field(() => String)
  mediaType!: string;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Int)
  bytes!: number;
}

@ObjectType({ description: 'An on-site inspection of an operator' })
export class FieldInspection implements FieldInspectionModel {
  @Field(() => ID)
  id!: number;

  @Field(() => ID)
  operatorId!: number;

  @Field(() => String)
  operatorName!: string;

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => ID)
  templateId!: number;

  @Field(() => Int)
  templateVersion!: number;

  @Field(() => ID)
  inspectorId!: number;

  @Field(() => Date)
  inspectedAt!: Date;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => [InspectionAnswer])
  answers!: InspectionAnswer[];

  @Field(() => String, { nullable: true })
  findings!: string | null;

  @Field(() => [String], { description: 'sha-256 names of its photos' })
  photos!: string[];

  @Field(() => InspectionOutcome)
  outcome!: InspectionOutcome;

  @Field(() => Int, { description: 'Points deducted (0 or negative)' })
  points!: number;

  @Field(() => ID, { nullable: true })
  creditEventId!: number | null;

  @Field(() => String)
  clientKey!: string;

  @Field(() => ID, { nullable: true, description: 'The rectification order a failed inspection opened' })
  rectificationOrderId!: number | null;
}

@ObjectType()
export class FieldInspectionConnection {
  @Field(() => [FieldInspection])
  nodes!: FieldInspection[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'An order to put faults right by a deadline; a re-check closes or escalates it' })
export class RectificationOrder implements RectificationOrderModel {
  @Field(() => ID)
  id!: number;

  @Field(() => ID)
  inspectionId!: number;

  @Field(() => ID)
  operatorId!: number;

  @Field(() => String, { nullable: true })
  village!: string | null;

  @Field(() => [InspectionAnswer], { description: 'The failed items' })
  items!: InspectionAnswer[];

  @Field(() => Date)
  deadline!: Date;

  @Field(() => RectificationStatus)
  status!: RectificationStatus;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => String, { nullable: true })
  operatorNote!: string | null;

  @Field(() => [String])
  operatorPhotos!: string[];

  @Field(() => Date, { nullable: true })
  answeredAt!: Date | null;

  @Field(() => Date, { nullable: true })
  recheckedAt!: Date | null;

  @Field(() => ID, { nullable: true })
  recheckedById!: number | null;

  @Field(() => String, { nullable: true })
  recheckNote!: string | null;

  @Field(() => ID, { nullable: true, description: 'The RECTIFICATION_OVERDUE charge, made once' })
  overdueEventId!: number | null;
}

@ObjectType()
export class RectificationOrderConnection {
  @Field(() => [RectificationOrder])
  nodes!: RectificationOrder[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
