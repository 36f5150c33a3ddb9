import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { InspectionKind, TestResult } from './enums';
import { Account } from './account.entity';
import { Batch } from './batch.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Market } from './market.entity';
import { MarketEntry } from './market-entry.entity';

export interface InspectionItem {
  item: string;
  value: number | null;
  unit: string | null;
  result: TestResult;
}

@Entity({ tableName: 'inspection' })
@Check({ name: 'inspection_items_check', expression: "jsonb_typeof(items) = 'array' and jsonb_array_length(items) > 0" })
@Check({ name: 'inspection_test_id_answer', expression: '(test_id is null) = (request_hash is null)' })
@Index({ name: 'inspection_batch_idx', properties: ['batch'] })
@Index({ name: 'inspection_market_day_idx', properties: ['market', 'inspectedAt'] })
export class Inspection {
  [OptionalProps]?: 'inspectedAt' | 'market' | 'entry' | 'recordedBy' | 'testId' | 'requestHash' | 'response';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Batch, foreignKey('inspection', 'batch_id'))
  batch!: Batch;

  @ManyToOne(() => Market, { nullable: true, ...foreignKey('inspection', 'market_id') })
  market: Market | null = null;

  @ManyToOne(() => MarketEntry, { nullable: true, ...foreignKey('inspection', 'entry_id') })
  entry: MarketEntry | null = null;

  @Enum({ items: () => InspectionKind })
  kind!: InspectionKind;

  @Property({ type: 'json' })
  items!: InspectionItem[];

  @Enum({ items: () => TestResult })
  result!: TestResult;

  @Property({ type: 'string', length: 100 })
  tester!: string;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('inspection', 'recorded_by_id') })
  recordedBy: Account | null = null;

  @Property(insertedAt())
  inspectedAt: Date = new Date();

  /** The client's idempotency key: a resend with the same key returns the first answer and records nothing. */
  @Property({ type: 'string', length: 64, nullable: true, unique: 'inspection_test_id_key' })
  testId: string | null = null;

  /** sha-256 of the result's payload, to tell a resend from a reuse of the key for another result. */
  @Property({ type: 'string', length: 64, columnType: 'char(64)', nullable: true })
  requestHash: string | null = null;

  /** The first answer, returned as is to every resend. */
  @Property({ type: 'json', nullable: true })
  response: unknown = null;
}
