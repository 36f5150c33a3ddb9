import { OptionalProps, Check, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { insertedAt } from './schema-options';

@Entity({ tableName: 'market' })
@Check({ name: 'market_name_check', expression: 'length(name) > 0' })
export class Market {
  [OptionalProps]?: 'createdAt' | 'village' | 'address';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  village: string | null = null;

  @Property({ type: 'string', length: 300, nullable: true })
  address: string | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
