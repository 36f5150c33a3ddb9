import type { Db } from '../context';
import { notFound } from '../errors';
import { chainLinksAfter } from '../tables/credit-event.table';
import { operatorExists, recordedChainHeads } from '../tables/operator.table';
import { chainHash, GENESIS_HASH } from './chain-hash';
import { ChainProblem, type BrokenChainLink, type ChainVerification } from './credit.model';

const VERIFY_CHUNK = 5000;

/**
 * Walks chains in (operator, seq) order, recomputing each row's hash from its stored columns, and checks that each
 * chain ends at the head its operator recorded (an operator with no recorded head, from a bulk import, is not checked).
 */
async function verifyChains(ctx: Db, operatorId: number | null): Promise<ChainVerification> {
  const report: ChainVerification = { ok: true, operatorsChecked: 0, eventsChecked: 0, firstBroken: null, brokenOperatorIds: [] };
  const heads = await recordedChainHeads(ctx, operatorId);
  const fail = (link: BrokenChainLink) => {
    report.ok = false;
    report.brokenOperatorIds.push(link.operatorId);
    if (!report.firstBroken || link.operatorId < report.firstBroken.operatorId) report.firstBroken = link;
  };
  let current: number | null = null;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let broken = false;
  const seen = new Set<number>();
  // the chain just walked must end where its operator says it does
  const closeChain = () => {
    if (current === null || broken) return;
    const head = heads.get(current);
    const lastSeq = expectedSeq - 1;
    if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
      fail({ operatorId: current, eventId: null, seq: head.seq, problem: ChainProblem.HEAD_MISMATCH, expected: `${head.seq}:${head.hash}`, found: `${lastSeq}:${prevHash}` });
    }
  };
  let after: [number, number] = [0, 0];
  for (;;) {
    const links = await chainLinksAfter(ctx, after, operatorId, VERIFY_CHUNK);
    for (const l of links) {
      const r = l.canonical;
      if (r.operatorId !== current) {
        closeChain();
        current = r.operatorId;
        seen.add(current);
        report.operatorsChecked += 1;
        expectedSeq = 1;
        prevHash = GENESIS_HASH;
        broken = false;
      }
      report.eventsChecked += 1;
      if (broken) continue;
      let link: BrokenChainLink | null = null;
      const at = { operatorId: r.operatorId, eventId: l.id, seq: r.seq };
      if (r.seq !== expectedSeq) link = { ...at, problem: ChainProblem.SEQUENCE_GAP, expected: String(expectedSeq), found: String(r.seq) };
      else if (l.prevHash !== prevHash) link = { ...at, problem: ChainProblem.PREVIOUS_HASH_MISMATCH, expected: prevHash, found: l.prevHash };
      else {
        const recomputed = chainHash(prevHash, r);
        if (recomputed !== l.hash) link = { ...at, problem: ChainProblem.HASH_MISMATCH, expected: recomputed, found: l.hash };
      }
      if (link) {
        broken = true;
        fail(link);
        continue;
      }
      expectedSeq += 1;
      prevHash = l.hash;
    }
    if (links.length < VERIFY_CHUNK) break;
    const tail = links[links.length - 1].canonical;
    after = [tail.operatorId, tail.seq];
  }
  closeChain();
  // operators whose every event is gone
  for (const [id, head] of heads) {
    if (seen.has(id)) continue;
    report.operatorsChecked += 1;
    fail({ operatorId: id, eventId: null, seq: head.seq, problem: ChainProblem.HEAD_MISMATCH, expected: `${head.seq}:${head.hash}`, found: `0:${GENESIS_HASH}` });
  }
  report.brokenOperatorIds.sort((x, y) => x - y);
  return report;
}

/** Verifies one operator's chain and reports its first broken link. */
export async function verifyCreditChain(ctx: Db, operatorId: number): Promise<ChainVerification> {
  if (!(await operatorExists(ctx, operatorId))) throw notFound('Operator', operatorId);
  return verifyChains(ctx, operatorId);
}

/** Verifies every operator's chain in the archive. */
export function verifyCreditArchive(ctx: Db): Promise<ChainVerification> {
  return verifyChains(ctx, null);
}
