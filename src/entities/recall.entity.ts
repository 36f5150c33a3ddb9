import { OptionalProps, Entity, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Batch } from './batch.entity';

@Entity({ tableName: 'recall' })
export class Recall {
  [OptionalProps]?: 'createdAt' | 'initiatedBy';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @OneToOne(() => Batch, { owner: true, unique: true })
  batch!: Batch;

  @Property({ type: 'string', length: 1000 })
  reason!: string;

  @ManyToOne(() => Account, { nullable: true })
  initiatedBy: Account | null = null;

  /** The impact as computed when the recall was made. */
  @Property({ type: 'json' })
  impact!: unknown;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
