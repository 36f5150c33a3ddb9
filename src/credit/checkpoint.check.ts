import { chainHash, GENESIS_HASH, type HashVersion } from './chain-hash';
import { checkpointSignatureValid, merkleRoot } from './checkpoint.merkle';
import type { CheckpointWithHeads } from './checkpoint.model';
import { ChainProblem, type BrokenChainLink, type ChainVerification, type CreditState, type RecordedHead, type ScoredEvent, type StoredLink } from './credit.model';
import { computeCredit } from './score';

/** How often the upkeep brings stored grades up to date with time-driven changes. */
export const CREDIT_UPKEEP_MS = 3600_000;

export interface LedgerCheckOptions {
  /** Every operator in scope with its recorded head and stored credit (seq 0 / null hash: no head recorded). */
  heads: readonly RecordedHead[];
  /** The latest checkpoint, whose leaves the chains must still contain; null when none was made. */
  checkpoint: CheckpointWithHeads | null;
  /** The key the checkpoint must be signed with; null skips the signature (its root is still recomputed). */
  publicKeyPem: string | null;
  /** The moment the stored credit is compared at. */
  asOf: Date;
  /** Stored credit may lag time-driven changes (an expiry) by up to this much: the upkeep's interval. */
  graceMs: number;
  /** Check one operator only: the other leaves of the checkpoint are not looked at. */
  onlyOperator?: number | null;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const sameState = (a: CreditState, b: Pick<RecordedHead, 'score' | 'grade' | 'forcedUntil'>) =>
  a.score === b.score && a.grade === b.grade && sameTime(a.forcedUntil, b.forcedUntil);
const stateText = (s: Pick<CreditState, 'score' | 'grade' | 'forcedUntil'>) => `${s.score}:${s.grade}:${s.forcedUntil ? s.forcedUntil.toISOString() : '-'}`;

/**
 * Whether the stored credit is what the events give at some moment in [asOf − grace, asOf]: the state changes only
 * at an event's time, expiry or end of forcing, so those moments and the window's start are all there is to try.
 */
export function storedCreditMatches(events: ScoredEvent[], stored: Pick<RecordedHead, 'score' | 'grade' | 'forcedUntil'>, asOf: Date, graceMs: number): { ok: boolean; expected: CreditState } {
  const expected = computeCredit(events, asOf);
  if (sameState(expected, stored)) return { ok: true, expected };
  const from = asOf.getTime() - graceMs;
  const moments = new Set<number>([from]);
  for (const e of events) {
    for (const d of [e.occurredAt, e.expiresAt, e.forcesDUntil]) if (d && d.getTime() > from && d.getTime() < asOf.getTime()) moments.add(d.getTime());
  }
  for (const m of moments) if (sameState(computeCredit(events, new Date(m)), stored)) return { ok: true, expected };
  return { ok: false, expected };
}

/**
 * Checks chains link by link, fed in (operator, seq) order, without holding more than one chain: each row's hash
 * recomputed from its stored columns by its hash version, each chain against its operator's recorded head, each
 * operator's stored score and grade against its events, and every head of the latest checkpoint against the chains
 * (an event at or before a checkpointed position that changed is a rewrite, however consistent). Used by the
 * server's verification and by the offline verifier alike.
 */
export class LedgerChecker {
  private readonly report: ChainVerification;
  private readonly heads = new Map<number, RecordedHead>();
  private readonly leaves = new Map<number, { seq: number; hash: string }>();
  private readonly seen = new Set<number>();
  private current: number | null = null;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private broken = false;
  private events: ScoredEvent[] = [];
  private leafMatched = false;

  constructor(private readonly options: LedgerCheckOptions) {
    this.report = { ok: true, operatorsChecked: 0, eventsChecked: 0, firstBroken: null, brokenOperatorIds: [], checkpointId: null, checkpointProblem: null };
    for (const h of options.heads) this.heads.set(h.operatorId, h);
    const c = options.checkpoint;
    if (c) {
      this.report.checkpointId = c.id;
      for (const h of c.heads) {
        if (options.onlyOperator == null || h.operatorId === options.onlyOperator) this.leaves.set(h.operatorId, { seq: h.seq, hash: h.hash });
      }
      if (c.heads.length !== c.size || merkleRoot(c.heads) !== c.root) this.checkpointFails(`the leaves of checkpoint ${c.id} do not give its signed root`);
      else if (options.publicKeyPem !== null && !checkpointSignatureValid(c, options.publicKeyPem)) this.checkpointFails(`checkpoint ${c.id} is not signed by the ledger's key`);
    }
  }

  private checkpointFails(problem: string): void {
    this.report.ok = false;
    this.report.checkpointProblem = problem;
  }

  private fail(link: BrokenChainLink): void {
    this.report.ok = false;
    if (!this.report.brokenOperatorIds.includes(link.operatorId)) this.report.brokenOperatorIds.push(link.operatorId);
    const first = this.report.firstBroken;
    if (!first || link.operatorId < first.operatorId || (link.operatorId === first.operatorId && link.seq < first.seq)) this.report.firstBroken = link;
  }

