import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { creditGradeCounts } from '../credit/overview.service';
import { Role } from '../entities/enums';
import { GradeCount } from '../schema/overview.type';

/** The regulator's desk overview. */
@Resolver()
export class RegulatorResolver {
  @Authorized(Role.ADMIN, Role.REGULATOR)
  @Query(() => [GradeCount], { description: 'Operators per credit grade, A to D (stored grades)' })
  creditGradeCounts(@Ctx() ctx: Context): Promise<GradeCount[]> {
    return creditGradeCounts(ctx);
  }
}
