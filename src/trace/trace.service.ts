import { type Context, type Db } from '../context';
import { BatchStatus } from '../entities/enums';
import { badInput, notFound } from '../errors';
import { isPublicCode } from '../public-code';
import { quantityLeft } from '../quantity';
import type { PublicOperator } from '../registry/operator.model';
import { batchIdByPublicCode } from '../tables/batch.table';
import * as v from '../validation';
import type {
  ForwardTrace, LineageGraph, SubtreeImpact, Trace, TraceBatch, TraceDetails, TraceLink, Walk, WalkBounds,
} from './trace.model';
import {
  detailRows, DOWNSTREAM_BY_ID_SQL, forwardRows, subtreeImpactJson, UPSTREAM_BY_ID_SQL, UPSTREAM_SQL, walkRows, type NodeRow,
  handoverFromJson, publicTraceRows, traceRows, type DetailRow, type TraceRow,
} from './trace.sql';

export type { SubtreeImpact, TraceDetails, Walk, WalkBounds };

export const PUBLIC_TRACE_BOUNDS: WalkBounds = { maxDepth: 100, maxNodes: 2000 };

/** Runs one walk statement and keeps only the links between nodes it returned; a dropped link means truncation. */
export async function runWalk(ctx: Db, sql: string, start: string | number, bounds: WalkBounds): Promise<Walk> {
  return walkFromRows(await walkRows(ctx, sql, start, bounds));
}

function walkFromRows(rows: NodeRow[]): Walk {
  const nodes = rows.map(toNode);
  const ids = new Set(nodes.map((n) => n.id));
  const edges: TraceLink[] = [];
  let truncated = false;
  for (const row of rows) {
    for (const l of row.links) {
      if (ids.has(l.parentId) && ids.has(l.childId)) {
        edges.push({
          parentId: l.parentId, childId: l.childId, kind: l.kind, quantity: Number(l.quantity), createdAt: new Date(l.createdAt), handover: handoverFromJson(l),
        });
      } else {
        truncated = true;
      }
    }
  }
  return { nodes, edges, truncated };
}

export const walkUpstreamByCode = (ctx: Db, code: string, bounds = PUBLIC_TRACE_BOUNDS) => runWalk(ctx, UPSTREAM_SQL, code, bounds);
export const walkUpstream = (ctx: Db, batchId: number, bounds: WalkBounds) => runWalk(ctx, UPSTREAM_BY_ID_SQL, batchId, bounds);
export const walkDownstream = (ctx: Db, batchId: number, bounds: WalkBounds) => runWalk(ctx, DOWNSTREAM_BY_ID_SQL, batchId, bounds);

/** Certificates, inspections and gate entries of all the given batches, in one statement. */
export async function loadDetails(ctx: Db, batchIds: number[]): Promise<TraceDetails> {
  return detailsFromRows(batchIds.length ? await detailRows(ctx, batchIds) : []);
}

function detailsFromRows(rows: DetailRow[]): TraceDetails {
  const out: TraceDetails = { certificates: [], inspections: [], marketEntries: [] };
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
 * The trace of a code inside the caller's transaction: the batch and everything upstream, with certificates,
 * tests, gate entries, producers and recall status. One SQL statement whatever the chain's length; null for an
 * unknown code.
 */
export async function traceByCode(ctx: Pick<Context, 'em' | 'config'>, code: string, bounds: WalkBounds = PUBLIC_TRACE_BOUNDS): Promise<Trace | null> {
  if (!isPublicCode(code)) return null;
  return traceFromRows(ctx.config.publicUrl, await traceRows(ctx, code, bounds));
}

/**
 * The public trace of a code: one prepared statement on the public lookups' read-only, time-bounded connections
 * (no transaction around it); null for an unknown code.
 */
export async function publicTrace(ctx: Pick<Context, 'reads' | 'config'>, code: string): Promise<Trace | null> {
  if (!isPublicCode(code)) return null;
  return traceFromRows(ctx.config.publicUrl, await publicTraceRows(ctx.reads, code, PUBLIC_TRACE_BOUNDS));
}

function traceFromRows(publicUrl: string, rows: TraceRow[]): Trace | null {
  if (!rows.length) return null;
  return assembleTrace(publicUrl, walkFromRows(rows), detailsFromRows(rows[0].details ?? []));
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
    consumed: quantityLeft(r.quantity, r.remaining),
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

/** Everything a batch came from, up to the bounds; one statement. */
export async function traceBackward(ctx: Db, batchId: number, input: TraceBoundsInput = {}): Promise<LineageGraph> {
  const bounds = regulatorBounds(input);
  const walk = await walkUpstream(ctx, batchId, bounds);
  if (!walk.nodes.length) throw notFound('Batch', batchId);
  return { batch: walk.nodes[0], ...walk, ...bounds };
}

/**
 * Everything made from a batch: the graph up to the bounds, and who holds it, which markets it reached and how
 * much is on hand over every batch within maxDepth (not cut by maxNodes). Two statements.
 */
export async function traceForward(ctx: Db, batchId: number, input: TraceBoundsInput = {}): Promise<ForwardTrace> {
  const bounds = regulatorBounds(input);
  const rows = await forwardRows(ctx, batchId, bounds);
  if (!rows.length) throw notFound('Batch', batchId);
  const walk = walkFromRows(rows);
  const impact = impactFromJson(rows[0].impact);
  const details = await loadDetails(ctx, walk.nodes.map((n) => n.id));
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
export async function subtreeImpact(ctx: Db, batchId: number): Promise<SubtreeImpact> {
  return impactFromJson(await subtreeImpactJson(ctx, batchId));
}

function impactFromJson(impact: SubtreeImpact): SubtreeImpact {
  return { ...impact, quantities: impact.quantities.map((q) => ({ unit: q.unit, batches: q.batches, onHand: Number(q.onHand) })) };
}

/** The forward trace of a lot named by its batch id or by the public code on its label (default bounds); NOT_FOUND for neither. */
export async function traceForwardOf(ctx: Db, lot: string): Promise<ForwardTrace> {
  if (/^\d{1,10}$/.test(lot)) return traceForward(ctx, v.id('lot', lot));
  const id = isPublicCode(lot) ? await batchIdByPublicCode(ctx, lot) : null;
  if (id === null) throw notFound('Batch', lot);
  return traceForward(ctx, id);
}
