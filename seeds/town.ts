import { PublicReads } from '../src/db/public-reads';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createAccount } from '../src/auth/account.service';
import { ANONYMOUS } from '../src/auth/viewer.model';
import { loadConfig } from '../src/config';
import type { Context } from '../src/context';
import { createLoaders } from '../src/loaders';
import { CommitmentBasis, Operator as OperatorEntity, OperatorKind, ProductCategory, QuantityUnit, Role } from '../src/entities';
import type { Batch } from '../src/registry/batch.model';
import type { Operator } from '../src/registry/operator.model';
import { createBatch } from '../src/registry/batch.service';
import { issueCertificate } from '../src/registry/certificate.service';
import { registerMarket } from '../src/registry/market.service';
import { registerOperator } from '../src/registry/operator.service';
import { usccCheckChar } from '../src/validation';
import { scanAtGate } from '../src/gate/gate.service';
import { recordTest } from '../src/gate/inspection.service';
import { InspectionKind, TestResult } from '../src/entities/enums';
import { processBatches, transferBatch } from '../src/trace/lineage.service';
import type { Viewer } from '../src/auth/viewer.model';

/** A valid GB 32100 code from a 17-character body. */
export function uscc(body17: string): string {
  return body17 + usccCheckChar(body17);
}

export interface DemoTown {
  tokens: Record<string, string>;
  sampleTraceUrl: string;
  operators: Record<string, Operator>;
  batches: Record<string, Batch>;
  marketId: number;
}

const VILLAGES = ['青山村 Qingshan', '溪口村 Xikou', '桃源村 Taoyuan', '河湾村 Hewan'];

interface OperatorSeed {
  key: string;
  kind: OperatorKind;
  name: string;
  code?: string;
  village: string;
  person: string;
  phone: string;
}

const OPERATORS: OperatorSeed[] = [
  { key: 'greenFarm', kind: OperatorKind.FARM, name: '青山绿叶家庭农场 Qingshan Green Leaf Farm', code: uscc('92330782MA2D0001X'), village: VILLAGES[0], person: '王建国', phone: '13800000001' },
  { key: 'teaFarm', kind: OperatorKind.FARM, name: '青山茶园 Qingshan Hillside Farm', code: uscc('92330782MA2D0002X'), village: VILLAGES[0], person: '李秀兰', phone: '13800000002' },
  { key: 'peachFarm', kind: OperatorKind.FARM, name: '桃源桃园 Taoyuan Peach Orchard', code: uscc('92330782MA2D0003X'), village: VILLAGES[2], person: '陈明', phone: '13800000003' },
  { key: 'riverFarm', kind: OperatorKind.FARM, name: '河湾蔬菜基地 Hewan Vegetable Base', code: uscc('92330782MA2D0004X'), village: VILLAGES[3], person: '赵强', phone: '13800000004' },
  { key: 'xikouFarm', kind: OperatorKind.FARM, name: '溪口小农户 Xikou Smallholder', village: VILLAGES[1], person: '周大妈', phone: '13800000005' },
  { key: 'orangeFarm', kind: OperatorKind.FARM, name: '溪口柑橘园 Xikou Orange Grove', code: uscc('92330782MA2D0006X'), village: VILLAGES[1], person: '吴刚', phone: '13800000006' },
  { key: 'mushroomFarm', kind: OperatorKind.FARM, name: '河湾菌菇场 Hewan Mushroom Farm', code: uscc('92330782MA2D0007X'), village: VILLAGES[3], person: '郑丽', phone: '13800000007' },
  { key: 'dairy', kind: OperatorKind.DAIRY_FARM, name: '青山牧场 Qingshan Dairy', code: uscc('91330782MA2D0008X'), village: VILLAGES[0], person: '孙涛', phone: '13800000008' },
  { key: 'coop', kind: OperatorKind.COOPERATIVE, name: '桃源果蔬专业合作社 Taoyuan Produce Cooperative', code: uscc('93330782MA2D0009X'), village: VILLAGES[2], person: '钱芳', phone: '13800000009' },
  { key: 'creamery', kind: OperatorKind.PROCESSOR, name: '青山乳品加工坊 Qingshan Creamery', code: uscc('91330782MA2D0010X'), village: VILLAGES[0], person: '冯伟', phone: '13800000010' },
  { key: 'wholesaler', kind: OperatorKind.WHOLESALER, name: '县城农产品批发部 County Produce Wholesale', code: uscc('91330782MA2D0011X'), village: '县城 County town', person: '何军', phone: '13800000011' },
  { key: 'vendorLi', kind: OperatorKind.MARKET_VENDOR, name: '李记蔬菜摊 Li Vegetable Stall', village: '县城 County town', person: '李梅', phone: '13800000012' },
  { key: 'vendorZhang', kind: OperatorKind.MARKET_VENDOR, name: '张家水果铺 Zhang Fruit Stall', village: '县城 County town', person: '张勇', phone: '13800000013' },
  { key: 'vendorMilk', kind: OperatorKind.MARKET_VENDOR, name: '鲜奶小铺 Fresh Milk Corner', village: '县城 County town', person: '刘洋', phone: '13800000014' },
  { key: 'canteen', kind: OperatorKind.CANTEEN, name: '县第一小学食堂 No. 1 Primary School Canteen', code: uscc('12330782MA2D0015X'), village: '县城 County town', person: '黄老师', phone: '13800000015' },
];

