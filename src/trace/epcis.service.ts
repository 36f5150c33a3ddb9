import { createHash } from 'node:crypto';
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { BatchStatus, GateDecision, LinkKind, QuantityUnit, TestResult } from '../entities/enums';
import { notFound } from '../errors';
import { EpcisDirection } from '../schema/epcis.type';
import type { TraceBatch, TraceInspection, TraceMarketEntry } from '../schema/trace.type';
import { EPCIS_CONTEXT_SQL } from './epcis.sql';
import {
  loadDetails, PUBLIC_TRACE_BOUNDS, regulatorBounds, walkDownstream, walkUpstream, walkUpstreamByCode, type TraceBoundsInput,
  type Walk, type WalkBounds,
} from './trace.service';

export { EpcisDirection };

/** The GS1 EPCIS 2.0 JSON-LD context every document names first. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** The town's local time (China Standard Time): every event happened there. */
export const EVENT_TIME_ZONE_OFFSET = '+08:00';

/** UN/CEFACT Recommendation 20 codes; packages use the Rec 20 "X" + Rec 21 package codes. */
export const UOM: Record<QuantityUnit, string> = {
  [QuantityUnit.KG]: 'KGM',
  [QuantityUnit.G]: 'GRM',
  [QuantityUnit.T]: 'TNE',
  [QuantityUnit.L]: 'LTR',
  [QuantityUnit.ML]: 'MLT',
  [QuantityUnit.PIECE]: 'H87',
  [QuantityUnit.BOX]: 'XBX',
  [QuantityUnit.CRATE]: 'XCR',
  [QuantityUnit.BOTTLE]: 'XBO',
};

/** The shape of a public code; anything else names no batch. */
const PUBLIC_CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** A lot code that GS1 AI (10) can carry: at most 20 characters, all of them in the lot codes' own alphabet. */
const AI10_LOT = /^[A-Za-z0-9._\-/]{1,20}$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EpcisEvent = Record<string, any>;

export interface EpcisDocument {
  '@context': [string, Record<string, string>];
  /** The public export names itself after the trace page it tells. */
  id?: string;
  type: 'EPCISDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
  [extension: `foodtrace:${string}`]: unknown;
}

/** A batch as an EPCIS object: a class-level identifier (a lot), never a database id. */
interface BatchClass {
  id: number;
  publicCode: string;
  gtin: string | null;
  lotCode: string;
  quantity: number;
  unit: QuantityUnit;
  productName: string;
  category: string;
  originPlace: string | null;
  producedAt: string;
  ownerCode: string;
  digitalLink: boolean;
}

interface LinkRow {
  id: number;
  parentId: number;
  childId: number;
  kind: LinkKind;
  quantity: number;
  createdAt: string;
}

interface CoveringRecall {
  batchId: number;
  id: number;
  /** Null where the public export may not name the source lot (it lies beyond the walk). */
  sourceId: number | null;
  reason: string;
  at: string;
}

/**
 * Who reads the export. The public one tells only what the public trace shows: the walked lots and the links
 * between them (no sibling part of a split, no parent beyond the bounds), gate entries of walked lots, the recall
 * source only when it was walked; no tester, contact or account data in either.
 */
type Audience = 'regulator' | 'public';

interface ExportScope {
  publicUrl: string;
  nodes: TraceBatch[];
  /** Lots made from other lots (whether or not those were walked): the rest were commissioned. */
  made: Set<number>;
  links: LinkRow[];
  classes: Map<number, BatchClass>;
  recalls: CoveringRecall[];
  inspections: TraceInspection[];
  entries: TraceMarketEntry[];
}

/** Order of events that share an instant: how the goods move, then what was decided about them. */
const RANK = { commissioning: 0, transformation: 1, inspection: 2, shipping: 3, receiving: 4, entry: 5, recall: 6 } as const;

