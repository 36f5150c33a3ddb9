import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import {
  BatchStatus, CertificateStatus, CommitmentBasis, GateDecision, Grade, InspectionKind, LinkKind, OperatorKind, OperatorStatus,
  ProductCategory, QuantityUnit, TestResult,
} from '../entities/enums';
import { badInput, notFound } from '../errors';
import { DETAILS_SQL, DOWNSTREAM_BY_ID_SQL, FORWARD_SQL, SUBTREE_IMPACT_SQL, UPSTREAM_BY_ID_SQL, UPSTREAM_SQL } from './trace.sql';

/** What anyone may see of an operator in a trace: no contact data. */
export interface TraceOperator {
  id: number;
  kind: OperatorKind;
  name: string;
  /** Unified social credit code or town registration-card number. */
  registrationNumber: string | null;
  village: string | null;
  status: OperatorStatus;
  grade: Grade;
  /** Code of the registration card (`/o/:code`). */
  publicCode: string;
}

/** A recall started on one batch; every descendant of it is RECALLED. */
export interface TraceRecall {
  id: number;
  /** The batch the recall was started on. */
  batchId: number;
  batchCode: string;
  reason: string;
  recalledAt: Date;
}

export interface TraceNode {
  id: number;
  publicCode: string;
  productName: string;
  category: ProductCategory;
  lotCode: string;
  quantity: number;
  remaining: number;
  /** Taken by splits, merges, processing and transfers: quantity − remaining, exact to the gram. */
  consumed: number;
  unit: QuantityUnit;
  producedAt: Date;
  originPlace: string | null;
  gtin: string | null;
  status: BatchStatus;
  nonConformant: boolean;
  createdAt: Date;
  /** Shortest number of links from the traced batch (0 for itself). */
  depth: number;
  owner: TraceOperator;
  /** Set when a recall was started on this very batch. */
  recall: TraceRecall | null;
}

/** A link parent → child; `quantity` is what was taken from the parent, in the parent's unit. */
export interface TraceEdge {
  parentId: number;
  childId: number;
  kind: LinkKind;
  quantity: number;
  createdAt: Date;
}

export interface TraceCertificate {
  id: number;
  batchId: number;
  issuerId: number;
  number: string;
  quantity: number;
  quantityAdmitted: number;
  unit: QuantityUnit;
  issuedAt: Date;
  bases: CommitmentBasis[];
  statement: string;
  testReference: string | null;
  status: CertificateStatus;
  revokedAt: Date | null;
  revokeReason: string | null;
}

export interface TraceInspectionItem {
  [key: string]: unknown;
  item: string;
  value: number | null;
  unit: string | null;
  result: TestResult;
}

export interface TraceInspection {
  id: number;
  batchId: number;
  kind: InspectionKind;
  items: TraceInspectionItem[];
  result: TestResult;
  tester: string;
  marketId: number | null;
  marketName: string | null;
  inspectedAt: Date;
}

export interface TraceMarketEntry {
  id: number;
  /** The batch scanned at the gate. */
  batchId: number | null;
  /** The vendor's batch created when the load was accepted. */
  receivedBatchId: number | null;
  marketId: number;
  marketName: string;
  vendorId: number;
  vendorName: string;
  declaredQuantity: number;
  unit: QuantityUnit;
  decision: GateDecision;
  at: Date;
}

/** The whole upstream chain of one public code, as the consumer page and `trace(code)` show it. */
export interface TraceResult {
  code: string;
  /** The URL the batch's QR code encodes. */
  url: string;
  batch: TraceNode;
  /** Where the goods come from (the batch's origin place). */
  origin: string | null;
  /** Owner of the origin lot: the deepest upstream batch without parents (ties: lowest id). */
  producer: TraceOperator;
  /** Owners of every upstream batch without parents, deepest first, each once. */
  producers: TraceOperator[];
  /** Every upstream batch including the traced one, by depth then id. */
  nodes: TraceNode[];
  edges: TraceEdge[];
  certificates: TraceCertificate[];
  inspections: TraceInspection[];
  marketEntries: TraceMarketEntry[];
  /** True when the batch or an ancestor was recalled. */
  recalled: boolean;
  /** The recall that covers this batch (started on it or on the nearest recalled ancestor). */
  recall: TraceRecall | null;
  /** True when the chain was longer than the bounds and was cut. */
  truncated: boolean;
}

