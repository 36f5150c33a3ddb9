import { randomInt } from 'node:crypto';
import { assertActsFor } from '../auth/access';
import { withPublicLookup, withTransaction, type Context, type Db } from '../context';
import { BatchStatus, CertificateStatus, CommitmentBasis, NotificationKind, Role } from '../entities/enums';
import { badInput, conflict, notFound } from '../errors';
import { certificateById, certificateByNumber, insertCertificate, revokeCertificateRow, toOriginCertificate } from '../tables/origin-certificate.table';
import * as v from '../validation';
import { getBatch } from './batch.service';
import type { OriginCertificate, PrintableCertificate } from './certificate.model';
import { batchById } from '../tables/batch.table';
import { operatorById } from '../tables/operator.table';
import { marketsOfCertificate } from '../tables/market-entry.table';
import { insertOutboxEvent } from '../tables/notification-outbox.table';

/** The standard commitment of a 承诺达标合格证, in both languages. */
export const STANDARD_STATEMENT =
  '我承诺对生产销售的食用农产品：不使用禁用农药兽药、停用兽药和非法添加物；常规农药兽药残留不超标；对承诺的真实性负责。' +
  ' / We commit that these edible farm products: use no banned pesticides, veterinary drugs or illegal additives; ' +
  'have pesticide and veterinary drug residues within limits; and we answer for the truth of this commitment.';

export interface IssueCertificateData {
  batchId: string | number;
  quantity?: number | null;
  bases: CommitmentBasis[];
  statement?: string | null;
  testReference?: string | null;
  issuedAt?: Date | null;
}

const NUMBER_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newCertificateNumber(at: Date): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  let tail = '';
  for (let i = 0; i < 8; i++) tail += NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)];
  return `CN${day}${tail}`;
}

/** The producer certifies its own lot; the certificate covers at most the lot's quantity. */
export async function issueCertificate(ctx: Context, input: IssueCertificateData): Promise<OriginCertificate> {
  const batch = await getBatch(ctx, v.id('batchId', input.batchId));
  assertActsFor(ctx.viewer, batch.ownerId);
  if (batch.status === BatchStatus.RECALLED) throw badInput('batchId', 'the batch is recalled');
  const quantity = input.quantity == null ? batch.quantity : v.quantity('quantity', input.quantity);
  if (quantity > batch.quantity) throw badInput('quantity', `must not exceed the batch quantity ${batch.quantity} ${batch.unit}`);
  const bases = [...new Set(input.bases ?? [])];
  if (!bases.length) throw badInput('bases', 'name at least one commitment basis');
  const testReference = v.text('testReference', input.testReference, 100, { optional: true });
  if (bases.includes(CommitmentBasis.COMMISSIONED_TEST) && !testReference) {
    throw badInput('testReference', 'is required when the basis includes COMMISSIONED_TEST');
  }
  const issuedAt = input.issuedAt ? v.pastDate('issuedAt', input.issuedAt) : new Date();
  if (issuedAt.getTime() < batch.producedAt.getTime() - 86_400_000) throw badInput('issuedAt', 'must not be before the batch was produced');
  const row = await insertCertificate(ctx, {
    number: newCertificateNumber(issuedAt),
    batchId: batch.id,
    issuerId: batch.ownerId,
    quantity,
    unit: batch.unit,
    issuedAt,
    bases,
    statement: v.text('statement', input.statement, 2000, { optional: true, multiline: true }) ?? STANDARD_STATEMENT,
    testReference,
  });
  return toOriginCertificate(row);
}

/**
 * Revokes a certificate its issuer (or a regulator) no longer stands by; a revoked one cannot be revoked again. The
 * office, the issuer and the gate staff of every market it was presented at are told, in the same transaction.
 */
export async function revokeCertificate(ctx: Context, id: string | number, reason: string): Promise<OriginCertificate> {
  const certificateId = v.id('id', id);
  const text = v.text('reason', reason, 500);
  return withTransaction(ctx, async (tx) => {
    const certificate = await certificateById(tx, certificateId);
    if (!certificate) throw notFound('Certificate', certificateId);
    assertActsFor(tx.viewer, certificate.issuer_id);
    // the conditional update decides between two revocations at once: the second finds it revoked
    const revoked = await revokeCertificateRow(tx, certificateId, text, new Date());
    if (!revoked) throw conflict(`Certificate ${certificate.number} is already revoked`);
    // the registry sits below notify/: the event goes into the outbox through its table module
    await insertOutboxEvent(tx, {
      kind: NotificationKind.CERTIFICATE_REVOKED,
      subject: `合格证已撤销 Certificate revoked: ${revoked.number} — ${text}`,
      payload: { certificateId: revoked.id, number: revoked.number, batchId: revoked.batch_id, issuerId: revoked.issuer_id, reason: text },
      audience: { roles: [Role.REGULATOR, Role.ADMIN], operatorIds: [revoked.issuer_id], marketIds: await marketsOfCertificate(tx, revoked.id) },
    });
    return toOriginCertificate(revoked);
  });
}

/** What a certificate number looks like: CN, the issue day, eight characters of the number alphabet. */
const CERTIFICATE_NUMBER = /^CN\d{8}[0-9A-HJKMNP-TV-Z]{8}$/;

/**
 * The certificate as printed on the goods (`/c/:number`), or null for an unknown number. Public: the number carries
 * 40 random bits, so only whoever holds the label can open it, and the label itself shows all of this.
 */
export async function printableCertificate(ctx: Db & Pick<Context, 'config'>, rawNumber: string): Promise<PrintableCertificate | null> {
  const number = String(rawNumber ?? '').trim().toUpperCase();
  if (!CERTIFICATE_NUMBER.test(number)) return null;
  return withPublicLookup(ctx, async (tx) => {
    const c = await certificateByNumber(tx, number);
    if (!c) return null;
    const [batch, producer] = await Promise.all([batchById(tx, c.batch_id), operatorById(tx, c.issuer_id)]);
    if (!batch || !producer) return null;
    const revoked = c.status === CertificateStatus.REVOKED;
    return {
      number: c.number,
      status: c.status,
      productName: batch.product_name,
      category: batch.category,
      quantity: Number(c.quantity),
      unit: c.unit,
      producerName: producer.name,
      producerContactPerson: revoked ? null : producer.contact_person,
      producerContactPhone: revoked ? null : producer.contact_phone,
      origin: batch.origin_place ?? producer.village,
      issuedAt: new Date(c.issued_at),
      statement: c.statement,
      bases: c.bases,
      testReference: c.test_reference,
      lotCode: batch.lot_code,
      batchPublicCode: batch.public_code,
      revokedAt: c.revoked_at && new Date(c.revoked_at),
    };
  });
}
