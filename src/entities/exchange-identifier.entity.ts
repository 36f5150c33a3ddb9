import { OptionalProps, Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Batch } from './batch.entity';
import { Market } from './market.entity';
import { Operator } from './operator.entity';
import { foreignKey, insertedAt } from './schema-options';

/** A foreign identifier (SGTIN, LGTIN, Digital Link, urn:epc:…): ours when it maps to a lot, operator or market, else master data. */
@Entity({ tableName: 'exchange_identifier' })
export class ExchangeIdentifier {
  [OptionalProps]?: 'batch' | 'operator' | 'market' | 'masterData' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 500, unique: 'exchange_identifier_foreign_id_key' })
  foreignId!: string;

  @Property({ type: 'string', length: 40 })
  scheme!: string;

  @ManyToOne(() => Batch, { nullable: true, ...foreignKey('exchange_identifier', 'batch_id') })
  batch: Batch | null = null;

  @ManyToOne(() => Operator, { nullable: true, ...foreignKey('exchange_identifier', 'operator_id') })
  operator: Operator | null = null;

  @ManyToOne(() => Market, { nullable: true, ...foreignKey('exchange_identifier', 'market_id') })
  market: Market | null = null;

  @Property({ type: 'json', defaultRaw: "'{}'" })
  masterData: unknown = {};

  @Property(insertedAt())
  createdAt: Date = new Date();
}
