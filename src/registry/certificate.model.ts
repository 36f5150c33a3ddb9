import type { CertificateStatus, CommitmentBasis, QuantityUnit } from '../entities/enums';

/** A commitment-to-standard certificate (承诺达标合格证) of one batch, as the trace and the registry tell it. */
export interface Certificate {
  id: number;
  number: string;
  batchId: number;
  issuerId: number;
  quantity: number;
  /** Already admitted at gates against it. */
  quantityAdmitted: number;
  unit: QuantityUnit;
  issuedAt: Date;
  bases: CommitmentBasis[];
  statement: string;
  testReference: string | null;
  status: CertificateStatus;
  revokedAt: Date | null;
  revokeReason: string | null;
}

/** The registry's view of a certificate: also what is left of it. */
export interface OriginCertificate extends Certificate {
  quantityRemaining: number;
}
