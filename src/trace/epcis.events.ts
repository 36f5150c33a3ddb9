import { createHash } from 'node:crypto';
import { BatchStatus, GateDecision, HandoverDocumentType, LinkKind, QuantityUnit, TestResult } from '../entities/enums';
import { utcOffset } from '../local-time';
import { fromMilli, toMilli } from '../quantity';
import type { EpcisEvent } from './epcis.model';
import type { BatchClass, ExportScope, LinkRow } from './epcis.scope';
import type { TraceMarketEntry } from './trace.model';

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

/** A lot code that GS1 AI (10) can carry: at most 20 characters, all of them in the lot codes' own alphabet. */
const AI10_LOT = /^[A-Za-z0-9._\-/]{1,20}$/;

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

/** What every kind of event is written with: the scope, its identifiers, and the list the events go to. */
class EventList {
  private readonly out: Ranked[] = [];

  constructor(readonly s: ExportScope) {}

  cls(id: number): BatchClass {
    return this.s.classes.get(id)!;
  }

  epcClass(id: number): string {
    return classId(this.s.publicUrl, this.cls(id));
  }

  amount(id: number, quantity: number, unit: QuantityUnit) {
    return { epcClass: this.epcClass(id), quantity, uom: UOM[unit] };
  }

  party(id: number): string {
    return `${this.s.publicUrl}/o/${this.cls(id).ownerCode}`;
  }

  market(id: number) {
    return { id: `${this.s.publicUrl}/m/${id}/board` };
  }

  push(at: string | Date, rank: number, tie: number, key: string, body: EpcisEvent): void {
    const time = new Date(at);
    const { type, ...rest } = body;
    this.out.push({
      at: time.getTime(),
      rank,
      tie,
      key,
      event: {
        type,
        eventTime: time.toISOString(),
        eventTimeZoneOffset: utcOffset(this.s.timeZone, time),
        eventID: eventUuid(this.s.publicUrl, key),
        ...rest,
      },
    });
  }

  /** The events in time order; ties by rank, then by the record told of, then by key. */
  sorted(): EpcisEvent[] {
    return [...this.out]
      .sort((a, b) => a.at - b.at || a.rank - b.rank || a.tie - b.tie || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((r) => r.event);
  }
}

/** Every event of the scope, in time order. */
export function eventsOf(s: ExportScope): EpcisEvent[] {
  const list = new EventList(s);
  commissioning(list);
  transformations(list);
  transfers(list);
  inspections(list);
  gateEntries(list);
  recalls(list);
  return list.sorted();
}

/** A lot that came from no other lot is brought into existence: its lot identifier is first used. */
function commissioning(e: EventList): void {
  const { s } = e;
  for (const n of s.nodes) {
    if (s.made.has(n.id)) continue;
    const c = e.cls(n.id);
    e.push(c.producedAt, RANK.commissioning, n.id, `commissioning:${n.id}`, {
      type: 'ObjectEvent',
      quantityList: [e.amount(n.id, c.quantity, c.unit)],
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      ilmd: lotMasterData(s.publicUrl, c),
      'foodtrace:owner': e.party(n.id),
    });
  }
}

/**
 * A split or a merge gives the same goods new lot identifiers without changing the product: CBV "repackaging"
 * as a TransformationEvent, which is the EPCIS way to say which lots became which (ObjectEvents could not link
 * them). Processing makes a new product (raw milk into yoghurt): CBV 2.0 has no "transforming" step, and
 * "commissioning" is what its own TransformationEvent examples use for outputs brought into existence.
 */
function transformations(e: EventList): void {
  const { s } = e;
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
    const taken = fromMilli(group.reduce((sum, l) => sum + toMilli(l.quantity), 0));
    e.push(group[0].createdAt, RANK.transformation, group[0].id, `split:${parent}>${group.map((l) => l.childId).join(',')}`, {
      type: 'TransformationEvent',
      inputQuantityList: [e.amount(parent, taken, e.cls(parent).unit)],
      outputQuantityList: group.map((l) => e.amount(l.childId, e.cls(l.childId).quantity, e.cls(l.childId).unit)),
      bizStep: 'repackaging',
      disposition: 'active',
      'foodtrace:owner': e.party(parent),
      'foodtrace:linkKind': LinkKind.SPLIT,
    });
  }
  for (const [child, group] of joins) {
    const kind = group[0].kind;
    e.push(group[0].createdAt, RANK.transformation, group[0].id, `${kind.toLowerCase()}:${child}`, {
      type: 'TransformationEvent',
      inputQuantityList: group.map((l) => e.amount(l.parentId, l.quantity, e.cls(l.parentId).unit)),
      outputQuantityList: [e.amount(child, e.cls(child).quantity, e.cls(child).unit)],
      bizStep: kind === LinkKind.PROCESS ? 'commissioning' : 'repackaging',
      disposition: 'active',
      ilmd: lotMasterData(s.publicUrl, e.cls(child)),
      'foodtrace:owner': e.party(child),
      'foodtrace:linkKind': kind,
    });
  }
}

