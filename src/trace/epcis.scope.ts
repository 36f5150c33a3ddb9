import type { Db } from '../context';
import type { QuantityUnit } from '../entities/enums';
import { epcisContextRows, type EpcisBatchJson, type EpcisLinkJson, type EpcisRecallJson } from './epcis.sql';
import type { TraceBatch, TraceInspection, TraceMarketEntry } from './trace.model';
import { loadDetails } from './trace.service';

/** A batch as an EPCIS object: a class-level identifier (a lot), never a database id. */
export interface BatchClass extends Omit<EpcisBatchJson, 'quantity'> {
  quantity: number;
  unit: QuantityUnit;
}

export interface LinkRow extends Omit<EpcisLinkJson, 'quantity'> {
  quantity: number;
}

export type CoveringRecall = EpcisRecallJson;

/**
 * Who reads the export. The public one tells only what the public trace shows: the walked lots and the links
 * between them (no sibling part of a split, no parent beyond the bounds), gate entries of walked lots, the recall
 * source only when it was walked, hand-over documents without their numbers; no tester, contact or account data in either.
 */
export type Audience = 'regulator' | 'public';

/** Everything the events of one export are made of. */
export interface ExportScope {
  publicUrl: string;
  /** The county's zone: the offset every event time is printed with. */
  timeZone: string;
  /** The lots whose events are told (a walk's nodes, or the lots a query found). */
  nodes: Pick<TraceBatch, 'id' | 'status'>[];
  /** Lots made from other lots (whether or not those were walked): the rest were commissioned. */
  made: Set<number>;
  links: LinkRow[];
  classes: Map<number, BatchClass>;
  recalls: CoveringRecall[];
  inspections: TraceInspection[];
  entries: TraceMarketEntry[];
}

/** Reads what the export tells of the walked nodes (two statements), cut to what the audience may see. */
export async function loadScope(tx: Db, place: { publicUrl: string; timeZone: string }, nodes: Pick<TraceBatch, 'id' | 'status'>[], audience: Audience): Promise<ExportScope> {
  const ids = nodes.map((n) => n.id);
  const links: LinkRow[] = [];
  const recalls: CoveringRecall[] = [];
  const classes = new Map<number, BatchClass>();
  for (const row of await epcisContextRows(tx, ids)) {
    if (row.k === 'L') links.push({ ...row.v, quantity: Number(row.v.quantity) });
    else if (row.k === 'R') recalls.push(row.v);
    else classes.set(row.v.id, { ...row.v, quantity: Number(row.v.quantity) });
  }
  links.sort((a, b) => a.id - b.id);
  const made = new Set(links.map((l) => l.childId));
  const details = await loadDetails(tx, ids);
  const scope = { ...place, nodes, made, links, classes, recalls, inspections: details.inspections, entries: details.marketEntries };
  return audience === 'regulator' ? scope : publicPart(scope, new Set(ids));
}

function publicPart(scope: ExportScope, walked: Set<number>): ExportScope {
  return {
    ...scope,
    // the public trace shows a hand-over's document type, date and places, never the document's number
    links: scope.links.filter((l) => walked.has(l.parentId) && walked.has(l.childId)).map((l) => ({ ...l, documentNumber: null })),
    recalls: scope.recalls.map((r) => (r.sourceId !== null && walked.has(r.sourceId) ? r : { ...r, sourceId: null })),
    entries: scope.entries.filter((e) => walked.has(e.batchId ?? e.receivedBatchId!)),
  };
}
