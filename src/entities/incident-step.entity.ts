import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { IncidentStatus } from './enums';
import { Account } from './account.entity';
import { Incident } from './incident.entity';
import { foreignKey, insertedAt } from './schema-options';

/** One step of an incident's timeline: the status it reached, who, when, notes, evidence and the next deadline. */
@Entity({ tableName: 'incident_step' })
@Check({ name: 'incident_step_evidence_check', expression: "jsonb_typeof(evidence) = 'array'" })
@Index({ name: 'incident_step_incident_idx', properties: ['incident', 'id'] })
export class IncidentStep {
  [OptionalProps]?: 'at' | 'by' | 'notes' | 'evidence' | 'dueAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Incident, foreignKey('incident_step', 'incident_id'))
  incident!: Incident;

  @Enum({ items: () => IncidentStatus })
  status!: IncidentStatus;

  @Property(insertedAt())
  at: Date = new Date();

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('incident_step', 'by_id') })
  by: Account | null = null;

  @Property({ type: 'string', length: 4000, nullable: true })
  notes: string | null = null;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  evidence: unknown = [];

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  dueAt: Date | null = null;
}
