import { createHash, createHmac } from 'node:crypto';
import { assertWorksAt } from '../auth/access';
import { withTransaction, type Context, type Db } from '../context';
import { chargeCreditOnce } from '../credit/ledger.append';
import { GRADE_SUPERVISION } from '../credit/rules';
import { CertificateStatus, CreditSource, GateDecision, type Grade, LinkKind, NotificationKind, OperatorStatus, QuantityUnit, Role } from '../entities/enums';
import { ensureSamplingSecret } from '../config';
import { badInput } from '../errors';
import { recordNotification } from '../notify/outbox';
import { newPublicCode } from '../public-code';
import { fromMilli, quantityLeft, toMilli } from '../quantity';
import { recordEntryDecision, storedScanAnswer } from '../tables/market-entry.table';
import { asStored } from '../tables/insert-once';
import { insertDerivedChild, transferWithin } from '../trace/batch-flow';
import { checkHandover, handoverToJson } from '../trace/handover';
import type { HandoverDocument, HandoverDocumentData } from '../trace/lineage.model';
import { setTransferDocument } from '../tables/batch-link.table';
import * as v from '../validation';
import { clientKey } from './client-key';
import { parseScannedCode } from './code';
import type { GateAnswer, GateReceivedBatchModel } from './gate.model';
import type { ScannedBatchRow } from '../tables/batch.table';
import { toPublicOperator, type PublicOperatorRow } from '../tables/operator.table';
import type { OriginCertificateRow as CertificateRow } from '../tables/origin-certificate.table';
import { decideScan, recordScan, type DecidedScan, type ScanFacts, type TakenLot } from './gate.sql';
import { decide, type GateFacts, type GateOutcome } from './gate.rules';
import { certificateRequired } from '../registry/certificate.rules';

export interface GateScanData {
  code: string;
  marketId: string | number;
  vendorOperatorId: string | number;
  declaredQuantity: number;
  unit: QuantityUnit;
  scanId: string;
  handover?: HandoverDocumentData | null;
}

/**
 * The sampling draw of a scan, in [0, 1): HMAC-SHA256 of the scanId under the server's secret. The same scanId always
 * draws the same number (a retry gets the first answer anyway, from the stored entry), and a client that chooses its
 * scanIds cannot know which of them dodge a test without the secret.
 */
export function sampleDraw(scanId: string, secret: string): number {
  if (!secret) throw new Error('sampling needs the server secret');
  return parseInt(createHmac('sha256', secret).update(scanId, 'utf8').digest('hex').slice(0, 12), 16) / 2 ** 48;
}

export function isSampled(scanId: string, grade: Grade, secret: string): boolean {
  return sampleDraw(scanId, secret) < GRADE_SUPERVISION[grade].sampleRate;
}

/** The payload fingerprint that tells a retry (same hash) from a reuse of the scanId for another load. */
export function requestHash(p: { code: string; marketId: number; vendorId: number; declaredQuantity: number; unit: string; handover?: HandoverDocument | null }): string {
  const fields: unknown[] = [p.code, p.marketId, p.vendorId, p.declaredQuantity, p.unit];
  // a scan without a document hashes as it always did, so retries across an upgrade stay retries
  if (p.handover) fields.push(handoverToJson(p.handover));
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex');
}

const left = (c: CertificateRow) => toMilli(c.quantity) - toMilli(c.quantity_admitted);

/** The certificate a load travels under: the scanned one, else the lot's valid certificate with most left, else a revoked one. */
function chooseCertificate(rows: CertificateRow[], scannedId: number | null): CertificateRow | null {
  if (scannedId !== null) return rows.find((c) => c.id === scannedId) ?? null;
  const valid = rows.filter((c) => c.status === CertificateStatus.VALID);
  if (valid.length) return valid.reduce((best, c) => (left(c) > left(best) ? c : best));
  return rows[0] ?? null;
}

/**
 * Decides a gate scan and records it exactly once: the market_entry row is inserted first under the unique
 * scanId, in the statement that reads the load's facts, so concurrent retries wait for the first and return its
 * stored answer; a reuse of the scanId for a different load is a CONFLICT. The decision is made here from the facts;
 * what it writes (the claim on the certificate, the transfer to the vendor, the stored answer) is one statement, and
 * credit events commit in the same transaction.
 */
