import { Role } from '../src/entities/enums';
import { makeBatch, makeOperator, ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const SPLIT = `mutation($input: SplitBatchInput!) { splitBatch(input: $input) { id publicCode } }`;
const TRANSFER = `mutation($input: TransferBatchInput!) { transferBatch(input: $input) { id publicCode } }`;
const RECALL = `mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId batches operators { name batches } } }`;
const INCIDENT_FIELDS = `id kind status drill placeKind village operatorId placeRef peopleIll description suspectCodes reportedById reporterName
  investigateDueAt handleDueAt reportedAt closedAt durationSeconds
  finding { unresolved suspects { code batchId lotCode ownerName sourceBatchIds upstreamBatches truncated }
    commonSources { batchId lotCode ownerName }
    forward { source { batchId } batches entries truncated operators { name kind batches } quantities { unit batches onHand } } }
  steps { status byName notes evidence dueAt }`;
const REPORT = `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { ${INCIDENT_FIELDS} } }`;
const ADVANCE = `mutation($input: AdvanceIncidentInput!) { advanceIncident(input: $input) { id status investigatingAt handledAt closedAt durationSeconds steps { status byName notes evidence dueAt } } }`;
const STATS = `query($period: IncidentPeriodInput!, $village: String) { incidentStats(period: $period, village: $village) {
  reported reportedInTime reportRate handlingDue handledOnTime onTimeHandlingRate overdue peopleIll drills drillMeanSeconds byStatus { status count } } }`;

const HOUR = 3600_000;
const period = () => ({ from: new Date(Date.now() - 24 * HOUR).toISOString(), to: new Date(Date.now() + HOUR).toISOString() });

beforeEach(async () => {
  await t.sql('truncate notification_outbox cascade');
});

/** A farm lot split in two; one half goes to a school canteen, the other to a market stall. */
async function twoWays() {
  const farm = await makeOperator(t, f.admin, { name: 'Green Valley Farm', village: 'Qingshan' });
  const canteen = await makeOperator(t, f.admin, { name: 'Qingshan School Canteen', kind: 'CANTEEN', village: 'Qingshan' });
  const stall = await makeOperator(t, f.admin, { name: 'Stall 12', kind: 'MARKET_VENDOR', village: 'Dongcun' });
  const root = await makeBatch(t, f.admin, farm.id, { quantity: 100, lotCode: 'GV-1' });
  const [a, b] = ok(await t.gql(SPLIT, { input: { batchId: root.id, parts: [{ quantity: 40 }, { quantity: 60 }] } }, f.admin)).splitBatch;
  const atCanteen = ok(await t.gql(TRANSFER, { input: { batchId: a.id, toOperatorId: canteen.id, quantity: 40 } }, f.admin)).transferBatch;
  const atStall = ok(await t.gql(TRANSFER, { input: { batchId: b.id, toOperatorId: stall.id, quantity: 25 } }, f.admin)).transferBatch;
  return { farm, canteen, stall, root, a, b, atCanteen, atStall };
}

describe('reportIncident', () => {
  it('a food poisoning with two suspect codes: the common source found, recalled, disposed of, closed; the incident handled and counted', async () => {
    const w = await twoWays();
    const reporter = await token(t, Role.OPERATOR, { operatorId: w.canteen.id });
    const occurredAt = new Date(Date.now() - HOUR).toISOString();
    const incident = ok(await t.gql(REPORT, {
      input: {
        kind: 'FOOD_POISONING', placeKind: 'CANTEEN', operatorId: w.canteen.id, placeRef: 'Lunch, class 3', occurredAt, peopleIll: 12,
        description: 'Vomiting after lunch', suspectCodes: [w.atCanteen.publicCode, w.atStall.publicCode, 'NO-SUCH-CODE'],
      },
    }, reporter)).reportIncident;

    const reportedAt = new Date(incident.reportedAt).getTime();
    expect(new Date(incident.investigateDueAt).getTime() - reportedAt).toBe(2 * HOUR);
    expect(new Date(incident.handleDueAt).getTime() - reportedAt).toBe(24 * HOUR);
    expect({ ...incident, reportedAt: undefined, investigateDueAt: undefined, handleDueAt: undefined, reportedById: undefined, steps: incident.steps.map((s: { dueAt: string }) => ({ ...s, dueAt: s.dueAt === incident.investigateDueAt })) }).toEqual({
      id: '1', kind: 'FOOD_POISONING', status: 'REPORTED', drill: false, placeKind: 'CANTEEN', village: 'Qingshan', operatorId: w.canteen.id,
      placeRef: 'Lunch, class 3', peopleIll: 12, description: 'Vomiting after lunch',
      suspectCodes: [w.atCanteen.publicCode, w.atStall.publicCode, 'NO-SUCH-CODE'], reporterName: expect.stringMatching(/^OPERATOR \d+$/),
      reportedAt: undefined, investigateDueAt: undefined, handleDueAt: undefined, reportedById: undefined, closedAt: null, durationSeconds: null,
      finding: {
        unresolved: ['NO-SUCH-CODE'],
        suspects: [
          { code: w.atCanteen.publicCode, batchId: w.atCanteen.id, lotCode: expect.any(String), ownerName: 'Qingshan School Canteen', sourceBatchIds: [w.root.id], upstreamBatches: 3, truncated: false },
          { code: w.atStall.publicCode, batchId: w.atStall.id, lotCode: expect.any(String), ownerName: 'Stall 12', sourceBatchIds: [w.root.id], upstreamBatches: 3, truncated: false },
        ],
        commonSources: [{ batchId: w.root.id, lotCode: 'GV-1', ownerName: 'Green Valley Farm' }],
        forward: [{
          source: { batchId: w.root.id }, batches: 5, entries: 0, truncated: false,
          operators: [
            { name: 'Green Valley Farm', kind: 'FARM', batches: 3 },
            { name: 'Qingshan School Canteen', kind: 'CANTEEN', batches: 1 },
            { name: 'Stall 12', kind: 'MARKET_VENDOR', batches: 1 },
          ],
          quantities: [{ unit: 'KG', batches: 5, onHand: 100 }], // B keeps 35, the canteen 40, the stall 25
        }],
      },
      steps: [{ status: 'REPORTED', byName: incident.reporterName, notes: null, evidence: [], dueAt: true }],
    });
    // the office is told in the same transaction
    expect(await t.sql(`select kind, subject, payload->>'incidentId' as id, audience from notification_outbox`)).toEqual([
      { kind: 'INCIDENT_REPORTED', subject: '食物中毒 Food poisoning: Qingshan (#1)', id: '1', audience: { roles: ['REGULATOR', 'ADMIN'] } },
    ]);

    // the common source is recalled: both suspect lots and the rest of its lineage with it
    expect(ok(await t.gql(RECALL, { input: { batchId: w.root.id, reason: 'Food poisoning incident 1' } }, f.regulator)).initiateRecall)
      .toEqual({ recallId: '1', batches: 5, operators: [{ name: 'Green Valley Farm', batches: 3 }, { name: 'Qingshan School Canteen', batches: 1 }, { name: 'Stall 12', batches: 1 }] });

    // every holder was told (the notice), and each declares what it did with what it held
    const farmer = await token(t, Role.OPERATOR, { operatorId: w.farm.id });
    const stallKeeper = await token(t, Role.OPERATOR, { operatorId: w.stall.id });
    const held = ok(await t.gql(`query { recalls(filter: { open: true }) { edges { node { id effectiveness answered units { unit held accounted effectiveness }
      holdings { operatorName operatorKind unit batches held accounted recordedAt } } } } }`, {}, f.regulator)).recalls.edges;
    expect(held).toEqual([{ node: {
      id: '1', effectiveness: 0, answered: 0, units: [{ unit: 'KG', held: 100, accounted: 0, effectiveness: 0 }],
      holdings: [
        { operatorName: 'Green Valley Farm', operatorKind: 'FARM', unit: 'KG', batches: 1, held: 35, accounted: 0, recordedAt: null },
        { operatorName: 'Qingshan School Canteen', operatorKind: 'CANTEEN', unit: 'KG', batches: 1, held: 40, accounted: 0, recordedAt: null },
        { operatorName: 'Stall 12', operatorKind: 'MARKET_VENDOR', unit: 'KG', batches: 1, held: 25, accounted: 0, recordedAt: null },
      ],
    } }]);
    const DISPOSE = `mutation($input: RecordRecallDispositionInput!) { recordRecallDisposition(input: $input) { effectiveness answered holdings { operatorName returned destroyed sold accounted note } } }`;
    expect(ok(await t.gql(DISPOSE, { input: { recallId: '1', operatorId: w.canteen.id, unit: 'KG', destroyed: 40, note: 'Destroyed in front of the inspector' } }, reporter)).recordRecallDisposition)
      .toEqual({ effectiveness: 0.4, answered: 1, holdings: [{ operatorName: 'Qingshan School Canteen', returned: 0, destroyed: 40, sold: 0, accounted: 40, note: 'Destroyed in front of the inspector' }] });
    expect((await t.gql(DISPOSE, { input: { recallId: '1', operatorId: w.stall.id, unit: 'KG', returned: 1 } }, reporter)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await t.gql(DISPOSE, { input: { recallId: '1', operatorId: w.stall.id, unit: 'KG', returned: 20, sold: 5.001 } }, stallKeeper)).errors?.map((e) => e.message))
      .toEqual(['returned: returned, destroyed and sold together exceed the 25 KG held']);
    expect(ok(await t.gql(DISPOSE, { input: { recallId: '1', operatorId: w.stall.id, unit: 'KG', returned: 20, sold: 5 } }, stallKeeper)).recordRecallDisposition.effectiveness).toBe(0.65);
    expect(ok(await t.gql(DISPOSE, { input: { recallId: '1', operatorId: w.farm.id, unit: 'KG', destroyed: 35 } }, farmer)).recordRecallDisposition.effectiveness).toBe(1);
    const CLOSE = `mutation($input: CloseRecallInput!) { closeRecall(input: $input) { effectiveness answered summary closedAt } }`;
    const recallClosed = ok(await t.gql(CLOSE, { input: { recallId: '1', summary: 'All 100 kg accounted for' } }, f.regulator)).closeRecall;
    expect({ ...recallClosed, closedAt: typeof recallClosed.closedAt }).toEqual({ effectiveness: 1, answered: 3, summary: 'All 100 kg accounted for', closedAt: 'string' });
    expect((await t.gql(CLOSE, { input: { recallId: '1', summary: 'again' } }, f.regulator)).errors?.map((e) => e.message)).toEqual(['recall 1 is closed already']);
    expect((await t.gql(DISPOSE, { input: { recallId: '1', operatorId: w.farm.id, unit: 'KG', destroyed: 1 } }, farmer)).errors?.map((e) => e.message)).toEqual(['recall 1 is closed']);
    expect(ok(await t.gql(`query { recalls(filter: { open: true }) { edges { node { id } } } }`, {}, f.regulator)).recalls.edges).toEqual([]);
    expect(ok(await t.gql(`query { recall(id: 1) { holdings { operatorName } } }`, {}, farmer)).recall).toEqual({ holdings: [{ operatorName: 'Green Valley Farm' }] });

    const investigating = ok(await t.gql(ADVANCE, { input: { id: incident.id, status: 'INVESTIGATING', notes: 'Samples taken' } }, f.regulator)).advanceIncident;
    expect(investigating.steps.map((s: { status: string; dueAt: string | null }) => [s.status, s.dueAt === incident.handleDueAt])).toEqual([['REPORTED', false], ['INVESTIGATING', true]]);
    ok(await t.gql(ADVANCE, { input: { id: incident.id, status: 'HANDLED', notes: 'Lot GV-1 recalled; canteen disinfected', evidence: ['photo:kitchen-1.jpg', 'lab:2026-118'] } }, f.regulator));
    const closed = ok(await t.gql(ADVANCE, { input: { id: incident.id, status: 'CLOSED', notes: 'All 12 recovered' } }, f.regulator)).advanceIncident;
    expect(closed.status).toBe('CLOSED');
    expect(closed.steps.map(({ status, notes, evidence }: { status: string; notes: string; evidence: string[] }) => ({ status, notes, evidence }))).toEqual([
      { status: 'REPORTED', notes: null, evidence: [] },
      { status: 'INVESTIGATING', notes: 'Samples taken', evidence: [] },
      { status: 'HANDLED', notes: 'Lot GV-1 recalled; canteen disinfected', evidence: ['photo:kitchen-1.jpg', 'lab:2026-118'] },
      { status: 'CLOSED', notes: 'All 12 recovered', evidence: [] },
    ]);

    expect(ok(await t.gql(STATS, { period: period(), village: 'Qingshan' }, f.regulator)).incidentStats).toEqual({
      reported: 1, reportedInTime: 1, reportRate: 1, handlingDue: 1, handledOnTime: 1, onTimeHandlingRate: 1, overdue: 0, peopleIll: 12, drills: 0, drillMeanSeconds: null,
      byStatus: [{ status: 'REPORTED', count: 0 }, { status: 'INVESTIGATING', count: 0 }, { status: 'HANDLED', count: 0 }, { status: 'CLOSED', count: 1 }],
    });
    expect(ok(await t.gql(STATS, { period: period(), village: 'Dongcun' }, f.regulator)).incidentStats.reported).toBe(0);
  });

  it('any signed-in account reports; only the office moves the timeline, one step at a time', async () => {
    const market = ok(await t.gql(`mutation { registerMarket(input: { name: "East" }) { id } }`, {}, f.admin)).registerMarket.id;
    const gate = await token(t, Role.GATE_STAFF, { marketId: market });
    const input = { kind: 'HAZARD', placeKind: 'VILLAGE', village: 'Dongcun', occurredAt: new Date(Date.now() - HOUR).toISOString(), description: 'Pesticide bottles by the well' };
    const id = ok(await t.gql(REPORT, { input }, gate)).reportIncident.id;
    expect((await t.gql(REPORT, { input })).errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect((await t.gql(ADVANCE, { input: { id, status: 'INVESTIGATING' } }, gate)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const skip = await t.gql(ADVANCE, { input: { id, status: 'HANDLED', notes: 'done' } }, f.regulator);
    expect(skip.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['CONFLICT', 'the incident is REPORTED; the next step is INVESTIGATING']]);
    ok(await t.gql(ADVANCE, { input: { id, status: 'INVESTIGATING' } }, f.regulator));
    const noNotes = await t.gql(ADVANCE, { input: { id, status: 'HANDLED' } }, f.regulator);
    expect(noNotes.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'notes: say how the incident was handled']]);
    const back = await t.gql(ADVANCE, { input: { id, status: 'INVESTIGATING' } }, f.regulator);
    expect(back.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    // the reporter reads its own report; another account does not find it
    expect(ok(await t.gql(`query($id: ID!) { incident(id: $id) { status } }`, { id }, gate)).incident).toEqual({ status: 'INVESTIGATING' });
    const other = await token(t, Role.GATE_STAFF, { marketId: market });
    expect((await t.gql(`query($id: ID!) { incident(id: $id) { status } }`, { id }, other)).errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('refuses bad input with the field named', async () => {
    const base = { kind: 'COMPLAINT', placeKind: 'VILLAGE', village: 'Qingshan', occurredAt: new Date(Date.now() - HOUR).toISOString(), description: 'Sour milk' };
    const cases: [Record<string, unknown>, string][] = [
      [{ village: null }, 'village: is required when the place is a village'],
      [{ placeKind: 'OPERATOR' }, 'operatorId: is required when the place is an operator'],
      [{ occurredAt: new Date(Date.now() + 2 * HOUR).toISOString() }, 'occurredAt: must not be in the future'],
      [{ peopleIll: -1 }, 'peopleIll: must be a whole number from 0 to 100000'],
      [{ description: '  ' }, 'description: must not be empty'],
      [{ suspectCodes: Array.from({ length: 11 }, (_, i) => `c${i}`) }, 'suspectCodes: at most 10 suspect lots per report'],
      [{ placeKind: 'OPERATOR', operatorId: '999' }, 'Operator 999 not found'],
    ];
    const got = [];
    for (const [over] of cases) got.push((await t.gql(REPORT, { input: { ...base, ...over } }, f.regulator)).errors?.map((e) => e.message)[0]);
    expect(got).toEqual(cases.map(([, m]) => m));
    expect(await t.sql('select count(*)::int as n from incident')).toEqual([{ n: 0 }]);
  });
});

describe('the contact a reporter leaves', () => {
  it('is masked in the audit trail and its reads are audited', async () => {
    const input = { kind: 'COMPLAINT', placeKind: 'VILLAGE', village: 'Qingshan', occurredAt: new Date(Date.now() - HOUR).toISOString(), description: 'Sour milk', contact: '13800000002' };
    const { id } = ok(await t.gql(`mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { id } }`, { input }, f.regulator)).reportIncident;
    const [row] = await t.sql(`select variables, personal_data from audit_event where operation = 'reportIncident' order by id desc limit 1`);
    expect(row).toEqual({ variables: { input: { ...input, contact: '***' } }, personal_data: [] });
    ok(await t.gql(`query($id: ID!) { incident(id: $id) { contact } }`, { id }, f.regulator));
    const [read] = await t.sql(`select kind, personal_data from audit_event where operation = 'incident' order by id desc limit 1`);
    expect(read).toEqual({ kind: 'READ', personal_data: [{ type: 'Incident', field: 'contact', id: Number(id) }] });
  });
});

describe('incidentStats', () => {
  it('counts late reports and late handling, keeps drills apart and times them', async () => {
    const at = (h: number) => new Date(Date.now() + h * HOUR).toISOString();
    const report = async (over: Record<string, unknown>) =>
      ok(await t.gql(REPORT, { input: { kind: 'COMPLAINT', placeKind: 'VILLAGE', village: 'Qingshan', description: 'x', occurredAt: at(-1), ...over } }, f.regulator)).reportIncident.id;
    const onTime = await report({ kind: 'FOOD_POISONING', peopleIll: 3 });
    const lateReport = await report({ kind: 'FOOD_POISONING', occurredAt: at(-5), peopleIll: 2 });
    const overdue = await report({ kind: 'HAZARD' });
    const open = await report({});
    const drill = await report({ kind: 'FOOD_POISONING', drill: true, peopleIll: 40 });
    for (const id of [onTime, lateReport, drill]) {
      for (const [status, notes] of [['INVESTIGATING', null], ['HANDLED', 'done']]) ok(await t.gql(ADVANCE, { input: { id, status, notes } }, f.regulator));
    }
    const closedDrill = ok(await t.gql(ADVANCE, { input: { id: drill, status: 'CLOSED' } }, f.regulator)).advanceIncident;
    expect(closedDrill.durationSeconds).toBeGreaterThanOrEqual(0);
    // the late report was handled after its deadline; the hazard's deadline has passed unhandled
    await t.sql(`update incident set handle_due_at = handled_at - interval '1 hour' where id = $1`, [lateReport]);
    await t.sql(`update incident set handle_due_at = now() - interval '1 minute' where id = $1`, [overdue]);
    await t.sql(`update incident set closed_at = reported_at + interval '90 minutes' where id = $1`, [drill]);
    expect(open).toBe('4');

    expect(ok(await t.gql(STATS, { period: period() }, f.regulator)).incidentStats).toEqual({
      reported: 4, reportedInTime: 3, reportRate: 0.75, handlingDue: 3, handledOnTime: 1, onTimeHandlingRate: 0.3333, overdue: 1, peopleIll: 5,
      drills: 1, drillMeanSeconds: 5400,
      byStatus: [{ status: 'REPORTED', count: 2 }, { status: 'INVESTIGATING', count: 0 }, { status: 'HANDLED', count: 2 }, { status: 'CLOSED', count: 0 }],
    });
    const empty = ok(await t.gql(STATS, { period: { from: at(-100), to: at(-50) } }, f.regulator)).incidentStats;
    expect([empty.reported, empty.reportRate, empty.onTimeHandlingRate]).toEqual([0, null, null]);
    const bad = await t.gql(STATS, { period: { from: at(0), to: at(-1) } }, f.regulator);
    expect(bad.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'period.to: must be after period.from']]);
    const op = await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, f.admin)).id });
    expect((await t.gql(STATS, { period: period() }, op)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
