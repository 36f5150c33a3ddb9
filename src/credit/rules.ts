import { Grade } from '../entities/enums';

/** What a repeated refusal is charged by: the certificate the load came with, or the lot. */
export type ChargeCause = 'certificate' | 'lot';

/** One credit rule: how many points, how long an event counts, whether it forces grade D, how often a cause is charged. */
export interface CreditRule {
  code: string;
  /** Fixed points, or the range a regulator may choose from. */
  points: number | { min: number; max: number };
  /** Months an event with points keeps counting (deductions and additions alike); null for never expiring. */
  expiresMonths: number | null | { min: number; max: number };
  /** Months the grade is held at D; null for no forcing. */
  forcesDMonths: number | null;
  /**
   * A cause is charged once: the gate or a test charges this rule at most once per certificate or lot within
   * `windowDays` (a burst of retries or devices is one violation). Null for rules charged by people.
   */
  chargeOncePer: ChargeCause | null;
  /** Days after a charge in which the same cause is not charged again; null for never again. */
  windowDays: number | null;
  /** Recorded by people through `recordCreditEvent` rather than by the system. */
  recordable: boolean;
  zh: string;
  en: string;
}

export const CREDIT_RULES: Record<string, CreditRule> = {
  NO_CERTIFICATE: { code: 'NO_CERTIFICATE', points: -5, expiresMonths: 12, forcesDMonths: null, chargeOncePer: 'lot', windowDays: 1, recordable: false, zh: '进场未出示合格证', en: 'Arrived at a gate without a certificate' },
  CERTIFICATE_QUANTITY_EXCEEDED: { code: 'CERTIFICATE_QUANTITY_EXCEEDED', points: -10, expiresMonths: 12, forcesDMonths: null, chargeOncePer: 'certificate', windowDays: 1, recordable: false, zh: '货品数量超出合格证覆盖数量', en: 'More goods than the certificate covers' },
  CERTIFICATE_REVOKED_OR_FORGED: { code: 'CERTIFICATE_REVOKED_OR_FORGED', points: -30, expiresMonths: 24, forcesDMonths: 12, chargeOncePer: 'certificate', windowDays: 1, recordable: false, zh: '使用已撤销或伪造的合格证', en: 'Used a revoked or forged certificate' },
  RAPID_TEST_FAILED: { code: 'RAPID_TEST_FAILED', points: -20, expiresMonths: 24, forcesDMonths: null, chargeOncePer: 'lot', windowDays: null, recordable: false, zh: '快检不合格', en: 'Failed a rapid test' },
  LAB_TEST_FAILED: { code: 'LAB_TEST_FAILED', points: -30, expiresMonths: 24, forcesDMonths: 12, chargeOncePer: 'lot', windowDays: null, recordable: false, zh: '实验室检测不合格', en: 'Failed a laboratory test' },
  RECALL_SOURCE: { code: 'RECALL_SOURCE', points: -20, expiresMonths: 24, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: false, zh: '其批次引发召回', en: "The operator's batch started a recall" },
  INSPECTION_VIOLATION: { code: 'INSPECTION_VIOLATION', points: { min: -30, max: -5 }, expiresMonths: { min: 12, max: 24 }, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: true, zh: '监督检查发现违规', en: 'Violation found by a regulator' },
  CLEAN_QUARTER: { code: 'CLEAN_QUARTER', points: 2, expiresMonths: 24, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: false, zh: '本季度有进场记录且无扣分', en: 'A quarter with entries and no deductions' },
  TRAINING_COMPLETED: { code: 'TRAINING_COMPLETED', points: 1, expiresMonths: 24, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: true, zh: '参加食品安全培训', en: 'Attended food-safety training' },
  INSPECTION_CLEAN: { code: 'INSPECTION_CLEAN', points: 0, expiresMonths: null, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: true, zh: '监督检查未发现问题', en: 'Inspected by a regulator; nothing found' },
  APPEAL_FILED: { code: 'APPEAL_FILED', points: 0, expiresMonths: null, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: false, zh: '经营者提出申诉或信用修复申请', en: 'The operator appealed an event or asked for credit repair' },
  APPEAL_REJECTED: { code: 'APPEAL_REJECTED', points: 0, expiresMonths: null, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: false, zh: '申诉或信用修复申请被驳回', en: 'The appeal or repair request was rejected' },
  RECTIFICATION_OVERDUE: { code: 'RECTIFICATION_OVERDUE', points: -10, expiresMonths: 12, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: false, zh: '未在期限内完成整改', en: 'A rectification order was not put right by its deadline' },
  REVERSAL: { code: 'REVERSAL', points: 0, expiresMonths: null, forcesDMonths: null, chargeOncePer: null, windowDays: null, recordable: false, zh: '撤销此前记录（申诉成立或信用修复）', en: 'Reverses an earlier event (appeal upheld or credit repaired)' },
};

/** Rules whose events record a regulator's on-site inspection; the inspection plan counts from the latest one. */
export const INSPECTION_RULES = ['INSPECTION_VIOLATION', 'INSPECTION_CLEAN'];

export function ruleFor(code: string): CreditRule | undefined {
  return Object.prototype.hasOwnProperty.call(CREDIT_RULES, code) ? CREDIT_RULES[code] : undefined;
}

/** What each grade means for supervision: the share of gate scans sent to a rapid test, and yearly inspections. */
export const GRADE_SUPERVISION: Record<Grade, { sampleRate: number; inspectionsPerYear: number; zh: string; en: string }> = {
  [Grade.A]: { sampleRate: 0.02, inspectionsPerYear: 1, zh: '守信', en: 'Trustworthy' },
  [Grade.B]: { sampleRate: 0.1, inspectionsPerYear: 2, zh: '基本守信', en: 'Mostly trustworthy' },
  [Grade.C]: { sampleRate: 0.3, inspectionsPerYear: 3, zh: '失信', en: 'Untrustworthy' },
  [Grade.D]: { sampleRate: 1, inspectionsPerYear: 4, zh: '严重失信', en: 'Seriously untrustworthy' },
};

export function gradeFor(score: number): Grade {
  if (score >= 90) return Grade.A;
  if (score >= 75) return Grade.B;
  if (score >= 60) return Grade.C;
  return Grade.D;
}

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}
