import { Field, Float, ObjectType } from 'type-graphql';
import type { OriginCertificate as CertificateModel } from '../registry/certificate.model';
import { CertificateTermsFields } from './shared-fields.type';

@ObjectType({ description: 'Commitment-to-standard certificate (承诺达标合格证) for one batch' })
export class OriginCertificate extends CertificateTermsFields implements CertificateModel {
  batchId!: number;

  issuerId!: number;

  @Field(() => Float, { description: 'Quantity already admitted at gates against it' })
  quantityAdmitted!: number;

  @Field(() => Float)
  quantityRemaining!: number;

  static from(c: CertificateModel): OriginCertificate {
    return Object.assign(new OriginCertificate(), {
      id: c.id,
      number: c.number,
      batchId: c.batchId,
      issuerId: c.issuerId,
      quantity: c.quantity,
      quantityAdmitted: c.quantityAdmitted,
      quantityRemaining: c.quantityRemaining,
      unit: c.unit,
      issuedAt: c.issuedAt,
      bases: c.bases,
      statement: c.statement,
      testReference: c.testReference,
      status: c.status,
      revokedAt: c.revokedAt,
      revokeReason: c.revokeReason,
    });
  }
}
