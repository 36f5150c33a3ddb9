import { Role } from '../../src/entities/enums';
import { transferWithin } from '../../src/trace/batch-flow';
import type { TestApp } from '../support/app';
import { formatDate } from '../../src/web/i18n';
import { fixture, makeBatch, makeCertificate, makeMarket, makeOperator, ok, token } from '../support/factories';

/** Private values seeded into the chain; no page may ever show one. */
export const SECRETS = {
  farmPhone: '13912345678',
  farmPerson: '赵秘密',
  vendorPhone: '13787654321',
  vendorPerson: 'Hidden Contact',
};

/** Ids start high so a leaked internal id is recognisable in a page. */
export const ID_BASE = 734_000;

export interface WebTown {
  admin: string;
  regulator: string;
  gate: string;
  gateAccountName: string;
  marketId: string;
  farm: { id: string; publicCode: string; name: string };
  wholesaler: { id: string; publicCode: string; name: string };
  vendor: { id: string; publicCode: string; name: string };
  vendor2: { id: string; publicCode: string; name: string };
  /** The farm's lot with its certificate. */
  farmBatch: { id: string; publicCode: string };
  certificateNumber: string;
  /** What the vendor sells: farm → wholesaler → vendor. */
  stallBatch: { id: number; publicCode: string; lotCode: string };
  tokens: string[];
}

export async function restartIds(t: TestApp): Promise<void> {
  for (const table of ['operator', 'market', 'account', 'batch', 'batch_link', 'origin_certificate', 'market_entry', 'inspection', 'credit_event', 'recall']) {
    await t.sql(`select setval(pg_get_serial_sequence('${table}', 'id'), ${ID_BASE}, false)`);
  }
}

/** A farm's lot certified, sold to a wholesaler, then to a market vendor; a rapid test passed at the market. */
export async function buildWebTown(t: TestApp): Promise<WebTown> {
  await restartIds(t);
  const { admin, regulator } = await fixture(t);
  const market = await makeMarket(t, admin, '城东农贸市场 East Market');
  const farm = await makeOperator(t, admin, { name: '青山绿叶农场 Green Leaf Farm', village: '青山村 Qingshan', contactPerson: SECRETS.farmPerson, contactPhone: SECRETS.farmPhone });
  const wholesaler = await makeOperator(t, admin, { kind: 'WHOLESALER', name: '县城批发部 County Wholesale', village: '县城 County town', contactPerson: 'Wholesale Boss', contactPhone: '13600000001' });
  const vendor = await makeOperator(t, admin, { kind: 'MARKET_VENDOR', name: '李记蔬菜摊 Li Vegetable Stall', creditCode: null, village: '县城 County town', contactPerson: SECRETS.vendorPerson, contactPhone: SECRETS.vendorPhone });
  const vendor2 = await makeOperator(t, admin, { kind: 'MARKET_VENDOR', name: '张家水果铺 Zhang Fruit Stall', creditCode: null, village: '县城 County town', contactPerson: 'Zhang', contactPhone: '13500000002' });
  const farmBatch = await makeBatch(t, admin, farm.id, {
    productName: '小青菜 Bok choy', lotCode: 'QS-2026-1101', quantity: 100, unit: 'KG', producedAt: '2026-11-01T06:00:00.000Z', originPlace: '青山村三组 Qingshan group 3',
  });
  const cert = await makeCertificate(t, admin, farmBatch.id, { bases: ['SELF_TEST', 'COMMISSIONED_TEST'], testReference: 'LAB-2026-0456', issuedAt: '2026-11-01T08:00:00.000Z' });
  const gateAccountName = `GATE_STAFF secret-clerk-${ID_BASE}`;
  const { createAccount } = await import('../../src/auth/account.service');
  const gate = (await createAccount({ em: t.orm.em.fork() }, { name: gateAccountName, role: Role.GATE_STAFF, marketId: market.id })).token;

  const em = t.orm.em.fork();
  const stall = await em.transactional(async (tx) => {
    const w = await transferWithin({ em: tx }, { parentId: Number(farmBatch.id), toOperatorId: Number(wholesaler.id), quantity: 60, at: new Date('2026-11-02T01:00:00Z') });
    return transferWithin({ em: tx }, { parentId: w.id, toOperatorId: Number(vendor.id), quantity: 25, at: new Date('2026-11-03T00:30:00Z') });
  });
  const [row] = await t.sql<{ public_code: string; lot_code: string }>('select public_code, lot_code from batch where id = $1', [stall.id]);
  // hand-over times as they happened (China time: 2 Nov 09:00, 3 Nov 08:30)
  await t.sql(`update batch_link set created_at = $2 where child_id = (select parent_id from batch_link where child_id = $1)`, [stall.id, '2026-11-02T01:00:00Z']);
  await t.sql(`update batch_link set created_at = $2 where child_id = $1`, [stall.id, '2026-11-03T00:30:00Z']);
  await t.sql(
    `insert into inspection (batch_id, market_id, kind, items, result, tester, inspected_at)
     values ($1, $2, 'RAPID', $3::jsonb, 'PASS', 'Gate lab bench', '2026-11-03T01:15:00Z')`,
    [stall.id, market.id, JSON.stringify([{ item: '有机磷和氨基甲酸酯类农药 Organophosphate/carbamate inhibition', value: 12.5, unit: '%', result: 'PASS' }])],
  );
  return {
    admin, regulator, gate, gateAccountName, marketId: market.id,
    farm, wholesaler, vendor, vendor2,
    farmBatch: { id: farmBatch.id, publicCode: farmBatch.publicCode },
    certificateNumber: cert.number,
    stallBatch: { id: stall.id, publicCode: row.public_code, lotCode: row.lot_code },
    tokens: [admin, regulator, gate],
  };
}

/** Recalls a lot through the API as a regulator; returns the recall's date as the pages print it in Chinese and English. */
export async function recallLot(t: TestApp, regulator: string, batchId: string | number, reason: string): Promise<{ zh: string; en: string }> {
  const res = await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { batches created } }`, { input: { batchId: String(batchId), reason } }, regulator);
  expect(ok(res).initiateRecall.created).toBe(true);
  const [{ created_at }] = await t.sql<{ created_at: Date }>('select created_at from recall where batch_id = $1', [batchId]);
  return { zh: formatDate(created_at, 'zh'), en: formatDate(created_at, 'en') };
}

export { token };
