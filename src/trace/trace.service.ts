import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import {
  BatchStatus, CertificateStatus, CommitmentBasis, GateDecision, Grade, InspectionKind, LinkKind, OperatorKind, OperatorStatus,
  ProductCategory, QuantityUnit, TestResult,
} from '../entities/enums';
import { badInput, notFound } from '../errors';
import type { PublicOperator } from '../schema/operator.type';
import type {
  AffectedMarket, AffectedOperator, ForwardTrace, LineageGraph, Trace, TraceBatch, TraceCertificate, TraceInspection, TraceLink, TraceMarketEntry,
  TraceRecall, UnitQuantity,
} from '../schema/trace.type';
import { DETAILS_SQL, DOWNSTREAM_BY_ID_SQL, FORWARD_SQL, SUBTREE_IMPACT_SQL, UPSTREAM_BY_ID_SQL, UPSTREAM_SQL } from './trace.sql';

/** Bounds of a walk; the public trace uses the defaults. */
export interface WalkBounds {
  maxDepth: number;
  maxNodes: number;
}

export const PUBLIC_TRACE_BOUNDS: WalkBounds = { maxDepth: 100, maxNodes: 2000 };

export interface Walk {
  nodes: TraceBatch[];
  edges: TraceLink[];
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
  const edges: TraceLink[] = [];
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
export async function traceByCode(ctx: Pick<Context, 'em' | 'config'>, code: string, bounds: WalkBounds = PUBLIC_TRACE_BOUNDS): Promise<Trace | null> {
  if (!PUBLIC_CODE.test(code)) return null;
  const walk = await walkUpstreamByCode(ctx.em, code, bounds);
  if (!walk.nodes.length) return null;
  const details = await loadDetails(ctx.em, walk.nodes.map((n) => n.id));
  return assembleTrace(ctx.config.publicUrl, walk, details);
}

/** Builds the trace answer from an upstream walk (nodes by depth, the traced batch first). */
export function assembleTrace(publicUrl: string, walk: Walk, details: TraceDetails): Trace {
  const batch = walk.nodes[0];
  const hasParent = new Set(walk.edges.map((e) => e.childId));
  const roots = walk.nodes.filter((n) => !hasParent.has(n.id)).sort((a, b) => b.depth - a.depth || a.id - b.id);
  const producers: PublicOperator[] = [];
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

function toNode(r: NodeRow): TraceBatch {
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