  /** The next stored link, in (operator, seq) order. */
  add(l: StoredLink): void {
    const r = l.canonical;
    if (r.operatorId !== this.current) {
      this.closeChain();
      this.current = r.operatorId;
      this.seen.add(r.operatorId);
      this.report.operatorsChecked += 1;
      this.expectedSeq = 1;
      this.prevHash = GENESIS_HASH;
      this.broken = false;
      this.events = [];
      this.leafMatched = false;
    }
    this.report.eventsChecked += 1;
    this.events.push({
      id: l.id, points: r.points, occurredAt: new Date(r.occurredAt), expiresAt: r.expiresAt ? new Date(r.expiresAt) : null,
      forcesDUntil: r.forcesDUntil ? new Date(r.forcesDUntil) : null, reversesId: r.reversesId,
    });
    if (this.broken) return;
    const at = { operatorId: r.operatorId, eventId: l.id, seq: r.seq };
    let link: BrokenChainLink | null = null;
    const version = (l.hashVersion ?? 1) as HashVersion;
    if (r.seq !== this.expectedSeq) link = { ...at, problem: ChainProblem.SEQUENCE_GAP, expected: String(this.expectedSeq), found: String(r.seq) };
    else if (l.prevHash !== this.prevHash) link = { ...at, problem: ChainProblem.PREVIOUS_HASH_MISMATCH, expected: this.prevHash, found: l.prevHash };
    else if (version !== 1 && version !== 2) link = { ...at, problem: ChainProblem.HASH_MISMATCH, expected: 'hash version 1 or 2', found: `hash version ${String(version)}` };
    else {
      const recomputed = chainHash(this.prevHash, r, version);
      if (recomputed !== l.hash) link = { ...at, problem: ChainProblem.HASH_MISMATCH, expected: recomputed, found: l.hash };
    }
    if (link) {
      this.broken = true;
      this.fail(link);
      return;
    }
    const leaf = this.leaves.get(r.operatorId);
    if (leaf && leaf.seq === r.seq) {
      this.leafMatched = true;
      if (leaf.hash !== l.hash) {
        this.fail({ ...at, problem: ChainProblem.CHECKPOINT_MISMATCH, expected: `${leaf.seq}:${leaf.hash}`, found: `${r.seq}:${l.hash}` });
      }
    }
    this.expectedSeq += 1;
    this.prevHash = l.hash;
  }

  // the chain just walked must end where its operator says it does, contain its checkpointed head, and score as stored
  private closeChain(): void {
    const id = this.current;
    if (id === null) return;
    const lastSeq = this.expectedSeq - 1;
    const head = this.heads.get(id);
    if (!this.broken) {
      const seq = head?.seq ?? 0;
      const hash = head?.hash ?? GENESIS_HASH;
      if (seq !== lastSeq || hash !== this.prevHash) {
        this.fail({ operatorId: id, eventId: null, seq, problem: ChainProblem.HEAD_MISMATCH, expected: `${seq}:${hash}`, found: `${lastSeq}:${this.prevHash}` });
      }
    }
    const leaf = this.leaves.get(id);
    if (leaf && !this.leafMatched && !this.broken) {
      this.fail({ operatorId: id, eventId: null, seq: leaf.seq, problem: ChainProblem.CHECKPOINT_MISMATCH, expected: `${leaf.seq}:${leaf.hash}`, found: `${lastSeq}:${this.prevHash}` });
    }
    if (head) this.checkCredit(head, this.events);
  }

  private checkCredit(head: RecordedHead, events: ScoredEvent[]): void {
    const { ok, expected } = storedCreditMatches(events, head, this.options.asOf, this.options.graceMs);
    if (!ok) {
      this.fail({ operatorId: head.operatorId, eventId: null, seq: head.seq, problem: ChainProblem.CREDIT_MISMATCH, expected: stateText(expected), found: stateText(head) });
    }
  }

  /** Closes the last chain and checks the operators that have no events at all. */
  finish(): ChainVerification {
    this.closeChain();
    this.current = null;
    for (const head of this.options.heads) {
      if (this.seen.has(head.operatorId)) continue;
      const leaf = this.leaves.get(head.operatorId);
      if (head.seq > 0 || leaf) {
        this.report.operatorsChecked += 1;
        if (head.seq > 0) {
          this.fail({ operatorId: head.operatorId, eventId: null, seq: head.seq, problem: ChainProblem.HEAD_MISMATCH, expected: `${head.seq}:${head.hash}`, found: `0:${GENESIS_HASH}` });
        }
        if (leaf) this.fail({ operatorId: head.operatorId, eventId: null, seq: leaf.seq, problem: ChainProblem.CHECKPOINT_MISMATCH, expected: `${leaf.seq}:${leaf.hash}`, found: `0:${GENESIS_HASH}` });
      }
      this.checkCredit(head, []);
    }
    this.report.brokenOperatorIds.sort((x, y) => x - y);
    return this.report;
  }
}
