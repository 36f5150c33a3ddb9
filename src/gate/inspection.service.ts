import { createHash } from 'node:crypto';
import { assertWorksAt } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { chargeCreditOnce } from '../credit/ledger.append';
import { BatchStatus, CreditSource, GateDecision, InspectionKind, NotificationKind, Role, TestResult } from '../entities/enums';
import { badInput, conflict, forbidden, notFound } from '../errors';
import { recordNotification } from '../notify/outbox';
import { toMilli } from '../quantity';
import { asStored } from '../tables/insert-once';
import { failedBefore, insertInspectionOnce, storeTestAnswer } from '../tables/inspection.table';
import { entryById, lockEntry, settleEntry } from '../tables/market-entry.table';
import * as v from '../validation';
import { clientKey } from './client-key';
import type { MarketEntryRecord, RecordedTestAnswer } from './gate.model';
import { lockBatchForScan, markNonConformant } from '../tables/batch.table';
import { marketById } from '../tables/market.table';
import { certificateById } from '../tables/origin-certificate.table';
import { TEST_REASONS } from './gate.rules';
import { admit } from './gate.service';
import { handoverFromStored } from '../trace/handover';
import { entryHandover } from '../tables/market-entry.table';
import type { InspectionItemModel } from './inspection.model';

export interface TestItemData {
  item: string;
  value?: number | null;
  unit?: string | null;
  result: TestResult;
}

export interface RecordTestData {
  entryId?: string | number | null;
  batchId?: string | number | null;
  marketId?: string | number | null;
  items: TestItemData[];
  tester: string;
  testId?: string | null;
}

const RULE = { [InspectionKind.RAPID]: 'RAPID_TEST_FAILED', [InspectionKind.LAB]: 'LAB_TEST_FAILED' } as const;
const PASSED = {
  [InspectionKind.RAPID]: { code: 'RAPID_TEST_PASSED', zh: '快检合格，准予进场', en: 'Passed the rapid test; admitted' },
  [InspectionKind.LAB]: { code: 'LAB_TEST_PASSED', zh: '实验室检测合格，准予进场', en: 'Passed the laboratory test; admitted' },
} as const;

function items(input: TestItemData[]): InspectionItemModel[] {
  if (!Array.isArray(input) || input.length === 0) throw badInput('items', 'name at least one tested item');
  if (input.length > 30) throw badInput('items', 'at most 30 items per test');
  return input.map((it, i) => {
    if (it.value != null && !Number.isFinite(it.value)) throw badInput(`items[${i}].value`, 'must be a number');
    if (!Object.values(TestResult).includes(it.result)) throw badInput(`items[${i}].result`, 'must be PASS or FAIL');
    return {
      item: v.text(`items[${i}].item`, it.item, 100),
      value: it.value ?? null,
      unit: v.text(`items[${i}].unit`, it.unit, 20, { optional: true }),
      result: it.result,
    };
  });
}

/** The payload fingerprint that tells a resend of a result (same hash) from a reuse of its testId for another. */
export function testRequestHash(p: { kind: InspectionKind; entryId: number | null; batchId: number | null; marketId: number | null; items: InspectionItemModel[]; tester: string }): string {
  const items = p.items.map((i) => [i.item, i.value, i.unit, i.result]);
  return createHash('sha256').update(JSON.stringify([p.kind, p.entryId, p.batchId, p.marketId, items, p.tester]), 'utf8').digest('hex');
}

/**
 * Records a rapid (gate) or lab test. A FAIL marks the lot non-conformant and charges its producer RAPID_TEST_FAILED
 * or LAB_TEST_FAILED, once per lot and kind of test; on an entry waiting for a test, a FAIL rejects it and a PASS
 * admits it (the goods pass to the vendor). A later test of an entry already decided is recorded but decides nothing.
 * With a testId the result is recorded exactly once: the inspection row is inserted first under the unique key, so a
 * resend waits for the first and returns its stored answer; a reuse of the key for another result is a CONFLICT.
 */