/** Bounds of a walk; the public trace uses the defaults. */
export interface WalkBounds {
  maxDepth: number;
  maxNodes: number;
}

export const PUBLIC_TRACE_BOUNDS: WalkBounds = { maxDepth: 100, maxNodes: 2000 };

export interface Walk {
  nodes: TraceNode[];
  edges: TraceEdge[];
  truncated: boolean;
}

interface NodeRow {
  depth: number;
  id: number;
  public_code: string;
  product_name: string;
  category: ProductCategory;
  lot_code: string;
  quantity: string;
  remaining: string;
  unit: QuantityUnit;
  produced_at: Date;
  origin_place: string | null;
  gtin: string | null;
  status: BatchStatus;
  non_conformant: boolean;
  created_at: Date;
  owner_id: number;
  owner_kind: OperatorKind;
  owner_name: string;
  owner_registration_number: string | null;
  owner_village: string | null;
  owner_status: OperatorStatus;
  owner_grade: Grade;
  owner_public_code: string;
  recall_id: number | null;
  recall_reason: string | null;
  recall_at: Date | null;
  links: { parentId: number; childId: number; kind: LinkKind; quantity: number; createdAt: string }[];
}

const PUBLIC_CODE = /^[A-Za-z0-9_-]{1,32}$/;

/** Runs one walk statement and keeps only the links between nodes it returned; a dropped link means truncation. */
export async function runWalk(em: EntityManager, sql: string, start: string | number, bounds: WalkBounds): Promise<Walk> {
  return walkFromRows(await em.execute<NodeRow[]>(sql, [start, bounds.maxDepth, bounds.maxNodes]));
}

function walkFromRows(rows: NodeRow[]): Walk {
  const nodes = rows.map(toNode);
  const ids = new Set(nodes.map((n) => n.id));
  const edges: TraceEdge[] = [];
  let truncated = false;
  for (const row of rows) {
    for (const l of row.links) {
      if (ids.has(l.parentId) && ids.has(l.childId)) {
        edges.push({ parentId: l.parentId, childId: l.childId, kind: l.kind, quantity: Number(l.quantity), createdAt: new Date(l.createdAt) });
      } else {
        truncated = true;
      }
    }
  }
  return { nodes, edges, truncated };
}

export const walkUpstreamByCode = (em: EntityManager, code: string, bounds = PUBLIC_TRACE_BOUNDS) => runWalk(em, UPSTREAM_SQL, code, bounds);
export const walkUpstream = (em: EntityManager, batchId: number, bounds: WalkBounds) => runWalk(em, UPSTREAM_BY_ID_SQL, batchId, bounds);
export const walkDownstream = (em: EntityManager, batchId: number, bounds: WalkBounds) => runWalk(em, DOWNSTREAM_BY_ID_SQL, batchId, bounds);

export interface TraceDetails {
  certificates: TraceCertificate[];
  inspections: TraceInspection[];
  marketEntries: TraceMarketEntry[];
}

