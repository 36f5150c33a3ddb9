import { GraphQLNonNull, getNamedType, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { createAccount } from '../../src/auth/account.service';
import { Grade, Role } from '../../src/entities/enums';
import { isSampled } from '../../src/gate/gate.service';
import type { TestApp } from '../support/app';

/** A scan id the server's draw sends to no test at grades A to C, so a world's scans decide the same way every run. */
function unsampledScanId(t: TestApp, tag: string): string {
  for (let i = 0; ; i++) if (!isSampled(`${tag}-${i}`, Grade.C, t.config.samplingSecret!)) return `${tag}-${i}`;
}
import { makeBatch, makeCertificate, makeMarket, makeOperator, newCreditCode, ok, token, type BatchRef } from '../support/factories';

/**
 * Who calls. OPERATOR is the account of the operator that owns the world's batches; OPERATOR_OTHER
 * is another operator's account calling on those same batches. GATE_STAFF works at the world's
 * market; GATE_STAFF_OTHER at another market, calling on the world's market. INSPECTOR works town-wide;
 * VILLAGE_ASSISTANT in the world operator's village (Qingshan), VILLAGE_ASSISTANT_OTHER in another (Baiyun).
 */
export const CALLERS = [
  'anonymous', 'OPERATOR', 'OPERATOR_OTHER', 'GATE_STAFF', 'GATE_STAFF_OTHER', 'REGULATOR', 'ADMIN', 'INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER',
] as const;
export type Caller = (typeof CALLERS)[number];

export interface World {
  t: TestApp;
  admin: string;
  tokens: Record<Caller, string | null>;
  operatorId: string;
  /** Public code of the world operator's registration card (`/o/:code`). */
  operatorCode: string;
  otherOperatorId: string;
  /** An active market vendor (receives goods at the world's market). */
  vendorId: string;
  marketId: string;
  otherMarketId: string;
  batch: BatchRef;
  certificateId: string;
  /** The number of that certificate (`/c/:number`). */
  certificateNumber: string;
  /** A fresh batch of the world's operator, with a valid certificate. */
  freshBatch(over?: Record<string, unknown>): Promise<BatchRef & { certificateId: string }>;
  /** A fresh deduction in the world operator's credit archive; its event id. */
  deduction(): Promise<string>;
  /** A fresh pending appeal of the world's operator; its id. */
  pendingAppeal(): Promise<string>;
  /** Valid arguments of one fresh gate scan at the world's market. */
  scanInput(): Promise<Record<string, unknown>>;
  /** A fresh market entry at the world's market; its id. */
  entry(): Promise<string>;
  serial(): number;
  /** Valid arguments of one fresh field inspection of the world's operator (a farm in Qingshan). */
  inspectionInput(fault?: boolean): Promise<Record<string, unknown>>;
  /** A fresh open rectification order of the world's operator; its id. */
  openOrder(): Promise<string>;
  /** The id of the seeded farm checklist. */
  farmChecklistId: string;
  /** A fresh open hazard site in the world operator's village (Qingshan); its id. */
  openSite(): Promise<string>;
  /** A campaign; its id. */
  campaign(): Promise<string>;
}

export interface OperationRule {
  /** Callers that may run it; every other caller must be refused (UNAUTHENTICATED or FORBIDDEN). */
  allow: readonly Caller[];
  /** Valid arguments for this caller; mutations build fresh records so each call can succeed. */
  args(w: World, who: Caller): Promise<Record<string, unknown>>;
}

const SIGNED_IN = CALLERS.filter((c) => c !== 'anonymous');

/** A fresh account nobody in the world signs in with. */
async function freshAccountId(w: World): Promise<number> {
  return (await createAccount({ em: w.t.orm.em.fork() }, { name: `Spare ${w.serial()}`, role: Role.REGULATOR })).account.id;
}

/** The world's canteen, registered on first use (the world's own operator is a farm, so its account is refused). */
const canteens = new WeakMap<World, Promise<string>>();
function canteenOf(w: World): Promise<string> {
  if (!canteens.has(w)) canteens.set(w, makeOperator(w.t, w.admin, { kind: 'CANTEEN', name: 'Central School Canteen' }).then((o) => o.id));
  return canteens.get(w)!;
}

const BANQUET = {
  hostName: 'Zhang San', hostPhone: '13900001111', village: 'Qingshan', kind: 'WEDDING', heldOn: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
  meal: 'LUNCH', guests: 120, venue: 'Village hall', menu: 'Braised pork', chefs: [{ name: 'Chef Liu' }], ingredients: [{ name: 'Rice' }],
};

/** A fresh banquet filed by an anonymous host; its number. */
async function filedBanquet(w: World, guests = BANQUET.guests): Promise<string> {
  const res = await w.t.gql(`mutation($input: FileBanquetInput!) { fileBanquet(input: $input) { number } }`, { input: { ...BANQUET, guests } }, null);
  return ok(res).fileBanquet.number as string;
}

/** A fresh registered rural chef; its operator id. */
async function registeredChef(w: World): Promise<string> {
  const res = await w.t.gql(
    `mutation($input: RegisterChefInput!) { registerChef(input: $input) { operatorId } }`,
    { input: { name: `Chef ${w.serial()}`, healthCertificateNo: 'JK-1', healthCertificateExpiresOn: '2027-06-30' } }, w.admin,
  );
  return ok(res).registerChef.operatorId as string;
}
const EVERYONE = CALLERS;
const REGULATORS = ['REGULATOR', 'ADMIN'] as const;

/**
 * Expected access for every query and mutation. An operation missing here fails the access
 * matrix and the hostile-input test: a new operation is denied until someone states who may call it.
 */
export const RULES: Record<string, OperationRule> = {
  // accounts
  'Query.me': { allow: SIGNED_IN, args: async () => ({}) },
  'Mutation.createAccount': {
    allow: ['ADMIN'],
    args: async (w) => ({ input: { name: `Clerk ${w.serial()}`, role: 'REGULATOR' } }),
  },
  // an admin manages any account; another caller is refused on an account not its own (its own: test/hardening/accounts.test.ts)
  'Mutation.revokeAccount': { allow: ['ADMIN'], args: async (w) => ({ id: String(await freshAccountId(w)) }) },
  'Mutation.rotateAccountToken': { allow: ['ADMIN'], args: async (w) => ({ id: String(await freshAccountId(w)) }) },

  // registry
  'Query.market': { allow: EVERYONE, args: async (w) => ({ id: w.marketId }) },
  'Query.operator': { allow: ['OPERATOR', 'REGULATOR', 'ADMIN'], args: async (w) => ({ id: w.operatorId }) },
  'Query.operators': { allow: REGULATORS, args: async () => ({ first: 5 }) },
  'Query.batch': { allow: ['OPERATOR', 'GATE_STAFF', 'GATE_STAFF_OTHER', 'REGULATOR', 'ADMIN'], args: async (w) => ({ id: w.batch.id }) },
  'Mutation.registerMarket': { allow: REGULATORS, args: async (w) => ({ input: { name: `Market ${w.serial()}` } }) },
  'Mutation.registerOperator': {
    allow: REGULATORS,
    args: async (w) => ({ input: { kind: 'FARM', name: `Farm ${w.serial()}`, creditCode: newCreditCode(), village: 'Qingshan' } }),
  },
  'Mutation.setOperatorStatus': {
    allow: REGULATORS,
    args: async (w) => ({ id: (await makeOperator(w.t, w.admin)).id, status: 'SUSPENDED' }),
  },
  'Mutation.createBatch': {
    allow: ['OPERATOR', 'ADMIN'],
    args: async (w) => ({
      input: { ownerId: w.operatorId, productName: 'Bok choy', category: 'VEGETABLE', lotCode: `ACL-${w.serial()}`, quantity: 50, unit: 'KG', producedAt: '2026-11-01T06:00:00.000Z' },
    }),
  },
  'Mutation.issueCertificate': {
    allow: ['OPERATOR', 'ADMIN'],
    args: async (w) => ({ input: { batchId: (await makeBatch(w.t, w.admin, w.operatorId)).id, bases: ['SELF_TEST'] } }),
  },
  'Mutation.revokeCertificate': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ id: (await w.freshBatch()).certificateId, reason: 'Issued in error' }),
  },

  // pages and gate scanner
  'Query.marketVendors': { allow: ['GATE_STAFF', 'REGULATOR', 'ADMIN'], args: async (w) => ({ marketId: w.marketId }) },

  // market gate: staff only at their own market
  'Mutation.scanAtGate': { allow: ['GATE_STAFF'], args: async (w) => ({ input: await w.scanInput() }) },
  'Mutation.recordRapidTest': {
    allow: ['GATE_STAFF', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ input: { batchId: (await w.freshBatch()).id, marketId: w.marketId, items: [{ item: 'organophosphate and carbamate', value: 12.5, unit: '%', result: 'PASS' }], tester: 'Li Na' } }),
  },
  'Mutation.recordLabTest': {
    allow: REGULATORS,
    args: async (w) => ({ input: { batchId: (await w.freshBatch()).id, items: [{ item: 'chlorpyrifos', value: 0.01, unit: 'mg/kg', result: 'PASS' }], tester: 'County lab' } }),
  },
  'Query.marketEntry': { allow: ['GATE_STAFF', 'REGULATOR', 'ADMIN'], args: async (w) => ({ id: await w.entry() }) },
  'Query.marketTestBoard': { allow: EVERYONE, args: async (w) => ({ marketId: w.marketId, date: '2026-11-28' }) },

  // lineage: an operator for its own batches, regulators and admins for any
  'Mutation.splitBatch': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ input: { batchId: (await w.freshBatch()).id, parts: [{ quantity: 10 }, { quantity: 20 }] } }),
  },
  'Mutation.mergeBatches': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ input: { inputs: [{ batchId: (await w.freshBatch()).id }, { batchId: (await w.freshBatch()).id }] } }),
  },
  'Mutation.processBatches': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ input: { inputs: [{ batchId: (await w.freshBatch()).id, quantity: 10 }], productName: 'Pickled bok choy', category: 'VEGETABLE', quantity: 8, unit: 'KG' } }),
  },
  'Mutation.transferBatch': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ input: { batchId: (await w.freshBatch()).id, toOperatorId: w.vendorId, quantity: 10 } }),
  },
  'Mutation.recordBatchLink': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ input: { parentId: (await w.freshBatch()).id, childId: (await w.freshBatch()).id, kind: 'SPLIT', quantity: 5 } }),
  },

  // trace and recall
  'Query.trace': { allow: EVERYONE, args: async (w) => ({ code: w.batch.publicCode }) },
  'Query.operatorCard': { allow: EVERYONE, args: async (w) => ({ code: w.operatorCode }) },
  'Query.epcisDocument': { allow: EVERYONE, args: async (w) => ({ code: w.batch.publicCode }) },
  'Query.traceBackward': { allow: REGULATORS, args: async (w) => ({ batchId: w.batch.id }) },
  'Query.traceForward': { allow: REGULATORS, args: async (w) => ({ batchId: w.batch.id }) },
  'Query.epcisLineage': { allow: REGULATORS, args: async (w) => ({ batchId: w.batch.id, direction: 'BOTH' }) },
  'Mutation.initiateRecall': { allow: REGULATORS, args: async (w) => ({ input: { batchId: (await w.freshBatch()).id, reason: 'Residue above limit' } }) },

  // credit archive
  'Query.creditAsOf': { allow: ['OPERATOR', 'REGULATOR', 'ADMIN'], args: async (w) => ({ operatorId: w.operatorId, at: '2026-11-01T00:00:00.000Z' }) },
  'Query.creditArchive': { allow: REGULATORS, args: async () => ({ first: 5 }) },
  'Query.verifyCreditChain': { allow: ['OPERATOR', 'REGULATOR', 'ADMIN'], args: async (w) => ({ operatorId: w.operatorId }) },
  'Query.verifyCreditArchive': { allow: REGULATORS, args: async () => ({}) },
  'Query.creditRules': { allow: EVERYONE, args: async () => ({}) },
  'Query.gradeSupervision': { allow: EVERYONE, args: async () => ({}) },
  'Query.inspectionPlan': { allow: REGULATORS, args: async () => ({ month: '2026-11' }) },
  'Query.creditGradeCounts': { allow: REGULATORS, args: async () => ({}) },
  'Query.creditAppeals': { allow: ['OPERATOR', 'REGULATOR', 'ADMIN'], args: async (w) => ({ filter: { operatorId: w.operatorId }, first: 5 }) },
  'Mutation.createLedgerCheckpoint': { allow: REGULATORS, args: async () => ({}) },
  'Mutation.recordCreditEvent': {
    allow: ['REGULATOR'],
    args: async (w) => ({ input: { operatorId: w.operatorId, rule: 'TRAINING_COMPLETED', reason: 'Attended the November course' } }),
  },
  'Mutation.fileCreditAppeal': { allow: ['OPERATOR'], args: async (w) => ({ input: { eventId: await w.deduction(), kind: 'APPEAL', reason: 'The stall was closed that day' } }) },
  'Mutation.decideCreditAppeal': { allow: ['REGULATOR'], args: async (w) => ({ input: { appealId: await w.pendingAppeal(), decision: 'REJECTED', note: 'Photos show the stall open' } }) },
  'Mutation.closeQuarter': { allow: ['REGULATOR'], args: async () => ({ quarter: '2026-Q2' }) },
  'Mutation.refreshCreditGrades': { allow: REGULATORS, args: async () => ({}) },

  // field supervision: inspectors town-wide, a village assistant in its own village
  'Query.checklists': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR', 'ADMIN'], args: async () => ({}) },
  'Query.checklist': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR', 'ADMIN'], args: async (w) => ({ id: w.farmChecklistId }) },
  'Query.operatorsToInspect': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR'], args: async () => ({ search: 'farm', first: 5 }) },
  'Mutation.recordInspection': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR'], args: async (w) => ({ input: await w.inspectionInput() }) },
  // each caller sees its own scope: an operator its own, a village assistant its village
  'Query.inspections': {
    allow: ['OPERATOR', 'OPERATOR_OTHER', 'INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR', 'ADMIN'], args: async () => ({ first: 5 }),
  },
  'Query.rectificationOrders': {
    allow: ['OPERATOR', 'OPERATOR_OTHER', 'INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR', 'ADMIN'], args: async () => ({ first: 5 }),
  },
  'Mutation.answerRectification': { allow: ['OPERATOR'], args: async (w) => ({ input: { orderId: await w.openOrder(), note: 'Labels printed and stuck on' } }) },
  'Mutation.recordRecheck': {
    allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR'],
    args: async (w) => ({ input: { orderId: await w.openOrder(), resolved: true, note: 'Put right', clientKey: `recheck-${w.serial()}` } }),
  },
  'Mutation.chargeOverdueRectifications': { allow: REGULATORS, args: async () => ({}) },
  // hazard sites: field staff, a village assistant in its own village (the world's sites are in Qingshan)
  'Mutation.registerSite': {
    allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR'],
    args: async (w) => ({ input: { kind: 'EMPTY_HOUSE', location: 'Empty house by the bridge', village: 'Qingshan', clientKey: `site-${w.serial()}` } }),
  },
  'Mutation.recordSiteInspection': {
    allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR'],
    args: async (w) => ({ input: { siteId: await w.openSite(), activityFound: false, clientKey: `site-visit-${w.serial()}` } }),
  },
  'Mutation.resolveSite': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR'], args: async (w) => ({ input: { siteId: await w.openSite(), note: 'Nothing found' } }) },
  'Query.sites': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR', 'ADMIN'], args: async () => ({ first: 5 }) },
  'Query.site': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR', 'ADMIN'], args: async (w) => ({ id: await w.openSite() }) },
  // campaigns: the town office opens them; town-wide field staff read their reports
  'Mutation.createCampaign': {
    allow: REGULATORS, args: async () => ({ input: { name: 'Autumn sweep', startsAt: '2026-09-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' } }),
  },
  'Query.campaigns': { allow: ['INSPECTOR', 'REGULATOR', 'ADMIN'], args: async () => ({}) },
  'Query.campaign': { allow: ['INSPECTOR', 'REGULATOR', 'ADMIN'], args: async (w) => ({ id: await w.campaign() }) },

  // banquets: anyone files (limited per address); the filing goes to the village assistant of its village (Qingshan) and
  // the town; guidance by the tier's guides (a host-filed banquet: the village assistant too); the town office records
  // outcomes and keeps the chef registry
  'Mutation.fileBanquet': { allow: EVERYONE, args: async () => ({ input: BANQUET }) },
  'Query.banquet': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR', 'ADMIN'], args: async (w) => ({ number: await filedBanquet(w) }) },
  // each caller its own scope: a village assistant its village's
  'Query.banquets': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR', 'ADMIN'], args: async () => ({ first: 5 }) },
  'Query.upcomingBanquets': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER', 'REGULATOR', 'ADMIN'], args: async () => ({}) },
  'Mutation.recordBanquetGuidance': {
    allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR', 'ADMIN'], args: async (w) => ({ input: { number: await filedBanquet(w, 80), note: 'Kitchen checked' } }),
  },
  'Mutation.recordBanquetOutcome': { allow: REGULATORS, args: async (w) => ({ input: { number: await filedBanquet(w), peopleIll: 0 } }) },
  'Mutation.registerChef': {
    allow: REGULATORS,
    args: async (w) => ({ input: { name: `Chef ${w.serial()}`, healthCertificateNo: 'JK-2', healthCertificateExpiresOn: '2027-06-30' } }),
  },
  'Mutation.recordChefTraining': { allow: REGULATORS, args: async (w) => ({ input: { operatorId: await registeredChef(w), on: '2026-11-20' } }) },
  'Query.ruralChef': { allow: REGULATORS, args: async (w) => ({ operatorId: await registeredChef(w) }) },
  'Query.expiringChefCertificates': { allow: REGULATORS, args: async () => ({}) },

  // canteens: the canteen's own account (the world's operators are not canteens), regulators and admins
  'Mutation.receiveDelivery': {
    allow: REGULATORS,
    args: async (w) => ({ input: { canteenId: await canteenOf(w), code: (await w.freshBatch()).publicCode, quantity: 2, unit: 'KG' } }),
  },
  'Query.canteenReceipts': { allow: REGULATORS, args: async (w) => ({ canteenId: await canteenOf(w), month: '2026-11' }) },
  'Mutation.recordCanteenSample': {
    allow: REGULATORS,
    args: async (w) => ({ input: { canteenId: await canteenOf(w), dish: 'Rice', meal: 'LUNCH', grams: 150, keptBy: 'Li' } }),
  },
  'Query.canteenReceiptsCsv': { allow: REGULATORS, args: async (w) => ({ canteenId: await canteenOf(w), month: '2026-11' }) },
  'Query.canteenSamples': { allow: REGULATORS, args: async (w) => ({ canteenId: await canteenOf(w) }) },
  'Mutation.recordMorningCheck': {
    allow: REGULATORS,
    args: async (w) => {
      const n = w.serial();
      return { input: { canteenId: await canteenOf(w), staffName: `Cook ${n}`, temperature: 36.5, fitForWork: true, checkedBy: 'Li', clientKey: `mc-${n}` } };
    },
  },
  'Query.morningChecks': { allow: REGULATORS, args: async (w) => ({ canteenId: await canteenOf(w) }) },
  // town-wide roles, and the village assistant of the canteen's village (Qingshan)
  'Query.canteenOverview': { allow: ['INSPECTOR', 'VILLAGE_ASSISTANT', 'REGULATOR', 'ADMIN'], args: async (w) => ({ canteenId: await canteenOf(w) }) },

  // audit trail
  'Query.auditEvents': { allow: ['ADMIN'], args: async () => ({ first: 5 }) },

  // incidents: any signed-in account reports; the office handles; a reporter reads its own report
  'Mutation.reportIncident': {
    allow: SIGNED_IN,
    args: async () => ({ input: { kind: 'COMPLAINT', placeKind: 'VILLAGE', village: 'Qingshan', occurredAt: '2026-11-01T08:00:00.000Z', description: 'Sour milk' } }),
  },
  'Mutation.advanceIncident': { allow: REGULATORS, args: async (w) => ({ input: { id: await freshIncident(w, w.admin), status: 'INVESTIGATING' } }) },
  'Query.incident': { allow: SIGNED_IN, args: async (w, who) => ({ id: await freshIncident(w, w.tokens[who] ?? w.admin) }) },
  'Query.incidents': { allow: REGULATORS, args: async () => ({ first: 5 }) },
  'Query.incidentStats': { allow: REGULATORS, args: async () => ({ period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' } }) },

  // the town at a glance: scorecards for the office and a village's own assistant; trainings recorded in the field
  'Query.villageScorecard': { allow: ['REGULATOR', 'ADMIN', 'VILLAGE_ASSISTANT'], args: async () => ({ year: 2026, village: 'Qingshan' }) },
  'Query.unitScorecard': { allow: REGULATORS, args: async (w) => ({ year: 2026, kind: 'MARKET', id: w.marketId }) },
  'Mutation.recordTraining': {
    allow: ['REGULATOR', 'INSPECTOR', 'VILLAGE_ASSISTANT'],
    args: async (w) => ({ input: { topic: 'Certificates', heldOn: '2026-11-01', trainer: 'Wang Li', village: 'Qingshan', attendees: [{ operatorId: w.operatorId }], clientKey: `training-${w.serial()}` } }),
  },
  'Query.trainings': { allow: ['REGULATOR', 'ADMIN', 'INSPECTOR', 'VILLAGE_ASSISTANT', 'VILLAGE_ASSISTANT_OTHER'], args: async () => ({ first: 5 }) },
  'Mutation.createPlanItem': { allow: REGULATORS, args: async () => ({ input: { year: 2026, title: 'Train every rural chef', owner: 'Town office', dueOn: '2026-12-31' } }) },
  'Mutation.updatePlanProgress': {
    allow: REGULATORS,
    args: async (w) => {
      const res = await w.t.gql(`mutation { createPlanItem(input: { year: 2026, title: "Drills", owner: "Town office", dueOn: "2026-12-31" }) { id } }`, {}, w.admin);
      return { input: { id: ok(res).createPlanItem.id, progress: 50 } };
    },
  },
  'Query.planItems': { allow: REGULATORS, args: async () => ({ year: 2026 }) },

  // recalls carried to the end: the office follows them; a holder reads and answers its own part
  'Query.recalls': { allow: REGULATORS, args: async () => ({ first: 5 }) },
  // a recall row written directly: a recall through the service would charge credit and change what other queries show
  'Query.recall': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => {
      const [row] = await w.t.sql(`insert into recall (batch_id, reason, impact) values ($1, 'Residue above limit', '{}') returning id`, [(await w.freshBatch()).id]);
      return { id: String(row.id) };
    },
  },
  'Mutation.recordRecallDisposition': {
    allow: ['OPERATOR', 'REGULATOR', 'ADMIN'],
    args: async (w) => ({ input: { recallId: await freshRecall(w), operatorId: w.operatorId, unit: 'KG', destroyed: 1 } }),
  },
  'Mutation.closeRecall': { allow: REGULATORS, args: async (w) => ({ input: { recallId: await freshRecall(w), summary: 'All accounted for' } }) },

  // notifications: every account has its own inbox
  'Query.notifications': { allow: SIGNED_IN, args: async () => ({ first: 5 }) },
  'Mutation.markNotificationsRead': { allow: SIGNED_IN, args: async () => ({ ids: ['1'] }) },

  // webhooks: an administrator connects other systems
  'Mutation.registerWebhook': { allow: ['ADMIN'], args: async (w) => ({ input: { name: `System ${w.serial()}`, url: 'https://example.org/hooks' } }) },
  'Mutation.setWebhookActive': { allow: ['ADMIN'], args: async (w) => ({ id: String((await freshWebhookDelivery(w)).subscription), active: false }) },
  'Mutation.replayWebhookDelivery': { allow: ['ADMIN'], args: async (w) => ({ id: String((await freshWebhookDelivery(w)).delivery) }) },
  'Query.webhookSubscriptions': { allow: ['ADMIN'], args: async () => ({}) },
  'Query.webhookDeliveries': { allow: ['ADMIN'], args: async () => ({ first: 5 }) },
};

/** A subscriber, an event and its delivery, written directly (no queue runs in these tests); their ids. */
async function freshWebhookDelivery(w: World): Promise<{ subscription: number; delivery: number }> {
  const [s] = await w.t.sql(`insert into webhook_subscription (name, url, secret) values ($1, 'https://example.org/hooks', repeat('s', 40)) returning id`, [`System ${w.serial()}`]);
  const [o] = await w.t.sql(`insert into notification_outbox (kind, subject) values ('INCIDENT_REPORTED', 'x') returning id`);
  const [d] = await w.t.sql(`insert into webhook_delivery (subscription_id, outbox_id, status) values ($1, $2, 'DEAD') returning id`, [s.id, o.id]);
  return { subscription: s.id, delivery: d.id };
}

/** A recall of a fresh batch of the world's operator; its id. */
async function freshRecall(w: World): Promise<string> {
  const res = await w.t.gql(
    `mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`,
    { input: { batchId: (await w.freshBatch()).id, reason: 'Residue above limit' } },
    w.admin,
  );
  return ok(res).initiateRecall.recallId;
}

/** A fresh incident reported by the holder of `reporter`; its id. */
async function freshIncident(w: World, reporter: string): Promise<string> {
  const res = await w.t.gql(
    `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { id } }`,
    { input: { kind: 'HAZARD', placeKind: 'VILLAGE', village: 'Qingshan', occurredAt: '2026-11-01T08:00:00.000Z', description: `Hazard ${w.serial()}` } },
    reporter,
  );
  return ok(res).reportIncident.id;
}

/**
 * Subscriptions are not callable over HTTP, so the matrix above cannot run them; each is stated here with who may
 * subscribe, and its refusals are tested over the WebSocket (test/notify-graphql-ws.test.ts: no token → 4403,
 * subscribe before connection_init → 4401; a subscriber receives its own account's rows only).
 */
export const SUBSCRIPTIONS: Record<string, readonly Caller[]> = {
  'Subscription.notificationAdded': SIGNED_IN,
};

/** The operations of the built schema, as `Query.name` / `Mutation.name`. */
export function operationsOf(schema: GraphQLSchema): { key: string; kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] {
  const out: { key: string; kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] = [];
  for (const [kind, type] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) out.push({ key: `${type!.name}.${field.name}`, kind, field });
  }
  return out;
}

