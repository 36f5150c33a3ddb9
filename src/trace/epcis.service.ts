import { IsolationLevel } from '@mikro-orm/core';
import { withPublicLookup, withTransaction, type Context, type Db } from '../context';
import { notFound } from '../errors';
import { isPublicCode } from '../public-code';
import { eventsOf, classId } from './epcis.events';
import { EpcisDirection, type EpcisDocument, type EpcisEvent } from './epcis.model';
import { loadScope, type Audience } from './epcis.scope';
import type { TraceBatch, Walk, WalkBounds } from './trace.model';
import { PUBLIC_TRACE_BOUNDS, regulatorBounds, walkDownstream, walkUpstream, walkUpstreamByCode, type TraceBoundsInput } from './trace.service';

export { classId, eventUuid, UOM } from './epcis.events';
export { EpcisDirection, type EpcisDocument, type EpcisEvent } from './epcis.model';

/** The GS1 EPCIS 2.0 JSON-LD context every document names first. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

type ExportContext = Pick<Context, 'em' | 'config'>;

/**
 * An EPCIS 2.0 document of a batch's lineage (backward, forward or both, within the regulator trace bounds):
 * every batch's making, every hand-over, gate entry, test and recall of the walked batches, in time order.
 * One consistent snapshot; three statements for one direction, four for both.
 */
export async function lineageEpcisDocument(
  ctx: ExportContext,
  batchId: number,
  direction: EpcisDirection = EpcisDirection.BOTH,
  input: TraceBoundsInput = {},
): Promise<EpcisDocument> {
  const bounds = regulatorBounds(input);
  // the walks and the scope read one repeatable-read snapshot
  return withTransaction(
    ctx,
    async (tx) => {
      const walks: Walk[] = [];
      if (direction !== EpcisDirection.FORWARD) walks.push(await walkUpstream(tx, batchId, bounds));
      if (direction !== EpcisDirection.BACKWARD) walks.push(await walkDownstream(tx, batchId, bounds));
      const doc = await exportWalks(tx, { audience: 'regulator', batchId, direction, bounds, walks });
      if (!doc) throw notFound('Batch', batchId);
      return doc;
    },
    { readOnly: true, isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
}

/**
 * The public EPCIS 2.0 document of a public code: the backward lineage of that batch under the public trace bounds,
 * telling no more than the public trace shows; null for an unknown code. Its own bounded read-only lookup, made
 * one snapshot before anything is read.
 */
export async function publicEpcisDocument(ctx: ExportContext, code: string): Promise<EpcisDocument | null> {
  if (!isPublicCode(code)) return null;
  return withPublicLookup(ctx, async (tx) => {
    await repeatableRead(tx);
    const walk = await walkUpstreamByCode(tx, code, PUBLIC_TRACE_BOUNDS);
    if (!walk.nodes.length) return null;
    const [batch] = walk.nodes;
    return exportWalks(tx, {
      audience: 'public', id: `${tx.config.publicUrl}/t/${batch.publicCode}#epcis`, batchId: batch.id, direction: EpcisDirection.BACKWARD,
      bounds: PUBLIC_TRACE_BOUNDS, walks: [walk],
    });
  });
}

/** The JSON-LD context of every document we write: the standard one and our extension namespace. */
export function epcisContext(publicUrl: string): EpcisDocument['@context'] {
  return [EPCIS_CONTEXT_URL, { foodtrace: `${publicUrl}/ns/epcis/` }];
}

/**
 * The events foodtrace produces about these lots, as a regulator's export tells them: each lot's making, the
 * hand-overs into it, its tests, gate entries and recall. Two statements, inside the caller's transaction.
 */
export async function producedEventsOfLots(tx: ExportContext, lots: Pick<TraceBatch, 'id' | 'status'>[]): Promise<EpcisEvent[]> {
  if (!lots.length) return [];
  const { publicUrl, timeZone } = tx.config;
  return eventsOf(await loadScope(tx, { publicUrl, timeZone }, lots, 'regulator'));
}

/** Makes the open transaction one snapshot; only valid before its first read. */
async function repeatableRead(tx: Db): Promise<void> {
  await tx.em.execute('set transaction isolation level repeatable read');
}

interface ExportRequest {
  audience: Audience;
  /** The document's own identifier, where it has one. */
  id?: string;
  batchId: number;
  direction: EpcisDirection;
  bounds: WalkBounds;
  walks: Walk[];
}

async function exportWalks(tx: ExportContext, { audience, id, batchId, direction, bounds, walks }: ExportRequest): Promise<EpcisDocument | null> {
  const nodes = new Map<number, TraceBatch>();
  for (const walk of walks) for (const n of walk.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
  if (!nodes.size) return null;
  const { publicUrl, timeZone } = tx.config;
  const scope = await loadScope(tx, { publicUrl, timeZone }, [...nodes.values()], audience);
  return {
    '@context': epcisContext(publicUrl),
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
