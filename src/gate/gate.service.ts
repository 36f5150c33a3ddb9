import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertWorksAt } from '../auth/access';
import type { Context } from '../context';
import { appendCreditEvent } from '../credit/ledger.service';
import { GRADE_SUPERVISION } from '../credit/rules';
import { BatchStatus, CertificateStatus, CreditSource, GateDecision, type Grade, OperatorStatus, QuantityUnit } from '../entities/enums';
import { badInput, conflict } from '../errors';
import { transferWithin } from '../trace/batch-flow';
import * as v from '../validation';
import type { GateAnswerJson } from '../schema/gate.type';
import { parseScannedCode } from './code';
import { decide, type GateFacts } from './gate.rules';

export interface GateScanData {
  code: string;
  marketId: string | number;
  vendorOperatorId: string | number;
  declaredQuantity: number;
  unit: QuantityUnit;
  scanId: string;
}

/** The answer to a scan as stored in `market_entry.response` and returned to every retry (plain JSON, ISO times). */
export type StoredGateAnswer = GateAnswerJson;

/** The deterministic sampling draw of a scan, in [0, 1): the same scanId always draws the same number. */
export function sampleDraw(scanId: string): number {
  return parseInt(createHash('sha256').update(scanId, 'utf8').digest('hex').slice(0, 12), 16) / 2 ** 48;
}

export function isSampled(scanId: string, grade: Grade): boolean {
  return sampleDraw(scanId) < GRADE_SUPERVISION[grade].sampleRate;
}

/** The payload fingerprint that tells a retry (same hash) from a reuse of the scanId for another load. */
export function requestHash(p: { code: string; marketId: number; vendorId: number; declaredQuantity: number; unit: string }): string {
  return createHash('sha256').update(JSON.stringify([p.code, p.marketId, p.vendorId, p.declaredQuantity, p.unit]), 'utf8').digest('hex');
}

const CLIENT_KEY = /^[A-Za-z0-9._:-]{1,64}$/;

/** A device's idempotency key (scanId, testId): 1 to 64 letters, digits or . _ : - (a UUID fits). */
export function clientKey(field: string, raw: string | null | undefined): string {
  const key = (raw ?? '').trim();
  if (!CLIENT_KEY.test(key)) throw badInput(field, 'must be 1 to 64 letters, digits or . _ : -');
  return key;
}
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const milli = (n: number | string) => Math.round(Number(n) * 1000);

interface BatchLock {
  id: number; owner_id: number; public_code: string; product_name: string; category: string; lot_code: string;
  remaining: string; unit: string; status: BatchStatus; non_conformant: boolean;
}
interface CertificateRow {
  id: number; number: string; batch_id: number; issuer_id: number; quantity: string; quantity_admitted: string;
  unit: string; issued_at: Date; bases: string[]; status: CertificateStatus;
}
interface ProducerRow {
  id: number; kind: string; name: string; credit_code: string | null; registration_card_no: string | null;
  village: string | null; status: OperatorStatus; credit_grade: Grade; public_code: string;
}

/** Finds the batch (and the certificate, when a certificate number was scanned) a code names. */
async function resolveCode(em: EntityManager, raw: string): Promise<{ batchId: number; certificateId: number | null } | null> {
  const scanned = parseScannedCode(raw);
  switch (scanned.kind) {
    case 'PUBLIC_CODE': {
      const [b] = await em.execute<{ id: number }[]>('select id from batch where public_code = ?', [scanned.code]);
      return b ? { batchId: b.id, certificateId: null } : null;
    }
    case 'DIGITAL_LINK': {
      // GTIN + lot names one lot; should two owners share both, the earliest registered is taken
      const [b] = await em.execute<{ id: number }[]>('select id from batch where gtin = ? and lot_code = ? order by id limit 1', [scanned.gtin, scanned.lot]);
      return b ? { batchId: b.id, certificateId: null } : null;
    }
    case 'TEXT': {
      const [c] = await em.execute<{ id: number; batch_id: number }[]>('select id, batch_id from origin_certificate where number = ?', [scanned.text.toUpperCase()]);
      if (c) return { batchId: c.batch_id, certificateId: c.id };
      const [b] = await em.execute<{ id: number }[]>('select id from batch where public_code = ?', [scanned.text]);
      return b ? { batchId: b.id, certificateId: null } : null;
    }
    default:
      return null;
  }
}

