import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { SiteKind, SiteStatus } from './enums';
import { Account } from './account.entity';
import { foreignKey, insertedAt } from './schema-options';
import { Operator } from './operator.entity';

/** An unregistered place found making or storing food; open until it registers as an operator or is closed. */
@Entity({ tableName: 'hazard_site' })
@Check({ name: 'hazard_site_registered_check', expression: "(status = 'REGISTERED') = (operator_id is not null)" })
@Check({ name: 'hazard_site_resolved_check', expression: "(status = 'OPEN') = (resolved_at is null)" })
@Index({ name: 'hazard_site_village_idx', properties: ['village', 'createdAt', 'id'] })
@Index({ name: 'hazard_site_time_idx', properties: ['createdAt', 'id'] })
export class HazardSite {
  [OptionalProps]?: 'notes' | 'photos' | 'status' | 'operator' | 'resolutionNote' | 'resolvedAt' | 'resolvedBy' | 'createdAt' | 'response';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Enum({ items: () => SiteKind })
  kind!: SiteKind;

  @Property({ type: 'string', length: 300 })
  location!: string;

  @Property({ type: 'string', length: 100 })
  village!: string;

  @Property({ type: 'string', length: 4000, nullable: true })
  notes: string | null = null;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  photos: string[] = [];

  @Enum({ items: () => SiteStatus, default: SiteStatus.OPEN })
  status: SiteStatus = SiteStatus.OPEN;

  /** The operator it registered as. */
  @ManyToOne(() => Operator, { nullable: true, ...foreignKey('hazard_site', 'operator_id') })
  operator: Operator | null = null;

  @Property({ type: 'string', length: 4000, nullable: true })
  resolutionNote: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  resolvedAt: Date | null = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('hazard_site', 'resolved_by_id') })
  resolvedBy: Account | null = null;

  @ManyToOne(() => Account, foreignKey('hazard_site', 'created_by_id'))
  createdBy!: Account;

  @Property(insertedAt())
  createdAt: Date = new Date();

  /** The registering phone's key: a resend answers the first registration. */
  @Property({ type: 'string', length: 64, unique: 'hazard_site_client_key_key' })
  clientKey!: string;

  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  requestHash!: string;

  @Property({ type: 'json', nullable: true })
  response: unknown = null;
}

/** A visit to a hazard site: whether food was being made or stored there, with findings and photos. */
@Entity({ tableName: 'site_inspection' })
@Index({ name: 'site_inspection_site_idx', properties: ['site', 'inspectedAt', 'id'] })
@Index({ name: 'site_inspection_time_idx', properties: ['inspectedAt', 'id'] })
export class SiteInspection {
  [OptionalProps]?: 'recordedAt' | 'findings' | 'photos' | 'response';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => HazardSite, foreignKey('site_inspection', 'site_id'))
  site!: HazardSite;

  @Property({ type: 'string', length: 100 })
  village!: string;

  @ManyToOne(() => Account, foreignKey('site_inspection', 'inspector_id'))
  inspector!: Account;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  inspectedAt!: Date;

  @Property(insertedAt())
  recordedAt: Date = new Date();

  @Property({ type: 'boolean' })
  activityFound!: boolean;

  @Property({ type: 'string', length: 4000, nullable: true })
  findings: string | null = null;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  photos: string[] = [];

  @Property({ type: 'string', length: 64, unique: 'site_inspection_client_key_key' })
  clientKey!: string;

  @Property({ type: 'string', length: 64, columnType: 'char(64)' })
  requestHash!: string;

  @Property({ type: 'json', nullable: true })
  response: unknown = null;
}

/** A campaign: a named period, town-wide or in one village; its report is read from what was recorded in it. */
@Entity({ tableName: 'inspection_campaign' })
@Check({ name: 'inspection_campaign_period_check', expression: 'ends_at > starts_at' })
export class InspectionCampaign {
  [OptionalProps]?: 'village' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  village: string | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  startsAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  endsAt!: Date;

  @ManyToOne(() => Account, foreignKey('inspection_campaign', 'created_by_id'))
  createdBy!: Account;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
