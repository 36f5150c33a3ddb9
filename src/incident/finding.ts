import type { Db } from '../tables/table';
import { traceBackward, traceForward } from '../trace/trace.service';
import type { TraceBatch } from '../trace/trace.model';
import type { FindingBatch, FindingForward, FindingSuspect, IncidentFinding } from './incident.model';

/** At most this many common sources are traced forward; the rest are named without their subtree. */
export const MAX_FORWARD_SOURCES = 10;

function named(b: TraceBatch): FindingBatch {
  return { batchId: b.id, publicCode: b.publicCode, productName: b.productName, lotCode: b.lotCode, ownerId: b.owner.id, ownerName: b.owner.name };
}

/**
 * The backward trace of each suspect lot and the forward trace from the origin lots they all share. With one
 * suspect its own origins are the sources; suspects with no origin in common give no common source.
 */
export async function traceSuspects(ctx: Db, suspects: { code: string; batchId: number }[], unresolved: string[], now: Date): Promise<IncidentFinding> {
  const found: FindingSuspect[] = [];
  const byId = new Map<number, TraceBatch>();
  let common: Set<number> | null = null;
  for (const s of suspects) {
    const graph = await traceBackward(ctx, s.batchId);
    const hasParent = new Set(graph.edges.map((e) => e.childId));
    const roots = graph.nodes.filter((n) => !hasParent.has(n.id));
    for (const n of graph.nodes) byId.set(n.id, n);
    const rootIds = roots.map((r) => r.id).sort((a, b) => a - b);
    found.push({ ...named(graph.batch), code: s.code, sourceBatchIds: rootIds, upstreamBatches: graph.nodes.length, truncated: graph.truncated });
    const mine = new Set(rootIds);
    common = common === null ? mine : new Set([...common].filter((id: number) => mine.has(id)));
  }
  const sourceIds = [...(common ?? [])].sort((a, b) => a - b);
  const forward: FindingForward[] = [];
  for (const id of sourceIds.slice(0, MAX_FORWARD_SOURCES)) {
    const f = await traceForward(ctx, id);
    forward.push({
      source: named(f.batch),
      batches: f.totalBatches,
      operators: f.affectedOperators.map(({ id: opId, name, kind, batches }) => ({ id: opId, name, kind, batches })),
      markets: f.markets,
      quantities: f.quantities,
      entries: f.entryCount,
      truncated: f.truncated,
    });
  }
  return { tracedAt: now, suspects: found, unresolved, commonSources: sourceIds.map((id) => named(byId.get(id)!)), forward };
}
