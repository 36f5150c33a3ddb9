import { Role } from '../src/entities/enums';
import { localDate } from '../src/local-time';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeCertificate, makeOperator, ok, token } from './support/factories';

const { t, f } = useTestApp();

const RECEIVE = `mutation($input: ReceiveDeliveryInput!) { receiveDelivery(input: $input) { id light receivedBatchId declaredQuantity createdAt } }`;
const CHECK = `mutation($input: MorningCheckInput!) { recordMorningCheck(input: $input) { id checkedOn staffName temperature symptoms fitForWork checkedBy } }`;
const OVERVIEW = `query($id: ID!) { canteenOverview(canteenId: $id) {
  name village month receipts green amber red samplesKept samplesMayDiscard today morningChecksToday unfitToday morningChecksThisMonth
  latestInspection { outcome } } }`;

async function scene(village: string | null = null) {
  const farm = await makeOperator(t, f.admin, { name: 'Green Farm' });
  const canteen = await makeOperator(t, f.admin, { name: 'Central Kindergarten Canteen', kind: 'CANTEEN', ...(village ? { village } : {}) });
  const staff = await token(t, Role.OPERATOR, { operatorId: canteen.id });
  const farmToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
  return { farm, canteen, staff, farmToken };
}

describe('canteen days', () => {
  it('a delivery sent twice with one client key is recorded once and answered the same; the key with another delivery is a CONFLICT', async () => {
    const s = await scene();
    const lot = await makeBatch(t, f.admin, s.farm.id, { quantity: 30 });
    await makeCertificate(t, s.farmToken, lot.id);
    const input = { canteenId: s.canteen.id, code: lot.publicCode, quantity: 4, unit: 'KG', clientKey: 'dlv-1' };
    const [a, b] = await Promise.all([t.gql(RECEIVE, { input }, s.staff), t.gql(RECEIVE, { input }, s.staff)]);
    expect(ok(a).receiveDelivery).toEqual(ok(b).receiveDelivery);
    expect(ok(a).receiveDelivery.light).toBe('GREEN');
    const again = ok(await t.gql(RECEIVE, { input }, s.staff)).receiveDelivery;
    expect(again).toEqual(ok(a).receiveDelivery);
    const [count] = await t.sql('select count(*)::int as n from canteen_receipt where canteen_id = $1', [s.canteen.id]);
    expect(count.n).toBe(1);
    const [left] = await t.sql('select remaining::float as r from batch where id = $1', [lot.id]);
    expect(left.r).toBe(26);
    const other = await t.gql(RECEIVE, { input: { ...input, quantity: 5 } }, s.staff);
    expect(other.errors?.[0]).toMatchObject({ message: 'clientKey dlv-1 was already used for a different delivery', extensions: { code: 'CONFLICT' } });
    const badKey = await t.gql(RECEIVE, { input: { ...input, clientKey: 'no spaces allowed' } }, s.staff);
    expect(badKey.errors?.[0]).toMatchObject({ message: 'clientKey: must be 1 to 64 letters, digits or . _ : -', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('the morning check: one per person per day, once per client key; a fever or symptom is not fit for work', async () => {
    const s = await scene();
    const today = localDate(new Date(), 'Asia/Shanghai');
    const input = { canteenId: s.canteen.id, staffName: 'Wang Fang', temperature: 36.6, symptoms: [], fitForWork: true, checkedBy: 'Li', clientKey: 'mc-1' };
    const first = ok(await t.gql(CHECK, { input }, s.staff)).recordMorningCheck;
    expect(first).toMatchObject({ checkedOn: today, staffName: 'Wang Fang', temperature: 36.6, symptoms: [], fitForWork: true, checkedBy: 'Li' });
    expect(ok(await t.gql(CHECK, { input }, s.staff)).recordMorningCheck).toEqual(first);
    const twice = await t.gql(CHECK, { input: { ...input, clientKey: 'mc-2' } }, s.staff);
    expect(twice.errors?.[0]).toMatchObject({ message: `Wang Fang was already checked on ${today}`, extensions: { code: 'CONFLICT' } });
    const changed = await t.gql(CHECK, { input: { ...input, temperature: 36.7 } }, s.staff);
    expect(changed.errors?.[0]).toMatchObject({ message: 'clientKey mc-1 was already used for a different morning check', extensions: { code: 'CONFLICT' } });

    const fever = await t.gql(CHECK, { input: { ...input, staffName: 'Zhao Lei', temperature: 37.8, clientKey: 'mc-3' } }, s.staff);
    expect(fever.errors?.[0]).toMatchObject({ message: 'fitForWork: a temperature from 37.3 °C or any symptom means not fit for work', extensions: { code: 'BAD_USER_INPUT' } });
    const unfit = ok(await t.gql(CHECK, {
      input: { ...input, staffName: 'Zhao Lei', temperature: 36.5, symptoms: ['HAND_WOUND', 'DIARRHOEA'], fitForWork: false, clientKey: 'mc-4' },
    }, s.staff)).recordMorningCheck;
    expect(unfit).toMatchObject({ symptoms: ['DIARRHOEA', 'HAND_WOUND'], fitForWork: false });
    const unknown = await t.gql(CHECK, { input: { ...input, staffName: 'Sun', symptoms: ['HEADACHE'], fitForWork: false, clientKey: 'mc-5' } }, s.staff);
    expect(unknown.errors?.[0].message).toBe('symptoms[0]: must be one of DIARRHOEA, VOMITING, JAUNDICE, SORE_THROAT, COUGH, HAND_WOUND');
    const cold = await t.gql(CHECK, { input: { ...input, staffName: 'Sun', temperature: 12, clientKey: 'mc-6' } }, s.staff);
    expect(cold.errors?.[0].message).toBe('temperature: must be a body temperature in °C from 34 to 43');
    const foreign = await t.gql(CHECK, { input: { ...input, staffName: 'Sun', clientKey: 'mc-7' } }, s.farmToken);
    expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const list = ok(await t.gql(`query($id: ID!) { morningChecks(canteenId: $id) { staffName fitForWork } }`, { id: s.canteen.id }, s.staff)).morningChecks;
    expect(list).toEqual([{ staffName: 'Wang Fang', fitForWork: true }, { staffName: 'Zhao Lei', fitForWork: false }]);
    const badDay = await t.gql(`query($id: ID!) { morningChecks(canteenId: $id, on: "2026-13-01") { staffName } }`, { id: s.canteen.id }, s.staff);
    expect(badDay.errors?.[0].message).toBe('on: must be a date YYYY-MM-DD');
  });

  it('samples past their 48 hours are listed as may discard, the rest as kept', async () => {
    const s = await scene();
    const SAMPLE = `mutation($input: CanteenSampleInput!) { recordCanteenSample(input: $input) { mayDiscard } }`;
    const old = new Date(Date.now() - 50 * 3_600_000).toISOString();
    const recent = new Date(Date.now() - 2 * 3_600_000).toISOString();
    expect(ok(await t.gql(SAMPLE, { input: { canteenId: s.canteen.id, dish: 'Old stew', meal: 'LUNCH', grams: 150, keptBy: 'Li', keptAt: old } }, s.staff)).recordCanteenSample)
      .toEqual({ mayDiscard: true });
    ok(await t.gql(SAMPLE, { input: { canteenId: s.canteen.id, dish: 'Fresh rice', meal: 'LUNCH', grams: 150, keptBy: 'Li', keptAt: recent } }, s.staff));
    const list = ok(await t.gql(`query($id: ID!) { canteenSamples(canteenId: $id) { dish mayDiscard } }`, { id: s.canteen.id }, s.staff)).canteenSamples;
    expect(list).toEqual([{ dish: 'Fresh rice', mayDiscard: false }, { dish: 'Old stew', mayDiscard: true }]);
  });

  it("the regulator's overview: this month's receipts by light, samples, morning checks and the latest inspection; scoped like inspections", async () => {
    const s = await scene('Qingshan-C');
    const lot = await makeBatch(t, f.admin, s.farm.id, { quantity: 30 });
    await makeCertificate(t, s.farmToken, lot.id);
    const bare = await makeBatch(t, f.admin, s.farm.id, { quantity: 30 });
    ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: lot.publicCode, quantity: 1, unit: 'KG' } }, s.staff));
    ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: bare.publicCode, quantity: 1, unit: 'KG' } }, s.staff));
    ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: 'NOSUCH', quantity: 1, unit: 'KG' } }, s.staff));
    ok(await t.gql(`mutation($input: CanteenSampleInput!) { recordCanteenSample(input: $input) { id } }`,
      { input: { canteenId: s.canteen.id, dish: 'Soup', meal: 'LUNCH', grams: 150, keptBy: 'Li' } }, s.staff));
    ok(await t.gql(CHECK, { input: { canteenId: s.canteen.id, staffName: 'A', temperature: 36.5, fitForWork: true, checkedBy: 'Li', clientKey: 'ov-1' } }, s.staff));
    ok(await t.gql(CHECK, { input: { canteenId: s.canteen.id, staffName: 'B', temperature: 38, fitForWork: false, checkedBy: 'Li', clientKey: 'ov-2' } }, s.staff));
    const today = localDate(new Date(), 'Asia/Shanghai');

    const before = ok(await t.gql(OVERVIEW, { id: s.canteen.id }, f.regulator)).canteenOverview;
    expect(before).toEqual({
      name: 'Central Kindergarten Canteen', village: 'Qingshan-C', month: today.slice(0, 7), receipts: 3, green: 1, amber: 1, red: 1, samplesKept: 1,
      samplesMayDiscard: 0, today, morningChecksToday: 2, unfitToday: 1, morningChecksThisMonth: 2, latestInspection: null,
    });
    const va = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan-C' });
    const [tpl] = await t.sql(`select id, items from checklist_template where operator_kind = 'CANTEEN' order by version desc limit 1`);
    ok(await t.gql(`mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }`, {
      input: { operatorId: s.canteen.id, templateId: String(tpl.id), clientKey: 'ov-insp', answers: tpl.items.map((i: { code: string }) => ({ code: i.code, answer: 'YES' })) },
    }, va));
    expect(ok(await t.gql(OVERVIEW, { id: s.canteen.id }, va)).canteenOverview.latestInspection).toEqual({ outcome: 'PASS' });
    expect(ok(await t.gql(OVERVIEW, { id: s.canteen.id }, s.staff)).canteenOverview.receipts).toBe(3);

    const other = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Baiyun-C' });
    expect((await t.gql(OVERVIEW, { id: s.canteen.id }, other)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(OVERVIEW, { id: s.canteen.id }, s.farmToken)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(OVERVIEW, { id: s.farm.id }, f.regulator)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
