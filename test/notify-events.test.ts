import { Grade, Role } from '../src/entities/enums';
import { isSampled } from '../src/gate/gate.service';
import { deliverOutboxEvent } from '../src/notify/delivery';
import { tellOverdueOrders } from '../src/supervision/overdue';
import { makeBatch, makeCertificate, makeMarketScene, makeOperator, ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { entryId decision reasons { code } } }`;
const REVOKE = `mutation($id: ID!, $reason: String!) { revokeCertificate(id: $id, reason: $reason) { status } }`;

/** Every outbox event delivered twice over (a retried job): the inbox rows must be the same as after one delivery. */
async function deliverAllTwice(): Promise<void> {
  const events = await t.sql<{ id: number }>(`select id from notification_outbox order by id`);
  for (let round = 0; round < 2; round++) for (const e of events) await deliverOutboxEvent(t.orm, e.id);
}

/** Who holds which event: [account name, kind, subject], by account then event. */
async function inboxes(): Promise<[string, string, string][]> {
  const rows = await t.sql<{ name: string; kind: string; subject: string }>(
    `select a.name, o.kind, o.subject from notification n join account a on a.id = n.account_id join notification_outbox o on o.id = n.outbox_id order by a.name, o.id`);
  return rows.map((r) => [r.name, r.kind, r.subject]);
}

/** The tokens `token()` mints are named after their role (and ids); the fixture's admin and regulator are among them. */
async function names(): Promise<Record<string, string>> {
  const rows = await t.sql<{ name: string; role: string; market_id: number | null; operator_id: number | null }>(`select name, role, market_id, operator_id from account order by id`);
  return Object.fromEntries(rows.map((r) => [`${r.role}:${r.market_id ?? r.operator_id ?? ''}`, r.name]));
}

describe('events told through the outbox', () => {
  it('a load refused at the gate: the office, the producer, the vendor and that market\'s gate staff, once each; a replayed scan tells nothing more', async () => {
    const s = await makeMarketScene(t, f.admin);
    await token(t, Role.OPERATOR, { operatorId: s.vendor.id });
    // a bystander farm's account is told nothing
    const bystander = await makeOperator(t, f.admin, { name: 'Bystander Farm' });
    await token(t, Role.OPERATOR, { operatorId: bystander.id });
    const batch = await makeBatch(t, f.admin, s.farm.id, { lotCode: 'GV-1' });
    await t.sql(`update batch set status = 'RECALLED' where id = $1`, [batch.id]);
    let scanId = 'refused-0';
    for (let i = 1; isSampled(scanId, Grade.A, t.config.samplingSecret!); i++) scanId = `refused-${i}`;
    const input = { code: batch.publicCode, marketId: s.market, vendorOperatorId: s.vendor.id, declaredQuantity: 10, unit: 'KG', scanId };
    const first = ok(await t.gql(SCAN, { input }, s.gate)).scanAtGate;
    expect([first.decision, first.reasons]).toEqual(['REJECTED', [{ code: 'BATCH_RECALLED' }]]);
    expect(ok(await t.gql(SCAN, { input }, s.gate)).scanAtGate).toEqual(first);

    const [event] = await t.sql(`select kind, subject, payload, audience from notification_outbox`);
    expect(event).toEqual({
      kind: 'LOAD_REFUSED', subject: '拒绝入场 Load refused: Bok choy GV-1 — This lot has been recalled',
      payload: {
        entryId: Number(first.entryId), marketId: Number(s.market), scanId, batchId: Number(batch.id), batchCode: batch.publicCode, productName: 'Bok choy', lotCode: 'GV-1',
        producerId: Number(s.farm.id), vendorId: Number(s.vendor.id), declaredQuantity: 10, unit: 'KG', reasons: ['BATCH_RECALLED'],
      },
      audience: { roles: ['REGULATOR', 'ADMIN'], marketIds: [Number(s.market)], operatorIds: [Number(s.farm.id), Number(s.vendor.id)] },
    });
    await deliverAllTwice();
    const n = await names();
    const subject = event.subject;
    expect(await inboxes()).toEqual([
      [n['ADMIN:'], 'LOAD_REFUSED', subject], [n[`GATE_STAFF:${s.market}`], 'LOAD_REFUSED', subject],
      [n[`OPERATOR:${s.farm.id}`], 'LOAD_REFUSED', subject], [n[`OPERATOR:${s.vendor.id}`], 'LOAD_REFUSED', subject], [n['REGULATOR:'], 'LOAD_REFUSED', subject],
    ].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  });

  it('a certificate revoked: the office, its issuer and the gate staff of the markets it was shown at, once; a second revocation is a CONFLICT and tells nothing', async () => {
    const s = await makeMarketScene(t, f.admin);
    const elsewhere = (await t.gql(`mutation { registerMarket(input: { name: "West market" }) { id } }`, {}, f.admin)).data.registerMarket.id;
    await token(t, Role.GATE_STAFF, { marketId: elsewhere });
    const batch = await makeBatch(t, f.admin, s.farm.id, { lotCode: 'GV-2' });
    const certificate = await makeCertificate(t, s.farmToken, batch.id);
    let scanId = 'shown-0';
    for (let i = 1; isSampled(scanId, Grade.A, t.config.samplingSecret!); i++) scanId = `shown-${i}`;
    expect(ok(await t.gql(SCAN, { input: { code: certificate.number, marketId: s.market, vendorOperatorId: s.vendor.id, declaredQuantity: 5, unit: 'KG', scanId } }, s.gate)).scanAtGate.decision).toBe('ACCEPTED');

    const [a, b] = await Promise.all([
      t.gql(REVOKE, { id: certificate.id, reason: 'Wrong lot on the label' }, s.farmToken),
      t.gql(REVOKE, { id: certificate.id, reason: 'Wrong lot on the label' }, f.regulator),
    ]);
    expect([a, b].map((r) => r.data?.revokeCertificate?.status ?? r.errors?.[0].extensions?.code).sort()).toEqual(['CONFLICT', 'REVOKED']);
    const events = await t.sql(`select kind, subject, payload, audience from notification_outbox`);
    expect(events).toEqual([{
      kind: 'CERTIFICATE_REVOKED', subject: `合格证已撤销 Certificate revoked: ${certificate.number} — Wrong lot on the label`,
      payload: { certificateId: Number(certificate.id), number: certificate.number, batchId: Number(batch.id), issuerId: Number(s.farm.id), reason: 'Wrong lot on the label' },
      audience: { roles: ['REGULATOR', 'ADMIN'], operatorIds: [Number(s.farm.id)], marketIds: [Number(s.market)] },
    }]);
    await deliverAllTwice();
    const n = await names();
    expect((await inboxes()).map((r) => r[0]).sort()).toEqual([n['ADMIN:'], n[`GATE_STAFF:${s.market}`], n[`OPERATOR:${s.farm.id}`], n['REGULATOR:']].sort());
  });

  it('a rectification order overdue: its operator, its village\'s assistants and the office, once however often the check runs', async () => {
    const op = await makeOperator(t, f.admin, { kind: 'SMALL_WORKSHOP', name: 'Tofu workshop', creditCode: null, village: 'Qingshan' });
    await token(t, Role.OPERATOR, { operatorId: op.id });
    await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan' });
    await token(t, Role.VILLAGE_ASSISTANT, { village: 'Dongshan' });
    const inspector = await token(t, Role.INSPECTOR);
    const [{ id: templateId }] = await t.sql(`select id from checklist_template where operator_kind = 'SMALL_WORKSHOP' and version = 1`);
    const items = ok(await t.gql(`query($id: ID!) { checklist(id: $id) { items { code } } }`, { id: String(templateId) }, f.regulator)).checklist.items as { code: string }[];
    const answers = items.map((i, k) => (k === 0 ? { code: i.code, answer: 'NO', note: 'seen on site' } : { code: i.code, answer: 'YES' }));
    const RECORD = `mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { rectificationOrderId } }`;
    const late = ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: String(templateId), answers, inspectedAt: '2026-10-01T00:00:00.000Z', clientKey: 'late' } }, inspector)).recordInspection;
    ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: String(templateId), answers, clientKey: 'fresh' } }, inspector));

    const db = () => ({ em: t.orm.em.fork() });
    const [once, twice] = await Promise.all([tellOverdueOrders(db()), tellOverdueOrders(db())]);
    expect([...once, ...twice]).toEqual([Number(late.rectificationOrderId)]);
    expect(await tellOverdueOrders(db())).toEqual([]);
    const [event] = await t.sql(`select kind, subject, payload, audience from notification_outbox`);
    const [order] = await t.sql(`select deadline, inspection_id from rectification_order where id = $1`, [late.rectificationOrderId]);
    const deadline = new Date(order.deadline).toISOString();
    expect(event).toEqual({
      kind: 'ORDER_OVERDUE', subject: `整改逾期 Rectification order ${late.rectificationOrderId} overdue since ${deadline.slice(0, 10)}`,
      payload: { orderId: Number(late.rectificationOrderId), inspectionId: order.inspection_id, operatorId: Number(op.id), village: 'Qingshan', deadline },
      audience: { roles: ['REGULATOR', 'ADMIN'], operatorIds: [Number(op.id)], villages: ['Qingshan'] },
    });
    // telling is not charging: the RECTIFICATION_OVERDUE charge stays the office's act
    expect(await t.sql(`select count(*)::int as n from credit_event where rule_code = 'RECTIFICATION_OVERDUE'`)).toEqual([{ n: 0 }]);
    await deliverAllTwice();
    const rows = await t.sql(`select a.role, a.village, a.operator_id from notification n join account a on a.id = n.account_id order by a.role, a.id`);
    expect(rows).toEqual([
      { role: 'ADMIN', village: null, operator_id: null },
      { role: 'OPERATOR', village: null, operator_id: Number(op.id) },
      { role: 'REGULATOR', village: null, operator_id: null },
      { role: 'VILLAGE_ASSISTANT', village: 'Qingshan', operator_id: null },
    ]);
  });
});
