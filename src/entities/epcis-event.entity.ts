import { OptionalProps, Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { EpcisCapture } from './epcis-capture.entity';
import { foreignKey, insertedAt } from './schema-options';

/** A captured EPCIS event, verbatim, under its CBV event hash; an error declaration marks the original corrected. */
@Entity({ tableName: 'epcis_event' })
@Check({ name: 'epcis_event_epcs_check', expression: "jsonb_typeof(epcs) = 'array'" })
@Index({ name: 'epcis_event_event_time_idx', properties: ['eventTime', 'id'] })
@Index({ name: 'epcis_event_event_id_idx', properties: ['eventId'] })
@Index({ name: 'epcis_event_time_hash_idx', properties: ['eventTime', 'eventHash'] })
export class EpcisEvent {
  [OptionalProps]?: 'eventId' | 'bizStep' | 'disposition' | 'readPoint' | 'epcs' | 'correctedBy' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => EpcisCapture, foreignKey('epcis_event', 'capture_id'))
  capture!: EpcisCapture;

  @Property({ type: 'string', length: 200, unique: 'epcis_event_event_hash_key' })
  eventHash!: string;

  @Property({ type: 'string', length: 500, nullable: true })
  eventId: string | null = null;

  @Property({ type: 'string', length: 40 })
  eventType!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  eventTime!: Date;

  @Property({ type: 'string', length: 500, nullable: true })
  bizStep: string | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  disposition: string | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  readPoint: string | null = null;

  /** Every EPC and EPC class the event names, as sent and in canonical Digital Link form. */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  epcs: unknown = [];

  @Property({ type: 'json' })
  body!: unknown;

  @ManyToOne(() => EpcisEvent, { nullable: true, ...foreignKey('epcis_event', 'corrected_by_id') })
  correctedBy: EpcisEvent | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
