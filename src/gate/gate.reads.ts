/**
 * The gate's statements on the batch, origin_certificate, operator and market tables, each once, with typed rows.
 * They belong in those tables' modules; they are kept apart here so that each can be pointed at its table's module
 * without touching the services.
 */
import type { Db } from '../context';
import type {
  BatchStatus, CertificateStatus, CommitmentBasis, Grade, OperatorKind, OperatorStatus, ProductCategory, QuantityUnit,
} from '../entities/enums';
import type { PublicOperatorModel } from './gate.model';

/** A lot as the gate and the tests read it under their lock. */
export interface LockedBatchRow {
  id: number;
  owner_id: number;
  public_code: string;
  product_name: string;
  category: ProductCategory;
  lot_code: string;
  /** numeric(14,3) as text. */
  remaining: string;
  unit: QuantityUnit;
  status: BatchStatus;
  non_conformant: boolean;
}
const LOCKED_BATCH = 'id, owner_id, public_code, product_name, category, lot_code, remaining, unit, status, non_conformant';

export interface CertificateRow {
  id: number;
  number: string;
  batch_id: number;
  issuer_id: number;
  /** numeric(14,3) as text. */
  quantity: string;
  quantity_admitted: string;
  unit: QuantityUnit;
  issued_at: Date;
  bases: CommitmentBasis[];
  status: CertificateStatus;
}
const CERTIFICATE = 'id, number, batch_id, issuer_id, quantity, quantity_admitted, unit, issued_at, bases, status';

export interface ProducerRow {
  id: number;
  kind: OperatorKind;
  name: string;
  credit_code: string | null;
  registration_card_no: string | null;
  village: string | null;
  status: OperatorStatus;
  credit_grade: Grade;
  public_code: string;
}
const PRODUCER = 'id, kind, name, credit_code, registration_card_no, village, status, credit_grade, public_code';

export function toPublicOperator(p: ProducerRow): PublicOperatorModel {
  return {
    id: p.id, kind: p.kind, name: p.name, registrationNumber: p.credit_code ?? p.registration_card_no,
    village: p.village, status: p.status, grade: p.credit_grade, publicCode: p.public_code,
  };
}

export async function operatorExists(ctx: Db, id: number): Promise<boolean> {
  const rows = await ctx.em.execute<{ id: number }[]>('select id from operator where id = ?', [id]);
  return rows.length > 0;
}

export async function operatorStatus(tx: Db, id: number): Promise<OperatorStatus | undefined> {
  const [row] = await tx.em.execute<{ status: OperatorStatus }[]>('select status from operator where id = ?', [id]);
  return row?.status;
}

export async function producer(tx: Db, id: number): Promise<ProducerRow | undefined> {
  const [row] = await tx.em.execute<ProducerRow[]>(`select ${PRODUCER} from operator where id = ?`, [id]);
  return row;
}

export async function batchIdByPublicCode(tx: Db, code: string): Promise<number | null> {
  const [row] = await tx.em.execute<{ id: number }[]>('select id from batch where public_code = ?', [code]);
  return row?.id ?? null;
}

/** GTIN + lot names one lot; should two owners share both, the earliest registered is taken. */
export async function batchIdByGtinLot(tx: Db, gtin: string, lot: string): Promise<number | null> {
  const [row] = await tx.em.execute<{ id: number }[]>('select id from batch where gtin = ? and lot_code = ? order by id limit 1', [gtin, lot]);
  return row?.id ?? null;
}

export async function batchPublicCode(tx: Db, id: number): Promise<string> {
  const [row] = await tx.em.execute<{ public_code: string }[]>('select public_code from batch where id = ?', [id]);
  return row.public_code;
}

/**
 * The lot, locked against other scans and tests of it until commit (no key update: links to it may still be
 * written), so its quantity and its certificates' quantities are read exactly.
 */
export async function lockBatch(tx: Db, id: number): Promise<LockedBatchRow | undefined> {
  const [row] = await tx.em.execute<LockedBatchRow[]>(`select ${LOCKED_BATCH} from batch where id = ? for no key update`, [id]);
  return row;
}

export async function markNonConformant(tx: Db, batchId: number): Promise<void> {
  await tx.em.execute('update batch set non_conformant = true where id = ?', [batchId]);
}

export async function certificateByNumber(tx: Db, number: string): Promise<{ id: number; batch_id: number } | undefined> {
  const [row] = await tx.em.execute<{ id: number; batch_id: number }[]>('select id, batch_id from origin_certificate where number = ?', [number]);
  return row;
}

export function certificatesOfBatch(tx: Db, batchId: number): Promise<CertificateRow[]> {
  return tx.em.execute<CertificateRow[]>(`select ${CERTIFICATE} from origin_certificate where batch_id = ? order by id`, [batchId]);
}

/** Claims `quantity` of a valid certificate; nothing when it no longer covers it, so it never covers more than its quantity. */
export async function claimCertificate(tx: Db, id: number, quantity: number): Promise<CertificateRow | undefined> {
  const [row] = await tx.em.execute<CertificateRow[]>(
    `update origin_certificate set quantity_admitted = quantity_admitted + ?
      where id = ? and status = 'VALID' and quantity_admitted + ? <= quantity
      returning ${CERTIFICATE}`,
    [quantity, id, quantity],
  );
  return row;
}

export async function certificateIssuer(tx: Db, id: number): Promise<number | null> {
  const [row] = await tx.em.execute<{ issuer_id: number }[]>('select issuer_id from origin_certificate where id = ?', [id]);
  return row?.issuer_id ?? null;
}

export async function marketExists(tx: Db, id: number): Promise<boolean> {
  const rows = await tx.em.execute('select 1 from market where id = ?', [id]);
  return rows.length > 0;
}

export async function marketName(tx: Db, id: number): Promise<string | null> {
  const [row] = await tx.em.execute<{ name: string }[]>('select name from market where id = ?', [id]);
  return row?.name ?? null;
}
