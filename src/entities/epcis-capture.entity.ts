import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { CaptureStatus } from './enums';
import { foreignKey, insertedAt } from './schema-options';

/** One EPCIS capture job: who sent the document, how it went, and each refused event's errors. */
@Entity({ tableName: 'epcis_capture' })
@Check({ name: 'epcis_capture_event_count_check', expression: 'event_count >= 0' })
@Check({ name: 'epcis_capture_captured_count_check', expression: 'captured_count >= 0' })
@Check({ name: 'epcis_capture_duplicate_count_check', expression: 'duplicate_count >= 0' })
@Check({ name: 'epcis_capture_errors_check', expression: "jsonb_typeof(errors) = 'array'" })
@Index({ name: 'epcis_capture_running_idx', expression: `create index epcis_capture_running_idx on epcis_capture (id) where status = 'RUNNING'` })
export class EpcisCapture {
  [OptionalProps]?: 'account' | 'receivedAt' | 'finishedAt' | 'eventCount' | 'capturedCount' | 'duplicateCount' | 'errors' | 'document';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('epcis_capture', 'account_id') })
  account: Account | null = null;

  @Property(insertedAt())
  receivedAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @Enum({ items: () => CaptureStatus })
  status!: CaptureStatus;

  @Property({ type: 'integer', default: 0 })
  eventCount = 0;

  @Property({ type: 'integer', default: 0 })
  capturedCount = 0;

  @Property({ type: 'integer', default: 0 })
  duplicateCount = 0;

  /** `{ index, eventID, errors: string[] }` per refused event, or one document-level entry. */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  errors: unknown = [];

  /** The accepted document, kept until its job has run. */
  @Property({ type: 'json', nullable: true })
  document: unknown = null;
}
