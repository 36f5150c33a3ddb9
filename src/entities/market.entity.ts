import { OptionalProps, Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'market' })
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

  @Property({ type: 'Date' })
  createdAt: Date = new Date();
}
