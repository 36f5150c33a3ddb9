import { OptionalProps, Check, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Account } from './account.entity';
import { CreditEvent } from './credit-event.entity';
import { Operator } from './operator.entity';
import { foreignKey, insertedAt } from './schema-options';

/** A food-safety training held for operators and staff: topic, day, trainer, town-wide or in one village. */
@Entity({ tableName: 'training' })
@Index({ name: 'training_held_on_idx', properties: ['heldOn', 'id'] })
export class Training {
  [OptionalProps]?: 'village' | 'createdAt' | 'response';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 300 })
  topic!: string;

  @Property({ type: 'string', columnType: 'date' })
  heldOn!: string;

  @Property({ type: 'string', length: 100 })
  trainer!: string;

  /** The village it was held for; null for a town-wide training. */
  @Property({ type: 'string', length: 100, nullable: true })
  village: string | null = null;

  @ManyToOne(() => Account, foreignKey('training', 'recorded_by_id'))
  recordedBy!: Account;

  @Property(insertedAt())
  createdAt: Date = new Date();

  /** The recording client's key: a resend answers the first recording. */
  @Property({ type: 'string', length: 64, unique: 'training_client_key_key' })
  clientKey!: string;

  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  requestHash!: string;

  @Property({ type: 'json', nullable: true })
  response: unknown = null;
}

/** One person at a training: an operator (whose credit archive gets TRAINING_COMPLETED), an account, or a name. */
@Entity({ tableName: 'training_attendee' })
@Unique({ name: 'training_attendee_training_id_operator_id_key', properties: ['training', 'operator'] })
@Unique({ name: 'training_attendee_training_id_account_id_key', properties: ['training', 'account'] })
@Check({ name: 'training_attendee_one_kind_check', expression: 'operator_id is null or account_id is null' })
@Index({ name: 'training_attendee_operator_idx', properties: ['operator'] })
export class TrainingAttendee {
  [OptionalProps]?: 'operator' | 'account' | 'creditEvent';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Training, foreignKey('training_attendee', 'training_id'))
  training!: Training;

  @ManyToOne(() => Operator, { nullable: true, ...foreignKey('training_attendee', 'operator_id') })
  operator: Operator | null = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('training_attendee', 'account_id') })
  account: Account | null = null;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @ManyToOne(() => CreditEvent, { nullable: true, ...foreignKey('training_attendee', 'credit_event_id') })
  creditEvent: CreditEvent | null = null;
}
