import { BatchStatus, CertificateStatus, GateDecision, OperatorStatus, type Grade } from '../entities/enums';

/** What the gate knows about a load when it decides. */
export interface GateFacts {
  /** The scanned code named a batch or a certificate. */
  found: boolean;
  batchStatus: BatchStatus | null;
  batchNonConformant: boolean;
  /** The declared unit is the lot's unit. */
  unitMatches: boolean;
  /** The lot still holds the declared quantity. */
  batchHoldsQuantity: boolean;
  /** The certificate the load travels under: the scanned one, else the lot's best; NONE when it has none. */
  certificate: CertificateStatus | 'NONE';
  /** The lot's category needs a commitment-to-standard certificate (registry/certificate.rules.ts). */
  certificateRequired: boolean;
  /** The certificate still covers the declared quantity; confirmed by an atomic conditional update before admitting. */
  certificateCoversQuantity: boolean;
  producerStatus: OperatorStatus | null;
  producerGrade: Grade | null;
  /** The load was drawn for a rapid test at its producer's grade's rate. */
  sampled: boolean;
}

/** One gate rule: when it applies, what it decides, the credit rule it triggers against the producer, and its text. */
export interface GateRule {
  code: string;
  decision: GateDecision.REJECTED | GateDecision.TEST_REQUIRED;
  applies: (f: GateFacts) => boolean;
  credit: 'NO_CERTIFICATE' | 'CERTIFICATE_QUANTITY_EXCEEDED' | 'CERTIFICATE_REVOKED_OR_FORGED' | null;
  zh: string;
  en: string;
}

const known = (f: GateFacts) => f.found;
const admissible = (f: GateFacts) => f.found && f.batchStatus !== BatchStatus.RECALLED && !f.batchNonConformant && f.unitMatches;
/** The certificate is the first measure of a load: when it falls short, that is the violation, not the lot's remainder. */
const certificateShort = (f: GateFacts) => admissible(f) && f.certificate === CertificateStatus.VALID && !f.certificateCoversQuantity;

/**
 * The gate's decision table, read top to bottom. Any REJECTED rule that applies rejects the load;
 * otherwise any TEST_REQUIRED rule sends it to a rapid test; otherwise it is ACCEPTED.
 * The answer lists every applicable reason of the deciding kind.
 */
export const GATE_RULES: readonly GateRule[] = [
  { code: 'UNKNOWN_CODE', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => !f.found,
    zh: '无法识别的追溯码或合格证编号', en: 'Unknown trace code or certificate number' },
  { code: 'BATCH_RECALLED', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => known(f) && f.batchStatus === BatchStatus.RECALLED,
    zh: '该批次已被召回', en: 'This lot has been recalled' },
  { code: 'BATCH_NON_CONFORMANT', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => known(f) && f.batchNonConformant,
    zh: '该批次检测不合格', en: 'This lot failed a test' },
  { code: 'BATCH_CONSUMED', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => known(f) && f.batchStatus === BatchStatus.CONSUMED && !certificateShort(f),
    zh: '该批次已全部分出，追溯码不可再用', en: 'This lot has been fully handed on; its code cannot be used again' },
  { code: 'UNIT_MISMATCH', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => known(f) && !f.unitMatches,
    zh: '申报单位与批次单位不一致', en: "The declared unit differs from the lot's unit" },
  { code: 'CERTIFICATE_REVOKED', decision: GateDecision.REJECTED, credit: 'CERTIFICATE_REVOKED_OR_FORGED',
    applies: (f) => known(f) && f.certificate === 'REVOKED',
    zh: '合格证已被撤销', en: 'The certificate has been revoked' },
  { code: 'PRODUCER_SUSPENDED', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => known(f) && f.producerStatus === OperatorStatus.SUSPENDED,
    zh: '生产者已被暂停经营', en: 'The producer is suspended' },
  { code: 'PRODUCER_REVOKED', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => known(f) && f.producerStatus === OperatorStatus.REVOKED,
    zh: '生产者登记已被注销', en: "The producer's registration is revoked" },
  { code: 'CERTIFICATE_QUANTITY_EXCEEDED', decision: GateDecision.REJECTED, credit: 'CERTIFICATE_QUANTITY_EXCEEDED',
    applies: certificateShort,
    zh: '申报数量超出合格证剩余可覆盖数量', en: 'The declared quantity is more than the certificate still covers' },
  { code: 'BATCH_QUANTITY_EXCEEDED', decision: GateDecision.REJECTED, credit: null,
    applies: (f) => admissible(f) && f.batchStatus === BatchStatus.ACTIVE && !f.batchHoldsQuantity && !certificateShort(f),
    zh: '申报数量超出该批次剩余数量', en: 'The declared quantity is more than the lot still holds' },
  { code: 'NO_CERTIFICATE', decision: GateDecision.TEST_REQUIRED, credit: 'NO_CERTIFICATE',
    applies: (f) => known(f) && f.certificate === 'NONE' && f.certificateRequired,
    zh: '未出示有效合格证，须快检', en: 'No valid certificate: a rapid test is required' },
  { code: 'SAMPLED_FOR_RAPID_TEST', decision: GateDecision.TEST_REQUIRED, credit: null,
    applies: (f) => known(f) && f.certificate === 'VALID' && f.sampled,
    zh: '按生产者信用等级抽中快检', en: "Drawn for a rapid test at the rate the producer's credit grade sets" },
];

/** Reason codes added after the scan, when a test decides a TEST_REQUIRED entry. */
export const TEST_REASONS = {
  RAPID_TEST_FAILED: { code: 'RAPID_TEST_FAILED', zh: '快检不合格', en: 'Failed the rapid test' },
  LAB_TEST_FAILED: { code: 'LAB_TEST_FAILED', zh: '实验室检测不合格', en: 'Failed the laboratory test' },
} as const;

export interface GateOutcome {
  decision: GateDecision;
  rules: GateRule[];
}

/** Applies the table to the facts. */
export function decide(facts: GateFacts): GateOutcome {
  const applying = GATE_RULES.filter((r) => r.applies(facts));
  const rejecting = applying.filter((r) => r.decision === GateDecision.REJECTED);
  if (rejecting.length) return { decision: GateDecision.REJECTED, rules: rejecting };
  const testing = applying.filter((r) => r.decision === GateDecision.TEST_REQUIRED);
  if (testing.length) return { decision: GateDecision.TEST_REQUIRED, rules: testing };
  return { decision: GateDecision.ACCEPTED, rules: [] };
}
