import { Account } from './account.entity';
import { AuditEvent } from './audit-event.entity';
import { Banquet, BanquetChef, BanquetIncidentRequest, BanquetIngredient, RuralChef } from './banquet.entity';
import { Batch } from './batch.entity';
import { CanteenMorningCheck, CanteenReceipt, CanteenSample } from './canteen.entity';
import { BatchLink } from './batch-link.entity';
import { Checkpoint } from './checkpoint.entity';
import { CreditAppeal } from './credit-appeal.entity';
import { ChecklistTemplate } from './checklist-template.entity';
import { CreditEvent } from './credit-event.entity';
import { FieldInspection } from './field-inspection.entity';
import { FieldPhoto } from './field-photo.entity';
import { HazardSite, InspectionCampaign, SiteInspection } from './hazard-site.entity';
import { EpcisCapture } from './epcis-capture.entity';
import { EpcisEvent } from './epcis-event.entity';
import { ExchangeIdentifier } from './exchange-identifier.entity';
import { Incident } from './incident.entity';
import { IncidentStep } from './incident-step.entity';
import { Inspection } from './inspection.entity';
import { Market } from './market.entity';
import { Notification, NotificationOutbox } from './notification.entity';
import { MarketEntry } from './market-entry.entity';
import { Operator } from './operator.entity';
import { OriginCertificate } from './origin-certificate.entity';
import { RateCounter } from './rate-counter.entity';
import { Recall } from './recall.entity';
import { RectificationOrder } from './rectification-order.entity';
import { RecallClosure, RecallDisposition } from './recall-progress.entity';
import { WebhookDelivery, WebhookSubscription } from './webhook.entity';
import { Training, TrainingAttendee } from './training.entity';
import { PlanItem, PlanProgress } from './plan-item.entity';

export * from './enums';
export { EpcisCapture, EpcisEvent, ExchangeIdentifier };
export { Account, AuditEvent, Batch, BatchLink, Checkpoint, CreditAppeal, CreditEvent, Inspection, Market, MarketEntry, Operator, OriginCertificate, Recall };
export { ChecklistTemplate, FieldInspection, FieldPhoto, RectificationOrder, HazardSite, SiteInspection, InspectionCampaign };
export { Banquet, BanquetChef, BanquetIncidentRequest, BanquetIngredient, CanteenMorningCheck, CanteenReceipt, CanteenSample, RuralChef };
export { Incident, IncidentStep, Notification, NotificationOutbox, RecallClosure, RecallDisposition, WebhookDelivery, WebhookSubscription };
export { PlanItem, PlanProgress, Training, TrainingAttendee };

export const ENTITIES = [
  Account, AuditEvent, Batch, BatchLink, Checkpoint, CreditAppeal, CreditEvent, Inspection, Market, MarketEntry, Operator, OriginCertificate, Recall,
  ChecklistTemplate, FieldInspection, FieldPhoto, RectificationOrder, HazardSite, SiteInspection, InspectionCampaign,
  RuralChef, Banquet, BanquetChef, BanquetIngredient, BanquetIncidentRequest, CanteenReceipt, CanteenSample, CanteenMorningCheck,
  EpcisCapture, EpcisEvent, ExchangeIdentifier,
  Incident, IncidentStep, NotificationOutbox, Notification, RecallDisposition, RecallClosure,
  WebhookSubscription, WebhookDelivery,
  Training, TrainingAttendee, PlanItem, PlanProgress,
  RateCounter,
];
