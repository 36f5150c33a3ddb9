import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { RectificationStatus } from './enums';
import { Account } from './account.entity';
import { CreditEvent } from './credit-event.entity';
import { FieldInspection } from './field-inspection.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Operator } from './operator.entity';

/** An order to put faults right by a deadline; a re-check closes or escalates it. */
@Entity({ tableName: 'rectification_order' })
@Check({ name: 'rectification_order_items_check', expression: "jsonb_typeof(items) = 'array' and jsonb_array_length(items) > 0" })
@Check({ name: 'rectification_order_check', expression: "(status = 'OPEN') = (rechecked_at is null)" })
@Index({ name: 'rectification_order_status_idx', properties: ['status', 'deadline', 'id'] })
@Index({ name: 'rectification_order_operator_idx', properties: ['operator', 'id'] })
export class RectificationOrder {
  [OptionalProps]?: 'status' | 'createdAt' | 'village' | 'operatorNote' | 'operatorPhotos' | 'answeredAt' | 'recheckedAt' | 'recheckedBy'
    | 'recheckNote' | 'recheckKey' | 'overdueEvent' | 'overdueNotifiedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => FieldInspection, { unique: 'rectification_order_inspection_id_key', ...foreignKey('rectification_order', 'inspection_id') })
  inspection!: FieldInspection;

  @ManyToOne(() => Operator, foreignKey('rectification_order', 'operator_id'))
  operator!: Operator;

  @Property({ type: 'string', length: 100, nullable: true })
  village: string | null = null;

  @Property({ type: 'json' })
  items!: unknown[];

  @Property({ type: 'Date', columnType: 'timestamptz' })
  deadline!: Date;

  @Enum({ items: () => RectificationStatus, default: RectificationStatus.OPEN })
  status: RectificationStatus = RectificationStatus.OPEN;

  @Property(insertedAt())
  createdAt: Date = new Date();

  @Property({ type: 'string', length: 4000, nullable: true })
  operatorNote: string | null = null;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  operatorPhotos: string[] = [];

  @Property({ type: 'Date', nullable: true })
  answeredAt: Date | null = null;

  @Property({ type: 'Date', nullable: true })
  recheckedAt: Date | null = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('rectification_order', 'rechecked_by_id') })
  recheckedBy: Account | null = null;

  @Property({ type: 'string', length: 4000, nullable: true })
  recheckNote: string | null = null;

  /** The re-checking phone's key: a resend answers the recorded re-check. */
  @Property({ type: 'string', length: 64, nullable: true, unique: 'rectification_order_recheck_key_key' })
  recheckKey: string | null = null;

  /** The RECTIFICATION_OVERDUE charge, made once per order. */
  @ManyToOne(() => CreditEvent, { nullable: true, ...foreignKey('rectification_order', 'overdue_event_id') })
  overdueEvent: CreditEvent | null = null;

  /** When the order was told overdue through the notification outbox: once per order. */
  @Property({ type: 'Date', nullable: true })
  overdueNotifiedAt: Date | null = null;
}
