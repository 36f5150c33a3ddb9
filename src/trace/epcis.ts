import { createHash } from 'node:crypto';
import type { Context } from '../context';
import { GateDecision, LinkKind, QuantityUnit, TestResult } from '../entities/enums';
import { traceByCode, type TraceNode, type TraceResult } from './trace.service';

/** UN/ECE Recommendation 20/21 codes, as EPCIS quantity elements want them. */
const UOM: Record<QuantityUnit, string> = {
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

const LINK_BIZ_STEP: Record<LinkKind, string> = {
  [LinkKind.SPLIT]: 'repackaging',
  [LinkKind.MERGE]: 'commissioning',
  [LinkKind.PROCESS]: 'commissioning',
  [LinkKind.TRANSFER]: 'receiving',
};

const ENTRY_EVENT: Record<GateDecision, { bizStep: string; disposition: string }> = {
  [GateDecision.ACCEPTED]: { bizStep: 'accepting', disposition: 'sellable_accessible' },
  [GateDecision.TEST_REQUIRED]: { bizStep: 'inspecting', disposition: 'in_progress' },
  [GateDecision.REJECTED]: { bizStep: 'accepting', disposition: 'non_sellable_other' },
};

/** Events are recorded in the town's local time (China Standard Time). */
const TIME_ZONE_OFFSET = '+08:00';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

type EpcisEvent = Record<string, unknown> & { eventTime: string };

/**
 * The class identifier of a lot: its GS1 Digital Link when it has a GTIN (our resolver answers it), else the URL of
 * its trace page. Neither carries a database id.
 */
export function lotClass(publicUrl: string, node: Pick<TraceNode, 'gtin' | 'lotCode' | 'publicCode'>): string {
  return node.gtin ? `${publicUrl}/01/${node.gtin}/10/${encodeURIComponent(node.lotCode)}` : `${publicUrl}/t/${node.publicCode}`;
}

/** A stable event id from the event's content, so the same chain always exports the same ids. */
function eventId(event: Record<string, unknown>): string {
  const h = createHash('sha256').update(JSON.stringify(event)).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The chain of a trace as an EPCIS 2.0 JSON-LD document: commissioning of each origin lot (ObjectEvent ADD),
 * each split, merge, processing step and hand-over (TransformationEvent from inputs to the new lot), gate
 * entries and tests (ObjectEvent OBSERVE) and the recall (disposition `recalled`). Public data only.
 */
export function epcisDocument(trace: TraceResult, publicUrl: string, now = new Date()): Record<string, unknown> {
  const byId = new Map(trace.nodes.map((n) => [n.id, n]));
  const party = (n: TraceNode) => `${publicUrl}/o/${n.owner.publicCode}`;
  const market = (id: number) => `${publicUrl}/m/${id}/board`;
  const quantity = (n: TraceNode, q: number) => ({ epcClass: lotClass(publicUrl, n), quantity: q, uom: UOM[n.unit] });
  const events: EpcisEvent[] = [];
  const base = (time: Date) => ({ eventTime: time.toISOString(), eventTimeZoneOffset: TIME_ZONE_OFFSET });

  const hasParent = new Set(trace.edges.map((e) => e.childId));
  for (const n of trace.nodes) {
    if (hasParent.has(n.id)) continue;
    events.push({
      type: 'ObjectEvent',
      ...base(n.producedAt),
      quantityList: [quantity(n, n.quantity)],
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: party(n) },
      bizLocation: { id: party(n) },
    });
  }

  // one transformation per new lot and link kind: its inputs are what each parent gave
  const steps = new Map<string, { child: TraceNode; kind: LinkKind; at: Date; inputs: { parent: TraceNode; quantity: number }[] }>();
  for (const e of trace.edges) {
    const child = byId.get(e.childId)!;
    const key = `${e.childId}:${e.kind}`;
    const step = steps.get(key) ?? { child, kind: e.kind, at: e.createdAt, inputs: [] };
    step.inputs.push({ parent: byId.get(e.parentId)!, quantity: e.quantity });
    if (e.createdAt < step.at) step.at = e.createdAt;
    steps.set(key, step);
  }
  for (const s of steps.values()) {
    const transfer = s.kind === LinkKind.TRANSFER;
    events.push({
      type: 'TransformationEvent',
      ...base(s.at),
      inputQuantityList: s.inputs.map((i) => quantity(i.parent, i.quantity)),
      outputQuantityList: [quantity(s.child, s.child.quantity)],
      bizStep: LINK_BIZ_STEP[s.kind],
      disposition: 'active',
      readPoint: { id: party(s.child) },
      bizLocation: { id: party(s.child) },
      ...(transfer
        ? {
            sourceList: [{ type: 'owning_party', source: party(s.inputs[0].parent) }],
            destinationList: [{ type: 'owning_party', destination: party(s.child) }],
          }
        : {}),
    });
  }

  for (const e of trace.marketEntries) {
    const scanned = e.batchId !== null ? byId.get(e.batchId) : undefined;
    if (!scanned) continue;
    events.push({
      type: 'ObjectEvent',
      ...base(e.at),
      quantityList: [quantity(scanned, e.declaredQuantity)],
      action: 'OBSERVE',
      ...ENTRY_EVENT[e.decision],
      readPoint: { id: market(e.marketId) },
      bizLocation: { id: market(e.marketId) },
    });
  }

  for (const i of trace.inspections) {
    const tested = byId.get(i.batchId)!;
    events.push({
      type: 'ObjectEvent',
      ...base(i.inspectedAt),
      quantityList: [{ epcClass: lotClass(publicUrl, tested) }],
      action: 'OBSERVE',
      bizStep: 'inspecting',
      disposition: i.result === TestResult.PASS ? 'conformant' : 'non_conformant',
      readPoint: { id: i.marketId !== null ? market(i.marketId) : party(tested) },
    });
  }

  if (trace.recall) {
    const recalled = trace.nodes.filter((n) => n.status === 'RECALLED');
    events.push({
      type: 'ObjectEvent',
      ...base(trace.recall.recalledAt),
      quantityList: recalled.map((n) => ({ epcClass: lotClass(publicUrl, n) })),
      action: 'OBSERVE',
      bizStep: 'holding',
      disposition: 'recalled',
      readPoint: { id: `${publicUrl}/t/${trace.recall.batchCode}` },
    });
  }

  events.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  return {
    '@context': [EPCIS_CONTEXT],
    id: `${trace.url}#epcis`,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: now.toISOString(),
    epcisBody: { eventList: events.map((e) => ({ eventID: eventId(e), ...e })) },
  };
}

/** The EPCIS export of a public code's chain, or null for an unknown code. */
export async function epcisForCode(ctx: Pick<Context, 'em' | 'config'>, code: string): Promise<Record<string, unknown> | null> {
  const trace = await traceByCode(ctx, code);
  return trace && epcisDocument(trace, ctx.config.publicUrl);
}
