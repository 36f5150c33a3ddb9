import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { InspectionKind, Role } from '../entities/enums';
import { marketTestBoard } from '../gate/board.service';
import { getEntry, recordTest } from '../gate/inspection.service';
import { RecordTestInput } from '../schema/inspection.input';
import { Inspection, MarketEntry, MarketTestBoard, RecordedTest } from '../schema/inspection.type';

function recorded(r: Awaited<ReturnType<typeof recordTest>>): RecordedTest {
  return Object.assign(new RecordedTest(), { inspection: Inspection.from(r.inspection), entry: r.entry && MarketEntry.from(r.entry) });
}

@Resolver(() => Inspection)
export class InspectionResolver {
  @Authorized(Role.GATE_STAFF, Role.REGULATOR, Role.ADMIN)
  @Mutation(() => RecordedTest, { description: 'Record a rapid test; gate staff only at their own market' })
  async recordRapidTest(@Ctx() ctx: Context, @Arg('input', () => RecordTestInput) input: RecordTestInput): Promise<RecordedTest> {
    return recorded(await recordTest(ctx, InspectionKind.RAPID, input));
  }

  @Authorized(Role.REGULATOR, Role.ADMIN)
  @Mutation(() => RecordedTest, { description: 'Record a laboratory test' })
  async recordLabTest(@Ctx() ctx: Context, @Arg('input', () => RecordTestInput) input: RecordTestInput): Promise<RecordedTest> {
    return recorded(await recordTest(ctx, InspectionKind.LAB, input));
  }

  @Authorized(Role.GATE_STAFF, Role.REGULATOR, Role.ADMIN)
  @Query(() => MarketEntry, { description: 'A gate entry as it stands now; gate staff only at their own market' })
  async marketEntry(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<MarketEntry> {
    return MarketEntry.from(await getEntry(ctx, id));
  }

  @Query(() => MarketTestBoard, { description: "A market's public test-result board for a day (YYYY-MM-DD, China Standard Time; default today)" })
  async marketTestBoard(
    @Ctx() ctx: Context,
    @Arg('marketId', () => ID) marketId: string,
    @Arg('date', () => String, { nullable: true }) date?: string | null,
  ): Promise<MarketTestBoard> {
    return MarketTestBoard.from(await marketTestBoard(ctx, marketId, date));
  }
}
