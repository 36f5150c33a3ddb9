import { Account } from './account.entity';
import { AuditEvent } from './audit-event.entity';
import { Banquet, BanquetChef, BanquetIncidentRequest, BanquetIngredient, RuralChef } from './banquet.entity';
import { Batch } from './batch.entity';
import { CanteenReceipt, CanteenSample } from './canteen.entity';
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
import { Inspection } from './inspection.entity';
import { Market } from './market.entity';
import { MarketEntry } from './market-entry.entity';
import { Operator } from './operator.entity';
import { OriginCertificate } from './origin-certificate.entity';
import { Recall } from './recall.entity';
import { RectificationOrder } from './rectification-order.entity';

export * from './enums';
export { EpcisCapture, EpcisEvent, ExchangeIdentifier };
export { Account, AuditEvent, Batch, BatchLink, Checkpoint, CreditAppeal, CreditEvent, Inspection, Market, MarketEntry, Operator, OriginCertificate, Recall };
export { ChecklistTemplate, FieldInspection, FieldPhoto, RectificationOrder, HazardSite, SiteInspection, InspectionCampaign };
export { Banquet, BanquetChef, BanquetIncidentRequest, BanquetIngredient, CanteenReceipt, CanteenSample, RuralChef };

export const ENTITIES = [
  Account, AuditEvent, Batch, BatchLink, Checkpoint, CreditAppeal, CreditEvent, Inspection, Market, MarketEntry, Operator, OriginCertificate, Recall,
  ChecklistTemplate, FieldInspection, FieldPhoto, RectificationOrder, HazardSite, SiteInspection, InspectionCampaign,
  RuralChef, Banquet, BanquetChef, BanquetIngredient, BanquetIncidentRequest, CanteenReceipt, CanteenSample,
  EpcisCapture, EpcisEvent, ExchangeIdentifier,
];