interface BatchSeed {
  key: string;
  owner: string;
  product: string;
  category: ProductCategory;
  lot: string;
  quantity: number;
  unit: QuantityUnit;
  day: string;
  bases?: CommitmentBasis[];
  testReference?: string;
  gtin?: string;
}

const BATCHES: BatchSeed[] = [
  { key: 'bokChoy', owner: 'greenFarm', product: '小青菜 Bok choy', category: ProductCategory.VEGETABLE, lot: 'QS-2026-1101', quantity: 500, unit: QuantityUnit.KG, day: '2026-11-01', bases: [CommitmentBasis.SELF_TEST] },
  { key: 'spinach', owner: 'greenFarm', product: '菠菜 Spinach', category: ProductCategory.VEGETABLE, lot: 'QS-2026-1102', quantity: 300, unit: QuantityUnit.KG, day: '2026-11-02', bases: [CommitmentBasis.SELF_COMMITMENT] },
  { key: 'cabbage', owner: 'teaFarm', product: '大白菜 Napa cabbage', category: ProductCategory.VEGETABLE, lot: 'HS-1103', quantity: 800, unit: QuantityUnit.KG, day: '2026-11-03', bases: [CommitmentBasis.INTERNAL_QC] },
  { key: 'peaches', owner: 'peachFarm', product: '水蜜桃 Honey peach', category: ProductCategory.FRUIT, lot: 'TY-P-01', quantity: 1200, unit: QuantityUnit.KG, day: '2026-11-04', bases: [CommitmentBasis.COMMISSIONED_TEST], testReference: 'LAB-2026-0456', gtin: '06901234567892' },
  { key: 'tomatoes', owner: 'riverFarm', product: '番茄 Tomato', category: ProductCategory.VEGETABLE, lot: 'HW-T-11', quantity: 600, unit: QuantityUnit.KG, day: '2026-11-05', bases: [CommitmentBasis.SELF_TEST] },
  { key: 'radish', owner: 'xikouFarm', product: '白萝卜 White radish', category: ProductCategory.VEGETABLE, lot: 'XK-R-1', quantity: 120, unit: QuantityUnit.KG, day: '2026-11-06' },
  { key: 'oranges', owner: 'orangeFarm', product: '椪柑 Ponkan orange', category: ProductCategory.FRUIT, lot: 'XK-O-2026', quantity: 2000, unit: QuantityUnit.KG, day: '2026-11-07', bases: [CommitmentBasis.SELF_TEST, CommitmentBasis.INTERNAL_QC] },
  { key: 'mushrooms', owner: 'mushroomFarm', product: '香菇 Shiitake', category: ProductCategory.VEGETABLE, lot: 'HW-M-07', quantity: 150, unit: QuantityUnit.KG, day: '2026-11-08', bases: [CommitmentBasis.SELF_COMMITMENT] },
  { key: 'rawMilk', owner: 'dairy', product: '生鲜乳 Raw milk', category: ProductCategory.DAIRY, lot: 'QS-MILK-1109', quantity: 1000, unit: QuantityUnit.L, day: '2026-11-09', bases: [CommitmentBasis.COMMISSIONED_TEST], testReference: 'LAB-2026-0501' },
  { key: 'coopApples', owner: 'coop', product: '苹果 Apple', category: ProductCategory.FRUIT, lot: 'TY-A-10', quantity: 900, unit: QuantityUnit.KG, day: '2026-11-10', bases: [CommitmentBasis.INTERNAL_QC] },
];

/** Chosen so each demo scan falls in the same sampling band as under the earlier unkeyed draw: the town reads as before. */
const DEMO_SAMPLING_SECRET = 'demo-town-sampling-secret-not-for-production-850';

/** True when no operator exists yet. */
export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(OperatorEntity, {})) === 0;
}

