import type { InspectionOutcome, ItemAnswer, ItemSeverity, OperatorKind, RectificationStatus, SiteKind, SiteStatus } from '../entities/enums';

/** One item of a checklist: a stable code within the template, its text in both languages and its weight. */
export interface ChecklistItemModel {
  code: string;
  severity: ItemSeverity;
  zh: string;
  en: string;
}

/** A checklist as it stood at one version; a new version is a new template, an old one never changes. */
export interface ChecklistTemplateModel {
  id: number;
  operatorKind: OperatorKind;
  version: number;
  zh: string;
  en: string;
  items: ChecklistItemModel[];
  createdAt: Date;
}

/** The inspector's answer to one item, with the item as the template worded it. */
export interface InspectionAnswerModel {
  code: string;
  severity: ItemSeverity;
  zh: string;
  en: string;
  answer: ItemAnswer;
  note: string | null;
}

/** A photo as stored: content-addressed, location stripped, with a thumbnail. */
export interface PhotoModel {
  sha256: string;
  mediaType: string;
  width: number;
  height: number;
  bytes: number;
}

/** A field inspection of an operator. */
export interface FieldInspectionModel {
  id: number;
  operatorId: number;
  operatorName: string;
  village: string | null;
  templateId: number;
  templateVersion: number;
  inspectorId: number;
  inspectedAt: Date;
  recordedAt: Date;
  answers: InspectionAnswerModel[];
  findings: string | null;
  photos: string[];
  outcome: InspectionOutcome;
  points: number;
  creditEventId: number | null;
  clientKey: string;
  rectificationOrderId: number | null;
}

/** An order to put faults right by a deadline, from one inspection. */
export interface RectificationOrderModel {
  id: number;
  inspectionId: number;
  operatorId: number;
  village: string | null;
  items: InspectionAnswerModel[];
  deadline: Date;
  status: RectificationStatus;
  createdAt: Date;
  operatorNote: string | null;
  operatorPhotos: string[];
  answeredAt: Date | null;
  recheckedAt: Date | null;
  recheckedById: number | null;
  recheckNote: string | null;
  overdueEventId: number | null;
}

/** An unregistered place found making or storing food. */
export interface HazardSiteModel {
  id: number;
  kind: SiteKind;
  location: string;
  village: string;
  notes: string | null;
  photos: string[];
  status: SiteStatus;
  operatorId: number | null;
  resolutionNote: string | null;
  resolvedAt: Date | null;
  createdById: number;
  createdAt: Date;
}

/** A visit to a hazard site. */
export interface SiteInspectionModel {
  id: number;
  siteId: number;
  village: string;
  inspectorId: number;
  inspectedAt: Date;
  activityFound: boolean;
  findings: string | null;
  photos: string[];
  clientKey: string;
}

/** A named period of field work, town-wide or in one village. */
export interface CampaignModel {
  id: number;
  name: string;
  village: string | null;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

/** What a campaign's period holds: inspections by outcome, sites found, visited, registered and closed. */
export interface CampaignReportModel {
  inspections: number;
  passed: number;
  putRight: number;
  serious: number;
  sitesFound: number;
  siteVisits: number;
  siteVisitsWithActivity: number;
  sitesRegistered: number;
  sitesClosed: number;
}
