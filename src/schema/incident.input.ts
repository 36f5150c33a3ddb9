import { Field, ID, InputType, Int } from 'type-graphql';
import { IncidentKind, IncidentPlaceKind, IncidentStatus } from './enums';

@InputType()
export class ReportIncidentInput {
  @Field(() => IncidentKind) kind!: IncidentKind;
  @Field(() => IncidentPlaceKind) placeKind!: IncidentPlaceKind;
  @Field(() => String, { nullable: true }) village?: string | null;
  @Field(() => ID, { nullable: true, description: 'Required when the place is an operator; may name a canteen' }) operatorId?: string | null;
  @Field(() => String, { nullable: true, description: 'The canteen, banquet or other place (a free reference)' }) placeRef?: string | null;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => Int, { nullable: true }) peopleIll?: number | null;
  @Field(() => String) description!: string;
  @Field(() => [String], { nullable: true, description: 'Public codes of suspect lots (as on the label or QR)' }) suspectCodes?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Suspect lots by id' }) suspectBatchIds?: string[] | null;
  @Field(() => String, { nullable: true, description: "Default: the account's name" }) reporterName?: string | null;
  @Field(() => String, { nullable: true }) contact?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'A drill: the same flow, timed, kept out of the statistics' }) drill?: boolean | null;
}

@InputType()
export class AdvanceIncidentInput {
  @Field(() => ID) id!: string;
  @Field(() => IncidentStatus, { description: 'The next status: INVESTIGATING, HANDLED or CLOSED' }) status!: IncidentStatus;
  @Field(() => String, { nullable: true, description: 'Required for HANDLED: how it was handled' }) notes?: string | null;
  @Field(() => [String], { nullable: true, description: 'References to photos and documents' }) evidence?: string[] | null;
}

@InputType()
export class IncidentFilter {
  @Field(() => IncidentStatus, { nullable: true }) status?: IncidentStatus | null;
  @Field(() => String, { nullable: true }) village?: string | null;
  @Field(() => Boolean, { nullable: true }) drill?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only incidents not yet CLOSED; false: only CLOSED ones' }) open?: boolean | null;
}

@InputType({ description: 'Incidents reported at or after `from` and before `to`' })
export class IncidentPeriodInput {
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
}
