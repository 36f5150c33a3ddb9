import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { appendCreditEvent } from '../credit/ledger.service';
import { CreditSource } from '../entities/enums';
import { notFound } from '../errors';
import * as v from '../validation';
import type { RecallImpact as RecallAnswer } from '../schema/recall.type';
import { DESCENDANTS_CTE } from './trace.sql';
import { subtreeImpact } from './trace.service';

/** What a recall reached, as computed when it was made (stored with the recall); `created` belongs to each request. */
export type RecallImpact = Omit<RecallAnswer, 'created'>;

export interface RecallResult {
  impact: RecallImpact;
  /** False when the batch had been recalled before: nothing was changed. */
  created: boolean;
}

export interface InitiateRecallData {
  batchId: string | number;
  reason: string;
}

/** Marks every descendant not yet recalled; returns how many it marked. */
async function markDescendants(em: EntityManager, batchId: number): Promise<number> {
  const [{ n }] = await em.execute<{ n: string }[]>(
    `${DESCENDANTS_CTE},
     marked as (update batch set status = 'RECALLED' where id in (select id from down) and status <> 'RECALLED' returning 1)
     select count(*) as n from marked`,
    [batchId],
  );
  return Number(n);
}

/**
 * Recalls a batch: it and every descendant become RECALLED, the recall and its impact are recorded and the
 * source batch's owner gets a RECALL_SOURCE credit event — all in one transaction. Recalling the same batch
 * again returns the first recall's impact and writes nothing.
 */
export async function initiateRecall(ctx: Context, input: InitiateRecallData): Promise<RecallResult> {
  const batchId = v.id('batchId', input.batchId);
  const reason = v.text('reason', input.reason, 1000, { multiline: true });
  return ctx.em.transactional(async (em) => {
    // the source row lock serialises two recalls of one batch: the second sees the first's row
    const [source] = await em.execute<{ id: number; owner_id: number; public_code: string; lot_code: string; product_name: string }[]>(
      'select id, owner_id, public_code, lot_code, product_name from batch where id = ? for update',
      [batchId],
    );
    if (!source) throw notFound('Batch', batchId);
    const [existing] = await em.execute<{ impact: RecallImpact }[]>('select impact from recall where batch_id = ?', [batchId]);
    if (existing) return { impact: { ...existing.impact, recalledAt: new Date(existing.impact.recalledAt) }, created: false };

    // a lineage step that committed while the walk ran may have added a child the walk's snapshot missed;
    // each pass sees it, and once its parent is RECALLED no new child can be taken from it
    let newlyRecalled = 0;
    for (let marked = await markDescendants(em, batchId); marked > 0; marked = await markDescendants(em, batchId)) {
      newlyRecalled += marked;
    }
    const { operators, ...counts } = await subtreeImpact(em, batchId);
    const [recall] = await em.execute<{ id: number; created_at: Date }[]>(
      `insert into recall (batch_id, reason, initiated_by_id, impact) values (?, ?, ?, '{}'::jsonb) returning id, created_at`,
      [batchId, reason, ctx.viewer.accountId],
    );
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
    await em.execute('update recall set impact = ?::jsonb where id = ?', [JSON.stringify(impact), recall.id]);
    await appendCreditEvent({ em }, {
      operatorId: source.owner_id,
      ruleCode: 'RECALL_SOURCE',
      reason: `Recall of ${source.product_name} lot ${source.lot_code}: ${reason}`.slice(0, 1000),
      source: CreditSource.RECALL,
      sourceRef: `recall:${recall.id}`,
      recordedById: ctx.viewer.accountId,
    });
    return { impact, created: true };
  });
}
