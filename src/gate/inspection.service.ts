import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertWorksAt } from '../auth/access';
import type { Context } from '../context';
import { appendCreditEvent } from '../credit/ledger.service';
import { BatchStatus, CreditSource, GateDecision, InspectionKind, Role, TestResult } from '../entities/enums';
import type { EntryReason } from '../entities/market-entry.entity';
import type { InspectionItem } from '../entities/inspection.entity';
import { badInput, conflict, forbidden, notFound } from '../errors';
import * as v from '../validation';
import { admit, clientKey } from './gate.service';
import { TEST_REASONS } from './gate.rules';

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

export interface InspectionRow {
  id: number;
  kind: InspectionKind;
  batch_id: number;
  market_id: number | null;
  entry_id: number | null;
  items: InspectionItem[];
  result: TestResult;
  tester: string;
  test_id: string | null;
  inspected_at: Date;
}

export interface EntryRow {
  id: number;
  market_id: number;
  scan_id: string;
  batch_id: number | null;
  certificate_id: number | null;
  vendor_id: number;
  declared_quantity: string;
  unit: string;
  decision: GateDecision;
  reasons: EntryReason[];
  received_batch_id: number | null;
  created_at: Date;
  decided_at: Date | null;
}

/** A row as it travels in a stored answer: times are ISO strings. */
export type Stored<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/**
 * What recording a test answers: the inspection and, when the test named an entry, that entry as the test left it.
 * Stored with an inspection that carries a testId and returned as is to every resend.
 */
export interface RecordedTestAnswer {
  inspection: Stored<InspectionRow>;
  entry: Stored<EntryRow> | null;
}

const INSPECTION_COLUMNS = 'id, kind, batch_id, market_id, entry_id, items, result, tester, test_id, inspected_at';
const ENTRY_COLUMNS = 'id, market_id, scan_id, batch_id, certificate_id, vendor_id, declared_quantity, unit, decision, reasons, received_batch_id, created_at, decided_at';

const RULE = { [InspectionKind.RAPID]: 'RAPID_TEST_FAILED', [InspectionKind.LAB]: 'LAB_TEST_FAILED' } as const;
const PASSED = {
  [InspectionKind.RAPID]: { code: 'RAPID_TEST_PASSED', zh: '快检合格，准予进场', en: 'Passed the rapid test; admitted' },
  [InspectionKind.LAB]: { code: 'LAB_TEST_PASSED', zh: '实验室检测合格，准予进场', en: 'Passed the laboratory test; admitted' },
} as const;

