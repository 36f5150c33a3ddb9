import { OptionalProps, Check, DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { LinkKind } from './enums';
import { Batch } from './batch.entity';
import { foreignKey, insertedAt } from './schema-options';

@Entity({ tableName: 'batch_link' })
@Check({ name: 'batch_link_quantity_check', expression: 'quantity > 0' })
@Check({ name: 'batch_link_check', expression: 'parent_id <> child_id' })
@Unique({ name: 'batch_link_parent_id_child_id_key', properties: ['parent', 'child'] })
@Index({ name: 'batch_link_child_idx', properties: ['child', 'parent'] })
export class BatchLink {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Batch, foreignKey('batch_link', 'parent_id'))
  parent!: Batch;

  @ManyToOne(() => Batch, foreignKey('batch_link', 'child_id'))
  child!: Batch;

  @Enum({ items: () => LinkKind })
  kind!: LinkKind;

  /** Quantity taken from the parent, in the parent's unit. */
  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  quantity!: number;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
