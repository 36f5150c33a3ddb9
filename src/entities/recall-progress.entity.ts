import { DecimalType, OptionalProps, Check, Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { QuantityUnit } from './enums';
import { Account } from './account.entity';
import { Operator } from './operator.entity';
import { Recall } from './recall.entity';
import { foreignKey, insertedAt } from './schema-options';

/** What one affected operator did with what it held of a recall, per unit; its latest statement stands. */
@Entity({ tableName: 'recall_disposition' })
@Unique({ name: 'recall_disposition_recall_id_operator_id_unit_key', properties: ['recall', 'operator', 'unit'] })
@Check({ name: 'recall_disposition_returned_check', expression: 'returned >= 0' })
@Check({ name: 'recall_disposition_destroyed_check', expression: 'destroyed >= 0' })
@Check({ name: 'recall_disposition_sold_check', expression: 'sold >= 0' })
export class RecallDisposition {
  [OptionalProps]?: 'returned' | 'destroyed' | 'sold' | 'note' | 'recordedBy' | 'recordedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Recall, foreignKey('recall_disposition', 'recall_id'))
  recall!: Recall;

  @ManyToOne(() => Operator, foreignKey('recall_disposition', 'operator_id'))
  operator!: Operator;

  @Enum({ items: () => QuantityUnit })
  unit!: QuantityUnit;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3, defaultRaw: '0' })
  returned: number = 0;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3, defaultRaw: '0' })
  destroyed: number = 0;

  @Property({ type: new DecimalType('number'), precision: 14, scale: 3, defaultRaw: '0' })
  sold: number = 0;

  @Property({ type: 'string', length: 2000, nullable: true })
  note: string | null = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('recall_disposition', 'recorded_by_id') })
  recordedBy: Account | null = null;

  @Property(insertedAt())
  recordedAt: Date = new Date();
}

/** A recall closed with its summary; at most one per recall. */
@Entity({ tableName: 'recall_closure' })
@Unique({ name: 'recall_closure_recall_id_key', properties: ['recall'] })
@Check({ name: 'recall_closure_summary_check', expression: 'length(summary) > 0' })
export class RecallClosure {
  [OptionalProps]?: 'closedBy' | 'closedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Recall, foreignKey('recall_closure', 'recall_id'))
  recall!: Recall;

  @Property({ type: 'string', length: 4000 })
  summary!: string;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('recall_closure', 'closed_by_id') })
  closedBy: Account | null = null;

  @Property(insertedAt())
  closedAt: Date = new Date();
}
