import type { Meal, QuantityUnit, ReceivingLight } from '../entities/enums';

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
