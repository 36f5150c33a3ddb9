import { Role } from '../src/entities/enums';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeCertificate, makeOperator, ok, token } from './support/factories';

const { t, f } = useTestApp();

const RECEIVE = `mutation($input: ReceiveDeliveryInput!) { receiveDelivery(input: $input) {
  id canteenId batchId productName lotCode producerName declaredQuantity unit light reasons { code zh en } receivedBatchId } }`;
const RECALL = `mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { operators { name kind batches } } }`;
const FORWARD = `query($id: ID!) { traceForward(batchId: $id) { affectedOperators { name kind } } }`;

async function canteenScene() {
  const farm = await makeOperator(t, f.admin, { name: 'Green Farm' });
  const canteen = await makeOperator(t, f.admin, { name: 'No. 1 Primary School Canteen', kind: 'CANTEEN' });
  const staff = await token(t, Role.OPERATOR, { operatorId: canteen.id });
  const farmToken = await token(t, Role.OPERATOR, { operatorId: farm.id });
  return { farm, canteen, staff, farmToken };
}

describe('canteen receiving check', () => {
  it('a lot received earlier appears in the forward trace and the recall impact with the canteen named; after the recall the next delivery is refused', async () => {
    const s = await canteenScene();
    const lot = await makeBatch(t, f.admin, s.farm.id, { quantity: 50 });
    await makeCertificate(t, s.farmToken, lot.id);
    const first = ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: `https://elsewhere.example/t/${lot.publicCode}`, quantity: 10, unit: 'KG' } }, s.staff)).receiveDelivery;
    expect(first).toMatchObject({ light: 'GREEN', reasons: [], batchId: lot.id, producerName: 'Green Farm', declaredQuantity: 10, unit: 'KG' });
    expect(first.receivedBatchId).not.toBeNull();
    const [owned] = await t.sql('select owner_id, quantity::float as q from batch where id = $1', [first.receivedBatchId]);
    expect(owned).toEqual({ owner_id: Number(s.canteen.id), q: 10 });

    const forward = ok(await t.gql(FORWARD, { id: lot.id }, f.regulator)).traceForward;
    expect(forward.affectedOperators).toEqual(expect.arrayContaining([{ name: 'No. 1 Primary School Canteen', kind: 'CANTEEN' }]));

    const recall = ok(await t.gql(RECALL, { input: { batchId: lot.id, reason: 'Pesticide residue' } }, f.regulator)).initiateRecall;
    expect(recall.operators).toEqual(expect.arrayContaining([{ name: 'No. 1 Primary School Canteen', kind: 'CANTEEN', batches: 1 }]));

    const refused = ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: lot.publicCode, quantity: 5, unit: 'KG' } }, s.staff)).receiveDelivery;
    expect(refused).toMatchObject({ light: 'RED', receivedBatchId: null, batchId: lot.id });
    expect(refused.reasons.map((r: { code: string }) => r.code)).toEqual(['RECALLED']);
    const [left] = await t.sql('select remaining::float as r from batch where id = $1', [lot.id]);
    expect(left.r).toBe(40);
  });

  it('AMBER without a certificate (received), RED for an unknown code and a failed test', async () => {
    const s = await canteenScene();
    const bare = await makeBatch(t, f.admin, s.farm.id, { quantity: 20 });
    const amber = ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: bare.publicCode, quantity: 2, unit: 'KG' } }, s.staff)).receiveDelivery;
    expect(amber.light).toBe('AMBER');
    expect(amber.reasons.map((r: { code: string }) => r.code)).toEqual(['NO_CERTIFICATE']);
    expect(amber.receivedBatchId).not.toBeNull();

    const unknown = ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: 'NOSUCHCODE', quantity: 2, unit: 'KG' } }, s.staff)).receiveDelivery;
    expect(unknown).toMatchObject({ light: 'RED', batchId: null, receivedBatchId: null, reasons: [{ code: 'UNKNOWN_CODE', zh: '无法识别的追溯码', en: 'Unknown trace code' }] });

    const failed = await makeBatch(t, f.admin, s.farm.id, { quantity: 20 });
    await t.sql('update batch set non_conformant = true where id = $1', [failed.id]);
    const red = ok(await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: failed.publicCode, quantity: 2, unit: 'KG' } }, s.staff)).receiveDelivery;
    expect(red.reasons.map((r: { code: string }) => r.code)).toEqual(['FAILED_TEST']);
    expect(red.light).toBe('RED');

    const ledger = ok(await t.gql(`query($id: ID!, $m: String!) { canteenReceipts(canteenId: $id, month: $m) { light codeScanned } }`,
      { id: s.canteen.id, m: new Date().toISOString().slice(0, 7) }, s.staff)).canteenReceipts;
    expect(ledger.map((r: { light: string }) => r.light)).toEqual(['AMBER', 'RED', 'RED']);
    const csv = ok(await t.gql(`query($id: ID!, $m: String!) { canteenReceiptsCsv(canteenId: $id, month: $m) }`,
      { id: s.canteen.id, m: new Date().toISOString().slice(0, 7) }, s.staff)).canteenReceiptsCsv as string;
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('received_at,light,reasons,product,lot,supplier,quantity,unit,code_scanned,received_lot_id');
    expect(rows.slice(1).map((r) => r.split(',').slice(1, 3).join(','))).toEqual(['"AMBER","NO_CERTIFICATE"', '"RED","UNKNOWN_CODE"', '"RED","FAILED_TEST"']);
  });

  it("another operator's account may not check deliveries for the canteen; a farm is not a canteen; bad input is refused", async () => {
    const s = await canteenScene();
    const lot = await makeBatch(t, f.admin, s.farm.id, { quantity: 20 });
    const other = await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: lot.publicCode, quantity: 1, unit: 'KG' } }, s.farmToken);
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const notCanteen = await t.gql(RECEIVE, { input: { canteenId: s.farm.id, code: lot.publicCode, quantity: 1, unit: 'KG' } }, f.regulator);
    expect(notCanteen.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const negative = await t.gql(RECEIVE, { input: { canteenId: s.canteen.id, code: lot.publicCode, quantity: -1, unit: 'KG' } }, s.staff);
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps samples of at least 125 g for 48 hours', async () => {
    const s = await canteenScene();
    const SAMPLE = `mutation($input: CanteenSampleInput!) { recordCanteenSample(input: $input) { dish grams keptAt discardAfter } }`;
    const keptAt = '2026-11-02T04:00:00.000Z';
    const sample = ok(await t.gql(SAMPLE, { input: { canteenId: s.canteen.id, dish: '番茄炒蛋', meal: 'LUNCH', grams: 130, keptBy: 'Li', keptAt } }, s.staff)).recordCanteenSample;
    expect(sample).toEqual({ dish: '番茄炒蛋', grams: 130, keptAt, discardAfter: '2026-11-04T04:00:00.000Z' });
    const small = await t.gql(SAMPLE, { input: { canteenId: s.canteen.id, dish: 'Rice', meal: 'LUNCH', grams: 100, keptBy: 'Li' } }, s.staff);
    expect(small.errors?.[0].message).toBe('grams: must be at least 125 g (and at most 10000)');
  });
});
