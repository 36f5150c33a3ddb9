import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { AuditKind, Role } from './enums';
import { Account } from './account.entity';
import { foreignKey, insertedAt } from './schema-options';

/** One request that changed something or read personal data; append-only (see the migration's triggers). */
@Entity({ tableName: 'audit_event' })
@Check({ name: 'audit_event_operation_check', expression: 'length(operation) > 0' })
@Check({ name: 'audit_event_personal_data_check', expression: "jsonb_typeof(personal_data) = 'array'" })
@Index({ name: 'audit_event_at_idx', properties: ['at', 'id'] })
@Index({ name: 'audit_event_account_idx', properties: ['account', 'id'] })
@Index({ name: 'audit_event_operation_idx', properties: ['operation', 'id'] })
export class AuditEvent {
  [OptionalProps]?: 'at' | 'account' | 'role' | 'variables' | 'personalData' | 'clientIp';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property(insertedAt())
  at: Date = new Date();

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('audit_event', 'account_id') })
  account: Account | null = null;

  @Enum({ items: () => Role, nullable: true })
  role: Role | null = null;

  @Enum({ items: () => AuditKind })
  kind!: AuditKind;

  @Property({ type: 'string', length: 200 })
  operation!: string;

  /** The operation's variables, secrets and personal data masked. */
  @Property({ type: 'json', defaultRaw: "'{}'" })
  variables: unknown = {};

  /** OK, or the error codes the caller was answered. */
  @Property({ type: 'string', length: 200 })
  outcome!: string;

  /** The personal-data fields read: `{ type, field, id }` each. */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  personalData: unknown = [];

  @Property({ type: 'string', length: 64, nullable: true })
  clientIp: string | null = null;
}
