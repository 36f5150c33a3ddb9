import { withTransaction, type Context } from '../context';
import { appendCreditEvent } from '../credit/ledger.service';
import { CreditSource, NotificationKind, Role } from '../entities/enums';
import { notFound } from '../errors';
import { recordNotification } from '../notify/outbox';
import { descendantIds, lockBatch, markDescendantsRecalled, markRecalled } from '../tables/batch.table';
import { insertRecall, recallImpactOfBatch, setRecallImpact } from '../tables/recall.table';
import * as v from '../validation';
import type { RecallImpact } from './trace.model';
import { subtreeImpact } from './trace.service';

export type { RecallImpact };

export interface RecallResult {
  impact: RecallImpact;
  /** False when the batch had been recalled before: nothing was changed. */
  created: boolean;
}

export interface InitiateRecallData {
  batchId: string | number;
  reason: string;
}

/**
 * Descendants marked RECALLED per statement. One statement over a whole large subtree outgrows the statement timeout
 * (400,000 lots of the 4× benchmark county: 23 s); each slice is a statement of its own in the same transaction.
 */
export const RECALL_SLICE = 100_000;

/**
 * Recalls a batch: it and every descendant become RECALLED, the recall and its impact are recorded and the
 * source batch's owner gets a RECALL_SOURCE credit event — all in one transaction. Recalling the same batch
 * again returns the first recall's impact and writes nothing.
 */
export async function initiateRecall(ctx: Context, input: InitiateRecallData, slice = RECALL_SLICE): Promise<RecallResult> {
  const batchId = v.id('batchId', input.batchId);
  const reason = v.text('reason', input.reason, 1000, { multiline: true });
  return withTransaction(ctx, async (tx) => {
    // the source row lock serialises two recalls of one batch: the second sees the first's row
    const source = await lockBatch(tx, batchId);
    if (!source) throw notFound('Batch', batchId);
    const existing = await recallImpactOfBatch(tx, batchId);
    if (existing) return { impact: existing, created: false };

    // the subtree walked once, then marked a slice at a time
    let newlyRecalled = 0;
    const subtree = await descendantIds(tx, batchId);
    for (let from = 0; from < subtree.length; from += slice) newlyRecalled += await markRecalled(tx, subtree.slice(from, from + slice));
    // then walked again until a pass marks none: a lineage step that committed while a walk ran may have added a child
    // that walk's snapshot missed; the next pass sees it, and once its parent is RECALLED no new child can be taken from it
    for (let marked = await markDescendantsRecalled(tx, batchId, slice); marked > 0; marked = await markDescendantsRecalled(tx, batchId, slice)) {
      newlyRecalled += marked;
    }
    const { operators, ...counts } = await subtreeImpact(tx, batchId);
    const recall = await insertRecall(tx, batchId, reason, tx.viewer.accountId);
    const impact: RecallImpact = {
      recallId: recall.id,
      batchId,
      batchCode: source.public_code,
      reason,
      recalledAt: new Date(recall.created_at),
      newlyRecalled,
      ...counts,
      operators: operators.map(({ id, name, kind, batches }) => ({ id, name, kind, batches })),
    };
    await setRecallImpact(tx, recall.id, impact);
    await appendCreditEvent(tx, {
      operatorId: source.owner_id,
      ruleCode: 'RECALL_SOURCE',
      reason: `Recall of ${source.product_name} lot ${source.lot_code}: ${reason}`.slice(0, 1000),
      source: CreditSource.RECALL,
      sourceRef: `recall:${recall.id}`,
      recordedById: tx.viewer.accountId,
    });
    // told to the office, every operator holding recalled goods and the gate staff of every market they reached
    await recordNotification(tx, {
      kind: NotificationKind.RECALL_STARTED,
      subject: `召回 Recall: ${source.product_name} ${source.lot_code} — ${reason}`,
      payload: { recallId: recall.id, batchId, batchCode: source.public_code, productName: source.product_name, lotCode: source.lot_code, reason, batches: impact.batches },
      audience: { roles: [Role.REGULATOR, Role.ADMIN], operatorIds: impact.operators.map((o) => o.id), marketIds: impact.markets.map((m) => m.id) },
    });
    return { impact, created: true };
  });
}
