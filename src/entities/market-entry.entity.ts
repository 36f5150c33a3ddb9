import { OptionalProps, Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { GateDecision, QuantityUnit } from './enums';
import { Account } from './account.entity';
import { Batch } from './batch.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Market } from './market.entity';
import { Operator } from './operator.entity';
import { OriginCertificate } from './origin-certificate.entity';

export interface EntryReason {
  code: string;
  zh: string;
  en: string;
}

@Entity({ tableName: 'market_entry' })
@Check({ name: 'market_entry_declared_quantity_check', expression: 'declared_quantity > 0' })
@Index({ name: 'market_entry_batch_idx', properties: ['batch'] })
@Index({ name: 'market_entry_market_idx', properties: ['market', 'createdAt'] })
@Index({ name: 'market_entry_vendor_idx', properties: ['vendor'] })
@Index({
  name: 'market_entry_received_batch_idx',
  expression: 'create index market_entry_received_batch_idx on market_entry (received_batch_id) where received_batch_id is not null',
})
@Index({
  name: 'market_entry_handover_at_idx',
  expression: `create index market_entry_handover_at_idx on market_entry ((coalesce(decided_at, created_at)))
    where received_batch_id is not null and batch_id is distinct from received_batch_id`,
})
export class MarketEntry {
  [OptionalProps]?: 'createdAt' | 'decidedAt' | 'batch' | 'certificate' | 'receivedBatch' | 'response' | 'handover';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Market, foreignKey('market_entry', 'market_id'))
  market!: Market;

  @ManyToOne(() => Account, foreignKey('market_entry', 'staff_id'))
  staff!: Account;

  /** The client's idempotency key: a retry with the same key returns the first answer. */
  @Property({ type: 'string', length: 64, unique: 'market_entry_scan_id_key' })
  scanId!: string;

  /** sha-256 of the scan's payload, to tell a retry from a conflicting reuse of the key. */
  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  requestHash!: string;

  @Property({ type: 'string', length: 500 })
  codeScanned!: string;

  @ManyToOne(() => Batch, { nullable: true, ...foreignKey('market_entry', 'batch_id') })
  batch: Batch | null = null;

  @ManyToOne(() => OriginCertificate, { nullable: true, ...foreignKey('market_entry', 'certificate_id') })
  certificate: OriginCertificate | null = null;

  @ManyToOne(() => Operator, foreignKey('market_entry', 'vendor_id'))
  vendor!: Operator;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  declaredQuantity!: number;

  @Enum({ items: () => QuantityUnit })
  unit!: QuantityUnit;

  @Enum({ items: () => GateDecision })
  decision!: GateDecision;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  reasons!: EntryReason[];

  /** The batch the receiving vendor got when the load was admitted. */
  @ManyToOne(() => Batch, { nullable: true, ...foreignKey('market_entry', 'received_batch_id') })
  receivedBatch: Batch | null = null;

  /** The hand-over document the load came with, written onto the TRANSFER link when the load is admitted. */
  @Property({ type: 'json', nullable: true })
  handover: unknown = null;

  /** The first answer, returned as is to every retry. */
  @Property({ type: 'json', nullable: true })
  response: unknown = null;

  @Property(insertedAt())
  createdAt: Date = new Date();

  @Property({ type: 'Date', nullable: true })
  decidedAt: Date | null = null;
}
