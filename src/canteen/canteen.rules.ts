import { BatchStatus, CertificateStatus, Grade, OperatorStatus, ReceivingLight } from '../entities/enums';

/** What a canteen's receiving check knows of a delivery. */
export interface ReceivingFacts {
  found: boolean;
  batchStatus: BatchStatus | null;
  nonConformant: boolean;
  unitMatches: boolean;
  holdsQuantity: boolean;
  /** The best certificate the lot has: VALID, REVOKED, or NONE. */
  certificate: CertificateStatus | 'NONE';
  supplierStatus: OperatorStatus | null;
  supplierGrade: Grade | null;
}

export interface ReceivingRule {
  code: string;
  light: ReceivingLight.RED | ReceivingLight.AMBER;
  applies: (f: ReceivingFacts) => boolean;
  zh: string;
  en: string;
}

const known = (f: ReceivingFacts) => f.found;

/**
 * The receiving check's table, read top to bottom: any RED rule refuses the delivery; otherwise any AMBER rule
 * receives it with the reasons staff must follow up (ask for the purchase voucher, a test); otherwise GREEN.
 */
export const RECEIVING_RULES: readonly ReceivingRule[] = [
  { code: 'UNKNOWN_CODE', light: ReceivingLight.RED, applies: (f) => !f.found, zh: '无法识别的追溯码', en: 'Unknown trace code' },
  { code: 'RECALLED', light: ReceivingLight.RED, applies: (f) => known(f) && f.batchStatus === BatchStatus.RECALLED, zh: '该批次已被召回', en: 'This lot has been recalled' },
  { code: 'FAILED_TEST', light: ReceivingLight.RED, applies: (f) => known(f) && f.nonConformant, zh: '该批次检测不合格', en: 'This lot failed a test' },
  { code: 'CERTIFICATE_REVOKED', light: ReceivingLight.RED, applies: (f) => known(f) && f.certificate === CertificateStatus.REVOKED,
    zh: '合格证已被撤销', en: 'The certificate has been revoked' },
  { code: 'SUPPLIER_NOT_ACTIVE', light: ReceivingLight.RED, applies: (f) => known(f) && f.supplierStatus !== null && f.supplierStatus !== OperatorStatus.ACTIVE,
    zh: '供货者已被暂停或注销', en: 'The supplier is suspended or revoked' },
  { code: 'UNIT_MISMATCH', light: ReceivingLight.RED, applies: (f) => known(f) && !f.unitMatches, zh: '单位与批次单位不一致', en: "The unit differs from the lot's unit" },
  { code: 'QUANTITY_EXCEEDED', light: ReceivingLight.RED,
    applies: (f) => known(f) && f.unitMatches && f.batchStatus === BatchStatus.ACTIVE && !f.holdsQuantity,
    zh: '数量超出该批次剩余数量', en: 'More than the lot still holds' },
  { code: 'LOT_USED_UP', light: ReceivingLight.RED, applies: (f) => known(f) && f.batchStatus === BatchStatus.CONSUMED,
    zh: '该批次已全部分出', en: 'This lot has been fully handed on' },
  { code: 'NO_CERTIFICATE', light: ReceivingLight.AMBER, applies: (f) => known(f) && f.certificate === 'NONE',
    zh: '无合格证，须查验购货凭证', en: 'No certificate: check the purchase voucher' },
  { code: 'SUPPLIER_GRADE_D', light: ReceivingLight.AMBER, applies: (f) => known(f) && f.supplierGrade === Grade.D,
    zh: '供货者信用等级为 D', en: "The supplier's credit grade is D" },
];

export function decideReceiving(f: ReceivingFacts): { light: ReceivingLight; rules: ReceivingRule[] } {
  const applying = RECEIVING_RULES.filter((r) => r.applies(f));
  const red = applying.filter((r) => r.light === ReceivingLight.RED);
  if (red.length) return { light: ReceivingLight.RED, rules: red };
  if (applying.length) return { light: ReceivingLight.AMBER, rules: applying };
  return { light: ReceivingLight.GREEN, rules: [] };
}

/** Sample retention (留样): at least 125 g of every dish, kept at least 48 hours. */
export const SAMPLE_RULES = { minGrams: 125, keepHours: 48 } as const;

/** Morning health check (晨检): a temperature from this is a fever, and a fever or any symptom keeps the person off work. */
export const MORNING_CHECK_RULES = { feverFrom: 37.3, minTemperature: 34, maxTemperature: 43 } as const;

/** The symptoms asked about at the morning check; any of them keeps the person away from food. */
export const MORNING_SYMPTOMS: readonly { code: string; zh: string; en: string }[] = [
  { code: 'DIARRHOEA', zh: '腹泻', en: 'Diarrhoea' },
  { code: 'VOMITING', zh: '呕吐', en: 'Vomiting' },
  { code: 'JAUNDICE', zh: '黄疸', en: 'Jaundice' },
  { code: 'SORE_THROAT', zh: '咽部炎症', en: 'Sore throat' },
  { code: 'COUGH', zh: '咳嗽', en: 'Cough' },
  { code: 'HAND_WOUND', zh: '手部有伤口或化脓', en: 'Cut or infected skin on the hands' },
];

/** Whether the check lets the person work with food: no fever, no symptom. */
export function fitByCheck(temperature: number, symptoms: readonly string[]): boolean {
  return temperature < MORNING_CHECK_RULES.feverFrom && symptoms.length === 0;
}