/** Loads the deterministic demo town and returns a token per role. */
export async function seedDemoTown(em: EntityManager, publicUrl: string): Promise<DemoTown> {
  // the demo's own scans draw under a fixed secret, so the town is the same every time; a server draws with its own
  const config = { ...loadConfig({}), publicUrl, samplingSecret: DEMO_SAMPLING_SECRET };
  const ctx: Context = { em, viewer: { ...ANONYMOUS, role: Role.ADMIN, name: 'seed' }, loaders: createLoaders(em), config, clientIp: null,
    // the seed makes no public lookup: this pool never opens a connection
    reads: new PublicReads(em.config.get('clientUrl')!, config.limits.publicStatementTimeoutMs) };

  const operators: Record<string, Operator> = {};
  for (const o of OPERATORS) {
    operators[o.key] = await registerOperator(ctx, {
      kind: o.kind, name: o.name, creditCode: o.code ?? null, village: o.village, contactPerson: o.person, contactPhone: o.phone,
    });
  }
  const market = await registerMarket(ctx, { name: '县城农贸市场 County Farmers Market', village: '县城 County town', address: '人民路 1 号 No. 1 Renmin Road' });

  const batches: Record<string, Batch> = {};
  for (const b of BATCHES) {
    const batch = await createBatch(ctx, {
      ownerId: operators[b.owner].id, productName: b.product, category: b.category, lotCode: b.lot,
      quantity: b.quantity, unit: b.unit, producedAt: new Date(`${b.day}T06:00:00Z`), gtin: b.gtin ?? null,
    });
    batches[b.key] = batch;
    if (b.bases) {
      await issueCertificate(ctx, { batchId: batch.id, bases: b.bases, testReference: b.testReference ?? null, issuedAt: new Date(`${b.day}T08:00:00Z`) });
    }
  }

  const tokens: Record<string, string> = {};
  tokens.ADMIN = (await createAccount({ em }, { name: '县食安办管理员 Town admin', role: Role.ADMIN })).token;
  tokens.REGULATOR = (await createAccount({ em }, { name: '市场监管所 Market regulator', role: Role.REGULATOR })).token;
  const clerk = await createAccount({ em }, { name: '市场门岗 Gate clerk', role: Role.GATE_STAFF, marketId: market.id });
  tokens.GATE_STAFF = clerk.token;
  tokens.OPERATOR = (await createAccount({ em }, { name: '王建国 (Green Leaf Farm)', role: Role.OPERATOR, operatorId: operators.greenFarm.id })).token;

  // the chain of hands: farm → wholesaler → market gate → stall; raw milk → creamery → yoghurt → stall
  const gate: Context = { ...ctx, viewer: { ...ANONYMOUS, accountId: clerk.account.id, role: Role.GATE_STAFF, marketId: market.id, name: clerk.account.name } as Viewer };
  const scan = (scanId: string, code: string, vendor: string, declaredQuantity: number, unit: QuantityUnit) =>
    scanAtGate(gate, { scanId, code, marketId: market.id, vendorOperatorId: operators[vendor].id, declaredQuantity, unit });

  const toWholesaler = await transferBatch(ctx, { batchId: batches.bokChoy.id, toOperatorId: operators.wholesaler.id, quantity: 200 });
  // a holder that hands goods on certifies its own lot; the farm's certificate is not claimed twice
  await issueCertificate(ctx, { batchId: toWholesaler.id, bases: [CommitmentBasis.INTERNAL_QC], issuedAt: new Date('2026-11-02T07:00:00Z') });
  const bokChoyAtStall = await scan('demo-bokchoy-1', `${publicUrl}/t/${toWholesaler.publicCode}`, 'vendorLi', 80, QuantityUnit.KG);
  await scan('demo-peach-1', batches.peaches.publicCode, 'vendorZhang', 150, QuantityUnit.KG);
  await scan('demo-orange-1', batches.oranges.publicCode, 'vendorZhang', 300, QuantityUnit.KG);

  // a smallholder's radish arrives without a certificate: tested at the gate, then admitted
  const radish = await scan('demo-radish-1', batches.radish.publicCode, 'vendorLi', 40, QuantityUnit.KG);
  if (radish.decision === 'TEST_REQUIRED') {
    await recordTest(gate, InspectionKind.RAPID, {
      entryId: radish.entryId,
      tester: '门岗快检员 Gate tester',
      items: [{ item: '有机磷和氨基甲酸酯类农药 Organophosphate/carbamate inhibition', value: 12.5, unit: '%', result: TestResult.PASS }],
    });
  }

  const milkAtCreamery = await transferBatch(ctx, { batchId: batches.rawMilk.id, toOperatorId: operators.creamery.id, quantity: 600 });
  const yoghurt = await processBatches(ctx, {
    inputs: [{ batchId: milkAtCreamery.id, quantity: 600 }],
    productName: '原味酸奶 Plain yoghurt', category: ProductCategory.DAIRY, quantity: 2000, unit: QuantityUnit.BOTTLE,
    lotCode: 'QS-YOG-1110', producedAt: new Date('2026-11-10T06:00:00Z'),
  });
  await issueCertificate(ctx, { batchId: yoghurt.batch.id, bases: [CommitmentBasis.INTERNAL_QC], issuedAt: new Date('2026-11-10T08:00:00Z') });
  await scan('demo-yoghurt-1', `${publicUrl}/t/${yoghurt.batch.publicCode}`, 'vendorMilk', 300, QuantityUnit.BOTTLE);

  const stallCode = bokChoyAtStall.receivedBatch?.publicCode ?? toWholesaler.publicCode;
  return { tokens, sampleTraceUrl: `${publicUrl}/t/${stallCode}`, operators, batches, marketId: market.id };
}
