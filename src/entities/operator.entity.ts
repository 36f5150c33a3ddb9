import { OptionalProps, Check, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Grade, OperatorKind, OperatorStatus } from './enums';
import { insertedAt } from './schema-options';

@Entity({ tableName: 'operator' })
@Check({ name: 'operator_name_check', expression: 'length(name) > 0' })
@Check({ name: 'operator_credit_code_check', expression: "credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'" })
@Check({ name: 'operator_credit_score_check', expression: 'credit_score >= 0 and credit_score <= 100' })
@Check({ name: 'operator_credit_chain_seq_check', expression: 'credit_chain_seq >= 0' })
@Check({ name: 'operator_check', expression: 'credit_code is not null or registration_card_no is not null' })
@Index({ name: 'operator_kind_id_idx', properties: ['kind', 'id'] })
@Index({ name: 'operator_grade_score_idx', properties: ['creditGrade', 'creditScore', 'id'] })
@Index({ name: 'operator_village_idx', properties: ['village', 'id'] })
export class Operator {
  [OptionalProps]?: 'status' | 'creditScore' | 'creditGrade' | 'forcedDUntil' | 'createdAt' | 'creditCode' | 'registrationCardNo' | 'village' | 'address' | 'contactPerson' | 'contactPhone' | 'creditChainSeq' | 'creditChainHead';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Enum({ items: () => OperatorKind })
  kind!: OperatorKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Unified social credit code (GB 32100), 18 characters. */
  @Property({ type: 'string', length: 18, nullable: true, unique: 'operator_credit_code_key' })
  creditCode: string | null = null;

  /** Registration-card number issued by the town to small workshops and vendors. */
  @Property({ type: 'string', length: 32, nullable: true, unique: 'operator_registration_card_no_key' })
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
  @Property({ type: 'string', length: 32, unique: 'operator_public_code_key' })
  publicCode!: string;

  @Property({ type: 'integer' })
  creditScore: number = 100;

  @Enum({ items: () => Grade, columnType: 'char(1)' })
  creditGrade: Grade = Grade.A;

  @Property({ type: 'Date', nullable: true, fieldName: 'forced_d_until' })
  forcedDUntil: Date | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();

  /** Position of the newest event of this operator's credit chain; 0 before the first. */
  @Property({ type: 'integer' })
  creditChainSeq: number = 0;

  /** Hash of the newest event of this operator's credit chain; null before the first. */
  @Property({ type: 'string', length: 64, columnType: 'char(64)', nullable: true })
  creditChainHead: string | null = null;
}
