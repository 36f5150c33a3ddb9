import { registerEnumType } from 'type-graphql';
import {
  AppealKind, AppealStatus, AuditKind, BanquetKind, BanquetStatus, BanquetTier, BatchStatus, CertificateStatus, CommitmentBasis, CreditSource,
  GateDecision, Grade, HandoverDocumentType, InspectionKind, InspectionOutcome, ItemAnswer, ItemSeverity, LinkKind, Meal, OperatorKind, OperatorStatus,
  ProductCategory, QuantityUnit, ReceivingLight, RectificationStatus, Role, SiteKind, SiteStatus, TestResult,
} from '../entities/enums';

registerEnumType(OperatorKind, { name: 'OperatorKind' });
registerEnumType(OperatorStatus, { name: 'OperatorStatus' });
registerEnumType(BanquetKind, { name: 'BanquetKind' });
registerEnumType(Meal, { name: 'Meal' });
registerEnumType(BanquetTier, { name: 'BanquetTier' });
registerEnumType(BanquetStatus, { name: 'BanquetStatus' });
registerEnumType(ReceivingLight, { name: 'ReceivingLight' });
registerEnumType(Grade, { name: 'Grade', description: 'Credit grade: A ≥ 90, B ≥ 75, C ≥ 60, D below or forced' });
registerEnumType(ProductCategory, { name: 'ProductCategory' });
registerEnumType(QuantityUnit, { name: 'QuantityUnit' });
registerEnumType(BatchStatus, { name: 'BatchStatus' });
registerEnumType(LinkKind, { name: 'LinkKind' });
registerEnumType(HandoverDocumentType, { name: 'HandoverDocumentType', description: 'The document a hand-over travels under' });
registerEnumType(CommitmentBasis, { name: 'CommitmentBasis' });
registerEnumType(CertificateStatus, { name: 'CertificateStatus' });
registerEnumType(InspectionKind, { name: 'InspectionKind' });
registerEnumType(TestResult, { name: 'TestResult' });
registerEnumType(GateDecision, { name: 'GateDecision' });
registerEnumType(CreditSource, { name: 'CreditSource' });
registerEnumType(AppealKind, { name: 'AppealKind' });
registerEnumType(AppealStatus, { name: 'AppealStatus' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(InspectionOutcome, { name: 'InspectionOutcome', description: 'PASS: nothing wrong; PUT_RIGHT: minor or major faults to correct by a deadline; SERIOUS: a critical fault' });
registerEnumType(ItemSeverity, { name: 'ItemSeverity' });
registerEnumType(ItemAnswer, { name: 'ItemAnswer', description: 'YES: the item is met; NO: it is not; NOT_APPLICABLE: it does not apply here' });
registerEnumType(RectificationStatus, { name: 'RectificationStatus' });
registerEnumType(SiteKind, { name: 'SiteKind' });
registerEnumType(SiteStatus, { name: 'SiteStatus', description: 'OPEN until it registers as an operator (REGISTERED) or is closed (CLOSED)' });
registerEnumType(AuditKind, { name: 'AuditKind', description: 'MUTATION: a request that ran a mutation; READ: a query that read personal data' });

export {
  BanquetKind, BanquetStatus, BanquetTier, Meal, ReceivingLight,
  AppealKind, AppealStatus, AuditKind, BatchStatus, CertificateStatus, CommitmentBasis, CreditSource, GateDecision, Grade, HandoverDocumentType,
  InspectionKind, InspectionOutcome, ItemAnswer, ItemSeverity, LinkKind, OperatorKind, OperatorStatus, ProductCategory, QuantityUnit,
  RectificationStatus, Role, SiteKind, SiteStatus, TestResult,
};

// incidents and notifications
import { IncidentKind, IncidentPlaceKind, IncidentStatus, NotificationKind } from '../entities/enums';

registerEnumType(IncidentKind, { name: 'IncidentKind' });
registerEnumType(IncidentStatus, { name: 'IncidentStatus', description: 'The timeline: REPORTED → INVESTIGATING → HANDLED → CLOSED' });
registerEnumType(IncidentPlaceKind, { name: 'IncidentPlaceKind' });
registerEnumType(NotificationKind, { name: 'NotificationKind' });

export { IncidentKind, IncidentPlaceKind, IncidentStatus, NotificationKind };

import { WebhookDeliveryStatus } from '../entities/enums';

registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus', description: 'DEAD: the retries ran out; replay it by id' });

export { WebhookDeliveryStatus };

import { AssessedUnitKind, PlanStatus } from '../entities/enums';

registerEnumType(PlanStatus, { name: 'PlanStatus', description: 'NOT_STARTED at 0 %, IN_PROGRESS below 100 %, DONE at 100 %; CANCELLED when dropped' });
registerEnumType(AssessedUnitKind, { name: 'AssessedUnitKind', description: "CANTEEN: a school's or kindergarten's canteen (an operator); MARKET: a market" });

export { AssessedUnitKind, PlanStatus };
