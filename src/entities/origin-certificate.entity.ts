import { OptionalProps, ArrayType, DecimalType, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { CertificateStatus, CommitmentBasis, QuantityUnit } from './enums';
import { Batch } from './batch.entity';
import { Operator } from './operator.entity';

@Entity({ tableName: 'origin_certificate' })
export class OriginCertificate {
  [OptionalProps]?: 'quantityAdmitted' | 'status' | 'createdAt' | 'testReference' | 'revokedAt' | 'revokeReason';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 40, unique: true })
  number!: string;

  @ManyToOne(() => Batch)
  batch!: Batch;

  @ManyToOne(() => Operator)
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

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
