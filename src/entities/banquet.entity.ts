import { OptionalProps, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Batch } from './batch.entity';
import { BanquetKind, BanquetStatus, BanquetTier, Meal } from './enums';
import { FieldInspection } from './field-inspection.entity';
import { Operator } from './operator.entity';
import { foreignKey, insertedAt } from './schema-options';

/** A rural chef's registry entry beside its operator record (kind RURAL_CHEF). */
@Entity({ tableName: 'rural_chef' })
@Check({ name: 'rural_chef_health_certificate_no_check', expression: 'length(health_certificate_no) > 0' })
@Check({ name: 'rural_chef_trainings_attended_check', expression: 'trainings_attended >= 0' })
@Index({ name: 'rural_chef_expiry_idx', properties: ['healthCertificateExpiresOn', 'operator'] })
export class RuralChef {
  [OptionalProps]?: 'trainingsAttended' | 'lastTrainedOn' | 'expiryRemindedFor';

  @ManyToOne(() => Operator, { primary: true, ...foreignKey('rural_chef', 'operator_id') })
  operator!: Operator;

  @Property({ type: 'string', length: 64 })
  healthCertificateNo!: string;

  @Property({ type: 'string', columnType: 'date' })
  healthCertificateExpiresOn!: string;

  @Property({ type: 'integer', default: 0 })
  trainingsAttended: number = 0;

  @Property({ type: 'string', columnType: 'date', nullable: true })
  lastTrainedOn: string | null = null;

  /** The certificate end date a reminder was sent for. */
  @Property({ type: 'string', columnType: 'date', nullable: true })
  expiryRemindedFor: string | null = null;
}

/** A banquet filed by its host (or the village assistant for the host). */
@Entity({ tableName: 'banquet' })
@Check({ name: 'banquet_host_name_check', expression: 'length(host_name) > 0' })
@Check({ name: 'banquet_host_phone_check', expression: 'length(host_phone) > 0' })
@Check({ name: 'banquet_village_check', expression: 'length(village) > 0' })
@Check({ name: 'banquet_guests_check', expression: 'guests > 0' })
@Check({ name: 'banquet_tables_count_check', expression: 'tables_count > 0' })
@Check({ name: 'banquet_venue_check', expression: 'length(venue) > 0' })
@Check({ name: 'banquet_menu_check', expression: 'length(menu) > 0' })
@Check({ name: 'banquet_people_ill_check', expression: 'people_ill >= 0' })
@Index({ name: 'banquet_held_on_idx', properties: ['heldOn', 'id'] })
@Index({ name: 'banquet_village_held_on_idx', properties: ['village', 'heldOn', 'id'] })
export class Banquet {
  [OptionalProps]?: 'status' | 'warnings' | 'guidanceNote' | 'guidedBy' | 'guidanceInspection' | 'guidancePhotos' | 'guidedAt' | 'servedAt' | 'peopleIll' | 'outcomeNote' | 'createdAt' | 'tablesCount' | 'remindedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 20, unique: 'banquet_number_key' })
  number!: string;

  @Property({ type: 'string', length: 100 })
  hostName!: string;

  @Property({ type: 'string', length: 32 })
  hostPhone!: string;

  @Property({ type: 'string', length: 100 })
  village!: string;

  @Enum({ items: () => BanquetKind })
  kind!: BanquetKind;

  @Property({ type: 'string', columnType: 'date' })
  heldOn!: string;

  @Enum({ items: () => Meal })
  meal!: Meal;

  @Property({ type: 'integer' })
  guests!: number;

  @Property({ type: 'integer', nullable: true })
  tablesCount: number | null = null;

  @Property({ type: 'string', length: 300 })
  venue!: string;

  @Property({ type: 'string', length: 2000 })
  menu!: string;

  @Enum({ items: () => BanquetTier })
  tier!: BanquetTier;

