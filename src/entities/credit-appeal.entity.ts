import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { AppealKind, AppealStatus } from './enums';
import { Account } from './account.entity';
import { CreditEvent } from './credit-event.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Operator } from './operator.entity';

/** An operator's appeal against an event, or a request for credit repair after rectification. */
@Entity({ tableName: 'credit_appeal' })
@Check({ name: 'credit_appeal_reason_check', expression: 'length(reason) > 0' })
@Index({ name: 'credit_appeal_status_idx', properties: ['status', 'id'] })
@Index({ name: 'credit_appeal_operator_idx', properties: ['operator', 'id'] })
@Unique({
  name: 'credit_appeal_one_pending_idx',
  expression: "create unique index credit_appeal_one_pending_idx on credit_appeal (event_id) where status = 'PENDING'",
})
export class CreditAppeal {
  [OptionalProps]?: 'status' | 'createdAt' | 'filedBy' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'reversalEvent';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => CreditEvent, foreignKey('credit_appeal', 'event_id'))
  event!: CreditEvent;

  @ManyToOne(() => Operator, foreignKey('credit_appeal', 'operator_id'))
  operator!: Operator;

  @Enum({ items: () => AppealKind })
  kind!: AppealKind;

  @Property({ type: 'string', length: 2000 })
  reason!: string;

  @Enum({ items: () => AppealStatus })
  status: AppealStatus = AppealStatus.PENDING;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('credit_appeal', 'filed_by_id') })
  filedBy: Account | null = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('credit_appeal', 'decided_by_id') })
  decidedBy: Account | null = null;

  @Property({ type: 'Date', nullable: true })
  decidedAt: Date | null = null;

  @Property({ type: 'string', length: 2000, nullable: true })
  decisionNote: string | null = null;

  @ManyToOne(() => CreditEvent, { nullable: true, ...foreignKey('credit_appeal', 'reversal_event_id') })
  reversalEvent: CreditEvent | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
