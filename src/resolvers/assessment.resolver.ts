import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { createPlanItem, planItems, updatePlanProgress } from '../assessment/plan.service';
import { scoreEvidence, unitScorecard, villageScorecard } from '../assessment/scorecard.service';
import { recordTraining, trainings } from '../assessment/training.service';
import type { Context } from '../context';
import { AssessedUnitKind, Role } from '../entities/enums';
import {
  CreatePlanItemInput, EvidenceConnection, IndicatorScore, PlanItem, RecordTrainingInput, Scorecard, Training, TrainingConnection, TrainingFilter,
  UpdatePlanProgressInput,
} from '../schema/assessment.type';

const SCORECARD_READERS = [Role.REGULATOR, Role.ADMIN, Role.VILLAGE_ASSISTANT] as const;

@Resolver(() => IndicatorScore)
export class AssessmentResolver {
  @Authorized(...SCORECARD_READERS)
  @Query(() => Scorecard, { description: "A village's scorecard for the year; a village assistant sees its own village's" })
  villageScorecard(@Ctx() ctx: Context, @Arg('year', () => Int) year: number, @Arg('village', () => String) village: string) {
    return villageScorecard(ctx, year, village);
  }

  @Authorized(...SCORECARD_READERS)
  @Query(() => Scorecard, { description: "A canteen's (its operator id) or a market's scorecard for the year; a village assistant sees its own village's units" })
  unitScorecard(
    @Ctx() ctx: Context, @Arg('year', () => Int) year: number, @Arg('kind', () => AssessedUnitKind) kind: AssessedUnitKind, @Arg('id', () => ID) id: string,
  ) {
    return unitScorecard(ctx, year, kind, id);
  }

  @FieldResolver(() => EvidenceConnection, { description: 'The records behind the numbers, in (kind, id) order: the denominator, each marked whether the numerator counts it' })
  async evidence(
    @Ctx() ctx: Context,
    @Root() score: IndicatorScore,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<EvidenceConnection> {
    const page = await scoreEvidence(ctx, score, first, after);
    return { nodes: page.nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }

  @Authorized(Role.REGULATOR, Role.INSPECTOR, Role.VILLAGE_ASSISTANT)
  @Mutation(() => Training, { description: "Record a training and who attended: each attending operator's archive gets TRAINING_COMPLETED once; the same clientKey again answers the first" })
  recordTraining(@Ctx() ctx: Context, @Arg('input', () => RecordTrainingInput) input: RecordTrainingInput) {
    return recordTraining(ctx, input);
  }

  @Authorized(Role.REGULATOR, Role.ADMIN, Role.INSPECTOR, Role.VILLAGE_ASSISTANT)
  @Query(() => TrainingConnection, { description: 'Trainings, newest first; a village assistant sees its village’s and the town-wide ones' })
  async trainings(
    @Ctx() ctx: Context,
    @Arg('filter', () => TrainingFilter, { nullable: true }) filter: TrainingFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<TrainingConnection> {
    const page = await trainings(ctx, filter ?? {}, first, after);
    return { nodes: page.nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => PlanItem, { description: "Add an item to the year's work plan" })
  createPlanItem(@Ctx() ctx: Context, @Arg('input', () => CreatePlanItemInput) input: CreatePlanItemInput) {
    return createPlanItem(ctx, input);
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => PlanItem, { description: 'Report progress on a plan item (kept for the work ledger), or cancel it' })
  updatePlanProgress(@Ctx() ctx: Context, @Arg('input', () => UpdatePlanProgressInput) input: UpdatePlanProgressInput) {
    return updatePlanProgress(ctx, input);
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Query(() => [PlanItem], { description: "The year's plan items, soonest due first" })
  planItems(@Ctx() ctx: Context, @Arg('year', () => Int) year: number) {
    return planItems(ctx, year);
  }
}
