import { OptionalProps, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Role } from './enums';
import { Market } from './market.entity';
import { Operator } from './operator.entity';

@Entity({ tableName: 'account' })
export class Account {
  [OptionalProps]?: 'createdAt' | 'revokedAt' | 'market' | 'operator';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => Role })
  role!: Role;

  /** Set for GATE_STAFF: the one market they work at. */
  @ManyToOne(() => Market, { nullable: true })
  market: Market | null = null;

  /** Set for OPERATOR: the one operator they act for. */
  @ManyToOne(() => Operator, { nullable: true })
  operator: Operator | null = null;

  /** sha-256 of the bearer token; the token itself is never stored. */
  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  tokenHash!: string;

  @Property({ type: 'Date' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', nullable: true })
  revokedAt: Date | null = null;
}