/** Certificates, inspections and gate entries of all the given batches, in one statement. */
export async function loadDetails(em: EntityManager, batchIds: number[]): Promise<TraceDetails> {
  const out: TraceDetails = { certificates: [], inspections: [], marketEntries: [] };
  if (!batchIds.length) return out;
  const list = `{${batchIds.join(',')}}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const rows = await em.execute<{ k: 'C' | 'I' | 'E'; v: any }[]>(DETAILS_SQL, [list, list, list, list]);
  for (const { k, v } of rows) {
    if (k === 'C') {
      out.certificates.push({
        ...v,
        quantity: Number(v.quantity),
        quantityAdmitted: Number(v.quantityAdmitted),
        issuedAt: new Date(v.issuedAt),
        revokedAt: v.revokedAt ? new Date(v.revokedAt) : null,
      });
    } else if (k === 'I') {
      out.inspections.push({ ...v, inspectedAt: new Date(v.inspectedAt) });
    } else {
      out.marketEntries.push({ ...v, declaredQuantity: Number(v.declaredQuantity), at: new Date(v.at) });
    }
  }
  out.certificates.sort((a, b) => a.batchId - b.batchId || a.id - b.id);
  out.inspections.sort((a, b) => +a.inspectedAt - +b.inspectedAt || a.id - b.id);
  out.marketEntries.sort((a, b) => +a.at - +b.at || a.id - b.id);
  return out;
}

/**
 * The public trace of a code: the batch and everything upstream, with certificates, tests, gate entries,
 * producers and recall status. Two SQL statements whatever the chain's length; null for an unknown code.
 */
export async function traceByCode(ctx: Pick<Context, 'em' | 'config'>, code: string, bounds: WalkBounds = PUBLIC_TRACE_BOUNDS): Promise<TraceResult | null> {
  if (!PUBLIC_CODE.test(code)) return null;
  const walk = await walkUpstreamByCode(ctx.em, code, bounds);
  if (!walk.nodes.length) return null;
  const details = await loadDetails(ctx.em, walk.nodes.map((n) => n.id));
  return assembleTrace(ctx.config.publicUrl, walk, details);
}

/** Builds the trace answer from an upstream walk (nodes by depth, the traced batch first). */
export function assembleTrace(publicUrl: string, walk: Walk, details: TraceDetails): TraceResult {
  const batch = walk.nodes[0];
  const hasParent = new Set(walk.edges.map((e) => e.childId));
  const roots = walk.nodes.filter((n) => !hasParent.has(n.id)).sort((a, b) => b.depth - a.depth || a.id - b.id);
  const producers: TraceOperator[] = [];
  for (const r of roots) if (!producers.some((p) => p.id === r.owner.id)) producers.push(r.owner);
  // nodes come by depth, so the first recall found is the nearest one
  const recall = walk.nodes.find((n) => n.recall)?.recall ?? null;
  return {
    code: batch.publicCode,
    url: `${publicUrl}/t/${batch.publicCode}`,
    batch,
    origin: batch.originPlace,
    producer: producers[0] ?? batch.owner,
    producers,
    nodes: walk.nodes,
    edges: walk.edges,
    ...details,
    recalled: batch.status === BatchStatus.RECALLED || recall !== null,
    recall,
    truncated: walk.truncated,
  };
}

function toNode(r: NodeRow): TraceNode {
  return {
    id: r.id,
    publicCode: r.public_code,
    productName: r.product_name,
    category: r.category,
    lotCode: r.lot_code,
    quantity: Number(r.quantity),
    remaining: Number(r.remaining),
    consumed: (Math.round(Number(r.quantity) * 1000) - Math.round(Number(r.remaining) * 1000)) / 1000,
    unit: r.unit,
    producedAt: new Date(r.produced_at),
    originPlace: r.origin_place,
    gtin: r.gtin,
    status: r.status,
    nonConformant: r.non_conformant,
    createdAt: new Date(r.created_at),
    depth: Number(r.depth),
    owner: {
      id: r.owner_id,
      kind: r.owner_kind,
      name: r.owner_name,
      registrationNumber: r.owner_registration_number,
      village: r.owner_village,
      status: r.owner_status,
      grade: r.owner_grade,
      publicCode: r.owner_public_code,
    },
    recall: r.recall_id
      ? { id: r.recall_id, batchId: r.id, batchCode: r.public_code, reason: r.recall_reason!, recalledAt: new Date(r.recall_at!) }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Regulator traces: bounded walks from a batch id, each answer saying whether it was cut.

export interface TraceBoundsInput {
  maxDepth?: number | null;
  maxNodes?: number | null;
}

export const REGULATOR_TRACE_LIMITS = { defaultDepth: 50, maxDepth: 500, defaultNodes: 1000, maxNodes: 10000 } as const;

/** The bounds a regulator asked for, checked against the hard limits. */
export function regulatorBounds(input: TraceBoundsInput = {}): WalkBounds {
  const l = REGULATOR_TRACE_LIMITS;
  const maxDepth = input.maxDepth ?? l.defaultDepth;
  const maxNodes = input.maxNodes ?? l.defaultNodes;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > l.maxDepth) throw badInput('maxDepth', `must be between 1 and ${l.maxDepth}`);
  if (!Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > l.maxNodes) throw badInput('maxNodes', `must be between 1 and ${l.maxNodes}`);
  return { maxDepth, maxNodes };
}

/** A bounded walk from one batch: the batch is the first node (depth 0). */
export interface LineageGraph {
  batch: TraceNode;
  nodes: TraceNode[];
  edges: TraceEdge[];
  truncated: boolean;
  maxDepth: number;
  maxNodes: number;
}

export interface UnitQuantity {
  unit: QuantityUnit;
  /** Batches in this unit. */
  batches: number;
  /** What those batches still hold (sum of remaining). */
  onHand: number;
}

export interface AffectedMarket {
  id: number;
  name: string;
  /** Gate entries of affected batches at this market. */
  entries: number;
  accepted: number;
}

export interface AffectedOperator extends TraceOperator {
  /** Affected batches this operator owns. */
  batches: number;
}

/** What a batch reached over its whole subtree, whatever the bounds of the node list. */
export interface SubtreeImpact {
  /** The batch and every descendant. */
  batches: number;
  operators: AffectedOperator[];
  markets: AffectedMarket[];
  /** Gate entries of those batches. */
  entries: number;
  quantities: UnitQuantity[];
}

export interface ForwardTrace extends LineageGraph {
  /** Aggregates over every descendant within maxDepth, however many maxNodes lets `nodes` list. */
  totalBatches: number;
  affectedOperators: AffectedOperator[];
  markets: AffectedMarket[];
  entryCount: number;
  quantities: UnitQuantity[];
  /** Gate entries and tests of the listed nodes. */
  marketEntries: TraceMarketEntry[];
  inspections: TraceInspection[];
}

/** Everything a batch came from, up to the bounds; one statement. */
export async function traceBackward(ctx: Pick<Context, 'em'>, batchId: number, input: TraceBoundsInput = {}): Promise<LineageGraph> {
  const bounds = regulatorBounds(input);
  const walk = await walkUpstream(ctx.em, batchId, bounds);
  if (!walk.nodes.length) throw notFound('Batch', batchId);
  return { batch: walk.nodes[0], ...walk, ...bounds };
}

/**
 * Everything made from a batch: the graph up to the bounds, and who holds it, which markets it reached and how
 * much is on hand over every batch within maxDepth (not cut by maxNodes). Two statements.
 */
export async function traceForward(ctx: Pick<Context, 'em'>, batchId: number, input: TraceBoundsInput = {}): Promise<ForwardTrace> {
  const bounds = regulatorBounds(input);
  const rows = await ctx.em.execute<(NodeRow & { impact: SubtreeImpact })[]>(FORWARD_SQL, [batchId, bounds.maxDepth, bounds.maxNodes]);
  if (!rows.length) throw notFound('Batch', batchId);
  const walk = walkFromRows(rows);
  const impact = impactFromJson(rows[0].impact);
  const details = await loadDetails(ctx.em, walk.nodes.map((n) => n.id));
  return {
    batch: walk.nodes[0],
    ...walk,
    ...bounds,
    totalBatches: impact.batches,
    affectedOperators: impact.operators,
    markets: impact.markets,
    entryCount: impact.entries,
    quantities: impact.quantities,
    marketEntries: details.marketEntries,
    inspections: details.inspections,
  };
}

/** Aggregates over a batch and all its descendants, in one statement. */
export async function subtreeImpact(em: EntityManager, batchId: number): Promise<SubtreeImpact> {
  const [{ impact }] = await em.execute<{ impact: SubtreeImpact }[]>(SUBTREE_IMPACT_SQL, [batchId]);
  return impactFromJson(impact);
}

function impactFromJson(impact: SubtreeImpact): SubtreeImpact {
  return { ...impact, quantities: impact.quantities.map((q) => ({ unit: q.unit, batches: q.batches, onHand: Number(q.onHand) })) };
}
