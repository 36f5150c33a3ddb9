import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { advanceIncident, getIncident, incidentStats, listIncidents, reportIncident } from '../incident/incident.service';
import { encodeCursor } from '../registry/pagination';
import { AdvanceIncidentInput, IncidentFilter, IncidentPeriodInput, ReportIncidentInput } from '../schema/incident.input';
import { Incident, IncidentConnection, IncidentStats } from '../schema/incident.type';
import * as v from '../validation';

@Resolver(() => Incident)
export class IncidentResolver {
  // any signed-in account may report, whatever its role (roles added later included)
  @Authorized()
  @Mutation(() => Incident, { description: 'Report an incident; suspect lots are traced back and their common sources forward, and the finding kept' })
  async reportIncident(@Ctx() ctx: Context, @Arg('input', () => ReportIncidentInput) input: ReportIncidentInput): Promise<Incident> {
    return Incident.from(await reportIncident(ctx, input));
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => Incident, { description: 'Move an incident to its next status with notes and evidence' })
  async advanceIncident(@Ctx() ctx: Context, @Arg('input', () => AdvanceIncidentInput) input: AdvanceIncidentInput): Promise<Incident> {
    return Incident.from(await advanceIncident(ctx, input));
  }

  @Authorized()
  @Query(() => Incident, { description: 'An incident with its timeline: the food-safety office, or the account that reported it' })
  async incident(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Incident> {
    return Incident.from(await getIncident(ctx, id));
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Query(() => IncidentConnection, { description: 'Incidents, newest first; keyset pagination, first ≤ 100' })
  async incidents(
    @Ctx() ctx: Context,
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<IncidentConnection> {
    const page = await listIncidents(
      ctx,
      { status: filter?.status ?? null, village: v.text('filter.village', filter?.village, 200, { optional: true }), drill: filter?.drill ?? null, open: filter?.open ?? null },
      v.pageSize('first', first),
      after,
    );
    return {
      edges: page.nodes.map((i) => ({ cursor: encodeCursor(i.id), node: Incident.from(i) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Query(() => IncidentStats, { description: 'Report rate and on-time handling rate of the incidents reported in a period, with the counts behind them' })
  async incidentStats(
    @Ctx() ctx: Context,
    @Arg('period', () => IncidentPeriodInput) period: IncidentPeriodInput,
    @Arg('village', () => String, { nullable: true }) village: string | null,
  ): Promise<IncidentStats> {
    return Object.assign(new IncidentStats(), await incidentStats(ctx, period, village));
  }
}
