import { OptionalProps, Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { InspectionKind, TestResult } from './enums';
import { Account } from './account.entity';
import { Batch } from './batch.entity';
import { Market } from './market.entity';
import { MarketEntry } from './market-entry.entity';

export interface InspectionItem {
  item: string;
  value: number | null;
  unit: string | null;
  result: TestResult;
}

@Entity({ tableName: 'inspection' })
export class Inspection {
  [OptionalProps]?: 'inspectedAt' | 'market' | 'entry' | 'recordedBy' | 'testId' | 'requestHash' | 'response';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Batch)
  batch!: Batch;

  @ManyToOne(() => Market, { nullable: true })
  market: Market | null = null;

  @ManyToOne(() => MarketEntry, { nullable: true })
  entry: MarketEntry | null = null;

  @Enum({ items: () => InspectionKind })
  kind!: InspectionKind;

  @Property({ type: 'json' })
  items!: InspectionItem[];

  @Enum({ items: () => TestResult })
  result!: TestResult;

  @Property({ type: 'string', length: 100 })
  tester!: string;

  @ManyToOne(() => Account, { nullable: true })
  recordedBy: Account | null = null;

  @Property({ type: 'Date' })
  inspectedAt: Date = new Date();

  /** The client's idempotency key: a resend with the same key returns the first answer and records nothing. */
  @Property({ type: 'string', length: 64, nullable: true, unique: true })
  testId: string | null = null;

  /** sha-256 of the result's payload, to tell a resend from a reuse of the key for another result. */
  @Property({ type: 'string', length: 64, nullable: true })
  requestHash: string | null = null;

  /** The first answer, returned as is to every resend. */
  @Property({ type: 'json', nullable: true })
  response: unknown = null;
}
