import { createHash } from 'node:crypto';
import { chainHash, GENESIS_HASH, type CanonicalEvent } from '../../src/credit/ledger.service';
import { addMonths, CREDIT_RULES } from '../../src/credit/rules';
import { computeCredit, type ScoredEvent } from '../../src/credit/score';
import { usccCheckChar } from '../../src/validation';
import { benchToken } from './db';

/**
 * A deterministic county: the same scale gives byte-identical tables on every run.
 * Rows are produced as COPY text lines, table by table, with ids assigned here.
 */

export interface Scale {
  operators: number;
  markets: number;
  batches: number;
  certificates: number;
  entries: number;
  creditEvents: number;
  /** Descendants of the one lot a recall benchmark walks forward from. */
  fanOut: number;
  deepChains: number;
}

export function scaleOf(factor: number): Scale {
  const n = (full: number, min: number) => Math.max(min, Math.round(full * factor));
  return {
    operators: n(10_000, 200),
    markets: n(40, 3),
    batches: n(1_000_000, 5_000),
    certificates: n(300_000, 1_500),
    entries: n(500_000, 2_500),
    creditEvents: n(2_000_000, 10_000),
    fanOut: n(100_000, 500),
    deepChains: n(500, 10),
  };
}

/** Everything the harness needs to find its subjects again. */
export interface DatasetMeta {
  scale: number;
  counts: Record<string, number>;
  /** The leaf of a linear chain of exactly 20 batches (the trace benchmark). */
  traceCode: string;
  traceBatchId: number;
  traceNodes: number;
  /** The root whose descendants number `fanOut` (forward trace and recall). */
  fanOutRootId: number;
  fanOutRootCode: string;
  fanOutDescendants: number;
  deepestChain: number;
  /** A certified wholesaler lot of 60 t, ACTIVE: the hot certificate of the gate benchmark. */
  hotCode: string;
  tokens: { admin: string; regulator: string; gate: Record<number, string> };
}

export interface Tables {
  operator: string[];
  market: string[];
  account: string[];
  batch: string[];
  batch_link: string[];
  origin_certificate: string[];
  market_entry: string[];
  inspection: string[];
  credit_event: string[];
}

export const TABLE_COLUMNS: Record<keyof Tables, string> = {
  operator: 'id, kind, name, credit_code, registration_card_no, village, address, contact_person, contact_phone, status, public_code, credit_score, credit_grade, forced_d_until, created_at',
  market: 'id, name, village, address, created_at',
  account: 'id, name, role, market_id, operator_id, token_hash, created_at',
  batch: 'id, owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, public_code, status, created_at, process_yield',
  batch_link: 'id, parent_id, child_id, kind, quantity, created_at',
  origin_certificate: 'id, number, batch_id, issuer_id, quantity, quantity_admitted, unit, issued_at, bases, statement, test_reference, status, created_at',
  market_entry: 'id, market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, certificate_id, vendor_id, declared_quantity, unit, decision, reasons, received_batch_id, response, created_at, decided_at',
  inspection: 'id, batch_id, market_id, entry_id, kind, items, result, tester, recorded_by_id, inspected_at',
  credit_event: 'id, operator_id, seq, rule_code, points, reason, source, source_ref, recorded_by_id, occurred_at, expires_at, forces_d_until, reverses_id, prev_hash, hash, created_at',
};

