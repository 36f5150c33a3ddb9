import { OptionalProps, Check, Entity, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Batch } from './batch.entity';
import { foreignKey, insertedAt } from './schema-options';

@Entity({ tableName: 'recall' })
@Check({ name: 'recall_reason_check', expression: 'length(reason) > 0' })
export class Recall {
  [OptionalProps]?: 'createdAt' | 'initiatedBy';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @OneToOne(() => Batch, { owner: true, unique: 'recall_batch_id_key', ...foreignKey('recall', 'batch_id') })
  batch!: Batch;

  @Property({ type: 'string', length: 1000 })
  reason!: string;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('recall', 'initiated_by_id') })
  initiatedBy: Account | null = null;

  /** The impact as computed when the recall was made. */
  @Property({ type: 'json' })
  impact!: unknown;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
