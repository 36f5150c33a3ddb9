import type { BanquetKind, BanquetStatus, BanquetTier, Meal } from '../entities/enums';

/** Why a filing needs attention at once (a recalled or failed ingredient, an unregistered or uncertified chef). */
export interface BanquetWarning {
  code: string;
  zh: string;
  en: string;
  /** The ingredient's or chef's name the warning is about. */
  subject: string;
}

export interface BanquetIngredientModel {
  name: string;
  codeScanned: string | null;
  batchId: number | null;
  publicCode: string | null;
}

export interface BanquetChefModel {
  name: string;
  chefId: number | null;
}

export interface BanquetModel {
  id: number;
  number: string;
  hostName: string;
  hostPhone: string;
  village: string;
  kind: BanquetKind;
  heldOn: string;
  meal: Meal;
  guests: number;
  tablesCount: number | null;
  venue: string;
  menu: string;
  tier: BanquetTier;
  status: BanquetStatus;
  warnings: BanquetWarning[];
  guidanceNote: string | null;
  guidedAt: Date | null;
  /** The field inspection the guidance cites (its checklist answers and photos), if any. */
  guidanceInspectionId: number | null;
  /** sha-256 names of photos taken at the on-site check. */
  guidancePhotos: string[];
  servedAt: Date | null;
  peopleIll: number | null;
  outcomeNote: string | null;
  createdAt: Date;
  chefs: BanquetChefModel[];
  ingredients: BanquetIngredientModel[];
}

export interface RuralChefModel {
  operatorId: number;
  name: string;
  village: string | null;
  registrationCardNo: string | null;
  healthCertificateNo: string;
  healthCertificateExpiresOn: string;
  trainingsAttended: number;
  lastTrainedOn: string | null;
  banquetsCooked: number;
}

/** What the incident area takes over when people fell ill after a banquet. */
export interface BanquetIncidentRequestModel {
  id: number;
  banquetId: number;
  peopleIll: number;
  suspectBatchIds: number[];
  note: string | null;
  incidentRef: string | null;
  createdAt: Date;
}