/** mulberry32: small, fast and good enough to make a county look varied. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Escapes one value for COPY text format. */
function c(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
const row = (...vs: (string | number | boolean | null | undefined)[]) => `${vs.map(c).join('\t')}\n`;
const iso = (ms: number) => new Date(ms).toISOString();
const qty = (x: number) => (Math.round(x * 1000) / 1000).toFixed(3);

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The data set's "now": scores and grades are computed as of this instant. */
export const AS_OF = Date.parse('2026-11-27T00:00:00.000Z');
const START = Date.parse('2023-01-01T00:00:00.000Z');

const VILLAGES = Array.from({ length: 120 }, (_, i) => `${['青山', '溪口', '桃源', '河湾', '石桥', '柳林', '东坡', '南岭', '北塘', '西湖'][i % 10]}${Math.floor(i / 10) + 1}村`);
const VEGETABLES = ['大白菜 Chinese cabbage', '番茄 Tomato', '黄瓜 Cucumber', '菠菜 Spinach', '青椒 Green pepper', '土豆 Potato', '萝卜 Radish', '茄子 Aubergine', '香菇 Shiitake'];
const FRUITS = ['苹果 Apple', '柑橘 Mandarin', '桃 Peach', '梨 Pear', '葡萄 Grape', '草莓 Strawberry'];
const STATEMENT = '我承诺对生产销售的食用农产品：不使用禁用农药兽药、停用兽药和非法添加物；常规农药兽药残留不超标；对承诺的真实性负责。';

interface Op { id: number; kind: string; village: string; market: number | null }

export function generate(factor: number, log: (line: string) => void): { tables: Tables; meta: DatasetMeta } {
  const s = scaleOf(factor);
  const r = rng(20261128);
  const code16 = () => {
    let out = '';
    for (let i = 0; i < 16; i++) out += B64[Math.floor(r.next() * 64)];
    return out;
  };
  const t: Tables = { operator: [], market: [], account: [], batch: [], batch_link: [], origin_certificate: [], market_entry: [], inspection: [], credit_event: [] };

  // ---- markets and operators
  for (let m = 1; m <= s.markets; m++) {
    t.market.push(row(m, `${VILLAGES[m % VILLAGES.length].slice(0, 2)}农贸市场${m}号 Market ${m}`, VILLAGES[m % VILLAGES.length], `县城市场路${m}号`, iso(START)));
  }
  const mix: [string, number][] = [
    ['FARM', 0.45], ['DAIRY_FARM', 0.03], ['COOPERATIVE', 0.02], ['PROCESSOR', 0.01], ['WHOLESALER', 0.03],
    ['MARKET_VENDOR', 0.35], ['SMALL_WORKSHOP', 0.04], ['STREET_VENDOR', 0.05], ['CANTEEN', 0.02],
  ];
  const ops: Op[] = [];
  const byKind: Record<string, Op[]> = {};
  let opId = 0;
  for (const [kind, share] of mix) {
    const n = Math.max(3, Math.round(s.operators * share));
    for (let i = 0; i < n && ops.length < s.operators; i++) {
      const op: Op = { id: ++opId, kind, village: r.pick(VILLAGES), market: kind === 'MARKET_VENDOR' ? 1 + (i % s.markets) : null };
      ops.push(op);
      (byKind[kind] ??= []).push(op);
    }
  }
  const ordinary = ['MARKET_VENDOR', 'SMALL_WORKSHOP', 'STREET_VENDOR', 'FARM'];
  while (ops.length < s.operators) {
    const kind = ordinary[ops.length % ordinary.length];
    const op: Op = { id: ++opId, kind, village: r.pick(VILLAGES), market: kind === 'MARKET_VENDOR' ? 1 + (ops.length % s.markets) : null };
    ops.push(op);
    byKind[kind].push(op);
  }
  const opsById = (id: number) => ops[id - 1];

  // ---- accounts: an admin, a regulator, one gate clerk per market (tokens derived from names)
  const tokens: DatasetMeta['tokens'] = { admin: benchToken('admin'), regulator: benchToken('regulator'), gate: {} };
  const hashToken = (tok: string) => createHash('sha256').update(tok, 'utf8').digest('hex');
  t.account.push(row(1, 'Bench admin', 'ADMIN', null, null, hashToken(tokens.admin), iso(START)));
  t.account.push(row(2, 'Bench regulator', 'REGULATOR', null, null, hashToken(tokens.regulator), iso(START)));
  const gateStaff = (m: number) => 2 + m;
  for (let m = 1; m <= s.markets; m++) {
    tokens.gate[m] = benchToken(`gate-${m}`);
    t.account.push(row(gateStaff(m), `Gate clerk ${m}`, 'GATE_STAFF', m, null, hashToken(tokens.gate[m]), iso(START)));
  }
  const REGULATOR_ACCOUNT = 2;

  // ---- batches and links
  interface B { yield?: number; id: number; owner: number; product: string; category: string; lot: string; quantity: number; remaining: number; unit: string; producedAt: number; origin: string | null; code: string; createdAt: number; depth: number; root: number }
  const batches: B[] = [];
  let linkId = 0;
  const newBatch = (owner: Op, product: string, category: string, quantity: number, unit: string, producedAt: number, createdAt: number, lotBase: string, origin: string | null, root: number | null, depth: number): B => {
    const id = batches.length + 1;
    const b: B = { id, owner: owner.id, product, category, lot: `${lotBase.slice(0, 40)}-${id}`, quantity, remaining: quantity, unit, producedAt, origin, code: code16(), createdAt, depth, root: root ?? id };
    batches.push(b);
    return b;
  };
  const link = (parent: B, child: B, kind: string, q: number, take = true) => {
    if (take) parent.remaining = Math.max(0, Math.round((parent.remaining - q) * 1000) / 1000);
    t.batch_link.push(row(++linkId, parent.id, child.id, kind, qty(q), iso(child.createdAt)));
  };
  /** Hands part of a lot to another operator, who gets a new batch. */
  const transfer = (parent: B, to: Op, q: number, hours: number, tag = 'T') => {
    const child = newBatch(to, parent.product, parent.category, q, parent.unit, parent.producedAt, parent.createdAt + hours * HOUR, `${parent.lot}/${tag}`, parent.origin, parent.root, parent.depth + 1);
    link(parent, child, 'TRANSFER', q);
    return child;
  };
  const split = (parent: B, parts: number, share = 1, hours = 2) => {
    const each = Math.floor(((parent.remaining * share) / parts) * 1000) / 1000;
    const kids: B[] = [];
    for (let i = 0; i < parts && each > 0; i++) {
      const child = newBatch(opsById(parent.owner), parent.product, parent.category, each, parent.unit, parent.producedAt, parent.createdAt + hours * HOUR, `${parent.lot}/S`, parent.origin, parent.root, parent.depth + 1);
      link(parent, child, 'SPLIT', each);
      kids.push(child);
    }
    return kids;
  };
  const harvestTime = () => START + 730 * DAY + Math.floor(r.next() * 690 * DAY);
  const produce = (owner: Op, category: string): B => {
    const product = category === 'DAIRY' ? '生鲜乳 Raw milk' : r.pick(category === 'FRUIT' ? FRUITS : VEGETABLES);
    const unit = category === 'DAIRY' ? 'L' : 'KG';
    const when = harvestTime();
    const q = category === 'DAIRY' ? r.int(200, 2000) : r.int(100, 5000);
    const ymd = iso(when).slice(2, 10).replace(/-/g, '');
    return newBatch(owner, product, category, q, unit, when, when + HOUR, `${ymd}`, `${owner.village} ${opsById(owner.id).kind === 'DAIRY_FARM' ? '牧场' : '基地'}`, null, 0);
  };

  // certificate candidates (priority 0 always issued) and deliveries to market vendors (become entries)
  const certFor: { batch: B; issuer: number; priority: number }[] = [];
  interface Delivery { portion: B; received: B; vendor: Op }
  const deliveries: Delivery[] = [];
  const deliver = (portion: B, vendor: Op, q: number, hours: number) => {
    const received = transfer(portion, vendor, q, hours);
    if (vendor.kind === 'MARKET_VENDOR') deliveries.push({ portion, received, vendor });
    return received;
  };
  const buyer = () => (r.chance(0.9) ? r.pick(byKind.MARKET_VENDOR) : r.pick(r.chance(0.5) ? byKind.CANTEEN : byKind.STREET_VENDOR));
  const middle = () => (r.chance(0.6) ? r.pick(byKind.WHOLESALER) : r.pick(byKind.COOPERATIVE));

  // 1) the trace subject: a linear chain of exactly 20 batches, alternating hands and splits
  const traceChain = (length: number): B => {
    let b = produce(r.pick(byKind.FARM), 'VEGETABLE');
    certFor.push({ batch: b, issuer: b.owner, priority: 0 });
    for (let gen = 1; gen < length; gen++) {
      const q = Math.floor(b.remaining * 0.9 * 1000) / 1000;
      if (gen === length - 1) b = deliver(b, r.pick(byKind.MARKET_VENDOR), q, 3);
      else if (gen % 2 === 1) b = transfer(b, gen % 4 === 1 ? r.pick(byKind.WHOLESALER) : r.pick(byKind.COOPERATIVE), q, 3);
      else b = split(b, 1, 0.9, 2)[0];
    }
    return b;
  };
  const traceLeaf = traceChain(20);
  let deepest = 20;
  for (let i = 1; i < s.deepChains; i++) {
    const len = r.int(20, 40);
    deepest = Math.max(deepest, len);
    traceChain(len);
  }

  // 2) the fan-out lot: one big harvest that reaches `fanOut` descendants through hands and retail splits
  const fanRoot = produce(r.pick(byKind.FARM), 'VEGETABLE');
  fanRoot.quantity = fanRoot.remaining = 200_000;
  certFor.push({ batch: fanRoot, issuer: fanRoot.owner, priority: 0 });
  {
    const [l1, l2] = s.fanOut >= 10_000 ? [20, 50] : [5, 10];
    let left = s.fanOut - l1 - 2 * l1 * l2;
    const firstHands = Array.from({ length: l1 }, (_, i) => transfer(fanRoot, byKind.WHOLESALER[i % byKind.WHOLESALER.length], 200_000 / l1, 6));
    const stalls: B[] = [];
    for (const w of firstHands) for (const p of split(w, l2)) {
      certFor.push({ batch: p, issuer: fanRoot.owner, priority: 1 });
      stalls.push(deliver(p, r.pick(byKind.MARKET_VENDOR), p.quantity, 10));
    }
    stalls.forEach((st, i) => {
      const parts = Math.floor(left / (stalls.length - i));
      left -= parts;
      if (parts > 0) split(st, parts, 1, 4);
    });
  }
  const fanOutDescendants = batches.length - fanRoot.id;

  // 3) one wholesaler lot that every gate scans at once (a single hot certificate)
  const hotRoot = produce(r.pick(byKind.FARM), 'VEGETABLE');
  hotRoot.quantity = hotRoot.remaining = 60_000;
  const hot = transfer(hotRoot, r.pick(byKind.WHOLESALER), 60_000, 5);
  certFor.push({ batch: hotRoot, issuer: hotRoot.owner, priority: 0 }, { batch: hot, issuer: hotRoot.owner, priority: 0 });

  // 4) the ordinary county until the batch budget is spent
  let inTransit = 0;
  while (batches.length < s.batches - 40) {
    const kind = r.next();
    if (kind < 0.6) {
      // farm → wholesaler or cooperative → portions → vendors (some split into retail lots)
      const root = produce(r.pick(byKind.FARM), r.chance(0.7) ? 'VEGETABLE' : 'FRUIT');
      certFor.push({ batch: root, issuer: root.owner, priority: 0 });
      const mid = transfer(root, middle(), root.quantity, 5);
      certFor.push({ batch: mid, issuer: root.owner, priority: 2 });
      for (const p of split(mid, r.int(2, 8), 1, 3)) {
        if (r.chance(0.12)) {
          // on its way to a market: certified, not yet scanned at a gate
          certFor.push({ batch: p, issuer: root.owner, priority: 0 });
          inTransit++;
          continue;
        }
        certFor.push({ batch: p, issuer: root.owner, priority: 1 });
        const got = deliver(p, buyer(), p.quantity, 8);
        if (r.chance(0.2)) split(got, r.int(2, 4), r.chance(0.5) ? 1 : 0.8, 2);
      }
    } else if (kind < 0.85) {
      // several farms' lots merged at a cooperative, then sold on
      const coop = r.pick(byKind.COOPERATIVE);
      const category = r.chance(0.6) ? 'VEGETABLE' : 'FRUIT';
      const first = produce(r.pick(byKind.FARM), category);
      const roots = [first];
      for (let i = r.int(1, 4); i > 0; i--) {
        const b = produce(r.pick(byKind.FARM), category);
        b.producedAt = first.producedAt;
        b.createdAt = first.createdAt;
        b.product = first.product;
        roots.push(b);
      }
      const received = roots.map((b) => {
        certFor.push({ batch: b, issuer: b.owner, priority: 0 });
        return transfer(b, coop, b.quantity, 4);
      });
      const total = received.reduce((a, b) => a + b.quantity, 0);
      const merged = newBatch(coop, first.product, category, total, 'KG', first.producedAt, first.createdAt + 8 * HOUR, 'M', `${coop.village} 合作社`, first.id, Math.max(...received.map((x) => x.depth)) + 1);
      for (const x of received) link(x, merged, 'MERGE', x.quantity);
      certFor.push({ batch: merged, issuer: coop.id, priority: 0 });
      for (const p of split(merged, r.int(2, 6), 1, 3)) {
        certFor.push({ batch: p, issuer: coop.id, priority: 1 });
        deliver(p, buyer(), p.quantity, 6);
      }
    } else {
      // raw milk from dairy farms → creamery → yoghurt → vendors and canteens
      const creamery = r.pick(byKind.PROCESSOR);
      const first = produce(r.pick(byKind.DAIRY_FARM), 'DAIRY');
      const roots = [first];
      for (let i = r.int(1, 3); i > 0; i--) {
        const b = produce(r.pick(byKind.DAIRY_FARM), 'DAIRY');
        b.producedAt = first.producedAt;
        b.createdAt = first.createdAt;
        roots.push(b);
      }
      const received = roots.map((b) => {
        certFor.push({ batch: b, issuer: b.owner, priority: 0 });
        return transfer(b, creamery, b.quantity, 3);
      });
      const litres = received.reduce((a, b) => a + b.quantity, 0);
      const pooled = newBatch(creamery, '生鲜乳 Raw milk', 'DAIRY', litres, 'L', first.producedAt, first.createdAt + 5 * HOUR, 'MILK', null, first.id, Math.max(...received.map((x) => x.depth)) + 1);
      for (const x of received) link(x, pooled, 'MERGE', x.quantity);
      const bottles = Math.floor(litres * 0.9 * 4);
      const yoghurt = newBatch(creamery, '酸奶 Yoghurt 250 ml', 'DAIRY', bottles, 'BOTTLE', first.producedAt + DAY, first.createdAt + DAY, 'YOG', null, first.id, pooled.depth + 1);
      link(pooled, yoghurt, 'PROCESS', litres * 0.9);
      yoghurt.yield = bottles / (litres * 0.9);
      certFor.push({ batch: yoghurt, issuer: creamery.id, priority: 0 });
      for (const p of split(yoghurt, r.int(4, 10), 1, 2)) {
        certFor.push({ batch: p, issuer: creamery.id, priority: 1 });
        deliver(p, buyer(), p.quantity, 6);
      }
    }
  }
  // top up to the exact budget with single-hand lots sold at the farm gate
  while (batches.length < s.batches) {
    const root = produce(r.pick(byKind.FARM), 'FRUIT');
    certFor.push({ batch: root, issuer: root.owner, priority: 0 });
    if (batches.length < s.batches) deliver(root, r.pick(byKind.MARKET_VENDOR), Math.floor(root.quantity / 2), 6);
  }
  log(`batches ${batches.length}, links ${linkId}, fan-out ${fanOutDescendants}, deliveries ${deliveries.length}, lots in transit ${inTransit}`);

  // ---- certificates: every producer lot, then consignments, until the target
  const mandatory = certFor.filter((x) => x.priority === 0);
  const chosen = mandatory.slice(0, s.certificates);
  for (const priority of [1, 2]) {
    for (const x of certFor) if (x.priority === priority && chosen.length < s.certificates) chosen.push(x);
  }
  const certOf = new Map<number, { id: number; quantity: number; admitted: number; number: string; batch: B; line: number }>();
  const certRows: { id: number; issuer: number; batch: B; bases: string }[] = [];
  chosen.forEach((x, i) => {
    const id = i + 1;
    const number = `HG${iso(x.batch.createdAt).slice(0, 4)}${String(id).padStart(10, '0')}`;
    certOf.set(x.batch.id, { id, quantity: x.batch.quantity, admitted: 0, number, batch: x.batch, line: i });
    const bases = r.chance(0.5) ? '{SELF_COMMITMENT}' : r.chance(0.5) ? '{SELF_TEST,SELF_COMMITMENT}' : '{COMMISSIONED_TEST,SELF_COMMITMENT}';
    certRows.push({ id, issuer: x.issuer, batch: x.batch, bases });
  });
  /** The certificate covering a lot: its own, else the one on the nearest certified ancestor reached by hands. */
  const parentOf = new Map<number, number>();
  for (const line of t.batch_link) {
    const [, p, ch] = line.split('\t');
    if (!parentOf.has(Number(ch))) parentOf.set(Number(ch), Number(p));
  }
  const coveringCert = (b: B) => {
    let id: number | undefined = b.id;
    for (let hops = 0; id !== undefined && hops < 50; hops++) {
      const cert = certOf.get(id);
      if (cert) return cert;
      id = parentOf.get(id);
    }
    return null;
  };

  // ---- market entries: every delivery to a stall was an accepted scan; the rest are refusals and tests
  const REASONS: Record<string, object[]> = {
    ACCEPTED: [],
    TEST_REQUIRED: [{ code: 'SAMPLED_FOR_RAPID_TEST', zh: '按信用等级抽检', en: 'Sampled for a rapid test at the grade rate' }],
    NO_CERT: [{ code: 'NO_CERTIFICATE', zh: '未出示有效合格证', en: 'No valid certificate' }],
    EXCEEDED: [{ code: 'CERTIFICATE_QUANTITY_EXCEEDED', zh: '申报数量超出合格证剩余数量', en: 'Declared quantity exceeds what the certificate still covers' }],
  };
  let entryId = 0;
  let inspectionId = 0;
  const entry = (portion: B, vendor: Op, declared: number, decision: string, reasons: object[], received: B | null, cert: { id: number } | null, at: number) => {
    const market = vendor.market ?? 1 + (vendor.id % s.markets);
    const id = ++entryId;
    const scanId = `bench-${id.toString(36)}-${code16().slice(0, 8)}`;
    t.market_entry.push(row(
      id, market, gateStaff(market), scanId, createHash('sha256').update(scanId).digest('hex'), portion.code, portion.id, cert?.id ?? null, vendor.id,
      qty(declared), portion.unit, decision, JSON.stringify(reasons), received?.id ?? null, null, iso(at), iso(at),
    ));
    return { id, market };
  };
  const rapidItems = (fail: boolean) => JSON.stringify([{ item: '有机磷和氨基甲酸酯类农药 organophosphate/carbamate', value: fail ? r.int(52, 90) : r.int(2, 40), unit: '%', result: fail ? 'FAIL' : 'PASS' }]);
  for (const d of deliveries) {
    if (entryId >= s.entries) break;
    const cert = coveringCert(d.portion);
    if (cert && cert.admitted + d.received.quantity <= cert.quantity) cert.admitted += d.received.quantity;
    const e = entry(d.portion, d.vendor, d.received.quantity, 'ACCEPTED', [], d.received, cert, d.received.createdAt);
    if (r.chance(0.08)) {
      t.inspection.push(row(++inspectionId, d.portion.id, e.market, e.id, 'RAPID', rapidItems(false), 'PASS', '快检员 Tester', gateStaff(e.market), iso(d.received.createdAt - HOUR)));
    }
  }
  const stallLots = deliveries.map((d) => d.portion);
  for (let i = 0; entryId < s.entries && stallLots.length; i++) {
    const portion = stallLots[(i * 7919) % stallLots.length];
    const vendor = r.pick(byKind.MARKET_VENDOR);
    const cert = coveringCert(portion);
    const kind = r.next();
    const at = portion.createdAt + r.int(1, 48) * HOUR;
    if (kind < 0.5) {
      const e = entry(portion, vendor, Math.max(1, Math.round(portion.quantity / 4)), 'TEST_REQUIRED', REASONS.TEST_REQUIRED, null, cert, at);
      const fail = r.chance(0.03);
      t.inspection.push(row(++inspectionId, portion.id, e.market, e.id, 'RAPID', rapidItems(fail), fail ? 'FAIL' : 'PASS', '快检员 Tester', gateStaff(e.market), iso(at + HOUR)));
    } else if (kind < 0.8) entry(portion, vendor, Math.max(1, Math.round(portion.quantity / 3)), 'REJECTED', REASONS.NO_CERT, null, null, at);
    else entry(portion, vendor, portion.quantity * 3, 'REJECTED', REASONS.EXCEEDED, null, cert, at);
  }
  for (const x of certRows) {
    const cert = certOf.get(x.batch.id)!;
    t.origin_certificate.push(row(
      x.id, cert.number, x.batch.id, x.issuer, qty(x.batch.quantity), qty(cert.admitted), x.batch.unit, iso(x.batch.createdAt), x.bases, STATEMENT,
      x.bases.includes('COMMISSIONED') ? `JC-${x.id}` : null, 'VALID', iso(x.batch.createdAt),
    ));
  }
  // some lab tests on producer lots
  for (const x of mandatory) {
    if (!r.chance(0.05)) continue;
    t.inspection.push(row(++inspectionId, x.batch.id, null, null, 'LAB', JSON.stringify([{ item: '毒死蜩 chlorpyrifos', value: r.int(0, 20) / 1000, unit: 'mg/kg', result: 'PASS' }]), 'PASS', '县检测中心 County lab', REGULATOR_ACCOUNT, iso(x.batch.createdAt + DAY)));
  }

  for (const b of batches) {
    const status = b.remaining === 0 ? 'CONSUMED' : 'ACTIVE';
    t.batch.push(row(b.id, b.owner, b.product, b.category, b.lot, qty(b.quantity), qty(b.remaining), b.unit, iso(b.producedAt), b.origin, null, b.code, status, iso(b.createdAt), b.yield === undefined ? null : b.yield.toFixed(6)));
  }

  // ---- credit archive: hash-chained events per operator; stored score and grade recomputed from them
  const weights = ops.map((o) => (o.kind === 'MARKET_VENDOR' || o.kind === 'FARM' ? 1.4 : 0.8) * (0.25 + r.next() * 1.5));
  const wsum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((s.creditEvents * w) / wsum));
  let short = s.creditEvents - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; short > 0; i = (i + 1) % counts.length, short--) counts[i]++;
  const deductionMix: [string, number][] = [
    ['NO_CERTIFICATE', 0.42], ['CERTIFICATE_QUANTITY_EXCEEDED', 0.25], ['RAPID_TEST_FAILED', 0.14], ['INSPECTION_VIOLATION', 0.15],
    ['LAB_TEST_FAILED', 0.015], ['CERTIFICATE_REVOKED_OR_FORGED', 0.01], ['RECALL_SOURCE', 0.015],
  ];
  const deduction = () => {
    let x = r.next();
    for (const [code, share] of deductionMix) if ((x -= share) < 0) return code;
    return 'NO_CERTIFICATE';
  };
  const sourceOf: Record<string, string> = {
    NO_CERTIFICATE: 'ENTRY', CERTIFICATE_QUANTITY_EXCEEDED: 'ENTRY', CERTIFICATE_REVOKED_OR_FORGED: 'ENTRY', RAPID_TEST_FAILED: 'INSPECTION',
    LAB_TEST_FAILED: 'INSPECTION', RECALL_SOURCE: 'RECALL', INSPECTION_VIOLATION: 'REGULATOR', TRAINING_COMPLETED: 'REGULATOR', CLEAN_QUARTER: 'SYSTEM', REVERSAL: 'APPEAL',
  };
  let eventId = 0;
  const opRows: string[] = [];
  const span = AS_OF - START - DAY;
  for (const o of ops) {
    const n = counts[o.id - 1];
    // an operator's habits: most are careful, a few are not
    const p = r.pick([0.01, 0.01, 0.01, 0.03, 0.03, 0.06, 0.1, 0.2]);
    const times = Array.from({ length: n }, () => START + Math.floor(r.next() * span)).sort((a, b) => a - b);
    let prev = GENESIS_HASH;
    const scored: ScoredEvent[] = [];
    const quarters = new Set<string>();
    const reversible: number[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const at = times[seq - 1];
      const d = new Date(at);
      const quarter = `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
      let ruleCode: string;
      let reversesId: number | null = null;
      const roll = r.next();
      if (roll < p) ruleCode = deduction();
      else if (reversible.length && roll < p + 0.004) {
        ruleCode = 'REVERSAL';
        reversesId = reversible.pop()!;
      } else if (!quarters.has(quarter) && r.chance(0.3)) ruleCode = 'CLEAN_QUARTER';
      else ruleCode = 'TRAINING_COMPLETED';
      const rule = CREDIT_RULES[ruleCode];
      const points = typeof rule.points === 'number' ? rule.points : -5 * r.int(1, 6);
      const months = rule.expiresMonths === null || typeof rule.expiresMonths === 'number' ? rule.expiresMonths : r.pick([12, 24]);
      const id = ++eventId;
      if (ruleCode === 'CLEAN_QUARTER') quarters.add(quarter);
      if (points < 0 && r.chance(0.1)) reversible.push(id);
      const occurred = new Date(at);
      const e: CanonicalEvent = {
        operatorId: o.id,
        seq,
        ruleCode,
        points,
        reason: reversesId ? `申诉成立，撤销记录 #${reversesId} Appeal upheld` : `${rule.zh} ${rule.en}`,
        source: sourceOf[ruleCode],
        sourceRef: ruleCode === 'CLEAN_QUARTER' ? quarter : reversesId ? `appeal-${reversesId}` : null,
        recordedById: sourceOf[ruleCode] === 'REGULATOR' || ruleCode === 'REVERSAL' ? REGULATOR_ACCOUNT : null,
        occurredAt: occurred.toISOString(),
        expiresAt: points < 0 && months !== null ? addMonths(occurred, months).toISOString() : null,
        forcesDUntil: rule.forcesDMonths ? addMonths(occurred, rule.forcesDMonths).toISOString() : null,
        reversesId,
      };
      const hash = chainHash(prev, e);
      t.credit_event.push(row(id, e.operatorId, e.seq, e.ruleCode, e.points, e.reason, e.source, e.sourceRef, e.recordedById, e.occurredAt, e.expiresAt, e.forcesDUntil, e.reversesId, prev, hash, e.occurredAt));
      prev = hash;
      scored.push({ id, points, occurredAt: occurred, expiresAt: e.expiresAt ? new Date(e.expiresAt) : null, forcesDUntil: e.forcesDUntil ? new Date(e.forcesDUntil) : null, reversesId });
    }
    const credit = computeCredit(scored, new Date(AS_OF));
    const named = ['SMALL_WORKSHOP', 'STREET_VENDOR', 'MARKET_VENDOR'].includes(o.kind);
    const body = `92${String(330700 + (o.id % 90)).padStart(6, '0')}${String(o.id).padStart(9, '0')}`;
    opRows.push(row(
      o.id, o.kind, `${o.village}${KIND_NAMES[o.kind]}${o.id}号`, named ? null : body + usccCheckChar(body), named ? `DJ${String(o.id).padStart(8, '0')}` : null,
      o.village, `${o.village}${o.id}号`, `经营者${o.id}`, `13${String(900000000 + o.id).slice(0, 9)}`, 'ACTIVE', code16(),
      credit.score, credit.grade, credit.forcedUntil ? credit.forcedUntil.toISOString() : null, iso(START),
    ));
  }
  t.operator = opRows;

  const meta: DatasetMeta = {
    scale: factor,
    counts: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length])),
    traceCode: traceLeaf.code,
    traceBatchId: traceLeaf.id,
    traceNodes: 20,
    fanOutRootId: fanRoot.id,
    fanOutRootCode: fanRoot.code,
    fanOutDescendants,
    deepestChain: deepest,
    hotCode: hot.code,
    tokens,
  };
  return { tables: t, meta };
}

const KIND_NAMES: Record<string, string> = {
  FARM: '家庭农场', DAIRY_FARM: '牧场', COOPERATIVE: '果蔬合作社', PROCESSOR: '乳品加工坊', WHOLESALER: '农产品批发部',
  MARKET_VENDOR: '摊位', SMALL_WORKSHOP: '食品小作坊', STREET_VENDOR: '食品摊贩', CANTEEN: '学校食堂',
};
