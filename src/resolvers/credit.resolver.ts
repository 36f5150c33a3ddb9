import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { decideCreditAppeal, fileCreditAppeal, listCreditAppeals } from '../credit/appeal.service';
import { creditArchive, eventsById, operatorEvents } from '../credit/archive.service';
import { refreshLapsedCredit, verifyCreditArchive } from '../credit/ledger.service';
import { createLedgerCheckpoint } from '../credit/checkpoint.service';
import { creditEventOperator, operatorCreditAsOf, verifyOperatorChain } from '../credit/operator-credit.service';
import { recordCreditEvent } from '../credit/record.service';
import { CREDIT_RULES, GRADE_SUPERVISION, ruleFor } from '../credit/rules';
import type { CreditAppeal as CreditAppealModel, CreditEventData, CreditState } from '../credit/credit.model';
import { closeQuarter, inspectionPlan } from '../credit/supervision.service';
import { AppealStatus, Grade, Role } from '../entities/enums';
import { notFound } from '../errors';
import { encodeCursor } from '../registry/pagination';
import { CreditAppealFilter, DecideCreditAppealInput, FileCreditAppealInput } from '../schema/appeal.input';
import { CreditAppeal, CreditAppealConnection } from '../schema/appeal.type';
import { CreditArchiveFilter, RecordCreditEventInput } from '../schema/credit.input';
import {
  ChainVerification, LedgerCheckpoint, CreditEvent, CreditEventConnection, CreditRuleInfo, GradeSupervision, InspectionPlanItem,
  QuarterCloseResult, RecordedCreditEvent,
} from '../schema/credit.type';
import { Credit, Operator } from '../schema/operator.type';
import * as v from '../validation';

const toCredit = (operatorId: number, s: CreditState): Credit => Credit.from({ operatorId, ...s });

const eventLoaders = new WeakMap<Context, DataLoader<number, CreditEventData | null>>();
function eventLoader(ctx: Context): DataLoader<number, CreditEventData | null> {
  let loader = eventLoaders.get(ctx);
  if (!loader) eventLoaders.set(ctx, (loader = new DataLoader((ids) => eventsById(ctx, ids))));
  return loader;
}