/** The certificate a load travels under: the scanned one, else the lot's valid certificate with most left, else a revoked one. */
function chooseCertificate(rows: CertificateRow[], scannedId: number | null): CertificateRow | null {
  if (scannedId !== null) return rows.find((c) => c.id === scannedId) ?? null;
  const valid = rows.filter((c) => c.status === CertificateStatus.VALID);
  if (valid.length) {
    return valid.reduce((best, c) => (Number(c.quantity) - Number(c.quantity_admitted) > Number(best.quantity) - Number(best.quantity_admitted) ? c : best));
  }
  return rows[0] ?? null;
}

/**
 * Decides a gate scan and records it exactly once: the market_entry row is inserted first under the unique
 * scanId, so concurrent retries wait for the first and return its stored answer; a reuse of the scanId for a
 * different load is a CONFLICT. Quantity against the certificate is claimed by a conditional update, credit
 * events and the transfer to the vendor commit in the same transaction.
 */
export async function scanAtGate(ctx: Context, input: GateScanData): Promise<StoredGateAnswer> {
  const marketId = v.id('marketId', input.marketId);
  assertWorksAt(ctx.viewer, marketId);
  const scanId = clientKey('scanId', input.scanId);
  const code = v.text('code', input.code, 500);
  const vendorId = v.id('vendorOperatorId', input.vendorOperatorId);
  const declaredQuantity = v.quantity('declaredQuantity', input.declaredQuantity);
  if (!Object.values(QuantityUnit).includes(input.unit)) throw badInput('unit', `must be one of ${Object.values(QuantityUnit).join(', ')}`);
  const unit = input.unit;
  const [vendor] = await ctx.em.execute<{ id: number }[]>('select id from operator where id = ?', [vendorId]);
  if (!vendor) throw badInput('vendorOperatorId', `operator ${vendorId} does not exist`);
  const hash = requestHash({ code, marketId, vendorId, declaredQuantity, unit });

  return ctx.em.transactional(async (em) => {
    // the decision written here is a placeholder: decideEntry replaces it before commit, so no reader ever sees it
    const [entry] = await em.execute<{ id: number; created_at: Date }[]>(
      `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, vendor_id, declared_quantity, unit, decision, reasons)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'REJECTED', '[]') on conflict (scan_id) do nothing returning id, created_at`,
      [marketId, ctx.viewer.accountId, scanId, hash, code, vendorId, declaredQuantity, unit],
    );
    if (!entry) {
      // the first scan with this id has committed (the insert waited for it): its answer is the answer
      const [stored] = await em.execute<{ request_hash: string; response: StoredGateAnswer | null }[]>(
        'select request_hash, response from market_entry where scan_id = ?',
        [scanId],
      );
      if (!stored || stored.request_hash !== hash || !stored.response) {
        throw conflict(`scanId ${scanId} was already used for a different scan`);
      }
      return stored.response;
    }
    return decideEntry(em, ctx.viewer.accountId, { entryId: entry.id, scannedAt: new Date(entry.created_at), scanId, code, marketId, vendorId, declaredQuantity, unit });
  });
}

interface EntryInput {
  entryId: number; scannedAt: Date; scanId: string; code: string; marketId: number; vendorId: number; declaredQuantity: number; unit: QuantityUnit;
}

