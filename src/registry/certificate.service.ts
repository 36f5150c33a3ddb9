import { randomInt } from 'node:crypto';
import { assertActsFor } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { BatchStatus, CertificateStatus, CommitmentBasis } from '../entities/enums';
import { badInput, conflict, notFound } from '../errors';
import { certificateById, insertCertificate, revokeCertificateRow, toOriginCertificate } from '../tables/origin-certificate.table';
import * as v from '../validation';
import { getBatch } from './batch.service';
import type { OriginCertificate } from './certificate.model';

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

/** Revokes a certificate its issuer (or a regulator) no longer stands by; a revoked one cannot be revoked again. */
export async function revokeCertificate(ctx: Context, id: string | number, reason: string): Promise<OriginCertificate> {
  const certificateId = v.id('id', id);
  const text = v.text('reason', reason, 500);
  return withTransaction(ctx, async (tx) => {
    const certificate = await certificateById(tx, certificateId);
    if (!certificate) throw notFound('Certificate', certificateId);
    assertActsFor(tx.viewer, certificate.issuer_id);
    if (certificate.status === CertificateStatus.REVOKED) throw conflict(`Certificate ${certificate.number} is already revoked`);
    return toOriginCertificate(await revokeCertificateRow(tx, certificateId, text, new Date()));
  });
}
