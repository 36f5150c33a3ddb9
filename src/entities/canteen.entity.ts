import { OptionalProps, Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
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
  [OptionalProps]?: 'staff' | 'batch' | 'receivedBatch' | 'createdAt' | 'clientKey' | 'requestHash' | 'response';

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

  /** The device's idempotency key, when it sent one: a retry returns the first answer and records nothing. */
  @Property({ type: 'string', length: 64, nullable: true, unique: 'canteen_receipt_client_key_key' })
  clientKey: string | null = null;

  @Property({ type: 'string', length: 64, columnType: 'char(64)', nullable: true })
  requestHash: string | null = null;

  @Property({ type: 'json', nullable: true })
  response: unknown = null;
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

/** A staff member's morning health check (晨检): one per person per canteen per day, recorded once per client key. */
@Entity({ tableName: 'canteen_morning_check' })
@Check({ name: 'canteen_morning_check_staff_name_check', expression: 'length(staff_name) > 0' })
@Check({ name: 'canteen_morning_check_temperature_check', expression: 'temperature >= 34 and temperature <= 43' })
@Check({ name: 'canteen_morning_check_symptoms_check', expression: "jsonb_typeof(symptoms) = 'array'" })
@Check({ name: 'canteen_morning_check_checked_by_check', expression: 'length(checked_by) > 0' })
@Unique({ name: 'canteen_morning_check_person_day_key', properties: ['canteen', 'checkedOn', 'staffName'] })
export class CanteenMorningCheck {
  [OptionalProps]?: 'symptoms' | 'recordedBy' | 'response' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator, foreignKey('canteen_morning_check', 'canteen_id'))
  canteen!: Operator;

  @Property({ type: 'string', columnType: 'date' })
  checkedOn!: string;

  @Property({ type: 'string', length: 100 })
  staffName!: string;

  @Property({ type: new DecimalType('number'), precision: 3, scale: 1 })
  temperature!: number;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  symptoms: string[] = [];

  @Property({ type: 'boolean' })
  fitForWork!: boolean;

  @Property({ type: 'string', length: 100 })
  checkedBy!: string;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('canteen_morning_check', 'recorded_by_id') })
  recordedBy: Account | null = null;

  @Property({ type: 'string', length: 64, unique: 'canteen_morning_check_client_key_key' })
  clientKey!: string;

  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  requestHash!: string;

  @Property({ type: 'json', nullable: true })
  response: unknown = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
