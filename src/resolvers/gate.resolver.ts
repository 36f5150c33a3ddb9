import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Role } from '../entities/enums';
import { scanAtGate } from '../gate/gate.service';
import { GateScanInput } from '../schema/gate.input';
import { GateScanResult } from '../schema/gate.type';

@Resolver(() => GateScanResult)
export class GateResolver {
  @Authorized(Role.GATE_STAFF)
  @Mutation(() => GateScanResult, { description: 'Decide a load at the gate; the same scanId again returns the first answer and writes nothing' })
  async scanAtGate(@Ctx() ctx: Context, @Arg('input', () => GateScanInput) input: GateScanInput): Promise<GateScanResult> {
    return GateScanResult.from(await scanAtGate(ctx, input));
  }
}
