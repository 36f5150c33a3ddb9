import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { CampaignModel, CampaignReportModel, HazardSiteModel, SiteInspectionModel } from '../supervision/supervision.model';
import { SiteKind, SiteStatus } from './enums';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'An unregistered place found making or storing food; open until it registers as an operator or is closed' })
export class HazardSite implements HazardSiteModel {
  @Field(() => ID)
  id!: number;

  @Field(() => SiteKind)
  kind!: SiteKind;

  @Field(() => String)
  location!: string;

  @Field(() => String)
  village!: string;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => [String], { description: 'sha-256 names of its photos' })
  photos!: string[];

  @Field(() => SiteStatus)
  status!: SiteStatus;

  @Field(() => ID, { nullable: true, description: 'The operator it registered as' })
  operatorId!: number | null;

  @Field(() => String, { nullable: true })
  resolutionNote!: string | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => ID)
  createdById!: number;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: 'A visit to a hazard site' })
export class SiteInspection implements SiteInspectionModel {
  @Field(() => ID)
  id!: number;

  @Field(() => ID)
  siteId!: number;

  @Field(() => String)
  village!: string;

  @Field(() => ID)
  inspectorId!: number;

  @Field(() => Date)
  inspectedAt!: Date;

  @Field(() => Boolean, { description: 'Food was being made or stored there' })
  activityFound!: boolean;

  @Field(() => String, { nullable: true })
  findings!: string | null;

  @Field(() => [String])
  photos!: string[];

  @Field(() => String)
  clientKey!: string;
}

@ObjectType()
export class HazardSiteDetail {
  @Field(() => HazardSite)
  site!: HazardSite;

  @Field(() => [SiteInspection], { description: 'Its visits, newest first' })
  visits!: SiteInspection[];
}

@ObjectType()
export class HazardSiteConnection {
  @Field(() => [HazardSite])
  nodes!: HazardSite[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: "What a campaign's period holds, in its village or town-wide" })
export class CampaignReport implements CampaignReportModel {
  @Field(() => Int, { description: 'Operator inspections' })
  inspections!: number;

  @Field(() => Int)
  passed!: number;

  @Field(() => Int)
  putRight!: number;

  @Field(() => Int)
  serious!: number;

  @Field(() => Int, { description: 'Hazard sites registered in the period' })
  sitesFound!: number;

  @Field(() => Int)
  siteVisits!: number;

  @Field(() => Int, { description: 'Site visits that found food being made or stored' })
  siteVisitsWithActivity!: number;

  @Field(() => Int, { description: 'Sites that registered as operators in the period' })
  sitesRegistered!: number;

  @Field(() => Int, { description: 'Sites closed in the period' })
  sitesClosed!: number;
}

@ObjectType({ description: 'A campaign: a named period of field work, town-wide or in one village' })
export class InspectionCampaign implements CampaignModel {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'null: town-wide' })
  village!: string | null;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date)
  endsAt!: Date;

  @Field(() => Date)
  createdAt!: Date;
}

@InputType()
export class RegisterSiteInput {
  @Field(() => SiteKind)
  kind!: SiteKind;

  @Field(() => String, { description: 'Where it is: address or description' })
  location!: string;

  @Field(() => String)
  village!: string;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => [String], { nullable: true, description: 'sha-256 names answered by POST /inspect/photos' })
  photos?: string[] | null;

  @Field(() => String, { description: 'The phone’s key: the same key again records nothing and answers the first' })
  clientKey!: string;
}

@InputType()
export class RecordSiteInspectionInput {
  @Field(() => ID)
  siteId!: string;

  @Field(() => Boolean)
  activityFound!: boolean;

  @Field(() => String, { nullable: true })
  findings?: string | null;

  @Field(() => [String], { nullable: true })
  photos?: string[] | null;

  @Field(() => Date, { nullable: true })
  inspectedAt?: Date | null;

  @Field(() => String)
  clientKey!: string;
}

@InputType()
export class ResolveSiteInput {
  @Field(() => ID)
  siteId!: string;

  @Field(() => ID, { nullable: true, description: 'The operator it registered as; without it the site is closed' })
  operatorId?: string | null;

  @Field(() => String, { nullable: true, description: 'Why it is closed (required without operatorId)' })
  note?: string | null;
}

@InputType()
export class HazardSiteFilter {
  @Field(() => SiteStatus, { nullable: true })
  status?: SiteStatus | null;

  @Field(() => String, { nullable: true })
  village?: string | null;

  @Field(() => SiteKind, { nullable: true })
  kind?: SiteKind | null;
}

@InputType()
export class CreateCampaignInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'null: town-wide' })
  village?: string | null;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date)
  endsAt!: Date;
}
