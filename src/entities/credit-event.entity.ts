import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { CreditSource } from './enums';
import { Account } from './account.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Operator } from './operator.entity';

/** One entry of the append-only, hash-chained credit archive. */
@Entity({ tableName: 'credit_event' })
@Check({ name: 'credit_event_seq_check', expression: 'seq > 0' })
@Check({ name: 'credit_event_hash_version_check', expression: 'hash_version >= 1 and hash_version <= 2' })
@Unique({ name: 'credit_event_operator_id_seq_key', properties: ['operator', 'seq'] })
@Index({ name: 'credit_event_rule_idx', properties: ['ruleCode', 'occurredAt', 'id'] })
@Index({ name: 'credit_event_occurred_idx', properties: ['occurredAt', 'id'] })
@Index({ name: 'credit_event_operator_occurred_idx', properties: ['operator', 'occurredAt', 'id'] })
@Unique({
  name: 'credit_event_period_award_idx',
  expression:
    "create unique index credit_event_period_award_idx on credit_event (operator_id, rule_code, source_ref) where rule_code = 'CLEAN_QUARTER'",
})
export class CreditEvent {
  [OptionalProps]?: 'createdAt' | 'sourceRef' | 'recordedBy' | 'expiresAt' | 'forcesDUntil' | 'reverses' | 'hashVersion';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator, foreignKey('credit_event', 'operator_id'))
  operator!: Operator;

  /** Position in the operator's chain, from 1. */
  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'string', length: 64 })
  ruleCode!: string;

  @Property({ type: 'integer' })
  points!: number;

  @Property({ type: 'string', length: 1000 })
  reason!: string;

  @Enum({ items: () => CreditSource })
  source!: CreditSource;

  /** Id of the cause (entry, inspection, recall, appeal), or a period key. */
  @Property({ type: 'string', length: 64, nullable: true })
  sourceRef: string | null = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('credit_event', 'recorded_by_id') })
  recordedBy: Account | null = null;

  @Property({ type: 'Date' })
  occurredAt!: Date;

  /** When a deduction stops counting; null for never. */
  @Property({ type: 'Date', nullable: true })
  expiresAt: Date | null = null;

  /** Until when this event holds the grade at D; null for no forcing. */
  @Property({ type: 'Date', nullable: true, fieldName: 'forces_d_until' })
  forcesDUntil: Date | null = null;

  /** The event this one reverses (an upheld appeal or a repair). */
  @ManyToOne(() => CreditEvent, { nullable: true, unique: 'credit_event_reverses_id_key', ...foreignKey('credit_event', 'reverses_id') })
  reverses: CreditEvent | null = null;

  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  prevHash!: string;

  @Property({ type: 'string', length: 64, columnType: 'char(64)', unique: 'credit_event_hash_key' })
  hash!: string;

  /** How `hash` was computed (credit/chain-hash.ts); rows appended before version 2 keep 1. */
  @Property({ type: 'integer', default: 2 })
  hashVersion: number = 2;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
