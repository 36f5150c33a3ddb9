import { OptionalProps, DecimalType, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { LinkKind } from './enums';
import { Batch } from './batch.entity';

@Entity({ tableName: 'batch_link' })
export class BatchLink {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Batch)
  parent!: Batch;

  @ManyToOne(() => Batch)
  child!: Batch;

  @Enum({ items: () => LinkKind })
  kind!: LinkKind;

  /** Quantity taken from the parent, in the parent's unit. */
  @Property({ type: new DecimalType('number'), precision: 14, scale: 3 })
  quantity!: number;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
