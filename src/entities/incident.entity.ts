import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { IncidentKind, IncidentPlaceKind, IncidentStatus } from './enums';
import { Account } from './account.entity';
import { Operator } from './operator.entity';
import { foreignKey, insertedAt } from './schema-options';

/** A food-safety incident or complaint, its place, its suspects, the trace finding and its deadlines. */
@Entity({ tableName: 'incident' })
@Check({ name: 'incident_people_ill_check', expression: 'people_ill >= 0' })
@Check({ name: 'incident_description_check', expression: 'length(description) > 0' })
@Check({ name: 'incident_suspect_codes_check', expression: "jsonb_typeof(suspect_codes) = 'array'" })
@Index({ name: 'incident_reported_at_idx', properties: ['reportedAt', 'id'] })
@Index({ name: 'incident_status_idx', properties: ['status', 'id'] })
export class Incident {
  [OptionalProps]?: 'status' | 'drill' | 'village' | 'operator' | 'placeRef' | 'peopleIll' | 'suspectCodes' | 'finding' | 'reportedBy'
    | 'reporterName' | 'contact' | 'reportedAt' | 'investigatingAt' | 'handledAt' | 'closedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Enum({ items: () => IncidentKind })
  kind!: IncidentKind;

  @Enum({ items: () => IncidentStatus, default: IncidentStatus.REPORTED })
  status: IncidentStatus = IncidentStatus.REPORTED;

  @Property({ type: 'boolean', default: false })
  drill: boolean = false;

  @Enum({ items: () => IncidentPlaceKind })
  placeKind!: IncidentPlaceKind;

  @Property({ type: 'string', length: 200, nullable: true })
  village: string | null = null;

  @ManyToOne(() => Operator, { nullable: true, ...foreignKey('incident', 'operator_id') })
  operator: Operator | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  placeRef: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'integer', default: 0 })
  peopleIll: number = 0;

  @Property({ type: 'string', length: 4000 })
  description!: string;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  suspectCodes: unknown = [];

  /** The backward and forward traces of the suspect lots, as found when reported. */
  @Property({ type: 'json', nullable: true })
  finding: unknown = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('incident', 'reported_by_id') })
  reportedBy: Account | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  reporterName: string | null = null;

  /** A public reporter's contact: personal data, read only by regulators. */
  @Property({ type: 'string', length: 200, nullable: true })
  contact: string | null = null;

  @Property(insertedAt())
  reportedAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz' })
  investigateDueAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  handleDueAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  investigatingAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  handledAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  closedAt: Date | null = null;
}
