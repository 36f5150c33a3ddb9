import type { Context, Db } from '../context';
import { notFound } from '../errors';
import { latestCheckpoint } from '../tables/checkpoint.table';
import { chainLinksAfter } from '../tables/credit-event.table';
import { operatorExists, recordedHeadsAndCredit } from '../tables/operator.table';
import { CREDIT_UPKEEP_MS, LedgerChecker } from './checkpoint.check';
import { ledgerKey } from './checkpoint.key';
import type { ChainVerification } from './credit.model';

const VERIFY_CHUNK = 5000;

type VerifyCtx = Db & Pick<Context, 'config'>;

/**
 * Walks chains in (operator, seq) order through `LedgerChecker`: each row's hash recomputed from its stored columns,
 * each chain against the head its operator recorded (also when that head is position 0), each stored score and grade
 * against the events, and the latest signed checkpoint's heads against the chains.
 */
async function verifyChains(ctx: VerifyCtx, operatorId: number | null, asOf = new Date()): Promise<ChainVerification> {
  const heads = await recordedHeadsAndCredit(ctx, operatorId);
  const checkpoint = await latestCheckpoint(ctx);
  const checker = new LedgerChecker({
    heads,
    checkpoint,
    publicKeyPem: checkpoint ? ledgerKey(ctx.config).publicKeyPem : null,
    asOf,
    graceMs: CREDIT_UPKEEP_MS + 5 * 60_000,
    onlyOperator: operatorId,
  });
  let after: [number, number] = [0, 0];
  for (;;) {
    const links = await chainLinksAfter(ctx, after, operatorId, VERIFY_CHUNK);
    for (const l of links) checker.add(l);
    if (links.length < VERIFY_CHUNK) break;
    const tail = links[links.length - 1].canonical;
    after = [tail.operatorId, tail.seq];
  }
  return checker.finish();
}

/** Verifies one operator's chain, its stored credit and its head in the latest checkpoint; reports its first broken link. */
export async function verifyCreditChain(ctx: VerifyCtx, operatorId: number): Promise<ChainVerification> {
  if (!(await operatorExists(ctx, operatorId))) throw notFound('Operator', operatorId);
  return verifyChains(ctx, operatorId);
}

/** Verifies every operator's chain, stored credit and checkpointed head in the archive. */
export function verifyCreditArchive(ctx: VerifyCtx): Promise<ChainVerification> {
  return verifyChains(ctx, null);
}