function items(input: TestItemData[]): InspectionItem[] {
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
export function testRequestHash(p: { kind: InspectionKind; entryId: number | null; batchId: number | null; marketId: number | null; items: InspectionItem[]; tester: string }): string {
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

  return ctx.em.transactional(async (em) => {
    let entry: EntryRow | null = null;
    if (entryId !== null) {
      [entry] = await em.execute<EntryRow[]>(`select ${ENTRY_COLUMNS} from market_entry where id = ? for update`, [entryId]);
      if (!entry) throw notFound('Market entry', entryId);
      assertWorksAt(ctx.viewer, entry.market_id);
      if (marketId !== null && marketId !== entry.market_id) throw badInput('marketId', `entry ${entryId} is at market ${entry.market_id}`);
      marketId = entry.market_id;
      if (entry.batch_id === null) throw badInput('entryId', 'the scan named no known lot, so there is nothing to test');
    } else {
      if (marketId === null && ctx.viewer.role === Role.GATE_STAFF) marketId = ctx.viewer.marketId;
      if (marketId !== null) assertWorksAt(ctx.viewer, marketId);
      else if (ctx.viewer.role !== Role.REGULATOR && ctx.viewer.role !== Role.ADMIN) throw forbidden();
    }
    const batchId = entry?.batch_id ?? batchIdGiven!;
    const [batch] = await em.execute<{ id: number; owner_id: number; public_code: string; lot_code: string; unit: string; status: BatchStatus; remaining: string }[]>(
      'select id, owner_id, public_code, lot_code, unit, status, remaining from batch where id = ? for no key update',
      [batchId],
    );
    if (!batch) throw notFound('Batch', batchId);
    if (marketId !== null && entryId === null) {
      const [m] = await em.execute('select 1 from market where id = ?', [marketId]);
      if (!m) throw notFound('Market', marketId);
    }

    const hash = testId === null ? null : testRequestHash({ kind, entryId, batchId: batchIdGiven, marketId, items: tested, tester });
    // the first write: every effect below follows only when this result was not recorded before under its testId
    const [inspection] = await em.execute<InspectionRow[]>(
      `insert into inspection (batch_id, market_id, entry_id, kind, items, result, tester, recorded_by_id, test_id, request_hash)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?) on conflict (test_id) do nothing returning ${INSPECTION_COLUMNS}`,
      [batch.id, marketId, entryId, kind, JSON.stringify(tested), result, tester, ctx.viewer.accountId, testId, hash],
    );
    if (!inspection) {
      // the first sending of this testId has committed (the insert waited for it): its answer is the answer
      const [stored] = await em.execute<{ request_hash: string; response: RecordedTestAnswer | null }[]>(
        'select request_hash, response from inspection where test_id = ?',
        [testId],
      );
      if (!stored || stored.request_hash !== hash || !stored.response) throw conflict(`testId ${testId} was already used for a different test result`);
      return stored.response;
    }

    if (result === TestResult.FAIL) {
      await em.execute('update batch set non_conformant = true where id = ?', [batch.id]);
    }
    // a lot is charged once per kind of test: a retest that fails again is the same violation (the lot row is locked)
    const [chargedBefore] = result === TestResult.FAIL
      ? await em.execute(`select 1 from inspection where batch_id = ? and kind = ? and result = 'FAIL' and id <> ? limit 1`, [batch.id, kind, inspection.id])
      : [];
    if (result === TestResult.FAIL && !chargedBefore) {
      // the producer answers for the lot: the certificate's issuer when the load came with one, else the lot's owner
      const [cert] = entry?.certificate_id
        ? await em.execute<{ issuer_id: number }[]>('select issuer_id from origin_certificate where id = ?', [entry.certificate_id])
        : [];
      const failedItems = tested.filter((i) => i.result === TestResult.FAIL).map((i) => i.item).join(', ');
      await appendCreditEvent({ em }, {
        operatorId: cert?.issuer_id ?? batch.owner_id,
        ruleCode: RULE[kind],
        reason: `${TEST_REASONS[RULE[kind]].zh} / ${TEST_REASONS[RULE[kind]].en}: ${failedItems} (lot ${batch.lot_code}, inspection ${inspection.id})`.slice(0, 1000),
        source: CreditSource.INSPECTION,
        sourceRef: String(inspection.id),
        recordedById: ctx.viewer.accountId,
      });
    }

    // the entry row is locked: only the first test to find it waiting decides it, and admits the goods at most once
    if (entry && entry.decision === GateDecision.TEST_REQUIRED) {
      if (result === TestResult.FAIL) {
        entry = await settle(em, entry.id, GateDecision.REJECTED, [...entry.reasons, TEST_REASONS[RULE[kind]]], null);
      } else {
        const quantity = Number(entry.declared_quantity);
        if (batch.status !== BatchStatus.ACTIVE || Number(batch.remaining) < quantity) {
          throw conflict(`the lot can no longer be admitted: it is ${batch.status} with ${Number(batch.remaining)} ${batch.unit} left`);
        }
        const received = await admit(em, batch, entry.vendor_id, quantity);
        entry = await settle(em, entry.id, GateDecision.ACCEPTED, [...entry.reasons, PASSED[kind]], received.id);
      }
    }
    const answer = JSON.parse(JSON.stringify({ inspection, entry })) as RecordedTestAnswer;
    if (testId !== null) await em.execute('update inspection set response = ?::jsonb where id = ?', [JSON.stringify(answer), inspection.id]);
    // hand back what a resend will read, so the first answer and every resend serialise identically
    return answer;
  });
}

async function settle(em: EntityManager, entryId: number, decision: GateDecision, reasons: EntryReason[], receivedBatchId: number | null): Promise<EntryRow> {
  const [row] = await em.execute<EntryRow[]>(
    `update market_entry set decision = ?, reasons = ?::jsonb, received_batch_id = coalesce(?, received_batch_id), decided_at = now()
      where id = ? returning ${ENTRY_COLUMNS}`,
    [decision, JSON.stringify(reasons), receivedBatchId, entryId],
  );
  return row;
}

/** A market entry as it stands now (after any test that decided it). */
export async function getEntry(ctx: Context, id: string | number): Promise<EntryRow> {
  const entryId = v.id('id', id);
  const [entry] = await ctx.em.execute<EntryRow[]>(`select ${ENTRY_COLUMNS} from market_entry where id = ?`, [entryId]);
  if (!entry) throw notFound('Market entry', entryId);
  assertWorksAt(ctx.viewer, entry.market_id);
  return entry;
}
