import { OptionalProps, ArrayType, Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { CertificateStatus, CommitmentBasis, QuantityUnit } from './enums';
import { Batch } from './batch.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Operator } from './operator.entity';

@Entity({ tableName: 'origin_certificate' })
@Check({ name: 'origin_certificate_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'origin_certificate_check', expression: 'quantity_admitted >= 0 and quantity_admitted <= quantity' })
@Check({
  name: 'origin_certificate_bases_check',
  expression: "cardinality(bases) > 0 and bases <@ array['COMMISSIONED_TEST', 'SELF_TEST', 'INTERNAL_QC', 'SELF_COMMITMENT']",
})
@Check({ name: 'origin_certificate_statement_check', expression: 'length(statement) > 0' })
@Index({ name: 'origin_certificate_batch_idx', properties: ['batch'] })
export class OriginCertificate {
  [OptionalProps]?: 'quantityAdmitted' | 'status' | 'createdAt' | 'testReference' | 'revokedAt' | 'revokeReason';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 40, unique: 'origin_certificate_number_key' })
  number!: string;

  @ManyToOne(() => Batch, foreignKey('origin_certificate', 'batch_id'))
  batch!: Batch;

  @ManyToOne(() => Operator, foreignKey('origin_certificate', 'issuer_id'))
  issuer!: Operator;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  quantity!: number;

  /** Quantity already admitted at gates against this certificate. */
  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  quantityAdmitted: number = 0;

  @Enum({ items: () => QuantityUnit })
  unit!: QuantityUnit;

  @Property({ type: 'Date' })
  issuedAt!: Date;

  @Property({ type: ArrayType, columnType: 'text[]' })
  bases!: CommitmentBasis[];

  @Property({ type: 'text' })
  statement!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  testReference: string | null = null;

  @Enum({ items: () => CertificateStatus })
  status: CertificateStatus = CertificateStatus.VALID;

  @Property({ type: 'Date', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  revokeReason: string | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
