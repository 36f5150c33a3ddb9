import { OptionalProps, Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { BatchStatus, ProductCategory, QuantityUnit } from './enums';
import { foreignKey, insertedAt } from './schema-options';
import { Operator } from './operator.entity';

@Entity({ tableName: 'batch' })
@Check({ name: 'batch_product_name_check', expression: 'length(product_name) > 0' })
@Check({ name: 'batch_lot_code_check', expression: 'length(lot_code) > 0' })
@Check({ name: 'batch_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'batch_check', expression: 'remaining >= 0 and remaining <= quantity' })
@Check({ name: 'batch_gtin_check', expression: "gtin ~ '^[0-9]{14}$'" })
@Check({ name: 'batch_process_yield_check', expression: 'process_yield > 0' })
@Unique({ name: 'batch_owner_id_lot_code_key', properties: ['owner', 'lotCode'] })
@Index({ name: 'batch_gtin_lot_idx', expression: 'create index batch_gtin_lot_idx on batch (gtin, lot_code) where gtin is not null' })
@Index({ name: 'batch_produced_at_idx', properties: ['producedAt'] })
export class Batch {
  [OptionalProps]?: 'status' | 'nonConformant' | 'createdAt' | 'originPlace' | 'gtin' | 'processYield';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator, foreignKey('batch', 'owner_id'))
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

  @Property({ type: 'string', length: 32, unique: 'batch_public_code_key' })
  publicCode!: string;

  @Enum({ items: () => BatchStatus })
  status: BatchStatus = BatchStatus.ACTIVE;

  /** Set when a test failed on this lot. */
  @Property({ type: 'boolean' })
  nonConformant: boolean = false;

  @Property(insertedAt())
  createdAt: Date = new Date();

  @Property({
    type: new DecimalType('number'),
    precision: 14,
    scale: 6,
    nullable: true,
    comment: 'Output of a PROCESS step per unit of input, when all inputs share one unit',
  })
  processYield: number | null = null;
}
