import type { InspectionKind, TestResult } from '../entities/enums';

/** One tested item of a rapid or lab test, e.g. an organophosphate inhibition rate; the trace shows the same items. */
export interface InspectionItemModel {
  item: string;
  value: number | null;
  unit: string | null;
  result: TestResult;
}

/**
 * An inspection as a test answer carries it. The names are the row's own, because the answer is stored as JSON
 * with an inspection recorded under a testId and replayed from there to every resend.
 */
export interface InspectionRecord {
  id: number;
  kind: InspectionKind;
  batch_id: number;
  market_id: number | null;
  entry_id: number | null;
  items: InspectionItemModel[];
  result: TestResult;
  tester: string;
  test_id: string | null;
  inspected_at: Date;
}
