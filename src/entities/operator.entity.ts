import { OptionalProps, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Grade, OperatorKind, OperatorStatus } from './enums';

@Entity({ tableName: 'operator' })
export class Operator {
  [OptionalProps]?: 'status' | 'creditScore' | 'creditGrade' | 'forcedDUntil' | 'createdAt' | 'creditCode' | 'registrationCardNo' | 'village' | 'address' | 'contactPerson' | 'contactPhone';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Enum({ items: () => OperatorKind })
  kind!: OperatorKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Unified social credit code (GB 32100), 18 characters. */
  @Property({ type: 'string', length: 18, nullable: true })
  creditCode: string | null = null;

  /** Registration-card number issued by the town to small workshops and vendors. */
  @Property({ type: 'string', length: 32, nullable: true })
  registrationCardNo: string | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  village: string | null = null;

  @Property({ type: 'string', length: 300, nullable: true })
  address: string | null = null;

  /** Private: never exposed on a public type. */
  @Property({ type: 'string', length: 100, nullable: true })
  contactPerson: string | null = null;

  /** Private: never exposed on a public type, never logged. */
  @Property({ type: 'string', length: 32, nullable: true })
  contactPhone: string | null = null;

  @Enum({ items: () => OperatorStatus })
  status: OperatorStatus = OperatorStatus.ACTIVE;

  /** Public code printed as the registration card's QR (`/o/:code`). */
  @Property({ type: 'string', length: 32, unique: true })
  publicCode!: string;

  @Property({ type: 'integer' })
  creditScore: number = 100;

  @Enum({ items: () => Grade })
  creditGrade: Grade = Grade.A;

  @Property({ type: 'Date', nullable: true, fieldName: 'forced_d_until' })
  forcedDUntil: Date | null = null;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
