import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { banquets, fileBanquet, getBanquet, recordBanquetGuidance, recordBanquetOutcome, upcomingBanquets } from '../banquet/banquet.service';
import { expiringChefCertificates, getChef, recordChefTrainingAttended, registerChef } from '../banquet/chef.service';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { BanquetFilter, BanquetGuidanceInput, BanquetOutcomeInput, ChefTrainingInput, FileBanquetInput, RegisterChefInput } from '../schema/banquet.input';
import { Banquet, BanquetConnection, BanquetIncidentRequest, BanquetOutcome, RuralChef } from '../schema/banquet.type';

/** Who sees and guides banquets: the town office, town inspectors, and village assistants (their own village's). */
const SEES = [Role.ADMIN, Role.REGULATOR, Role.INSPECTOR, Role.VILLAGE_ASSISTANT];

@Resolver()
export class BanquetResolver {
  @Mutation(() => Banquet, { description: 'File a village banquet; anyone may (the host on a phone), limited per address. Warnings come back at once' })
  async fileBanquet(@Ctx() ctx: Context, @Arg('input', () => FileBanquetInput) input: FileBanquetInput): Promise<Banquet> {
    return Banquet.from(await fileBanquet(ctx, input));
  }

  @Authorized(...SEES)
  @Query(() => BanquetConnection, { description: "Filed banquets, latest date first: a village assistant sees its own village's, the town every village's" })
  async banquets(
    @Ctx() ctx: Context,
    @Arg('filter', () => BanquetFilter, { nullable: true }) filter: BanquetFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<BanquetConnection> {
    const page = await banquets(ctx, filter ?? {}, first, after);
    return { nodes: page.items.map(Banquet.from), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }

  @Authorized(...SEES)
  @Query(() => Banquet, { description: "A filed banquet by its number (a village assistant: its own village's)" })
  async banquet(@Ctx() ctx: Context, @Arg('number', () => String) number: string): Promise<Banquet> {
    return Banquet.from(await getBanquet(ctx, number));
  }

  @Authorized(...SEES)
  @Query(() => [Banquet], { description: 'Banquets held from today to `days` ahead and not yet served: the reminders before the date' })
  async upcomingBanquets(@Ctx() ctx: Context, @Arg('days', () => Int, { nullable: true }) days?: number | null): Promise<Banquet[]> {
    return (await upcomingBanquets(ctx, days ?? undefined)).map(Banquet.from);
  }

  @Authorized(...SEES)
  @Mutation(() => Banquet, { description: "The on-site check or guidance given for a banquet, by its tier's guides in their own scope; may cite a field inspection and photos" })
  async recordBanquetGuidance(@Ctx() ctx: Context, @Arg('input', () => BanquetGuidanceInput) input: BanquetGuidanceInput): Promise<Banquet> {
    return Banquet.from(await recordBanquetGuidance(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => BanquetOutcome, { description: "The banquet was served; people ill open an incident with the banquet's lots as suspects" })
  async recordBanquetOutcome(@Ctx() ctx: Context, @Arg('input', () => BanquetOutcomeInput) input: BanquetOutcomeInput): Promise<BanquetOutcome> {
    const r = await recordBanquetOutcome(ctx, input);
    return Object.assign(new BanquetOutcome(), {
      banquet: Banquet.from(r.banquet), incidentRequest: r.incidentRequest && BanquetIncidentRequest.from(r.incidentRequest),
    });
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => RuralChef, { description: 'Register a rural chef (an operator of kind RURAL_CHEF with a registration card) and the health certificate' })
  async registerChef(@Ctx() ctx: Context, @Arg('input', () => RegisterChefInput) input: RegisterChefInput): Promise<RuralChef> {
    return RuralChef.from(await registerChef(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => RuralChef, { description: 'A training the chef attended' })
  async recordChefTraining(@Ctx() ctx: Context, @Arg('input', () => ChefTrainingInput) input: ChefTrainingInput): Promise<RuralChef> {
    return RuralChef.from(await recordChefTrainingAttended(ctx, input.operatorId, input.on));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => RuralChef)
  async ruralChef(@Ctx() ctx: Context, @Arg('operatorId', () => ID) operatorId: string): Promise<RuralChef> {
    return RuralChef.from(await getChef(ctx, operatorId));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => [RuralChef], { description: 'Chefs whose health certificate has expired or ends within `days` (30 when left out)' })
  async expiringChefCertificates(@Ctx() ctx: Context, @Arg('days', () => Int, { nullable: true }) days?: number | null): Promise<RuralChef[]> {
    return (await expiringChefCertificates(ctx, days ?? undefined)).map(RuralChef.from);
  }
}