async function decideEntry(em: EntityManager, staffId: number | null, e: EntryInput): Promise<StoredGateAnswer> {
  const [vendor] = await em.execute<{ status: OperatorStatus }[]>('select status from operator where id = ?', [e.vendorId]);
  if (vendor.status !== OperatorStatus.ACTIVE) throw badInput('vendorOperatorId', `operator ${e.vendorId} is ${vendor.status}`);

  const target = await resolveCode(em, e.code);
  // every scan of one lot is serialised here, so the lot's and its certificates' quantities are read exactly
  const [batch] = target
    ? await em.execute<BatchLock[]>(
      `select id, owner_id, public_code, product_name, category, lot_code, remaining, unit, status, non_conformant
         from batch where id = ? for no key update`,
      [target.batchId],
    )
    : [];
  const certificates = batch
    ? await em.execute<CertificateRow[]>(
      `select id, number, batch_id, issuer_id, quantity, quantity_admitted, unit, issued_at, bases, status
         from origin_certificate where batch_id = ? order by id`,
      [batch.id],
    )
    : [];
  let certificate = batch ? chooseCertificate(certificates, target!.certificateId) : null;
  const producerId = certificate?.issuer_id ?? batch?.owner_id ?? null;
  const [producer] = producerId
    ? await em.execute<ProducerRow[]>(
      'select id, kind, name, credit_code, registration_card_no, village, status, credit_grade, public_code from operator where id = ?',
      [producerId],
    )
    : [];

  const facts: GateFacts = {
    found: !!batch,
    batchStatus: batch?.status ?? null,
    batchNonConformant: batch?.non_conformant ?? false,
    unitMatches: !batch || batch.unit === e.unit,
    batchHoldsQuantity: !!batch && milli(batch.remaining) >= milli(e.declaredQuantity),
    certificate: certificate?.status ?? 'NONE',
    certificateCoversQuantity: !!certificate && milli(certificate.quantity) - milli(certificate.quantity_admitted) >= milli(e.declaredQuantity),
    producerStatus: producer?.status ?? null,
    producerGrade: producer?.credit_grade ?? null,
    sampled: !!producer && isSampled(e.scanId, producer.credit_grade),
  };
  let outcome = decide(facts);
  if (outcome.decision !== GateDecision.REJECTED && certificate?.status === CertificateStatus.VALID) {
    // the claim is conditional, so a certificate never covers more than its quantity, whatever else reads it
    const [claimed] = await em.execute<CertificateRow[]>(
      `update origin_certificate set quantity_admitted = quantity_admitted + ?
        where id = ? and status = 'VALID' and quantity_admitted + ? <= quantity
        returning id, number, batch_id, issuer_id, quantity, quantity_admitted, unit, issued_at, bases, status`,
      [e.declaredQuantity, certificate.id, e.declaredQuantity],
    );
    if (claimed) certificate = claimed;
    else {
      facts.certificateCoversQuantity = false;
      outcome = decide(facts);
    }
  }

  let received: StoredGateAnswer['receivedBatch'] = null;
  if (outcome.decision === GateDecision.ACCEPTED) received = await admit(em, batch!, e.vendorId, e.declaredQuantity);

  for (const rule of outcome.rules) {
    if (!rule.credit || !producer) continue;
    await appendCreditEvent(em, {
      operatorId: producer.id,
      ruleCode: rule.credit,
      reason: `${rule.zh} / ${rule.en} (${certificate ? `certificate ${certificate.number}, ` : ''}lot ${batch!.lot_code}, market entry ${e.entryId})`,
      source: CreditSource.ENTRY,
      sourceRef: String(e.entryId),
      recordedById: staffId,
      occurredAt: e.scannedAt,
    });
  }

  const answer: StoredGateAnswer = {
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
        quantityRemaining: round3(Number(certificate.quantity) - Number(certificate.quantity_admitted)),
        unit: certificate.unit,
        issuedAt: new Date(certificate.issued_at).toISOString(),
        bases: certificate.bases,
      }
      : null,
    producer: producer
      ? {
        id: producer.id, kind: producer.kind, name: producer.name, registrationNumber: producer.credit_code ?? producer.registration_card_no,
        village: producer.village, status: producer.status, grade: producer.credit_grade, publicCode: producer.public_code,
      }
      : null,
    receivedBatch: received,
  };
  await em.execute(
    `update market_entry set batch_id = ?, certificate_id = ?, decision = ?, reasons = ?::jsonb, received_batch_id = ?, response = ?::jsonb, decided_at = ?
      where id = ?`,
    [batch?.id ?? null, certificate?.id ?? null, answer.decision, JSON.stringify(answer.reasons), received?.id ?? null, JSON.stringify(answer),
      answer.decision === GateDecision.TEST_REQUIRED ? null : e.scannedAt, e.entryId],
  );
  // hand back what a retry will read, so the first answer and every retry serialise identically
  return JSON.parse(JSON.stringify(answer)) as StoredGateAnswer;
}

/**
 * Hands the admitted quantity to the receiving vendor as a new batch (TRANSFER link). A producer selling its own
 * goods at the market keeps its lot: the received batch is the lot itself.
 */
export async function admit(em: EntityManager, batch: { id: number; owner_id: number; public_code: string; lot_code: string; unit: string }, vendorId: number, quantity: number): Promise<NonNullable<StoredGateAnswer['receivedBatch']>> {
  if (batch.owner_id === vendorId) {
    return { id: batch.id, publicCode: batch.public_code, lotCode: batch.lot_code, quantity, unit: batch.unit, ownerId: vendorId };
  }
  const child = await transferWithin({ em }, { parentId: batch.id, toOperatorId: vendorId, quantity });
  const [row] = await em.execute<{ public_code: string }[]>('select public_code from batch where id = ?', [child.id]);
  return { id: child.id, publicCode: row.public_code, lotCode: child.lot_code, quantity: Number(child.quantity), unit: child.unit, ownerId: child.owner_id };
}
