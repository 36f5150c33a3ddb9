import type { CertificateStatus, CommitmentBasis, ProductCategory, QuantityUnit } from '../entities/enums';

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

/**
 * A certificate as it is printed on the goods: every element the rules require. The producer's contact is printed
 * on the label by the rules, so the printable page shows it; it is never shown for a revoked certificate, which no
 * longer vouches for anything.
 */
export interface PrintableCertificate {
  number: string;
  status: CertificateStatus;
  productName: string;
  category: ProductCategory;
  quantity: number;
  unit: QuantityUnit;
  producerName: string;
  producerContactPerson: string | null;
  producerContactPhone: string | null;
  /** The lot's place of origin, else the producer's village. */
  origin: string | null;
  issuedAt: Date;
  statement: string;
  bases: CommitmentBasis[];
  testReference: string | null;
  lotCode: string;
  /** The lot's public code; its trace page is what the QR opens. */
  batchPublicCode: string;
  revokedAt: Date | null;
}
