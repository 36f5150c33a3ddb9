import type { Db } from './table';
import type { InspectionKind } from '../entities/enums';
import type { BoardTestModel, RecordedTestAnswer } from '../gate/gate.model';
import type { InspectionItemModel, InspectionRecord } from '../gate/inspection.model';
import { insertOnce, type InsertedOnce } from './insert-once';
import type { ChartCount } from '../charts/desk-charts.model';
import { defineTable } from './table';

export interface InspectionRow extends InspectionRecord {
  recorded_by_id: number | null;
  request_hash: string | null;
  response: RecordedTestAnswer | null;
}

export const inspectionTable = defineTable<InspectionRow>('inspection', {
  id: 'int4',
  batch_id: 'int4',
  market_id: 'int4',
  entry_id: 'int4',
  kind: 'text',
  items: 'jsonb',
  result: 'text',
  tester: 'varchar',
  recorded_by_id: 'int4',
  inspected_at: 'timestamptz',
  test_id: 'varchar',
  request_hash: 'bpchar',
  response: 'jsonb',
});

/** The columns of an inspection as a test answer carries it. */
const RECORD: readonly (keyof InspectionRecord)[] = ['id', 'kind', 'batch_id', 'market_id', 'entry_id', 'items', 'result', 'tester', 'test_id', 'inspected_at'];

export type NewInspection = Pick<
  InspectionRow, 'batch_id' | 'market_id' | 'entry_id' | 'kind' | 'items' | 'result' | 'tester' | 'recorded_by_id' | 'test_id' | 'request_hash'
>;

/**
 * Records a test; with a testId, exactly once: a resend gets the answer stored by the first (test_id and
 * request_hash are both null without one, and such a row never conflicts).
 */
export function insertInspectionOnce(tx: Db, inspection: NewInspection): Promise<InsertedOnce<InspectionRow, InspectionRecord>> {
  return insertOnce(tx, inspectionTable, 'test_id', inspection, RECORD, `testId ${inspection.test_id} was already used for a different test result`);
}

/** Stores the answer a resend with the same testId gets. */
export async function storeTestAnswer(tx: Db, id: number, answer: RecordedTestAnswer): Promise<void> {
  await tx.em.execute('update inspection set response = ?::jsonb where id = ?', [JSON.stringify(answer), id]);
}

/** The lot failed a test of this kind before this inspection. */
export async function failedBefore(tx: Db, batchId: number, kind: InspectionKind, inspectionId: number): Promise<boolean> {
  const rows = await tx.em.execute(`select 1 from inspection where batch_id = ? and kind = ? and result = 'FAIL' and id <> ? limit 1`, [batchId, kind, inspectionId]);
  return rows.length > 0;
}

interface BoardRow {
  id: number;
  kind: InspectionKind;
  inspected_at: Date;
  batch_id: number;
  public_code: string;
  product_name: string;
  vendor_id: number;
  vendor_name: string;
  items: InspectionItemModel[];
  result: InspectionRecord['result'];
  tester: string;
}

/**
 * Every test recorded at a market in [from, to), oldest first, with the public facts of its lot and vendor: the
 * entry's receiving vendor, else the lot's owner.
 */
export async function boardTests(ctx: Db, marketId: number, from: Date, to: Date): Promise<BoardTestModel[]> {
  const rows = await ctx.em.execute<BoardRow[]>(
    `select i.id, i.kind, i.inspected_at, i.batch_id, b.public_code, b.product_name,
            coalesce(e.vendor_id, b.owner_id) as vendor_id, v.name as vendor_name, i.items, i.result, i.tester
       from inspection i
       join batch b on b.id = i.batch_id
       left join market_entry e on e.id = i.entry_id
       join operator v on v.id = coalesce(e.vendor_id, b.owner_id)
      where i.market_id = ? and i.inspected_at >= ? and i.inspected_at < ?
      order by i.inspected_at, i.id`,
    [marketId, from, to],
  );
  return rows.map((r) => ({
    inspectionId: r.id,
    kind: r.kind,
    inspectedAt: new Date(r.inspected_at),
    batchId: r.batch_id,
    batchPublicCode: r.public_code,
    productName: r.product_name,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    items: r.items,
    result: r.result,
    tester: r.tester,
  }));
}

/** Rapid and lab tests per local month (in `timeZone`) and result, for tests in [from, to). */
export function resultCountsByMonth(ctx: Db, from: Date, to: Date, timeZone: string): Promise<ChartCount[]> {
  return ctx.em.execute<ChartCount[]>(
    `select to_char(inspected_at at time zone ?, 'YYYY-MM') as bucket, result as series, count(*)::int as count
       from inspection where inspected_at >= ? and inspected_at < ? group by 1, 2`,
    [timeZone, from, to],
  );
}