@Resolver(() => Credit)
export class CreditResolver {
  @FieldResolver(() => CreditEventConnection, { description: "The operator's archived events, newest first" })
  async events(
    @Ctx() ctx: Context,
    @Root() credit: Credit,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<CreditEventConnection> {
    const page = await operatorEvents(ctx, credit.operatorId, v.pageSize('first', first), after);
    return {
      edges: page.nodes.map((e) => ({ cursor: encodeCursor(e.seq), node: CreditEvent.from(e) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Query(() => Credit, { description: "An operator's score and grade at any moment, recomputed from its events" })
  async creditAsOf(@Ctx() ctx: Context, @Arg('operatorId', () => ID) operatorId: string, @Arg('at', () => Date) at: Date): Promise<Credit> {
    const id = v.id('operatorId', operatorId);
    return toCredit(id, await operatorCreditAsOf(ctx, id, at));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => CreditEventConnection, { description: 'The whole archive, filtered, newest first; keyset pagination, first ≤ 100' })
  async creditArchive(
    @Ctx() ctx: Context,
    @Arg('filter', () => CreditArchiveFilter, { nullable: true }) filter: CreditArchiveFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<CreditEventConnection> {
    const page = await creditArchive(ctx, filter ?? {}, v.pageSize('first', first), after);
    return {
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: CreditEvent.from(e.node) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Query(() => ChainVerification, { description: "Recomputes one operator's hash chain from the stored rows" })
  async verifyCreditChain(@Ctx() ctx: Context, @Arg('operatorId', () => ID) operatorId: string): Promise<ChainVerification> {
    const id = v.id('operatorId', operatorId);
    return verifyOperatorChain(ctx, id);
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => ChainVerification, { description: "Recomputes every operator's hash chain and reports the first broken link" })
  verifyCreditArchive(@Ctx() ctx: Context): Promise<ChainVerification> {
    return verifyCreditArchive(ctx);
  }

  @Query(() => [CreditRuleInfo], { description: 'The credit rules, in Chinese and English; public' })
  creditRules(): CreditRuleInfo[] {
    return Object.values(CREDIT_RULES).map((r) => {
      const expires = r.expiresMonths;
      return Object.assign(new CreditRuleInfo(), {
        code: r.code,
        points: typeof r.points === 'number' ? r.points : null,
        pointsMin: typeof r.points === 'number' ? r.points : r.points.min,
        pointsMax: typeof r.points === 'number' ? r.points : r.points.max,
        expiresMonthsMin: expires === null || typeof expires === 'number' ? expires : expires.min,
        expiresMonthsMax: expires === null || typeof expires === 'number' ? expires : expires.max,
        forcesDMonths: r.forcesDMonths,
        recordable: r.recordable,
        zh: r.zh,
        en: r.en,
      });
    });
  }

  @Query(() => [GradeSupervision], { description: "Each grade's gate sampling rate and yearly inspections; public" })
  gradeSupervision(): GradeSupervision[] {
    return Object.values(Grade).map((grade) => Object.assign(new GradeSupervision(), { grade, ...GRADE_SUPERVISION[grade] }));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => [InspectionPlanItem], { description: 'Operators due for an on-site inspection in a month (YYYY-MM, town time), most at risk first' })
  async inspectionPlan(@Ctx() ctx: Context, @Arg('month', () => String) month: string): Promise<InspectionPlanItem[]> {
    return (await inspectionPlan(ctx, month)).map((d) => Object.assign(new InspectionPlanItem(), d));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Query(() => CreditAppealConnection, { description: 'Appeals and repair requests, oldest first; an operator sees its own' })
  async creditAppeals(
    @Ctx() ctx: Context,
    @Arg('filter', () => CreditAppealFilter, { nullable: true }) filter: CreditAppealFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<CreditAppealConnection> {
    const page = await listCreditAppeals(ctx, filter ?? {}, v.pageSize('first', first), after);
    return {
      edges: page.nodes.map((a) => ({ cursor: encodeCursor(a.id), node: toAppeal(a) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized(Role.REGULATOR)
  @Mutation(() => RecordedCreditEvent, { description: 'Records an inspection finding or a training; the score changes in the same transaction' })
  async recordCreditEvent(@Ctx() ctx: Context, @Arg('input', () => RecordCreditEventInput) input: RecordCreditEventInput): Promise<RecordedCreditEvent> {
    const { event, state } = await recordCreditEvent(ctx, input);
    return { event: CreditEvent.from(event), credit: toCredit(event.operatorId, state) };
  }

  @Authorized(Role.OPERATOR)
  @Mutation(() => CreditAppeal, { description: 'The operator appeals one of its own deductions or asks for credit repair' })
  async fileCreditAppeal(@Ctx() ctx: Context, @Arg('input', () => FileCreditAppealInput) input: FileCreditAppealInput): Promise<CreditAppeal> {
    return toAppeal(await fileCreditAppeal(ctx, input));
  }

  @Authorized(Role.REGULATOR)
  @Mutation(() => CreditAppeal, { description: 'Upholds (appends a reversal) or rejects a pending appeal or repair request' })
  async decideCreditAppeal(@Ctx() ctx: Context, @Arg('input', () => DecideCreditAppealInput) input: DecideCreditAppealInput): Promise<CreditAppeal> {
    return toAppeal(await decideCreditAppeal(ctx, { ...input, decision: input.decision as unknown as AppealStatus }));
  }

  @Authorized(Role.REGULATOR)
  @Mutation(() => QuarterCloseResult, { description: 'Awards CLEAN_QUARTER for a finished quarter (YYYY-Qn, town time); running it again awards nothing more' })
  async closeQuarter(@Ctx() ctx: Context, @Arg('quarter', () => String) quarter: string): Promise<QuarterCloseResult> {
    return Object.assign(new QuarterCloseResult(), await closeQuarter(ctx, quarter));
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => LedgerCheckpoint, { description: 'Signs and stores a checkpoint of every credit chain head now (the upkeep also makes one hourly)' })
  async createLedgerCheckpoint(@Ctx() ctx: Context): Promise<LedgerCheckpoint> {
    const { heads: _heads, ...c } = await createLedgerCheckpoint(ctx);
    return Object.assign(new LedgerCheckpoint(), c);
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => Int, { description: 'Stores grades that time alone changed (expired deductions, ended forcing); returns how many changed' })
  refreshCreditGrades(@Ctx() ctx: Context): Promise<number> {
    return refreshLapsedCredit(ctx);
  }
}

function toAppeal(a: CreditAppealModel): CreditAppeal {
  return CreditAppeal.from(a);
}

@Resolver(() => CreditEvent)
export class CreditEventResolver {
  @FieldResolver(() => String, { description: 'The rule in Chinese' })
  ruleZh(@Root() e: CreditEvent): string {
    return ruleFor(e.ruleCode)?.zh ?? e.ruleCode;
  }

  @FieldResolver(() => String, { description: 'The rule in English' })
  ruleEn(@Root() e: CreditEvent): string {
    return ruleFor(e.ruleCode)?.en ?? e.ruleCode;
  }

  @FieldResolver(() => Operator, { description: 'The operator the event belongs to' })
  async operator(@Ctx() ctx: Context, @Root() e: CreditEvent): Promise<Operator> {
    return Operator.from(await creditEventOperator(ctx, e.operatorId));
  }
}

@Resolver(() => CreditAppeal)
export class CreditAppealResolver {
  @FieldResolver(() => CreditEvent, { description: 'The contested event' })
  async event(@Ctx() ctx: Context, @Root() a: CreditAppeal): Promise<CreditEvent> {
    const e = await eventLoader(ctx).load(a.eventId);
    if (!e) throw notFound('Credit event', a.eventId);
    return CreditEvent.from(e);
  }

  @FieldResolver(() => CreditEvent, { nullable: true, description: 'The reversal an upheld appeal appended' })
  async reversalEvent(@Ctx() ctx: Context, @Root() a: CreditAppeal): Promise<CreditEvent | null> {
    if (a.reversalEventId === null) return null;
    const e = await eventLoader(ctx).load(a.reversalEventId);
    return e && CreditEvent.from(e);
  }
}

@Resolver(() => InspectionPlanItem)
export class InspectionPlanItemResolver {
  @FieldResolver(() => Operator)
  async operator(@Ctx() ctx: Context, @Root() item: InspectionPlanItem): Promise<Operator> {
    const operator = await ctx.loaders.operator.load(item.operatorId);
    if (!operator) throw notFound('Operator', item.operatorId);
    return Operator.from(operator);
  }
}

export const CREDIT_RESOLVERS = [CreditResolver, CreditEventResolver, CreditAppealResolver, InspectionPlanItemResolver] as const;
