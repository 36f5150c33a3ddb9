import type { Db } from './table';
import type { CertificateStatus, CommitmentBasis, QuantityUnit } from '../entities/enums';
import { quantityLeft } from '../quantity';
import type { OriginCertificate } from '../registry/certificate.model';
import { defineTable } from './table';

export interface OriginCertificateRow {
  id: number;
  number: string;
  batch_id: number;
  issuer_id: number;
  quantity: string;
  quantity_admitted: string;
  unit: QuantityUnit;
  issued_at: Date;
  bases: CommitmentBasis[];
  statement: string;
  test_reference: string | null;
  status: CertificateStatus;
  revoked_at: Date | null;
  revoke_reason: string | null;
  created_at: Date;
}

export const originCertificateTable = defineTable<OriginCertificateRow>('origin_certificate', {
  id: 'int4',
  number: 'varchar',
  batch_id: 'int4',
  issuer_id: 'int4',
  quantity: 'numeric',
  quantity_admitted: 'numeric',
  unit: 'text',
  issued_at: 'timestamptz',
  bases: '_text',
  statement: 'text',
  test_reference: 'varchar',
  status: 'text',
  revoked_at: 'timestamptz',
  revoke_reason: 'varchar',
  created_at: 'timestamptz',
});

export function toOriginCertificate(r: OriginCertificateRow): OriginCertificate {
  return {
    id: r.id,
    number: r.number,
    batchId: r.batch_id,
    issuerId: r.issuer_id,
    quantity: Number(r.quantity),
    quantityAdmitted: Number(r.quantity_admitted),
    quantityRemaining: quantityLeft(r.quantity, r.quantity_admitted),
    unit: r.unit,
    issuedAt: new Date(r.issued_at),
    bases: r.bases,
    statement: r.statement,
    testReference: r.test_reference,
    status: r.status,
    revokedAt: r.revoked_at && new Date(r.revoked_at),
    revokeReason: r.revoke_reason,
  };
}

export interface NewCertificate {
  number: string;
  batchId: number;
  issuerId: number;
  quantity: number;
  unit: string;
  issuedAt: Date;
  bases: CommitmentBasis[];
  statement: string;
  testReference: string | null;
}

export async function insertCertificate(ctx: Db, c: NewCertificate): Promise<OriginCertificateRow> {
  const [row] = await ctx.em.execute<OriginCertificateRow[]>(
    `insert into origin_certificate (number, batch_id, issuer_id, quantity, unit, issued_at, bases, statement, test_reference, created_at)
     values (?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?) returning ${originCertificateTable.list}`,
    [c.number, c.batchId, c.issuerId, c.quantity, c.unit, c.issuedAt, `{${c.bases.join(',')}}`, c.statement, c.testReference, new Date()],
  );
  return row;
}

export function certificateById(ctx: Db, id: number): Promise<OriginCertificateRow | null> {
  return originCertificateTable.byId(ctx, id);
}

export async function certificateByNumber(ctx: Db, number: string): Promise<OriginCertificateRow | null> {
  const [row] = await ctx.em.execute<OriginCertificateRow[]>(`select ${originCertificateTable.list} from origin_certificate where number = ?`, [number]);
  return row ?? null;
}

/** The certificates of several batches, by id. */
export async function certificatesOfBatches(ctx: Db, batchIds: readonly number[]): Promise<OriginCertificateRow[]> {
  if (!batchIds.length) return [];
  return ctx.em.execute<OriginCertificateRow[]>(
    `select ${originCertificateTable.list} from origin_certificate where batch_id = any(?::int[]) order by id`,
    [`{${batchIds.join(',')}}`],
  );
}

export async function revokeCertificateRow(ctx: Db, id: number, reason: string, at: Date): Promise<OriginCertificateRow | undefined> {
  const [row] = await ctx.em.execute<OriginCertificateRow[]>(
    `update origin_certificate set status = 'REVOKED', revoked_at = ?, revoke_reason = ? where id = ? and status <> 'REVOKED' returning ${originCertificateTable.list}`,
    [at, reason, id],
  );
  return row;
}