interface Ranked {
  at: number;
  rank: number;
  /** Ties of one instant and rank go by the record they tell of (batch, link, test or entry id). */
  tie: number;
  key: string;
  event: EpcisEvent;
}

/**
 * An EPCIS 2.0 document of a batch's lineage (backward, forward or both, within the regulator trace bounds):
 * every batch's making, every hand-over, gate entry, test and recall of the walked batches, in time order.
 * One consistent snapshot; three statements for one direction, four for both.
 */
export async function lineageEpcisDocument(
  ctx: Pick<Context, 'em' | 'config'>,
  batchId: number,
  direction: EpcisDirection = EpcisDirection.BOTH,
  input: TraceBoundsInput = {},
): Promise<EpcisDocument> {
  const bounds = regulatorBounds(input);
  return ctx.em.transactional(
    async (em) => {
      const walks = [];
      if (direction !== EpcisDirection.FORWARD) walks.push(await walkUpstream(em, batchId, bounds));
      if (direction !== EpcisDirection.BACKWARD) walks.push(await walkDownstream(em, batchId, bounds));
      const doc = await exportWalks(em, { publicUrl: ctx.config.publicUrl, audience: 'regulator', batchId, direction, bounds, walks });
      if (!doc) throw notFound('Batch', batchId);
      return doc;
    },
    { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
}

/**
 * The public EPCIS 2.0 document of a public code: the backward lineage of that batch under the public trace bounds,
 * telling no more than the public trace shows; null for an unknown code. Runs inside the caller's read-only
 * transaction (the bounded public lookup), which must not have read anything yet: it is made one snapshot here.
 */
export async function publicEpcisDocument(ctx: Pick<Context, 'em' | 'config'>, code: string): Promise<EpcisDocument | null> {
  if (!PUBLIC_CODE.test(code)) return null;
  await ctx.em.execute('set transaction isolation level repeatable read');
  const walk = await walkUpstreamByCode(ctx.em, code, PUBLIC_TRACE_BOUNDS);
  if (!walk.nodes.length) return null;
  const { publicUrl } = ctx.config;
  const [batch] = walk.nodes;
  return exportWalks(ctx.em, {
    publicUrl, audience: 'public', id: `${publicUrl}/t/${batch.publicCode}#epcis`, batchId: batch.id, direction: EpcisDirection.BACKWARD,
    bounds: PUBLIC_TRACE_BOUNDS, walks: [walk],
  });
}

interface ExportRequest {
  publicUrl: string;
  audience: Audience;
  /** The document's own identifier, where it has one. */
  id?: string;
  batchId: number;
  direction: EpcisDirection;
  bounds: WalkBounds;
  walks: Walk[];
}

async function exportWalks(em: EntityManager, { publicUrl, audience, id, batchId, direction, bounds, walks }: ExportRequest): Promise<EpcisDocument | null> {
  const nodes = new Map<number, TraceBatch>();
  for (const walk of walks) for (const n of walk.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  if (!nodes.size) return null;
  const scope = await loadScope(em, publicUrl, [...nodes.values()], audience);
  return {
    '@context': [EPCIS_CONTEXT_URL, { foodtrace: `${publicUrl}/ns/epcis/` }],
    ...(id ? { id } : {}),
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: eventsOf(scope) },
    'foodtrace:direction': direction,
    'foodtrace:batch': classId(publicUrl, scope.classes.get(batchId)!),
    'foodtrace:maxDepth': bounds.maxDepth,
    'foodtrace:maxNodes': bounds.maxNodes,
    'foodtrace:truncated': walks.some((w) => w.truncated),
  };
}

async function loadScope(em: EntityManager, publicUrl: string, nodes: TraceBatch[], audience: Audience): Promise<ExportScope> {
  const ids = nodes.map((n) => n.id);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rows = await em.execute<{ k: 'L' | 'R' | 'B'; v: any }[]>(EPCIS_CONTEXT_SQL, [`{${ids.join(',')}}`]);
  const links: LinkRow[] = [];
  const recalls: CoveringRecall[] = [];
  const classes = new Map<number, BatchClass>();
  for (const { k, v } of rows) {
    if (k === 'L') links.push({ ...v, quantity: Number(v.quantity) });
    else if (k === 'R') recalls.push(v);
    else classes.set(v.id, { ...v, quantity: Number(v.quantity) });
  }
  links.sort((a, b) => a.id - b.id);
  const made = new Set(links.map((l) => l.childId));
  const details = await loadDetails(em, ids);
  const scope = { publicUrl, nodes, made, links, classes, recalls, inspections: details.inspections, entries: details.marketEntries };
  if (audience === 'regulator') return scope;
  const walked = new Set(ids);
  return {
    ...scope,
    links: links.filter((l) => walked.has(l.parentId) && walked.has(l.childId)),
    recalls: recalls.map((r) => (r.sourceId !== null && walked.has(r.sourceId) ? r : { ...r, sourceId: null })),
    entries: scope.entries.filter((e) => walked.has(e.batchId ?? e.receivedBatchId!)),
  };
}

/**
 * The lot's class identifier in every export: its GS1 Digital Link under PUBLIC_URL
 * when it has a GTIN, else its trace page. The Digital Link is used only when it names this very batch (no older
 * batch has the same GTIN and lot, which is the one the resolver would answer) and the lot fits GS1 AI (10).
 */
export function classId(publicUrl: string, c: Pick<BatchClass, 'gtin' | 'lotCode' | 'publicCode' | 'digitalLink'>): string {
  return c.gtin !== null && c.digitalLink && AI10_LOT.test(c.lotCode)
    ? `${publicUrl}/01/${c.gtin}/10/${encodeURIComponent(c.lotCode)}`
    : `${publicUrl}/t/${c.publicCode}`;
}

/** RFC 9562 name-based UUID (version 8, SHA-256): the same fact always gets the same event id. */
export function eventUuid(publicUrl: string, key: string): string {
  const h = createHash('sha256').update(`${publicUrl}/epcis/events/${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function eventsOf(s: ExportScope): EpcisEvent[] {
  const { publicUrl } = s;
  const cls = (id: number) => s.classes.get(id)!;
  const epcClass = (id: number) => classId(publicUrl, cls(id));
  const amount = (id: number, quantity: number, unit: QuantityUnit) => ({ epcClass: epcClass(id), quantity, uom: UOM[unit] });
  const party = (id: number) => `${publicUrl}/o/${cls(id).ownerCode}`;
  const market = (id: number) => ({ id: `${publicUrl}/m/${id}/board` });
  const out: Ranked[] = [];
  const push = (at: string | Date, rank: number, tie: number, key: string, body: EpcisEvent) => {
    const time = new Date(at);
    const { type, ...rest } = body;
    out.push({
      at: time.getTime(),
      rank,
      tie,
      key,
      event: { type, eventTime: time.toISOString(), eventTimeZoneOffset: EVENT_TIME_ZONE_OFFSET, eventID: eventUuid(publicUrl, key), ...rest },
    });
  };

  // a gate that accepted a load handed it to the vendor there: that hand-over happened at the market, at the entry's time
  const gateOf = new Map<number, TraceMarketEntry>();
  for (const e of s.entries) if (e.receivedBatchId !== null && e.batchId !== e.receivedBatchId) gateOf.set(e.receivedBatchId, e);

  for (const n of s.nodes) {
    if (s.made.has(n.id)) continue;
    // a lot that came from no other lot is brought into existence here: its lot identifier is first used
    const c = cls(n.id);
    push(c.producedAt, RANK.commissioning, n.id, `commissioning:${n.id}`, {
      type: 'ObjectEvent',
      quantityList: [amount(n.id, c.quantity, c.unit)],
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      ilmd: lotMasterData(publicUrl, c),
      'foodtrace:owner': party(n.id),
    });
  }

  // A split or a merge gives the same goods new lot identifiers without changing the product: CBV "repackaging"
  // as a TransformationEvent, which is the EPCIS way to say which lots became which (ObjectEvents could not link
  // them). Processing makes a new product (raw milk into yoghurt): CBV 2.0 has no "transforming" step, and
  // "commissioning" is what its own TransformationEvent examples use for outputs brought into existence.
  const splits = new Map<string, LinkRow[]>();
  const joins = new Map<number, LinkRow[]>();
  for (const l of s.links) {
    if (l.kind === LinkKind.SPLIT) {
      const key = `${l.parentId}@${l.createdAt}`;
      splits.set(key, [...(splits.get(key) ?? []), l]);
    } else if (l.kind === LinkKind.MERGE || l.kind === LinkKind.PROCESS) {
      joins.set(l.childId, [...(joins.get(l.childId) ?? []), l]);
    }
  }
  for (const group of splits.values()) {
    const parent = group[0].parentId;
    const taken = group.reduce((sum, l) => sum + Math.round(l.quantity * 1000), 0) / 1000;
    push(group[0].createdAt, RANK.transformation, group[0].id, `split:${parent}>${group.map((l) => l.childId).join(',')}`, {
      type: 'TransformationEvent',
      inputQuantityList: [amount(parent, taken, cls(parent).unit)],
      outputQuantityList: group.map((l) => amount(l.childId, cls(l.childId).quantity, cls(l.childId).unit)),
      bizStep: 'repackaging',
      disposition: 'active',
      'foodtrace:owner': party(parent),
      'foodtrace:linkKind': LinkKind.SPLIT,
    });
  }
  for (const [child, group] of joins) {
    const kind = group[0].kind;
    push(group[0].createdAt, RANK.transformation, group[0].id, `${kind.toLowerCase()}:${child}`, {
      type: 'TransformationEvent',
      inputQuantityList: group.map((l) => amount(l.parentId, l.quantity, cls(l.parentId).unit)),
      outputQuantityList: [amount(child, cls(child).quantity, cls(child).unit)],
      bizStep: kind === LinkKind.PROCESS ? 'commissioning' : 'repackaging',
      disposition: 'active',
      ilmd: lotMasterData(publicUrl, cls(child)),
      'foodtrace:owner': party(child),
      'foodtrace:linkKind': kind,
    });
  }

  // A transfer changes the owning party: CBV shipping by the giver and receiving by the taker, with owning_party
  // source and destination. The taker's lot gets its own identifier on receipt (action ADD); both events carry
  // the transfer as a business transaction, which ties the giver's lot to the taker's.
  for (const l of s.links) {
    if (l.kind !== LinkKind.TRANSFER) continue;
    const gate = gateOf.get(l.childId);
    const where = gate ? { readPoint: market(gate.marketId), bizLocation: market(gate.marketId) } : {};
    const at = gate ? gate.at : l.createdAt;
    const parties = { sourceList: [{ type: 'owning_party', source: party(l.parentId) }], destinationList: [{ type: 'owning_party', destination: party(l.childId) }] };
    // keyed by the two lots, which the public trace shows, never by the link's own row id
    const hop = `${l.parentId}>${l.childId}`;
    const transaction = [{ bizTransaction: `${publicUrl}/transfers/${eventUuid(publicUrl, `transfer:${hop}`).slice('urn:uuid:'.length)}` }];
    push(at, RANK.shipping, l.id, `shipping:${hop}`, {
      type: 'ObjectEvent',
      quantityList: [amount(l.parentId, l.quantity, cls(l.parentId).unit)],
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'in_transit',
      ...where,
      bizTransactionList: transaction,
      ...parties,
    });
    push(at, RANK.receiving, l.id, `receiving:${hop}`, {
      type: 'ObjectEvent',
      quantityList: [amount(l.childId, cls(l.childId).quantity, cls(l.childId).unit)],
      action: 'ADD',
      bizStep: 'receiving',
      disposition: 'in_progress',
      ...where,
      bizTransactionList: transaction,
      ...parties,
      ilmd: lotMasterData(publicUrl, cls(l.childId)),
    });
  }

  // Tests: CBV inspecting, with the CBV 2.0 dispositions conformant / non_conformant. A test is of the lot, not of
  // an amount of it, so the quantity element names the class only.
  for (const i of s.inspections) {
    push(i.inspectedAt, RANK.inspection, i.id, `inspection:${i.id}`, {
      type: 'ObjectEvent',
      quantityList: [{ epcClass: epcClass(i.batchId) }],
      action: 'OBSERVE',
      bizStep: 'inspecting',
      disposition: i.result === TestResult.PASS ? 'conformant' : 'non_conformant',
      ...(i.marketId !== null ? { readPoint: market(i.marketId), bizLocation: market(i.marketId) } : {}),
      'foodtrace:testKind': i.kind,
      'foodtrace:testItems': i.items.map((x) => ({ item: x.item, value: x.value, unit: x.unit, result: x.result })),
    });
  }

  // Gate entries: accepted loads go on sale (CBV accepting, sellable_accessible); a refused load is accepting
  // that found it non_conformant; a load waiting for its rapid test is held aside (CBV holding: "segregated for
  // further inspection"), not yet sellable (sellable_not_accessible). The test, once made, is its own event.
  for (const e of s.entries) {
    const lot = e.batchId ?? e.receivedBatchId!;
    const decision = {
      [GateDecision.ACCEPTED]: { bizStep: 'accepting', disposition: 'sellable_accessible' },
      [GateDecision.REJECTED]: { bizStep: 'accepting', disposition: 'non_conformant' },
      [GateDecision.TEST_REQUIRED]: { bizStep: 'holding', disposition: 'sellable_not_accessible' },
    }[e.decision];
    push(e.at, RANK.entry, e.id, `entry:${e.id}:${e.decision}`, {
      type: 'ObjectEvent',
      quantityList: [amount(lot, e.declaredQuantity, e.unit)],
      action: 'OBSERVE',
      ...decision,
      readPoint: market(e.marketId),
      bizLocation: market(e.marketId),
      'foodtrace:gateDecision': e.decision,
    });
  }

  // Recalls: every recalled lot, CBV disposition recalled, held (CBV holding) from the moment of the recall that
  // reached it; the whole lot is recalled, so its whole quantity is named.
  const recalled = new Set(s.nodes.filter((n) => n.status === BatchStatus.RECALLED).map((n) => n.id));
  for (const r of s.recalls) {
    if (!recalled.has(r.batchId)) continue;
    const c = cls(r.batchId);
    push(r.at, RANK.recall, r.batchId, `recall:${r.id}:${r.batchId}`, {
      type: 'ObjectEvent',
      quantityList: [amount(r.batchId, c.quantity, c.unit)],
      action: 'OBSERVE',
      bizStep: 'holding',
      disposition: 'recalled',
      ...(r.sourceId !== null ? { 'foodtrace:recallSource': epcClass(r.sourceId) } : {}),
      'foodtrace:recallReason': r.reason,
    });
  }

  out.sort((a, b) => a.at - b.at || a.rank - b.rank || a.tie - b.tie || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((r) => r.event);
}

/** Instance/lot master data of a newly identified lot (CBV master data attribute names where CBV has one). */
function lotMasterData(publicUrl: string, c: BatchClass): Record<string, unknown> {
  return {
    'cbvmda:lotNumber': c.lotCode,
    'foodtrace:productName': c.productName,
    'foodtrace:category': c.category,
    ...(c.originPlace ? { 'foodtrace:originPlace': c.originPlace } : {}),
    'foodtrace:producedAt': new Date(c.producedAt).toISOString(),
    'foodtrace:trace': `${publicUrl}/t/${c.publicCode}`,
  };
}
