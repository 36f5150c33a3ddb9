import type { FastifyInstance } from 'fastify';
import { chartWindow, CHART_RANGE, deskCharts } from '../charts/desk-charts.service';
import { badInput } from '../errors';
import type { ForwardTrace } from '../trace/trace.model';
import { traceForwardOf } from '../trace/trace.service';
import { failureOf, sendFailure } from './http-errors';
import { formatQuantity, type Lang } from './i18n';
import { lineageDiagram, type DiagramBounds } from './lineage-diagram';
import { langOf } from './page-reply';
import { regulatorOrRefuse, singleValues } from './regulator-api';

/** The forward graph shows six boxes under a lot before folding the rest, 120 boxes in all; a folded lot can be expanded. */
export const FORWARD_GRAPH_BOUNDS: DiagramBounds = { maxFan: 6, maxBoxes: 120 };
const MAX_EXPANDED = 50;

function whole(field: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,3}$/.test(raw)) throw badInput(field, 'must be a whole number');
  return Number(raw);
}

/** `?expand=1,2,3`: the lots whose every child the graph shows. */
function expanded(raw: string | undefined): Set<number> {
  if (raw === undefined || raw === '') return new Set();
  const ids = raw.split(',');
  if (ids.length > MAX_EXPANDED || !ids.every((id) => /^[1-9]\d{0,9}$/.test(id))) throw badInput('expand', `must list at most ${MAX_EXPANDED} batch ids, comma-separated`);
  return new Set(ids.map(Number));
}

/** The forward trace laid out for the desk: boxes and routed links, and what the desk shows of each lot shown. */
function forwardGraph(f: ForwardTrace, expand: Set<number>, lang: Lang) {
  const lots = f.nodes.map((n) => ({ id: n.id, name: n.productName, holder: n.owner.name, lotCode: n.lotCode, quantity: formatQuantity(n.quantity, n.unit, lang) }));
  const d = lineageDiagram(lots, f.edges, f.batch.id, 'downstream', FORWARD_GRAPH_BOUNDS, expand);
  const shown = new Set(d.boxes.filter((b) => b.kind === 'lot').map((b) => b.batchId));
  const status = new Map(f.nodes.map((n) => [n.id, n.status]));
  const details = f.nodes
    .filter((n) => shown.has(n.id))
    .map((n) => ({
      id: n.id, publicCode: n.publicCode, productName: n.productName, lotCode: n.lotCode, quantity: n.quantity, remaining: n.remaining, unit: n.unit,
      status: n.status, depth: n.depth, owner: { id: n.owner.id, name: n.owner.name, kind: n.owner.kind, village: n.owner.village },
      entries: f.marketEntries
        .filter((e) => e.batchId === n.id)
        .map((e) => ({ marketName: e.marketName, vendorName: e.vendorName, decision: e.decision, declaredQuantity: e.declaredQuantity, unit: e.unit, at: e.at })),
      tests: f.inspections.filter((i) => i.batchId === n.id).map((i) => ({ kind: i.kind, result: i.result, marketName: i.marketName, at: i.inspectedAt })),
    }));
  return {
    batch: { id: f.batch.id, publicCode: f.batch.publicCode, productName: f.batch.productName, lotCode: f.batch.lotCode },
    totalBatches: f.totalBatches,
    truncated: f.truncated,
    hiddenLots: d.hiddenLots,
    width: d.width,
    height: d.height,
    boxes: d.boxes.map((b) => ({ ...b, status: b.kind === 'lot' ? status.get(b.batchId)! : null })),
    edges: d.edges,
    lots: details,
  };
}

/**
 * The regulator desk's JSON: the charts' data (`GET /regulator/charts`) and the forward-impact graph of a lot
 * (`GET /regulator/forward-graph/:lot`, the lot by batch id or public code). REGULATOR and ADMIN, by bearer token.
 */
export async function registerDeskRoutes(fastify: FastifyInstance): Promise<void> {
  fastify.get('/regulator/charts', async (request, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      const q = singleValues(request.query as Record<string, unknown>, ['months', 'days'], 'chart option');
      const now = new Date();
      const window = chartWindow(now, ctx.config.timeZone, whole('months', q.months, CHART_RANGE.defaultMonths), whole('days', q.days, CHART_RANGE.defaultDays));
      const charts = await deskCharts(ctx, window, now);
      return reply.header('cache-control', 'no-store').send({ timeZone: ctx.config.timeZone, generatedAt: now, charts });
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  fastify.get<{ Params: { lot: string } }>('/regulator/forward-graph/:lot', async (request, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      const q = singleValues(request.query as Record<string, unknown>, ['expand', 'lang'], 'graph option');
      const expand = expanded(q.expand);
      const forward = await traceForwardOf(ctx, request.params.lot);
      return reply.header('cache-control', 'no-store').send(forwardGraph(forward, expand, langOf(request)));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });
}
