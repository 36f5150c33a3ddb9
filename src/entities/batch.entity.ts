import { OptionalProps, DecimalType, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { BatchStatus, ProductCategory, QuantityUnit } from './enums';
import { Operator } from './operator.entity';

@Entity({ tableName: 'batch' })
export class Batch {
  [OptionalProps]?: 'status' | 'nonConformant' | 'createdAt' | 'originPlace' | 'gtin';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator)
  owner!: Operator;

  @Property({ type: 'string', length: 200 })
  productName!: string;

  @Enum({ items: () => ProductCategory })
  category!: ProductCategory;

  @Property({ type: 'string', length: 64 })
  lotCode!: string;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  quantity!: number;

  /** What is left after splits, transfers, merges and processing took from it. */
  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  remaining!: number;

  @Enum({ items: () => QuantityUnit })
  unit!: QuantityUnit;

  @Property({ type: 'Date' })
  producedAt!: Date;

  @Property({ type: 'string', length: 300, nullable: true })
  originPlace: string | null = null;

  @Property({ type: 'string', length: 14, nullable: true })
  gtin: string | null = null;

  @Property({ type: 'string', length: 32, unique: true })
  publicCode!: string;

  @Enum({ items: () => BatchStatus })
  status: BatchStatus = BatchStatus.ACTIVE;

  /** Set when a test failed on this lot. */
  @Property({ type: 'boolean' })
  nonConformant: boolean = false;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
