import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { InspectionOutcome } from './enums';
import { Account } from './account.entity';
import { ChecklistTemplate } from './checklist-template.entity';
import { CreditEvent } from './credit-event.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Operator } from './operator.entity';

/** An on-site inspection of an operator against one checklist version, recorded once per client key. */
@Entity({ tableName: 'field_inspection' })
@Check({ name: 'field_inspection_answers_check', expression: "jsonb_typeof(answers) = 'array'" })
@Check({ name: 'field_inspection_points_check', expression: 'points <= 0' })
@Index({ name: 'field_inspection_operator_idx', properties: ['operator', 'inspectedAt', 'id'] })
@Index({ name: 'field_inspection_time_idx', properties: ['inspectedAt', 'id'] })
@Index({ name: 'field_inspection_village_idx', properties: ['village', 'inspectedAt', 'id'] })
export class FieldInspection {
  [OptionalProps]?: 'recordedAt' | 'village' | 'findings' | 'photos' | 'points' | 'creditEvent' | 'response';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Operator, foreignKey('field_inspection', 'operator_id'))
  operator!: Operator;

  /** The checklist version the answers belong to; a later version never changes them. */
  @ManyToOne(() => ChecklistTemplate, foreignKey('field_inspection', 'template_id'))
  template!: ChecklistTemplate;

  /** The operator's village when inspected, for a village assistant's view. */
  @Property({ type: 'string', length: 100, nullable: true })
  village: string | null = null;

  @ManyToOne(() => Account, foreignKey('field_inspection', 'inspector_id'))
  inspector!: Account;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  inspectedAt!: Date;

  @Property(insertedAt())
  recordedAt: Date = new Date();

  @Property({ type: 'json' })
  answers!: unknown[];

  @Property({ type: 'string', length: 4000, nullable: true })
  findings: string | null = null;

  /** sha-256 names of the photos taken. */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  photos: string[] = [];

  @Enum({ items: () => InspectionOutcome })
  outcome!: InspectionOutcome;

  @Property({ type: 'integer', default: 0 })
  points: number = 0;

  @ManyToOne(() => CreditEvent, { nullable: true, ...foreignKey('field_inspection', 'credit_event_id') })
  creditEvent: CreditEvent | null = null;

  /** The phone's idempotency key: a resend returns the first answer and records nothing. */
  @Property({ type: 'string', length: 64, unique: 'field_inspection_client_key_key' })
  clientKey!: string;

  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  requestHash!: string;

  @Property({ type: 'json', nullable: true })
  response: unknown = null;
}
