import type { InspectionOutcome, Meal, QuantityUnit, ReceivingLight } from '../entities/enums';

export interface ReceivingReason {
  code: string;
  zh: string;
  en: string;
}

export interface CanteenReceiptModel {
  id: number;
  canteenId: number;
  codeScanned: string;
  batchId: number | null;
  productName: string | null;
  lotCode: string | null;
  producerName: string | null;
  declaredQuantity: number;
  unit: QuantityUnit;
  light: ReceivingLight;
  reasons: ReceivingReason[];
  receivedBatchId: number | null;
  createdAt: Date;
}

export interface CanteenSampleModel {
  id: number;
  canteenId: number;
  dish: string;
  meal: Meal;
  grams: number;
  keptBy: string;
  keptAt: Date;
  discardAfter: Date;
}

/** A sample with where it stands at a moment: still to be kept, or past its 48 hours and free to discard. */
export interface CanteenSampleStatusModel extends CanteenSampleModel {
  mayDiscard: boolean;
}

/** A staff member's morning health check (晨检). */
export interface MorningCheckModel {
  id: number;
  canteenId: number;
  checkedOn: string;
  staffName: string;
  temperature: number;
  symptoms: string[];
  fitForWork: boolean;
  checkedBy: string;
  createdAt: Date;
}

/** What the regulator sees of one canteen. */
export interface CanteenOverviewModel {
  canteenId: number;
  name: string;
  village: string | null;
  month: string;
  receipts: number;
  green: number;
  amber: number;
  red: number;
  samplesKept: number;
  samplesMayDiscard: number;
  today: string;
  morningChecksToday: number;
  unfitToday: number;
  morningChecksThisMonth: number;
  latestInspection: { id: number; inspectedAt: Date; outcome: InspectionOutcome } | null;
}