  @Enum({ items: () => BanquetStatus, default: BanquetStatus.FILED })
  status: BanquetStatus = BanquetStatus.FILED;

  @Property({ type: 'json', defaultRaw: "'[]'" })
  warnings: unknown = [];

  @Property({ type: 'string', length: 2000, nullable: true })
  guidanceNote: string | null = null;

  @ManyToOne(() => Account, { nullable: true, ...foreignKey('banquet', 'guided_by_id') })
  guidedBy: Account | null = null;

  @Property({ type: 'Date', nullable: true })
  guidedAt: Date | null = null;

  /** The field inspection (checklist answers and photos) the guidance cites, if any. */
  @ManyToOne(() => FieldInspection, { nullable: true, ...foreignKey('banquet', 'guidance_inspection_id') })
  guidanceInspection: FieldInspection | null = null;

  /** sha-256 names of photos taken at the on-site check, each on record in field_photo. */
  @Property({ type: 'json', defaultRaw: "'[]'" })
  guidancePhotos: string[] = [];

  @Property({ type: 'Date', nullable: true })
  servedAt: Date | null = null;

  @Property({ type: 'integer', nullable: true })
  peopleIll: number | null = null;

  @Property({ type: 'string', length: 2000, nullable: true })
  outcomeNote: string | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();

  /** When the reminder before the date was sent. */
  @Property({ type: 'Date', nullable: true })
  remindedAt: Date | null = null;
}

/** A chef cooking a banquet: a registered rural chef, or only a name the host typed. */
@Entity({ tableName: 'banquet_chef' })
@Check({ name: 'banquet_chef_name_check', expression: 'length(name) > 0' })
@Index({ name: 'banquet_chef_banquet_idx', properties: ['banquet'] })
@Index({ name: 'banquet_chef_chef_idx', properties: ['chef'] })
export class BanquetChef {
  [OptionalProps]?: 'chef';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Banquet, foreignKey('banquet_chef', 'banquet_id'))
  banquet!: Banquet;

  @ManyToOne(() => RuralChef, { nullable: true, joinColumn: 'chef_id', ...foreignKey('banquet_chef', 'chef_id') })
  chef: RuralChef | null = null;

  @Property({ type: 'string', length: 100 })
  name!: string;
}

/** An ingredient bought for a banquet, linked to its lot when its code was scanned or typed. */
@Entity({ tableName: 'banquet_ingredient' })
@Check({ name: 'banquet_ingredient_name_check', expression: 'length(name) > 0' })
@Index({ name: 'banquet_ingredient_banquet_idx', properties: ['banquet'] })
@Index({ name: 'banquet_ingredient_batch_idx', properties: ['batch'] })
export class BanquetIngredient {
  [OptionalProps]?: 'batch' | 'codeScanned';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Banquet, foreignKey('banquet_ingredient', 'banquet_id'))
  banquet!: Banquet;

  @Property({ type: 'string', length: 500, nullable: true })
  codeScanned: string | null = null;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Batch, { nullable: true, ...foreignKey('banquet_ingredient', 'batch_id') })
  batch: Batch | null = null;
}

/** People fell ill after a banquet: the request for an incident, with the banquet's lots as suspects. */
@Entity({ tableName: 'banquet_incident_request' })
@Check({ name: 'banquet_incident_request_people_ill_check', expression: 'people_ill > 0' })
export class BanquetIncidentRequest {
  [OptionalProps]?: 'note' | 'incidentRef' | 'createdAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Banquet, { unique: 'banquet_incident_request_banquet_id_key', ...foreignKey('banquet_incident_request', 'banquet_id') })
  banquet!: Banquet;

  @Property({ type: 'integer' })
  peopleIll!: number;

  @Property({ type: 'json' })
  suspectBatchIds!: number[];

  @Property({ type: 'string', length: 2000, nullable: true })
  note: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  incidentRef: string | null = null;

  @Property(insertedAt())
  createdAt: Date = new Date();
}
