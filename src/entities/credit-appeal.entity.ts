import { OptionalProps, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { AppealKind, AppealStatus } from './enums';
import { Account } from './account.entity';
import { CreditEvent } from './credit-event.entity';
import { Operator } from './operator.entity';

/** An operator's appeal against an event, or a request for credit repair after rectification. */
@Entity({ tableName: 'credit_appeal' })
export class CreditAppeal {
  [OptionalProps]?: 'status' | 'createdAt' | 'filedBy' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'reversalEvent';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => CreditEvent)
  event!: CreditEvent;

  @ManyToOne(() => Operator)
  operator!: Operator;

  @Enum({ items: () => AppealKind })
  kind!: AppealKind;

  @Property({ type: 'string', length: 2000 })
  reason!: string;

  @Enum({ items: () => AppealStatus })
  status: AppealStatus = AppealStatus.PENDING;

  @ManyToOne(() => Account, { nullable: true })
  filedBy: Account | null = null;

  @ManyToOne(() => Account, { nullable: true })
  decidedBy: Account | null = null;

  @Property({ type: 'Date', nullable: true })
  decidedAt: Date | null = null;

  @Property({ type: 'string', length: 2000, nullable: true })
  decisionNote: string | null = null;

  @ManyToOne(() => CreditEvent, { nullable: true })
  reversalEvent: CreditEvent | null = null;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
