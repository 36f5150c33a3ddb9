import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import '../schema/enums';
import { AccountResolver } from './account.resolver';
import { AssessmentResolver } from './assessment.resolver';
import { AuditResolver } from './audit.resolver';
import { authChecker } from './auth-checker';
import { BanquetResolver } from './banquet.resolver';
import { BatchResolver } from './batch.resolver';
import { CanteenResolver } from './canteen.resolver';
import { CREDIT_RESOLVERS } from './credit.resolver';
import { EpcisResolver } from './epcis.resolver';
import { applyFieldRules } from './field-rules';
import { applyTextRule } from '../limits/text-input';
import { GateResolver } from './gate.resolver';
import { IncidentResolver } from './incident.resolver';
import { RecallProgressResolver } from './incident.recall.resolver';
import { InspectionResolver } from './inspection.resolver';
import { LineageResolver } from './lineage.resolver';
import { MarketResolver } from './market.resolver';
import { NotifyResolver, WebhookResolver } from './notify.resolver';
import { OperatorResolver } from './operator.resolver';
import { RegulatorResolver } from './regulator.resolver';
import { SupervisionResolver } from './supervision.resolver';
import { SiteResolver } from './site.resolver';
import { TraceResolver } from './trace.resolver';
import { WebResolver } from './web.resolver';

/** Every resolver; the schema is assembled here and nowhere else. */
export const RESOLVERS = [
  AccountResolver, BatchResolver, GateResolver, InspectionResolver, MarketResolver, OperatorResolver, LineageResolver, TraceResolver, EpcisResolver,
  WebResolver, RegulatorResolver, AuditResolver, SupervisionResolver, SiteResolver, BanquetResolver, CanteenResolver, ...CREDIT_RESOLVERS,
  IncidentResolver, RecallProgressResolver, NotifyResolver, WebhookResolver, AssessmentResolver,
] as const;

/** Every subscription names its own source (`subscribe`); no topic bus is published to. */
const NO_TOPICS = {
  publish(): void {
    throw new Error('subscriptions name their own source; there are no topics');
  },
  subscribe(): never {
    throw new Error('subscriptions name their own source; there are no topics');
  },
};

let cached: Promise<GraphQLSchema> | null = null;

export function buildAppSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: RESOLVERS as never, pubSub: NO_TOPICS, authChecker, authMode: 'error', validate: false }).then(applyFieldRules).then(applyTextRule);
  return cached;
}
