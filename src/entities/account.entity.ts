import { OptionalProps, Check, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from './enums';
import { foreignKey, insertedAt } from './schema-options';
import { Market } from './market.entity';
import { Operator } from './operator.entity';

@Entity({ tableName: 'account' })
@Check({ name: 'account_name_check', expression: 'length(name) > 0' })
@Check({ name: 'account_check', expression: "(role = 'GATE_STAFF') = (market_id is not null)" })
@Check({ name: 'account_check1', expression: "(role = 'OPERATOR') = (operator_id is not null)" })
@Check({ name: 'account_village_check', expression: "(role = 'VILLAGE_ASSISTANT') = (village is not null)" })
export class Account {
  [OptionalProps]?: 'createdAt' | 'revokedAt' | 'expiresAt' | 'lastUsedAt' | 'market' | 'operator' | 'village';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => Role })
  role!: Role;

  /** Set for GATE_STAFF: the one market they work at. */
  @ManyToOne(() => Market, { nullable: true, ...foreignKey('account', 'market_id') })
  market: Market | null = null;

  /** Set for OPERATOR: the one operator they act for. */
  @ManyToOne(() => Operator, { nullable: true, ...foreignKey('account', 'operator_id') })
  operator: Operator | null = null;

  /** Set for VILLAGE_ASSISTANT: the one village whose operators they see and inspect. */
  @Property({ type: 'string', length: 100, nullable: true })
  village: string | null = null;

  /** sha-256 of the bearer token; the token itself is never stored. */
  @Property({ type: 'string', length: 64, columnType: 'char(64)', unique: 'account_token_hash_key', hidden: true })
  tokenHash!: string;

  @Property(insertedAt())
  createdAt: Date = new Date();

  @Property({ type: 'Date', nullable: true })
  revokedAt: Date | null = null;

  /** After this moment the token is refused as expired; null: it does not expire. */
  @Property({ type: 'Date', nullable: true })
  expiresAt: Date | null = null;

  /** The last request made with the token, recorded at most once a minute. */
  @Property({ type: 'Date', nullable: true })
  lastUsedAt: Date | null = null;
}
