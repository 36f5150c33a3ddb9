import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import {
  canteenOverview, canteenReceipts, canteenSamples, morningChecks, receiptsCsv, receiveDelivery, recordCanteenSample, recordMorningCheck,
} from '../canteen/canteen.service';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { CanteenSampleInput, MorningCheckInput, ReceiveDeliveryInput } from '../schema/canteen.input';
import { CanteenOverview, CanteenReceipt, CanteenSample, MorningCheck } from '../schema/canteen.type';

@Resolver()
export class CanteenResolver {
  @Authorized(Role.OPERATOR, Role.ADMIN, Role.REGULATOR)
  @Mutation(() => CanteenReceipt, { description: "A delivery at the canteen's receiving check: GREEN or AMBER is received (linked to its lot), RED refused. The canteen's own account" })
  async receiveDelivery(@Ctx() ctx: Context, @Arg('input', () => ReceiveDeliveryInput) input: ReceiveDeliveryInput): Promise<CanteenReceipt> {
    return CanteenReceipt.from(await receiveDelivery(ctx, input));
  }

  @Authorized(Role.OPERATOR, Role.ADMIN, Role.REGULATOR)
  @Query(() => [CanteenReceipt], { description: "The canteen's receiving ledger (进货台账) of one month YYYY-MM" })
  async canteenReceipts(@Ctx() ctx: Context, @Arg('canteenId', () => ID) canteenId: string, @Arg('month', () => String) month: string): Promise<CanteenReceipt[]> {
    return (await canteenReceipts(ctx, canteenId, month)).map(CanteenReceipt.from);
  }

  @Authorized(Role.OPERATOR, Role.ADMIN, Role.REGULATOR)
  @Query(() => String, { description: 'The receiving ledger (进货台账) of one month YYYY-MM as CSV (UTF-8, CRLF), for download' })
  async canteenReceiptsCsv(@Ctx() ctx: Context, @Arg('canteenId', () => ID) canteenId: string, @Arg('month', () => String) month: string): Promise<string> {
    return receiptsCsv(await canteenReceipts(ctx, canteenId, month));
  }

  @Authorized(Role.OPERATOR, Role.ADMIN, Role.REGULATOR)
  @Mutation(() => CanteenSample, { description: 'A retained sample (at least 125 g), kept 48 hours' })
  async recordCanteenSample(@Ctx() ctx: Context, @Arg('input', () => CanteenSampleInput) input: CanteenSampleInput): Promise<CanteenSample> {
    return CanteenSample.from(await recordCanteenSample(ctx, input));
  }

  @Authorized(Role.OPERATOR, Role.ADMIN, Role.REGULATOR)
  @Query(() => [CanteenSample], { description: "The canteen's retained samples, newest first, each with when it may be discarded" })
  async canteenSamples(@Ctx() ctx: Context, @Arg('canteenId', () => ID) canteenId: string): Promise<CanteenSample[]> {
    return (await canteenSamples(ctx, canteenId)).map((x) => CanteenSample.from(x));
  }

  @Authorized(Role.OPERATOR, Role.ADMIN, Role.REGULATOR)
  @Mutation(() => MorningCheck, { description: "A staff member's morning health check (晨检) today; one per person per day; the same clientKey again returns the first answer" })
  async recordMorningCheck(@Ctx() ctx: Context, @Arg('input', () => MorningCheckInput) input: MorningCheckInput): Promise<MorningCheck> {
    return MorningCheck.from(await recordMorningCheck(ctx, input));
  }

  @Authorized(Role.OPERATOR, Role.ADMIN, Role.REGULATOR)
  @Query(() => [MorningCheck], { description: "The canteen's morning checks of one day YYYY-MM-DD (today when left out)" })
  async morningChecks(
    @Ctx() ctx: Context, @Arg('canteenId', () => ID) canteenId: string, @Arg('on', () => String, { nullable: true }) on?: string | null,
  ): Promise<MorningCheck[]> {
    return (await morningChecks(ctx, canteenId, on)).map(MorningCheck.from);
  }

  @Authorized(Role.ADMIN, Role.REGULATOR, Role.INSPECTOR, Role.VILLAGE_ASSISTANT, Role.OPERATOR)
  @Query(() => CanteenOverview, { description: "What the regulator sees of a canteen: this month's receipts by light, samples, morning checks, the latest field inspection" })
  async canteenOverview(@Ctx() ctx: Context, @Arg('canteenId', () => ID) canteenId: string): Promise<CanteenOverview> {
    return CanteenOverview.from(await canteenOverview(ctx, canteenId));
  }
}
