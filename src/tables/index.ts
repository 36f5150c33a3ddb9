import { accountTable } from './account.table';
import { auditEventTable } from './audit-event.table';
import { batchLinkTable } from './batch-link.table';
import { batchTable } from './batch.table';
import { checkpointTable } from './checkpoint.table';
import { marketTable } from './market.table';
import { operatorTable } from './operator.table';
import { originCertificateTable } from './origin-certificate.table';
import { recallTable } from './recall.table';
import { creditAppealTable } from './credit-appeal.table';
import { creditEventTable } from './credit-event.table';
import { inspectionTable } from './inspection.table';
import { marketEntryTable } from './market-entry.table';
import { checklistTemplateTable } from './checklist-template.table';
import { fieldInspectionTable } from './field-inspection.table';
import { fieldPhotoTable } from './field-photo.table';
import { rectificationOrderTable } from './rectification-order.table';
import { hazardSiteTable } from './hazard-site.table';
import { siteInspectionTable } from './site-inspection.table';
import { inspectionCampaignTable } from './inspection-campaign.table';
import { banquetTable } from './banquet.table';
import { banquetChefTable } from './banquet-chef.table';
import { banquetIngredientTable } from './banquet-ingredient.table';
import { banquetIncidentRequestTable } from './banquet-incident-request.table';
import { ruralChefTable } from './rural-chef.table';
import { canteenReceiptTable } from './canteen-receipt.table';
import { canteenSampleTable } from './canteen-sample.table';
import { canteenMorningCheckTable } from './canteen-morning-check.table';
import { epcisCaptureTable } from './epcis-capture.table';
import { epcisEventTable } from './epcis-event.table';
import { exchangeIdentifierTable } from './exchange-identifier.table';
import { incidentTable } from './incident.table';
import { incidentStepTable } from './incident-step.table';
import { notificationOutboxTable } from './notification-outbox.table';
import { notificationTable } from './notification.table';
import { recallClosureTable } from './recall-closure.table';
import { recallDispositionTable } from './recall-disposition.table';
import { webhookDeliveryTable } from './webhook-delivery.table';
import { webhookSubscriptionTable } from './webhook-subscription.table';
import { trainingTable } from './training.table';
import { trainingAttendeeTable } from './training-attendee.table';
import { planItemTable } from './plan-item.table';
import { planProgressTable } from './plan-progress.table';
import { rateCounterTable } from './rate-counter.table';
import type { Table } from './table';

/** Every table module's declaration; a test holds each against the migrated database. */
export const TABLES: readonly Table<unknown>[] = [
  accountTable as Table<unknown>,
  operatorTable as Table<unknown>,
  marketTable as Table<unknown>,
  batchTable as Table<unknown>,
  batchLinkTable as Table<unknown>,
  originCertificateTable as Table<unknown>,
  recallTable as Table<unknown>,
  creditEventTable as Table<unknown>,
  creditAppealTable as Table<unknown>,
  marketEntryTable as Table<unknown>,
  inspectionTable as Table<unknown>,
  auditEventTable as Table<unknown>,
  checkpointTable as Table<unknown>,
  checklistTemplateTable as Table<unknown>,
  fieldPhotoTable as Table<unknown>,
  fieldInspectionTable as Table<unknown>,
  rectificationOrderTable as Table<unknown>,
  hazardSiteTable as Table<unknown>,
  siteInspectionTable as Table<unknown>,
  inspectionCampaignTable as Table<unknown>,
  banquetTable as Table<unknown>,
  banquetChefTable as Table<unknown>,
  banquetIngredientTable as Table<unknown>,
  banquetIncidentRequestTable as Table<unknown>,
  ruralChefTable as Table<unknown>,
  canteenReceiptTable as Table<unknown>,
  canteenSampleTable as Table<unknown>,
  canteenMorningCheckTable as Table<unknown>,
  epcisCaptureTable as Table<unknown>,
  epcisEventTable as Table<unknown>,
  exchangeIdentifierTable as Table<unknown>,
  incidentTable as Table<unknown>,
  incidentStepTable as Table<unknown>,
  notificationOutboxTable as Table<unknown>,
  notificationTable as Table<unknown>,
  recallDispositionTable as Table<unknown>,
  recallClosureTable as Table<unknown>,
  webhookSubscriptionTable as Table<unknown>,
  webhookDeliveryTable as Table<unknown>,
  trainingTable as Table<unknown>,
  trainingAttendeeTable as Table<unknown>,
  planItemTable as Table<unknown>,
  planProgressTable as Table<unknown>,
  rateCounterTable as Table<unknown>,
];
