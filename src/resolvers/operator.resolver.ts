import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { encodeCursor } from '../registry/pagination';
import { getOperator, listOperators, registerOperator, setOperatorStatus } from '../registry/operator.service';
import { OperatorStatus } from '../schema/enums';
import { OperatorFilter, RegisterOperatorInput } from '../schema/operator.input';
import { Operator, OperatorConnection } from '../schema/operator.type';
import * as v from '../validation';

@Resolver(() => Operator)
export class OperatorResolver {
  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => Operator, { description: 'Register a producer, vendor or other operator' })
  async registerOperator(@Ctx() ctx: Context, @Arg('input', () => RegisterOperatorInput) input: RegisterOperatorInput): Promise<Operator> {
    return Operator.from(await registerOperator(ctx, input));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.OPERATOR)
  @Query(() => Operator, { description: 'One operator; an operator account sees only its own' })
  async operator(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Operator> {
    const operatorId = v.id('id', id);
    return Operator.from(await getOperator(ctx, operatorId));
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => OperatorConnection)
  async operators(
    @Ctx() ctx: Context,
    @Arg('filter', () => OperatorFilter, { nullable: true }) filter: OperatorFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<OperatorConnection> {
    const size = v.pageSize('first', first);
    const page = await listOperators(ctx, filter ?? {}, size, after);
    return {
      edges: page.nodes.map((o) => ({ cursor: encodeCursor(o.id), node: Operator.from(o) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Mutation(() => Operator, { description: 'Suspend, revoke or reinstate an operator' })
  async setOperatorStatus(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('status', () => OperatorStatus) status: OperatorStatus,
  ): Promise<Operator> {
    return Operator.from(await setOperatorStatus(ctx, v.id('id', id), status));
  }
}