export async function recordTest(ctx: Context, kind: InspectionKind, input: RecordTestData): Promise<RecordedTestAnswer> {
  if (kind === InspectionKind.LAB && ctx.viewer.role !== Role.REGULATOR && ctx.viewer.role !== Role.ADMIN) throw forbidden('Lab tests are recorded by regulators');
  if ((input.entryId == null) === (input.batchId == null)) throw badInput(input.entryId == null ? 'entryId' : 'batchId', 'give exactly one of entryId or batchId');
  const entryId = input.entryId != null ? v.id('entryId', input.entryId) : null;
  const batchIdGiven = input.batchId != null ? v.id('batchId', input.batchId) : null;
  let marketId = input.marketId != null ? v.id('marketId', input.marketId) : null;
  const tested = items(input.items);
  const tester = v.text('tester', input.tester, 100);
  const result = tested.some((i) => i.result === TestResult.FAIL) ? TestResult.FAIL : TestResult.PASS;
  // a blank key is the same as none, as for any optional text
  const testId = input.testId != null && input.testId.trim() !== '' ? clientKey('testId', input.testId) : null;

  return withTransaction(ctx, async (tx) => {
    let entry: MarketEntryRecord | null = null;
    if (entryId !== null) {
      entry = (await lockEntry(tx, entryId)) ?? null;
      if (!entry) throw notFound('Market entry', entryId);
      assertWorksAt(tx.viewer, entry.market_id);
      if (marketId !== null && marketId !== entry.market_id) throw badInput('marketId', `entry ${entryId} is at market ${entry.market_id}`);
      marketId = entry.market_id;
      if (entry.batch_id === null) throw badInput('entryId', 'the scan named no known lot, so there is nothing to test');
    } else {
      if (marketId === null && tx.viewer.role === Role.GATE_STAFF) marketId = tx.viewer.marketId;
      if (marketId !== null) assertWorksAt(tx.viewer, marketId);
      else if (tx.viewer.role !== Role.REGULATOR && tx.viewer.role !== Role.ADMIN) throw forbidden();
    }
    const batchId = entry?.batch_id ?? batchIdGiven!;
    const batch = await lockBatchForScan(tx, batchId);
    if (!batch) throw notFound('Batch', batchId);
    if (marketId !== null && entryId === null && !(await marketById(tx, marketId))) throw notFound('Market', marketId);

    const hash = testId === null ? null : testRequestHash({ kind, entryId, batchId: batchIdGiven, marketId, items: tested, tester });
    // the first write: every effect below follows only when this result was not recorded before under its testId
    const once = await insertInspectionOnce(tx, {
      batch_id: batch.id, market_id: marketId, entry_id: entryId, kind, items: tested, result, tester, recorded_by_id: tx.viewer.accountId,
      test_id: testId, request_hash: hash,
    });
    if (once.answer) return once.answer;
    const inspection = once.row!;

    // a lot is charged once per kind of test: a retest that fails again is the same violation (the lot row is locked)
    if (result === TestResult.FAIL) {
      await markNonConformant(tx, batch.id);
      if (!(await failedBefore(tx, batch.id, kind, inspection.id))) {
        // the producer answers for the lot: the certificate's issuer when the load came with one, else the lot's owner
        const issuer = entry?.certificate_id ? (await certificateById(tx, entry.certificate_id))?.issuer_id ?? null : null;
        const failedItems = tested.filter((i) => i.result === TestResult.FAIL).map((i) => i.item).join(', ');
        await chargeCreditOnce(tx, {
          operatorId: issuer ?? batch.owner_id,
          ruleCode: RULE[kind],
          reason: `${TEST_REASONS[RULE[kind]].zh} / ${TEST_REASONS[RULE[kind]].en}: ${failedItems} (lot ${batch.lot_code}, inspection ${inspection.id})`.slice(0, 1000),
          source: CreditSource.INSPECTION,
          sourceRef: String(inspection.id),
          recordedById: tx.viewer.accountId,
        }, { lotId: batch.id, certificateId: null });
      }
      // every failed result is told, a retest that fails again included: the office, the lot's owner, the market's gate
      await recordNotification(tx, {
        kind: NotificationKind.TEST_FAILED,
        subject: `检测不合格 Test failed: ${batch.lot_code} (${tested.filter((i) => i.result === TestResult.FAIL).map((i) => i.item).join(', ')})`,
        payload: { inspectionId: inspection.id, kind, batchId: batch.id, lotCode: batch.lot_code, marketId, entryId },
        audience: { roles: [Role.REGULATOR, Role.ADMIN], operatorIds: [batch.owner_id], marketIds: marketId !== null ? [marketId] : [] },
      });
    }

    // the entry row is locked: only the first test to find it waiting decides it, and admits the goods at most once
    if (entry && entry.decision === GateDecision.TEST_REQUIRED) {
      if (result === TestResult.FAIL) {
        entry = await settleEntry(tx, entry.id, GateDecision.REJECTED, [...entry.reasons, TEST_REASONS[RULE[kind]]], null);
      } else {
        const quantity = Number(entry.declared_quantity);
        if (batch.status !== BatchStatus.ACTIVE || toMilli(batch.remaining) < toMilli(quantity)) {
          throw conflict(`the lot can no longer be admitted: it is ${batch.status} with ${Number(batch.remaining)} ${batch.unit} left`);
        }
        const received = await admit(tx, batch, entry.vendor_id, quantity, handoverFromStored(await entryHandover(tx, entry.id)));
        entry = await settleEntry(tx, entry.id, GateDecision.ACCEPTED, [...entry.reasons, PASSED[kind]], received.id);
      }
    }
    const answer = asStored({ inspection, entry }) as unknown as RecordedTestAnswer;
    if (testId !== null) await storeTestAnswer(tx, inspection.id, answer);
    // hand back what a resend will read, so the first answer and every resend serialise identically
    return answer;
  });
}

/** A market entry as it stands now (after any test that decided it). */
export async function getEntry(ctx: Context, id: string | number): Promise<MarketEntryRecord> {
  const entryId = v.id('id', id);
  const entry = await entryById(ctx, entryId);
  if (!entry) throw notFound('Market entry', entryId);
  assertWorksAt(ctx.viewer, entry.market_id);
  return entry;
}
