import { OptionalProps, DecimalType, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GateDecision, QuantityUnit } from './enums';
import { Account } from './account.entity';
import { Batch } from './batch.entity';
import { Market } from './market.entity';
import { Operator } from './operator.entity';
import { OriginCertificate } from './origin-certificate.entity';

export interface EntryReason {
  code: string;
  zh: string;
  en: string;
}

@Entity({ tableName: 'market_entry' })
export class MarketEntry {
  [OptionalProps]?: 'createdAt' | 'decidedAt' | 'batch' | 'certificate' | 'receivedBatch' | 'response';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Market)
  market!: Market;

  @ManyToOne(() => Account)
  staff!: Account;

  /** The client's idempotency key: a retry with the same key returns the first answer. */
  @Property({ type: 'string', length: 64, unique: true })
  scanId!: string;

  /** sha-256 of the scan's payload, to tell a retry from a conflicting reuse of the key. */
  @Property({ type: 'string', length: 64 })
  requestHash!: string;

  @Property({ type: 'string', length: 500 })
  codeScanned!: string;

  @ManyToOne(() => Batch, { nullable: true })
  batch: Batch | null = null;

  @ManyToOne(() => OriginCertificate, { nullable: true })
  certificate: OriginCertificate | null = null;

  @ManyToOne(() => Operator)
  vendor!: Operator;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  declaredQuantity!: number;

  @Enum({ items: () => QuantityUnit })
  unit!: QuantityUnit;

  @Enum({ items: () => GateDecision })
  decision!: GateDecision;

  @Property({ type: 'json' })
  reasons!: EntryReason[];

  /** The batch the receiving vendor got when the load was admitted. */
  @ManyToOne(() => Batch, { nullable: true })
  receivedBatch: Batch | null = null;

  /** The first answer, returned as is to every retry. */
  @Property({ type: 'json', nullable: true })
  response: unknown = null;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', nullable: true })
  decidedAt: Date | null = null;
}
