import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { OperatorKind, Role } from '../entities/enums';
import { PublicOperator } from '../schema/operator.type';
import {
  answerRectification, chargeOverdueOrders, checklist, checklists, inspections, operatorsToInspect, recordInspection, recordRecheck, rectificationOrders,
} from '../supervision/inspection.service';
import {
  AnswerRectificationInput, FieldInspectionFilter, RecordInspectionInput, RecordRecheckInput, RectificationOrderFilter,
} from '../schema/supervision.input';
import {
  ChecklistTemplate, FieldInspection, FieldInspectionConnection, RectificationOrder, RectificationOrderConnection,
} from '../schema/supervision.type';

const FIELD = [Role.INSPECTOR, Role.VILLAGE_ASSISTANT, Role.REGULATOR] as const;
const SEES = [Role.INSPECTOR, Role.VILLAGE_ASSISTANT, Role.REGULATOR, Role.ADMIN] as const;

@Resolver(() => FieldInspection)
export class SupervisionResolver {
  @Authorized(...SEES)
  @Query(() => [ChecklistTemplate], { description: 'The checklists in use: the latest version per operator kind' })
  checklists(@Ctx() ctx: Context, @Arg('kind', () => OperatorKind, { nullable: true }) kind: OperatorKind | null) {
    return checklists(ctx, kind ?? null);
  }

  @Authorized(...SEES)
  @Query(() => ChecklistTemplate, { description: 'One checklist version, current or past' })
  checklist(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return checklist(ctx, id);
  }

  @Authorized(...FIELD)
  @Query(() => [PublicOperator], { description: "Operators to inspect, by a registration card's QR text (/o/CODE), a card or credit code, or part of a name; a village assistant finds its village's" })
  async operatorsToInspect(
    @Ctx() ctx: Context,
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most 500; default 50' }) first: number | null,
  ): Promise<PublicOperator[]> {
    return (await operatorsToInspect(ctx, search, first)).map((o) => PublicOperator.from(o));
  }

  @Authorized(...FIELD)
  @Mutation(() => FieldInspection, { description: 'Record an on-site inspection; the same clientKey again returns the first answer and writes nothing' })
  recordInspection(@Ctx() ctx: Context, @Arg('input', () => RecordInspectionInput) input: RecordInspectionInput) {
    return recordInspection(ctx, input);
  }

  @Authorized(...SEES, Role.OPERATOR)
  @Query(() => FieldInspectionConnection, { description: 'Field inspections, newest first; a village assistant sees its village, an operator its own' })
  async inspections(
    @Ctx() ctx: Context,
    @Arg('filter', () => FieldInspectionFilter, { nullable: true }) filter: FieldInspectionFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<FieldInspectionConnection> {
    const page = await inspections(ctx, filter ?? {}, first, after);
    return { nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }

  @Authorized(...SEES, Role.OPERATOR)
  @Query(() => RectificationOrderConnection, { description: 'Rectification orders by deadline: open, overdue, by village or operator' })
  async rectificationOrders(
    @Ctx() ctx: Context,
    @Arg('filter', () => RectificationOrderFilter, { nullable: true }) filter: RectificationOrderFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<RectificationOrderConnection> {
    const page = await rectificationOrders(ctx, filter ?? {}, first, after);
    return { nodes: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => RectificationOrder, { description: "The operator's answer to its open order: what it did, with photos" })
  answerRectification(@Ctx() ctx: Context, @Arg('input', () => AnswerRectificationInput) input: AnswerRectificationInput) {
    return answerRectification(ctx, input);
  }

  @Authorized(...FIELD)
  @Mutation(() => RectificationOrder, { description: 'Re-check an open order: resolved closes it, otherwise it is escalated; past its deadline it is charged RECTIFICATION_OVERDUE once' })
  recordRecheck(@Ctx() ctx: Context, @Arg('input', () => RecordRecheckInput) input: RecordRecheckInput) {
    return recordRecheck(ctx, input);
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => [ID], { description: 'Charge RECTIFICATION_OVERDUE once to every open order past its deadline; the ids charged now' })
  chargeOverdueRectifications(@Ctx() ctx: Context) {
    return chargeOverdueOrders(ctx);
  }
}