export async function scanAtGate(ctx: Context, input: GateScanData): Promise<GateAnswer> {
  const marketId = v.id('marketId', input.marketId);
  assertWorksAt(ctx.viewer, marketId);
  const scanId = clientKey('scanId', input.scanId);
  const code = v.text('code', input.code, 500);
  const vendorId = v.id('vendorOperatorId', input.vendorOperatorId);
  const declaredQuantity = v.quantity('declaredQuantity', input.declaredQuantity);
  if (!Object.values(QuantityUnit).includes(input.unit)) throw badInput('unit', `must be one of ${Object.values(QuantityUnit).join(', ')}`);
  const unit = input.unit;
  const handover = checkHandover(input.handover);
  const hash = requestHash({ code, marketId, vendorId, declaredQuantity, unit, handover });
  const samplingSecret = ensureSamplingSecret(ctx.config);

  return withTransaction(ctx, async (tx) => {
    const recorded = await recordScan(tx, {
      market_id: marketId, staff_id: tx.viewer.accountId, scan_id: scanId, request_hash: hash, code_scanned: code, vendor_id: vendorId,
      declared_quantity: declaredQuantity, unit, handover: handover && handoverToJson(handover),
    }, parseScannedCode(code));
    if (!recorded.vendorStatus) throw badInput('vendorOperatorId', `operator ${vendorId} does not exist`);
    if (!recorded.entry) return storedScanAnswer(tx, scanId, hash);
    return decideEntry(tx, tx.viewer.accountId, samplingSecret, {
      entryId: recorded.entry.id, scannedAt: recorded.entry.createdAt, scanId, code, marketId, vendorId, vendorStatus: recorded.vendorStatus,
      declaredQuantity, unit, handover,
    }, recorded.facts);
  });
}

interface EntryInput {
  entryId: number; scannedAt: Date; scanId: string; code: string; marketId: number; vendorId: number; vendorStatus: OperatorStatus;
  declaredQuantity: number; unit: QuantityUnit; handover: HandoverDocument | null;
}

/** The certificate as the answer shows it once `quantity` is claimed on it (the row is locked, so nothing else moved it). */
function afterClaim(c: CertificateRow, quantity: number): CertificateRow {
  return { ...c, quantity_admitted: String(fromMilli(toMilli(c.quantity_admitted) + toMilli(quantity))) };
}

/** Decides a recorded scan from what the gate knows of its load, writes the decision and its effects, and returns the stored answer. */
async function decideEntry(tx: Db, staffId: number | null, samplingSecret: string, e: EntryInput, scan: ScanFacts): Promise<GateAnswer> {
  if (e.vendorStatus !== OperatorStatus.ACTIVE) throw badInput('vendorOperatorId', `operator ${e.vendorId} is ${e.vendorStatus}`);

  // every scan of one lot is serialised (the lot and its certificates were locked as they were read); what a
  // certificate still covers is claimed by a conditional update all the same, so it can never admit too much
  const { batch, scannedCertificateId, certificates, operators } = scan;
  const certificate = batch ? chooseCertificate(certificates, scannedCertificateId) : null;
  const producerId = certificate?.issuer_id ?? batch?.owner_id ?? null;
  const producer = operators.find((o) => o.id === producerId) ?? null;

  const facts: GateFacts = {
    found: !!batch,
    batchStatus: batch?.status ?? null,
    batchNonConformant: batch?.non_conformant ?? false,
    unitMatches: !batch || batch.unit === e.unit,
    batchHoldsQuantity: !!batch && toMilli(batch.remaining) >= toMilli(e.declaredQuantity),
    certificate: certificate?.status ?? 'NONE',
    certificateRequired: !batch || certificateRequired(batch.category),
    certificateCoversQuantity: !!certificate && left(certificate) >= toMilli(e.declaredQuantity),
    producerStatus: producer?.status ?? null,
    producerGrade: producer?.credit_grade ?? null,
    sampled: !!producer && isSampled(e.scanId, producer.credit_grade, samplingSecret),
  };
  let outcome = decide(facts);
  let written = await writeDecision(tx, e, outcome, batch, certificate, producer);
  if (written.decided.kind === 'CLAIM_FAILED') {
    // another claim got there first: the certificate no longer covers the load, and the decision is made again
    facts.certificateCoversQuantity = false;
    outcome = decide(facts);
    written = await writeDecision(tx, e, outcome, batch, certificate, producer);
  }
  const { decided } = written;
  let answer: GateAnswer;
  if (decided.kind === 'DECIDED') answer = decided.answer;
  else if (decided.kind === 'CODE_TAKEN') answer = await finishTransfer(tx, e, decided.taken, written.answer);
  else throw new Error(`market entry ${e.entryId}: a decision without a claim cannot fail its claim`);

  // a cause is charged once: a burst of refused scans of one certificate or lot within the rule's window is one event
  for (const rule of outcome.rules) {
    if (!rule.credit || !producer) continue;
    await chargeCreditOnce(tx, {
      operatorId: producer.id,
      ruleCode: rule.credit,
      reason: `${rule.zh} / ${rule.en} (${certificate ? `certificate ${certificate.number}, ` : ''}lot ${batch!.lot_code}, market entry ${e.entryId})`,
      source: CreditSource.ENTRY,
      sourceRef: String(e.entryId),
      recordedById: staffId,
      occurredAt: e.scannedAt,
    }, { lotId: batch!.id, certificateId: certificate?.id ?? null });
  }
  if (answer.decision === GateDecision.REJECTED) await tellRefusal(tx, answer, e.vendorId);
  return answer;
}

