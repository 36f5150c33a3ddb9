import { OptionalProps, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { CreditSource } from './enums';
import { Account } from './account.entity';
import { Operator } from './operator.entity';

/** One entry of the append-only, hash-chained credit archive. */
@Entity({ tableName: 'credit_event' })
export class CreditEvent {
  [OptionalProps]?: 'createdAt' | 'sourceRef' | 'recordedBy' | 'expiresAt' | 'forcesDUntil' | 'reverses';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator)
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

  @ManyToOne(() => Account, { nullable: true })
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
  @ManyToOne(() => CreditEvent, { nullable: true })
  reverses: CreditEvent | null = null;

  @Property({ type: 'string', length: 64 })
  prevHash!: string;

  @Property({ type: 'string', length: 64 })
  hash!: string;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
