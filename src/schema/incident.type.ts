import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type * as model from '../incident/incident.model';
import { IncidentKind, IncidentPlaceKind, IncidentStatus, OperatorKind, QuantityUnit } from './enums';
import { PersonalData } from './field-access';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'A batch as an incident finding names it' })
export class FindingBatch implements model.FindingBatch {
  @Field(() => ID) batchId!: number;
  @Field(() => String) publicCode!: string;
  @Field(() => String) productName!: string;
  @Field(() => String) lotCode!: string;
  @Field(() => ID) ownerId!: number;
  @Field(() => String) ownerName!: string;
}

@ObjectType({ description: 'A suspect lot and the origin lots of its backward trace' })
export class FindingSuspect extends FindingBatch implements model.FindingSuspect {
  @Field(() => String, { description: 'The code as reported' }) code!: string;
  @Field(() => [ID]) sourceBatchIds!: number[];
  @Field(() => Int) upstreamBatches!: number;
  @Field(() => Boolean) truncated!: boolean;
}

@ObjectType()
export class FindingOperator {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => OperatorKind) kind!: OperatorKind;
  @Field(() => Int) batches!: number;
}

@ObjectType()
export class FindingMarket {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => Int) entries!: number;
  @Field(() => Int) accepted!: number;
}

@ObjectType()
export class FindingQuantity {
  @Field(() => QuantityUnit) unit!: QuantityUnit;
  @Field(() => Int) batches!: number;
  @Field(() => Float) onHand!: number;
}

@ObjectType({ description: 'What was made from a common source and where it went' })
export class FindingForward implements model.FindingForward {
  @Field(() => FindingBatch) source!: FindingBatch;
  @Field(() => Int) batches!: number;
  @Field(() => [FindingOperator]) operators!: FindingOperator[];
  @Field(() => [FindingMarket]) markets!: FindingMarket[];
  @Field(() => [FindingQuantity]) quantities!: FindingQuantity[];
  @Field(() => Int) entries!: number;
  @Field(() => Boolean) truncated!: boolean;
}

@ObjectType({ description: 'The backward trace of each suspect lot and the forward trace from their common sources, kept with the incident' })
export class IncidentFinding implements model.IncidentFinding {
  @Field(() => Date) tracedAt!: Date;
  @Field(() => [FindingSuspect]) suspects!: FindingSuspect[];
  @Field(() => [String], { description: 'Codes that named no lot' }) unresolved!: string[];
  @Field(() => [FindingBatch], { description: 'Origin lots every suspect came from' }) commonSources!: FindingBatch[];
  @Field(() => [FindingForward]) forward!: FindingForward[];
}

@ObjectType({ description: 'One step of an incident timeline' })
export class IncidentStep implements model.IncidentStepModel {
  @Field(() => ID) id!: number;
  @Field(() => IncidentStatus) status!: IncidentStatus;
  @Field(() => Date) at!: Date;
  @Field(() => ID, { nullable: true }) byId!: number | null;
  @Field(() => String, { nullable: true }) byName!: string | null;
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => [String], { description: 'References to photos and documents' }) evidence!: string[];
  @Field(() => Date, { nullable: true, description: 'Deadline of the next step' }) dueAt!: Date | null;
}

@ObjectType({ description: 'A food-safety incident, complaint or drill, with its finding and timeline' })
export class Incident implements Omit<model.IncidentModel, 'finding'> {
  @Field(() => ID) id!: number;
  @Field(() => IncidentKind) kind!: IncidentKind;
  @Field(() => IncidentStatus) status!: IncidentStatus;
  @Field(() => Boolean, { description: 'A drill: same flow, kept out of the statistics' }) drill!: boolean;
  @Field(() => IncidentPlaceKind) placeKind!: IncidentPlaceKind;
  @Field(() => String, { nullable: true }) village!: string | null;
  @Field(() => ID, { nullable: true }) operatorId!: number | null;
  @Field(() => String, { nullable: true, description: 'The canteen, banquet or other place as reported' }) placeRef!: string | null;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => Int) peopleIll!: number;
  @Field(() => String) description!: string;
  @Field(() => [String]) suspectCodes!: string[];
  @Field(() => IncidentFinding, { nullable: true }) finding!: IncidentFinding | null;
  @Field(() => ID, { nullable: true, description: 'The account that reported it; null for the public form' }) reportedById!: number | null;
  @Field(() => String, { nullable: true }) reporterName!: string | null;
  @PersonalData()
  @Field(() => String, { nullable: true, description: "A public reporter's contact; personal data, every read audited" })
  contact!: string | null;
  @Field(() => Date) reportedAt!: Date;
  @Field(() => Date) investigateDueAt!: Date;
  @Field(() => Date) handleDueAt!: Date;
  @Field(() => Date, { nullable: true }) investigatingAt!: Date | null;
  @Field(() => Date, { nullable: true }) handledAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Seconds from report to close (how long a drill took)' }) durationSeconds!: number | null;
  @Field(() => [IncidentStep]) steps!: IncidentStep[];

  static from(i: model.IncidentModel & { steps: model.IncidentStepModel[] }): Incident {
    return Object.assign(new Incident(), i, {
      durationSeconds: i.closedAt ? Math.round((i.closedAt.getTime() - i.reportedAt.getTime()) / 1000) : null,
      steps: i.steps.map((s) => Object.assign(new IncidentStep(), s)),
    });
  }
}

@ObjectType()
export class IncidentEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Incident) node!: Incident;
}

@ObjectType()
export class IncidentConnection {
  @Field(() => [IncidentEdge]) edges!: IncidentEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class IncidentStatusCount {
  @Field(() => IncidentStatus) status!: IncidentStatus;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: "The plan's report rate and on-time handling rate over a period, with the counts behind them; drills apart" })
export class IncidentStats implements model.IncidentStatsModel {
  @Field(() => Date) from!: Date;
  @Field(() => Date) to!: Date;
  @Field(() => String, { nullable: true }) village!: string | null;
  @Field(() => Int, { description: 'Incidents reported in the period, drills left out' }) reported!: number;
  @Field(() => Int, { description: "Reported within the rule's window after they occurred" }) reportedInTime!: number;
  @Field(() => Float, { nullable: true, description: 'reportedInTime / reported' }) reportRate!: number | null;
  @Field(() => Int, { description: 'Handling deadline passed, or handled' }) handlingDue!: number;
  @Field(() => Int, { description: 'Handled by the deadline' }) handledOnTime!: number;
  @Field(() => Float, { nullable: true, description: 'handledOnTime / handlingDue' }) onTimeHandlingRate!: number | null;
  @Field(() => Int, { description: 'Past the deadline and not handled' }) overdue!: number;
  @Field(() => [IncidentStatusCount]) byStatus!: IncidentStatusCount[];
  @Field(() => Int) peopleIll!: number;
  @Field(() => Int, { description: 'Drills reported in the period' }) drills!: number;
  @Field(() => Int, { nullable: true, description: 'Mean seconds from report to close of the closed drills' }) drillMeanSeconds!: number | null;
}