/**
 * Composes the answer to an outcome and writes it with everything it implies, in one statement: a load that is not
 * refused claims its quantity on its valid certificate, and an accepted one is handed to the vendor.
 */
async function writeDecision(
  tx: Db, e: EntryInput, outcome: GateOutcome, batch: ScannedBatchRow | null, certificate: CertificateRow | null, producer: PublicOperatorRow | null,
): Promise<{ decided: DecidedScan; answer: GateAnswer }> {
  const claims = outcome.decision !== GateDecision.REJECTED && certificate?.status === CertificateStatus.VALID;
  const accepted = outcome.decision === GateDecision.ACCEPTED;
  // a producer selling its own goods at the market keeps its lot: the received batch is the lot itself
  const ownLot = accepted && batch!.owner_id === e.vendorId;
  const transferTo = accepted && !ownLot ? { vendorId: e.vendorId, publicCode: newPublicCode(), handover: e.handover } : null;
  const shown = certificate && claims ? afterClaim(certificate, e.declaredQuantity) : certificate;
  const received = !accepted ? null : {
    // a transferred lot's id and code are filled in as it is inserted
    id: ownLot ? batch!.id : 0, publicCode: transferTo?.publicCode ?? batch!.public_code, lotCode: ownLot ? batch!.lot_code : '',
    quantity: e.declaredQuantity, unit: batch!.unit, ownerId: e.vendorId,
  };
  const answer = composeAnswer(e, outcome, batch, shown, producer, received);
  const stored = transferTo ? { ...answer, receivedBatch: { publicCode: received!.publicCode, quantity: received!.quantity, unit: received!.unit, ownerId: received!.ownerId } } : answer;
  const decided = await decideScan(tx, {
    entryId: e.entryId,
    lotId: batch?.id ?? null,
    claimCertificateId: claims ? certificate!.id : null,
    quantity: e.declaredQuantity,
    transferTo,
    decision: outcome.decision,
    reasons: answer.reasons,
    certificateId: certificate?.id ?? null,
    answer: stored as GateAnswer,
    receivedBatchId: ownLot ? batch!.id : null,
    decidedAt: outcome.decision === GateDecision.TEST_REQUIRED ? null : e.scannedAt,
  });
  return { decided, answer };
}

/** The received lot when its code was taken by a lot registered by hand: inserted under the next free code, then the decision. */
async function finishTransfer(tx: Db, e: EntryInput, taken: TakenLot, answer: GateAnswer): Promise<GateAnswer> {
  const received = answer.receivedBatch!;
  const child = await insertDerivedChild(tx, {
    ownerId: e.vendorId, productName: taken.product_name, category: taken.category, quantity: e.declaredQuantity, unit: taken.unit,
    producedAt: new Date(taken.produced_at), originPlace: taken.origin_place, gtin: taken.gtin, publicCode: received.publicCode,
  }, taken.lot_code, 'T', LinkKind.TRANSFER, [{ id: taken.id, quantity: e.declaredQuantity }]);
  if (e.handover) await setTransferDocument(tx, taken.id, child.id, e.handover);
  const full: GateAnswer = { ...answer, receivedBatch: { ...received, id: child.id, lotCode: child.lot_code } };
  await recordEntryDecision(tx, e.entryId, {
    batchId: taken.id, certificateId: full.certificate?.id ?? null, decision: full.decision, reasons: full.reasons, receivedBatchId: child.id,
    answer: full, decidedAt: e.scannedAt,
  });
  return asStored(full);
}