/** A document calling one operation with every argument as a variable and the smallest selection. */
export function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): string {
  const used = field.args.filter((a) => a.name in args || (a.type instanceof GraphQLNonNull && a.defaultValue === undefined));
  const defs = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) || !('parseValue' in getNamedType(field.type)) ? ' { __typename }' : '';
  return `${kind}${defs ? `(${defs})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
}

/** One world for the whole file: two operators, two markets, a vendor, a batch with a certificate, a token per caller. */
export async function buildWorld(t: TestApp): Promise<World> {
  let n = 0;
  const serial = () => ++n + Date.now() % 100000 * 1000;
  const admin = await token(t, Role.ADMIN);
  const own = await makeOperator(t, admin, { name: 'Green Valley Farm' });
  const other = await makeOperator(t, admin, { name: 'Other Farm' });
  const vendor = await makeOperator(t, admin, { kind: 'MARKET_VENDOR', name: 'Stall 7', creditCode: null });
  const market = await makeMarket(t, admin, 'East Gate Market');
  const otherMarket = await makeMarket(t, admin, 'West Market');
  const batch = await makeBatch(t, admin, own.id);
  const certificate = await makeCertificate(t, admin, batch.id);
  const freshBatch = async (over: Record<string, unknown> = {}) => {
    const b = await makeBatch(t, admin, own.id, over);
    return { ...b, certificateId: (await makeCertificate(t, admin, b.id)).id };
  };
  const tokens: Record<Caller, string | null> = {
    anonymous: null,
    OPERATOR: await token(t, Role.OPERATOR, { operatorId: own.id }),
    OPERATOR_OTHER: await token(t, Role.OPERATOR, { operatorId: other.id }),
    GATE_STAFF: await token(t, Role.GATE_STAFF, { marketId: market.id }),
    GATE_STAFF_OTHER: await token(t, Role.GATE_STAFF, { marketId: otherMarket.id }),
    REGULATOR: await token(t, Role.REGULATOR),
    ADMIN: await token(t, Role.ADMIN),
    INSPECTOR: await token(t, Role.INSPECTOR),
    VILLAGE_ASSISTANT: await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan' }),
    VILLAGE_ASSISTANT_OTHER: await token(t, Role.VILLAGE_ASSISTANT, { village: 'Baiyun' }),
  };
  const [{ id: farmChecklist }] = await t.sql(`select id from checklist_template where operator_kind = 'FARM' and version = 1`);
  const farmItems = (await t.sql(`select jsonb_array_elements(items)->>'code' as code from checklist_template where id = $1`, [farmChecklist])).map((r) => r.code as string);
  const inspectionInput = async (fault = false) => ({
    operatorId: own.id, templateId: String(farmChecklist), clientKey: `insp-${serial()}`,
    answers: farmItems.map((code, i) => ({ code, answer: fault && i === farmItems.length - 1 ? 'NO' : 'YES' })),
  });
  const openOrder = async () => {
    const res = await t.gql(
      `mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { rectificationOrderId } }`,
      { input: await inspectionInput(true) },
      tokens.REGULATOR,
    );
    return ok(res).recordInspection.rectificationOrderId as string;
  };
  const openSite = async () => {
    const res = await t.gql(
      `mutation($input: RegisterSiteInput!) { registerSite(input: $input) { id } }`,
      { input: { kind: 'RENTED_WAREHOUSE', location: 'Warehouse behind the school', village: 'Qingshan', clientKey: `world-site-${serial()}` } },
      tokens.REGULATOR,
    );
    return ok(res).registerSite.id as string;
  };
  const campaign = async () => {
    const res = await t.gql(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: { name: 'Winter sweep', village: 'Qingshan', startsAt: '2026-11-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' } },
      tokens.REGULATOR,
    );
    return ok(res).createCampaign.id as string;
  };
  const deduction = async () => {
    const res = await t.gql(
      `mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { event { id } } }`,
      { input: { operatorId: own.id, rule: 'INSPECTION_VIOLATION', points: -5, reason: 'Unlabelled crates' } },
      tokens.REGULATOR,
    );
    return ok(res).recordCreditEvent.event.id as string;
  };
  const pendingAppeal = async () => {
    const res = await t.gql(
      `mutation($input: FileCreditAppealInput!) { fileCreditAppeal(input: $input) { id } }`,
      { input: { eventId: await deduction(), kind: 'APPEAL', reason: 'Labels were on the crates' } },
      tokens.OPERATOR,
    );
    return ok(res).fileCreditAppeal.id as string;
  };
  const scanInput = async () => ({
    code: (await freshBatch()).publicCode,
    marketId: market.id,
    vendorOperatorId: vendor.id,
    declaredQuantity: 10,
    unit: 'KG',
    scanId: unsampledScanId(t, `scan-${serial()}`),
  });
  const entry = async () => {
    const res = await t.gql(`mutation($input: GateScanInput!) { scanAtGate(input: $input) { entryId } }`, { input: await scanInput() }, tokens.GATE_STAFF);
    return ok(res).scanAtGate.entryId as string;
  };
  return {
    t,
    admin,
    deduction,
    pendingAppeal,
    scanInput,
    entry,
    tokens,
    operatorId: own.id,
    operatorCode: own.publicCode,
    otherOperatorId: other.id,
    vendorId: vendor.id,
    marketId: market.id,
    otherMarketId: otherMarket.id,
    batch,
    certificateId: certificate.id,
    certificateNumber: certificate.number,
    freshBatch,
    serial,
    inspectionInput,
    openOrder,
    openSite,
    campaign,
    farmChecklistId: String(farmChecklist),
  };
}

/**
 * Row count of every table of the domain, to prove a refused call wrote nothing. The audit trail is left out: a
 * refused call is recorded there by design (test/audit.test.ts).
 */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = await t.sql<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = 'public' and tablename not in ('mikro_orm_migrations', 'audit_event') order by tablename`,
  );
  const counts = await t.sql<Record<string, number>>(`select ${tables.map(({ name }) => `(select count(*)::int from "${name}") as "${name}"`).join(', ')}`);
  return counts[0];
}
