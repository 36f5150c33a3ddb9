import { InspectionOutcome, ItemAnswer, ItemSeverity } from '../entities/enums';
import type { InspectionAnswerModel } from './supervision.model';

/**
 * The outcome of an inspection, from its answers, read top to bottom:
 * - any CRITICAL item answered NO → SERIOUS;
 * - else any MAJOR or MINOR item answered NO → PUT_RIGHT (a rectification order follows);
 * - else PASS.
 */
export function outcomeOf(answers: readonly InspectionAnswerModel[]): InspectionOutcome {
  const failed = answers.filter((a) => a.answer === ItemAnswer.NO);
  if (failed.some((a) => a.severity === ItemSeverity.CRITICAL)) return InspectionOutcome.SERIOUS;
  if (failed.length) return InspectionOutcome.PUT_RIGHT;
  return InspectionOutcome.PASS;
}

/** Points deducted per failed item, by severity; an inspection's deduction is their sum, within INSPECTION_VIOLATION's range. */
export const SEVERITY_POINTS: Record<ItemSeverity, number> = {
  [ItemSeverity.MINOR]: 2,
  [ItemSeverity.MAJOR]: 5,
  [ItemSeverity.CRITICAL]: 15,
};

/** Months a deduction counts: 24 for a serious outcome, 12 otherwise. */
export const OUTCOME_EXPIRY_MONTHS: Record<Exclude<InspectionOutcome, 'PASS'>, number> = { SERIOUS: 24, PUT_RIGHT: 12 };

/** Days an operator has to put faults right when the inspector names no deadline. */
export const RECTIFICATION_DAYS: Record<Exclude<InspectionOutcome, 'PASS'>, number> = { SERIOUS: 3, PUT_RIGHT: 7 };

/** The deduction for these answers: 0 for none failed, else between −30 and −5 (INSPECTION_VIOLATION's range). */
export function deductionOf(answers: readonly InspectionAnswerModel[]): number {
  const sum = answers.filter((a) => a.answer === ItemAnswer.NO).reduce((s, a) => s + SEVERITY_POINTS[a.severity], 0);
  if (sum === 0) return 0;
  return -Math.min(30, Math.max(5, sum));
}
