import { OptionalProps, Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Batch } from './batch.entity';
import { Meal, QuantityUnit, ReceivingLight } from './enums';
import { Operator } from './operator.entity';
import { foreignKey, insertedAt } from './schema-options';

/** One delivery scanned at a canteen's receiving check (进货查验); a row of the receiving ledger. */
@Entity({ tableName: 'canteen_receipt' })
@Check({ name: 'canteen_receipt_declared_quantity_check', expression: 'declared_quantity > 0' })
@Index({ name: 'canteen_receipt_canteen_idx', properties: ['canteen', 'createdAt'] })
export class CanteenReceipt {
  [OptionalProps]?: 'staff' | 'batch' | 'receivedBatch' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator, foreignKey('canteen_receipt', 'canteen_id'))
  canteen!: Operator;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('canteen_receipt', 'staff_id') })
  staff: Account | null = null;

  @Property({ type: 'string', length: 500 })
  codeScanned!: string;

  @ManyToOne(() => Batch, { nullable: true, ...foreignKey('canteen_receipt', 'batch_id') })
  batch: Batch | null = null;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  declaredQuantity!: number;

  @Enum({ items: () => QuantityUnit })
  unit!: QuantityUnit;

  @Enum({ items: () => ReceivingLight })
  light!: ReceivingLight;

  @Property({ type: 'json' })
  reasons!: unknown;

  @ManyToOne(() => Batch, { nullable: true, ...foreignKey('canteen_receipt', 'received_batch_id') })
  receivedBatch: Batch | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}

/** A retained sample (留样) of one dish of one meal. */
@Entity({ tableName: 'canteen_sample' })
@Check({ name: 'canteen_sample_dish_check', expression: 'length(dish) > 0' })
@Check({ name: 'canteen_sample_grams_check', expression: 'grams > 0' })
@Check({ name: 'canteen_sample_kept_by_check', expression: 'length(kept_by) > 0' })
@Index({ name: 'canteen_sample_canteen_idx', properties: ['canteen', 'keptAt'] })
export class CanteenSample {
  [OptionalProps]?: 'recordedBy' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator, foreignKey('canteen_sample', 'canteen_id'))
  canteen!: Operator;

  @Property({ type: 'string', length: 200 })
  dish!: string;

  @Enum({ items: () => Meal })
  meal!: Meal;

  @Property({ type: new DecimalType('number'), precision: 10, scale: 1 })
  grams!: number;

  @Property({ type: 'string', length: 100 })
  keptBy!: string;

  @Property({ type: 'Date' })
  keptAt!: Date;

  @Property({ type: 'Date' })
  discardAfter!: Date;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('canteen_sample', 'recorded_by_id') })
  recordedBy: Account | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