/**
 * CBV 2.0 business transaction types of our hand-over documents. A sales voucher is the seller's record of the sale,
 * as an invoice is; OTHER has no CBV type and is sent untyped. The document's own kind stays in its URI.
 */
const DOCUMENT_BTT: Record<HandoverDocumentType, string | null> = {
  [HandoverDocumentType.INVOICE]: 'inv',
  [HandoverDocumentType.DELIVERY_NOTE]: 'desadv',
  [HandoverDocumentType.SALES_VOUCHER]: 'inv',
  [HandoverDocumentType.PURCHASE_ORDER]: 'po',
  [HandoverDocumentType.BILL_OF_LADING]: 'bol',
  [HandoverDocumentType.OTHER]: null,
};

/** A place that is an absolute URI (`urn:epc:id:sgln:…`, a Digital Link), not a place in words. */
const PLACE_URI = /^[a-z][a-z0-9+.-]*:\S+$/i;

/**
 * A transfer changes the owning party: CBV shipping by the giver and receiving by the taker, with owning_party
 * source and destination. The taker's lot gets its own identifier on receipt (action ADD); both events carry
 * the transfer as a business transaction, which ties the giver's lot to the taker's.
 */
function transfers(e: EventList): void {
  const { s } = e;
  const { publicUrl } = s;
  // a gate that accepted a load handed it to the vendor there: that hand-over happened at the market, at the entry's time
  const gateOf = new Map<number, TraceMarketEntry>();
  for (const x of s.entries) if (x.receivedBatchId !== null && x.batchId !== x.receivedBatchId) gateOf.set(x.receivedBatchId, x);

  for (const l of s.links) {
    if (l.kind !== LinkKind.TRANSFER) continue;
    const gate = gateOf.get(l.childId);
    const where = gate ? { readPoint: e.market(gate.marketId), bizLocation: e.market(gate.marketId) } : {};
    const at = gate ? gate.at : l.createdAt;
    // a place given as a URI (a GLN, as a captured event told it) is a CBV location; a place in words stays ours
    const fromUri = l.shipFrom !== null && PLACE_URI.test(l.shipFrom);
    const toUri = l.shipTo !== null && PLACE_URI.test(l.shipTo);
    const parties = {
      sourceList: [{ type: 'owning_party', source: e.party(l.parentId) }, ...(fromUri ? [{ type: 'location', source: l.shipFrom! }] : [])],
      destinationList: [{ type: 'owning_party', destination: e.party(l.childId) }, ...(toUri ? [{ type: 'location', destination: l.shipTo! }] : [])],
    };
    // keyed by the two lots, which the public trace shows, never by the link's own row id
    const hop = `${l.parentId}>${l.childId}`;
    const transaction: { type?: string; bizTransaction: string }[] = [
      { bizTransaction: `${publicUrl}/transfers/${eventUuid(publicUrl, `transfer:${hop}`).slice('urn:uuid:'.length)}` },
    ];
    // the document the goods travelled under, as a typed business transaction (CBV BTT) named by its type and number
    if (l.documentType && l.documentNumber) {
      const type = DOCUMENT_BTT[l.documentType];
      transaction.push({
        ...(type ? { type } : {}),
        bizTransaction: `${publicUrl}/documents/${l.documentType.toLowerCase()}/${encodeURIComponent(l.documentNumber)}`,
      });
    }
    const shipment = {
      ...(l.shippedAt ? { 'foodtrace:shippedAt': new Date(l.shippedAt).toISOString() } : {}),
      ...(l.shipFrom && !fromUri ? { 'foodtrace:shipFrom': l.shipFrom } : {}),
      ...(l.shipTo && !toUri ? { 'foodtrace:shipTo': l.shipTo } : {}),
      ...(l.documentType && !l.documentNumber ? { 'foodtrace:documentType': l.documentType } : {}),
    };
    e.push(at, RANK.shipping, l.id, `shipping:${hop}`, {
      type: 'ObjectEvent',
      quantityList: [e.amount(l.parentId, l.quantity, e.cls(l.parentId).unit)],
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'in_transit',
      ...where,
      bizTransactionList: transaction,
      ...parties,
      ...shipment,
    });
    e.push(at, RANK.receiving, l.id, `receiving:${hop}`, {
      type: 'ObjectEvent',
      quantityList: [e.amount(l.childId, e.cls(l.childId).quantity, e.cls(l.childId).unit)],
      action: 'ADD',
      bizStep: 'receiving',
      disposition: 'in_progress',
      ...where,
      bizTransactionList: transaction,
      ...parties,
      ilmd: lotMasterData(publicUrl, e.cls(l.childId)),
    });
  }
}

