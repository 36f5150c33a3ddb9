import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One rate-limit budget shared by every app process: how many hits its key has spent in the current window. The table
 * is UNLOGGED (the migration says so): counters are not worth a WAL record each, and a crash that empties them only
 * hands every client a fresh window.
 */
@Entity({ tableName: 'rate_counter' })
@Index({ name: 'rate_counter_window_idx', properties: ['windowEndsAt'] })
export class RateCounter {
  /** The bucket and the client (`public:ip:…`, `gate:token:…`). */
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'integer' })
  hits!: number;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  windowEndsAt!: Date;
}
