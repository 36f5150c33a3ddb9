import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { PlanStatus } from './enums';
import { foreignKey, insertedAt } from './schema-options';

/** One item of the year's work plan: what, who answers for it, by when, and how far it has come. */
@Entity({ tableName: 'plan_item' })
@Check({ name: 'plan_item_progress_check', expression: 'progress >= 0 and progress <= 100' })
@Index({ name: 'plan_item_year_idx', properties: ['year', 'dueOn', 'id'] })
export class PlanItem {
  [OptionalProps]?: 'progress' | 'status' | 'notes' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'integer' })
  year!: number;

  @Property({ type: 'string', length: 300 })
  title!: string;

  @Property({ type: 'string', length: 100 })
  owner!: string;

  @Property({ type: 'string', columnType: 'date' })
  dueOn!: string;

  @Property({ type: 'integer', default: 0 })
  progress: number = 0;

  @Enum({ items: () => PlanStatus, default: PlanStatus.NOT_STARTED })
  status: PlanStatus = PlanStatus.NOT_STARTED;

  @Property({ type: 'string', length: 4000, nullable: true })
  notes: string | null = null;

  @ManyToOne(() => Account, foreignKey('plan_item', 'created_by_id'))
  createdBy!: Account;

  @Property(insertedAt())
  createdAt: Date = new Date();

  @Property(insertedAt())
  updatedAt: Date = new Date();
}

/** A progress report on a plan item: the month's work ledger lists each. */
@Entity({ tableName: 'plan_progress' })
@Index({ name: 'plan_progress_time_idx', properties: ['recordedAt', 'id'] })
export class PlanProgress {
  [OptionalProps]?: 'note' | 'recordedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => PlanItem, foreignKey('plan_progress', 'plan_item_id'))
  planItem!: PlanItem;

  @Property({ type: 'integer' })
  progress!: number;

  @Enum({ items: () => PlanStatus })
  status!: PlanStatus;

  @Property({ type: 'string', length: 4000, nullable: true })
  note: string | null = null;

  @ManyToOne(() => Account, foreignKey('plan_progress', 'recorded_by_id'))
  recordedBy!: Account;

  @Property(insertedAt())
  recordedAt: Date = new Date();
}
