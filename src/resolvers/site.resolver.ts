import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import {
  CampaignReport, CreateCampaignInput, HazardSite, HazardSiteConnection, HazardSiteDetail, HazardSiteFilter, InspectionCampaign,
  RecordSiteInspectionInput, RegisterSiteInput, ResolveSiteInput, SiteInspection,
} from '../schema/site.type';
import {
  campaign, campaignReport, campaigns, createCampaign, recordSiteInspection, registerSite, resolveSite, site, sites,
} from '../supervision/site.service';

const FIELD = [Role.INSPECTOR, Role.VILLAGE_ASSISTANT, Role.REGULATOR] as const;
const SEES = [Role.INSPECTOR, Role.VILLAGE_ASSISTANT, Role.REGULATOR, Role.ADMIN] as const;

@Resolver(() => InspectionCampaign)
export class SiteResolver {
  @Authorized(...FIELD)
  @Mutation(() => HazardSite, { description: 'Register an unregistered place found making or storing food; the same clientKey again answers the first' })
  registerSite(@Ctx() ctx: Context, @Arg('input', () => RegisterSiteInput) input: RegisterSiteInput) {
    return registerSite(ctx, input);
  }

  @Authorized(...FIELD)
  @Mutation(() => SiteInspection, { description: 'Record a visit to an open hazard site; the same clientKey again answers the first' })
  recordSiteInspection(@Ctx() ctx: Context, @Arg('input', () => RecordSiteInspectionInput) input: RecordSiteInspectionInput) {
    return recordSiteInspection(ctx, input);
  }

  @Authorized(...FIELD)
  @Mutation(() => HazardSite, { description: 'End an open site: registered as an operator, or closed with a note' })
  resolveSite(@Ctx() ctx: Context, @Arg('input', () => ResolveSiteInput) input: ResolveSiteInput) {
    return resolveSite(ctx, input);
  }

  @Authorized(...SEES)
  @Query(() => HazardSiteConnection, { description: 'Hazard sites, newest first; a village assistant sees its village' })
  async sites(
    @Ctx() ctx: Context,
    @Arg('filter', () => HazardSiteFilter, { nullable: true }) filter: HazardSiteFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<HazardSiteConnection> {
    const page = await sites(ctx, filter ?? {}, first, after);
    return { nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }

  @Authorized(...SEES)
  @Query(() => HazardSiteDetail, { description: 'One hazard site with its visits' })
  site(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return site(ctx, id);
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => InspectionCampaign, { description: 'Open a campaign: a named period, town-wide or in one village' })
  createCampaign(@Ctx() ctx: Context, @Arg('input', () => CreateCampaignInput) input: CreateCampaignInput) {
    return createCampaign(ctx, input);
  }

  @Authorized(Role.INSPECTOR, Role.REGULATOR, Role.ADMIN)
  @Query(() => [InspectionCampaign], { description: 'Campaigns, the latest start first' })
  campaigns(@Ctx() ctx: Context) {
    return campaigns(ctx);
  }

  @Authorized(Role.INSPECTOR, Role.REGULATOR, Role.ADMIN)
  @Query(() => InspectionCampaign)
  campaign(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return campaign(ctx, id);
  }

  @FieldResolver(() => CampaignReport, { description: 'What its period holds: inspections by outcome, sites found, visited, registered and closed' })
  report(@Ctx() ctx: Context, @Root() c: InspectionCampaign) {
    return campaignReport(ctx, c);
  }
}
