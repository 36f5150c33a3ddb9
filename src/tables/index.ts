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
import { incidentTable } from './incident.table';
import { incidentStepTable } from './incident-step.table';
import { notificationOutboxTable } from './notification-outbox.table';
import { notificationTable } from './notification.table';
import { recallClosureTable } from './recall-closure.table';
import { recallDispositionTable } from './recall-disposition.table';
import { webhookDeliveryTable } from './webhook-delivery.table';
import { webhookSubscriptionTable } from './webhook-subscription.table';
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
  incidentTable as Table<unknown>,
  incidentStepTable as Table<unknown>,
  notificationOutboxTable as Table<unknown>,
  notificationTable as Table<unknown>,
  recallDispositionTable as Table<unknown>,
  recallClosureTable as Table<unknown>,
  webhookSubscriptionTable as Table<unknown>,
  webhookDeliveryTable as Table<unknown>,
];
