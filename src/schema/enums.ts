import { registerEnumType } from 'type-graphql';
import {
  AppealKind, AppealStatus, AuditKind, BatchStatus, CertificateStatus, CommitmentBasis, CreditSource, GateDecision, Grade,
  InspectionKind, LinkKind, OperatorKind, OperatorStatus, ProductCategory, QuantityUnit, Role, TestResult,
} from '../entities/enums';

registerEnumType(OperatorKind, { name: 'OperatorKind' });
registerEnumType(OperatorStatus, { name: 'OperatorStatus' });
registerEnumType(Grade, { name: 'Grade', description: 'Credit grade: A ≥ 90, B ≥ 75, C ≥ 60, D below or forced' });
registerEnumType(ProductCategory, { name: 'ProductCategory' });
registerEnumType(QuantityUnit, { name: 'QuantityUnit' });
registerEnumType(BatchStatus, { name: 'BatchStatus' });
registerEnumType(LinkKind, { name: 'LinkKind' });
registerEnumType(CommitmentBasis, { name: 'CommitmentBasis' });
registerEnumType(CertificateStatus, { name: 'CertificateStatus' });
registerEnumType(InspectionKind, { name: 'InspectionKind' });
registerEnumType(TestResult, { name: 'TestResult' });
registerEnumType(GateDecision, { name: 'GateDecision' });
registerEnumType(CreditSource, { name: 'CreditSource' });
registerEnumType(AppealKind, { name: 'AppealKind' });
registerEnumType(AppealStatus, { name: 'AppealStatus' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(AuditKind, { name: 'AuditKind', description: 'MUTATION: a request that ran a mutation; READ: a query that read personal data' });

export {
  AppealKind, AppealStatus, AuditKind, BatchStatus, CertificateStatus, CommitmentBasis, CreditSource, GateDecision, Grade,
  InspectionKind, LinkKind, OperatorKind, OperatorStatus, ProductCategory, QuantityUnit, Role, TestResult,
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