/**
 * Tests: CBV inspecting, with the CBV 2.0 dispositions conformant / non_conformant. A test is of the lot, not of
 * an amount of it, so the quantity element names the class only.
 */
function inspections(e: EventList): void {
  for (const i of e.s.inspections) {
    e.push(i.inspectedAt, RANK.inspection, i.id, `inspection:${i.id}`, {
      type: 'ObjectEvent',
      quantityList: [{ epcClass: e.epcClass(i.batchId) }],
      action: 'OBSERVE',
      bizStep: 'inspecting',
      disposition: i.result === TestResult.PASS ? 'conformant' : 'non_conformant',
      ...(i.marketId !== null ? { readPoint: e.market(i.marketId), bizLocation: e.market(i.marketId) } : {}),
      'foodtrace:testKind': i.kind,
      'foodtrace:testItems': i.items.map((x) => ({ item: x.item, value: x.value, unit: x.unit, result: x.result })),
    });
  }
}

const GATE_STEP = {
  [GateDecision.ACCEPTED]: { bizStep: 'accepting', disposition: 'sellable_accessible' },
  [GateDecision.REJECTED]: { bizStep: 'accepting', disposition: 'non_conformant' },
  [GateDecision.TEST_REQUIRED]: { bizStep: 'holding', disposition: 'sellable_not_accessible' },
} as const;

/**
 * Gate entries: accepted loads go on sale (CBV accepting, sellable_accessible); a refused load is accepting
 * that found it non_conformant; a load waiting for its rapid test is held aside (CBV holding: "segregated for
 * further inspection"), not yet sellable (sellable_not_accessible). The test, once made, is its own event.
 */
function gateEntries(e: EventList): void {
  for (const x of e.s.entries) {
    const lot = x.batchId ?? x.receivedBatchId!;
    e.push(x.at, RANK.entry, x.id, `entry:${x.id}:${x.decision}`, {
      type: 'ObjectEvent',
      quantityList: [e.amount(lot, x.declaredQuantity, x.unit)],
      action: 'OBSERVE',
      ...GATE_STEP[x.decision],
      readPoint: e.market(x.marketId),
      bizLocation: e.market(x.marketId),
      'foodtrace:gateDecision': x.decision,
    });
  }
}

/**
 * Recalls: every recalled lot, CBV disposition recalled, held (CBV holding) from the moment of the recall that
 * reached it; the whole lot is recalled, so its whole quantity is named.
 */
function recalls(e: EventList): void {
  const { s } = e;
  const recalled = new Set(s.nodes.filter((n) => n.status === BatchStatus.RECALLED).map((n) => n.id));
  for (const r of s.recalls) {
    if (!recalled.has(r.batchId)) continue;
    const c = e.cls(r.batchId);
    e.push(r.at, RANK.recall, r.batchId, `recall:${r.id}:${r.batchId}`, {
      type: 'ObjectEvent',
      quantityList: [e.amount(r.batchId, c.quantity, c.unit)],
      action: 'OBSERVE',
      bizStep: 'holding',
      disposition: 'recalled',
      ...(r.sourceId !== null ? { 'foodtrace:recallSource': e.epcClass(r.sourceId) } : {}),
      'foodtrace:recallReason': r.reason,
    });
  }
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