function composeAnswer(
  e: EntryInput, outcome: GateOutcome, batch: ScannedBatchRow | null, certificate: CertificateRow | null, producer: PublicOperatorRow | null,
  received: GateReceivedBatchModel | null,
): GateAnswer {
  return {
    entryId: e.entryId,
    scanId: e.scanId,
    marketId: e.marketId,
    decision: outcome.decision,
    reasons: outcome.rules.map((r) => ({ code: r.code, zh: r.zh, en: r.en })),
    declaredQuantity: e.declaredQuantity,
    unit: e.unit,
    scannedAt: e.scannedAt.toISOString(),
    batch: batch
      ? { id: batch.id, publicCode: batch.public_code, productName: batch.product_name, category: batch.category, lotCode: batch.lot_code, unit: batch.unit, status: batch.status }
      : null,
    certificate: certificate
      ? {
        id: certificate.id,
        number: certificate.number,
        status: certificate.status,
        quantity: Number(certificate.quantity),
        quantityAdmitted: Number(certificate.quantity_admitted),
        quantityRemaining: quantityLeft(certificate.quantity, certificate.quantity_admitted),
        unit: certificate.unit,
        issuedAt: new Date(certificate.issued_at).toISOString(),
        bases: certificate.bases,
      }
      : null,
    producer: producer ? toPublicOperator(producer) : null,
    receivedBatch: received,
  };
}

/** A refused load, told to the office, the producer and the vendor, and the market's gate staff; once, with the entry (a replay returns before). */
function tellRefusal(tx: Db, answer: GateAnswer, vendorId: number): Promise<number> {
  const what = answer.batch ? `${answer.batch.productName} ${answer.batch.lotCode}` : answer.reasons[0]?.en ?? '';
  return recordNotification(tx, {
    kind: NotificationKind.LOAD_REFUSED,
    subject: `拒绝入场 Load refused: ${what} — ${answer.reasons.map((r) => r.en).join('; ')}`,
    payload: {
      entryId: answer.entryId, marketId: answer.marketId, scanId: answer.scanId, batchId: answer.batch?.id ?? null, batchCode: answer.batch?.publicCode ?? null,
      productName: answer.batch?.productName ?? null, lotCode: answer.batch?.lotCode ?? null, producerId: answer.producer?.id ?? null, vendorId,
      declaredQuantity: answer.declaredQuantity, unit: answer.unit, reasons: answer.reasons.map((r) => r.code),
    },
    audience: {
      roles: [Role.REGULATOR, Role.ADMIN], marketIds: [answer.marketId],
      operatorIds: answer.producer && answer.producer.id !== vendorId ? [answer.producer.id, vendorId] : [vendorId],
    },
  });
}

/**
 * Hands the admitted quantity to the receiving vendor as a new batch (TRANSFER link, carrying the load's hand-over
 * document). A producer selling its own goods at the market keeps its lot: the received batch is the lot itself, and
 * the document stays with the entry.
 */
export async function admit(
  tx: Db, batch: Pick<ScannedBatchRow, 'id' | 'owner_id' | 'public_code' | 'lot_code' | 'unit'>, vendorId: number, quantity: number,
  handover: HandoverDocument | null,
): Promise<GateReceivedBatchModel> {
  if (batch.owner_id === vendorId) {
    return { id: batch.id, publicCode: batch.public_code, lotCode: batch.lot_code, quantity, unit: batch.unit, ownerId: vendorId };
  }
  // the vendor was found ACTIVE when the scan was decided
  const child = await transferWithin(tx, { parentId: batch.id, toOperatorId: vendorId, quantity, receiverActive: true });
  if (handover) await setTransferDocument(tx, batch.id, child.id, handover);
  return { id: child.id, publicCode: child.public_code, lotCode: child.lot_code, quantity: Number(child.quantity), unit: child.unit as QuantityUnit, ownerId: child.owner_id };
}
