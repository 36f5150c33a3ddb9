import { Account } from './account.entity';
import { AuditEvent } from './audit-event.entity';
import { Batch } from './batch.entity';
import { BatchLink } from './batch-link.entity';
import { Checkpoint } from './checkpoint.entity';
import { CreditAppeal } from './credit-appeal.entity';
import { CreditEvent } from './credit-event.entity';
import { Incident } from './incident.entity';
import { IncidentStep } from './incident-step.entity';
import { Inspection } from './inspection.entity';
import { Market } from './market.entity';
import { Notification, NotificationOutbox } from './notification.entity';
import { MarketEntry } from './market-entry.entity';
import { Operator } from './operator.entity';
import { OriginCertificate } from './origin-certificate.entity';
import { Recall } from './recall.entity';
import { RecallClosure, RecallDisposition } from './recall-progress.entity';
import { WebhookDelivery, WebhookSubscription } from './webhook.entity';

export * from './enums';
export { Account, AuditEvent, Batch, BatchLink, Checkpoint, CreditAppeal, CreditEvent, Inspection, Market, MarketEntry, Operator, OriginCertificate, Recall };
export { Incident, IncidentStep, Notification, NotificationOutbox, RecallClosure, RecallDisposition, WebhookDelivery, WebhookSubscription };

export const ENTITIES = [
  Account, AuditEvent, Batch, BatchLink, Checkpoint, CreditAppeal, CreditEvent, Inspection, Market, MarketEntry, Operator, OriginCertificate, Recall,
  Incident, IncidentStep, NotificationOutbox, Notification, RecallDisposition, RecallClosure,
  WebhookSubscription, WebhookDelivery,
];
