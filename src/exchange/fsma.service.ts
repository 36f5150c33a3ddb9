import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { withTransaction, type Context, type Db } from '../context';
import { Role } from '../entities/enums';
import { forbidden, unauthenticated } from '../errors';
import { localDate } from '../local-time';
import { isPublicCode } from '../public-code';
import { marketTable } from '../tables/market.table';
import { operatorsByPublicCodes } from '../tables/operator.table';
import { EpcisDirection, eventUuid, lineageEpcisDocument, UOM, type EpcisEvent } from '../trace/epcis.service';
import {
  capturedEvents as capturedStatement, lotsOfClasses, producedCtes, type CapturedCteRow, type ProducedCteQuery, type ProducedCteRow,
} from './fsma.sql';
import { openCursors } from './cursor';

/**
 * The FDA FSMA 204 "electronic sortable spreadsheet": one row per critical tracking event (CTE) with its key data
 * elements (KDEs), made from EPCIS events — our own lineage export of a lot, or the events captured in a time range.
 */
export const FSMA_COLUMNS = [
  'Traceability Lot Code (TLC)',
  'Product Description',
  'Quantity',
  'Unit of Measure',
  'Critical Tracking Event (CTE)',
  'Event Date',
  'Event Time (UTC)',
  'Location Description',
  'TLC Source (Where the TLC Was Assigned)',
  'Ship From / Previous Source',
  'Ship To / Immediate Subsequent Recipient',
  'Input TLCs (Transformation)',
  'Reference Document Type',
  'Reference Document Number',
  'EPCIS Event ID',
] as const;

export type FsmaRow = Record<(typeof FSMA_COLUMNS)[number], string | number>;

/** UN/CEFACT Rec 20 codes back to the units a reader knows. */
const UNITS: Record<string, string> = { KGM: 'kg', GRM: 'g', TNE: 't', LTR: 'L', MLT: 'mL', H87: 'piece', XBX: 'box', XCR: 'crate', XBO: 'bottle' };

/** CBV business transaction types as the FDA rule names reference documents. */
const DOCUMENT_TYPES: Record<string, string> = {
  inv: 'Invoice', desadv: 'Advance Shipping Notice', po: 'Purchase Order', bol: 'Bill of Lading', pedigree: 'Pedigree', poc: 'Purchase Order Confirmation',
  prodorder: 'Production Order', recadv: 'Receiving Advice', rma: 'Return Merchandise Authorization', testprd: 'Test Procedure', testres: 'Test Result',
  upevt: 'Update Event',
};

/** Our hand-over documents' names, as their URIs (`…/documents/{type}/{number}`) carry them. */
const OUR_DOCUMENTS: Record<string, string> = {
  invoice: 'Invoice', delivery_note: 'Delivery Note', sales_voucher: 'Sales Voucher', purchase_order: 'Purchase Order',
  bill_of_lading: 'Bill of Lading', other: 'Other',
};

function ourDocument(uri: string): { type: string; number: string } | null {
  const m = /\/documents\/([a-z_]+)\/([^/?#]+)$/.exec(uri);
  if (!m || !OUR_DOCUMENTS[m[1]]) return null;
  try {
    return { type: OUR_DOCUMENTS[m[1]], number: decodeURIComponent(m[2]) };
  } catch {
    return null;
  }
}

const strip = (term: unknown, prefix: string) => (typeof term === 'string' ? term.replace(prefix, '').replace(/^urn:epcglobal:cbv:[a-z]+:/, '') : '');

/** The CTE an event is, or null when it is none (inspections, gate decisions, recalls). */
function cteOf(e: EpcisEvent): string | null {
  const step = strip(e.bizStep, 'https://ref.gs1.org/cbv/BizStep-');
  if (e.type === 'TransformationEvent') return 'Transformation';
  if (e.type !== 'ObjectEvent') return null;
  if (step === 'commissioning' && e.action === 'ADD') return 'Harvesting';
  if (step === 'packing') return 'Initial Packing';
  if (step === 'shipping') return 'Shipping';
  if (step === 'receiving') return 'Receiving';
  return null;
}

interface Names {
  parties: Map<string, string>;
  markets: Map<number, string>;
}

interface LotFact {
  lot: string;
  product: string;
  category: string;
  origin: string;
}

type LotFacts = Map<string, LotFact>;

/** Adds what an event says of the lots (EPC classes) it identified: lot code, product, category and origin. */
function learnLots(facts: LotFacts, e: EpcisEvent): void {
  if (!e.ilmd) return;
  const outputs: { epcClass?: string }[] = e.outputQuantityList ?? e.quantityList ?? [];
  for (const q of outputs) {
    if (typeof q.epcClass !== 'string') continue;
    facts.set(q.epcClass, {
      lot: String(e.ilmd['cbvmda:lotNumber'] ?? ''), product: String(e.ilmd['foodtrace:productName'] ?? ''),
      category: String(e.ilmd['foodtrace:category'] ?? ''), origin: String(e.ilmd['foodtrace:originPlace'] ?? ''),
    });
  }
}

/** The lot code of a class: from the event that identified it, or from a Digital Link's AI (10). */
function lotCode(epcClass: string, facts: LotFacts): string {
  const known = facts.get(epcClass)?.lot;
  if (known) return known;
  const dl = /\/01\/\d{8,14}\/10\/([^/?#]+)/.exec(epcClass);
  if (dl) return decodeURIComponent(dl[1]);
  const lgtin = /^urn:epc:class:lgtin:[^.]+\.[^.]+\.(.+)$/.exec(epcClass);
  return lgtin ? lgtin[1] : epcClass;
}

function localParts(e: EpcisEvent): { date: string; utc: string } {
  const at = new Date(e.eventTime);
  const m = /^([+-])(\d\d):(\d\d)$/.exec(String(e.eventTimeZoneOffset ?? '+00:00'));
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return { date: new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 10), utc: at.toISOString() };
}

/** The rows of the events that are CTEs, sorted by their time column; `known` tells of lots no event identifies. */
export function fsmaRows(events: EpcisEvent[], names: Names, known: LotFacts = new Map()): FsmaRow[] {
  const facts: LotFacts = new Map(known);
  for (const e of events) learnLots(facts, e);
  const rows = events.flatMap((e) => rowsOfEvent(e, facts, names));
  const key = (r: FsmaRow) => `${r['Event Time (UTC)']}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The rows of one event: none when it is no CTE, one per lot it names (of those `only` keeps). */
function rowsOfEvent(e: EpcisEvent, facts: LotFacts, names: Names, only: ((lot: LotFact | undefined) => boolean) | null = null): FsmaRow[] {
  const party = (id: unknown) => (typeof id === 'string' ? names.parties.get(id) ?? id : '');
  const place = (id: unknown) => {
    if (typeof id !== 'string') return '';
    const m = /\/m\/(\d+)\/board$/.exec(id);
    return m && names.markets.has(Number(m[1])) ? names.markets.get(Number(m[1]))! : id;
  };
  const cte = cteOf(e);
  if (!cte) return [];
  const rows: FsmaRow[] = [];
  // the shipping CTE's date is the day the goods were shipped, when the sender gave it
  const { date, utc } = localParts(typeof e['foodtrace:shippedAt'] === 'string' ? { ...e, eventTime: e['foodtrace:shippedAt'] } : e);
  const listed: { type?: string; bizTransaction: string }[] = e.bizTransactionList ?? [];
  // a named document (a typed transaction, or one of our hand-over documents) is the reference; the untyped
  // transfer record stands in only when the hand-over named none
  const named = listed.filter((t) => t.type || ourDocument(t.bizTransaction));
  const transactions = named.length ? named : listed;
  const docType = transactions.map((t) => ourDocument(t.bizTransaction)?.type
    ?? (t.type ? DOCUMENT_TYPES[strip(t.type, 'https://ref.gs1.org/cbv/BTT-')] ?? t.type : 'Transfer Record')).join('; ');
  const docNumber = transactions.map((t) => ourDocument(t.bizTransaction)?.number ?? t.bizTransaction.replace(/^.*[/:]/, '')).join('; ');
  const shipFrom = typeof e['foodtrace:shipFrom'] === 'string' ? ` (${e['foodtrace:shipFrom']})` : '';
  const shipTo = typeof e['foodtrace:shipTo'] === 'string' ? ` (${e['foodtrace:shipTo']})` : '';
  const from = (e.sourceList ?? []).map((s: { source: string }) => party(s.source)).join('; ') + shipFrom;
  const to = (e.destinationList ?? []).map((d: { destination: string }) => party(d.destination)).join('; ') + shipTo;
  const owner = party(e['foodtrace:owner']);
  const location = place(e.bizLocation?.id ?? e.readPoint?.id) || (cte === 'Shipping' ? from : cte === 'Receiving' ? to : owner);
  const amounts: { epcClass: string; quantity?: number; uom?: string }[] = cte === 'Transformation' ? e.outputQuantityList ?? [] : e.quantityList ?? [];
  const inputs = cte === 'Transformation' ? (e.inputQuantityList ?? []).map((q: { epcClass: string }) => lotCode(q.epcClass, facts)).join('; ') : '';
  for (const q of amounts) {
    const fact = facts.get(q.epcClass);
    if (only && !only(fact)) continue;
    const assigned = cte === 'Shipping' ? '' : [owner || to, fact?.origin].filter(Boolean).join(', ');
    rows.push({
      'Traceability Lot Code (TLC)': lotCode(q.epcClass, facts),
      'Product Description': fact?.product ?? '',
      Quantity: q.quantity ?? '',
      'Unit of Measure': q.uom ? UNITS[q.uom] ?? q.uom : '',
      'Critical Tracking Event (CTE)': cte,
      'Event Date': date,
      'Event Time (UTC)': utc,
      'Location Description': location,
      'TLC Source (Where the TLC Was Assigned)': assigned,
      'Ship From / Previous Source': from,
      'Ship To / Immediate Subsequent Recipient': to,
      'Input TLCs (Transformation)': inputs,
      'Reference Document Type': docType,
      'Reference Document Number': docNumber,
      'EPCIS Event ID': typeof e.eventID === 'string' ? e.eventID : '',
    });
  }
  return rows;
}

/** Our operators' and markets' names for the parties and places the events name (two statements). */
async function namesOf(tx: Db & Pick<Context, 'config'>, events: EpcisEvent[]): Promise<Names> {
  const { publicUrl } = tx.config;
  const codes = new Set<string>();
  const marketIds = new Set<number>();
  const see = (id: unknown) => {
    if (typeof id !== 'string' || !id.startsWith(`${publicUrl}/`)) return;
    const rest = id.slice(publicUrl.length);
    const o = /^\/o\/([^/]+)$/.exec(rest);
    if (o && isPublicCode(o[1])) codes.add(o[1]);
    const m = /^\/m\/(\d{1,9})\/board$/.exec(rest);
    if (m) marketIds.add(Number(m[1]));
  };
  for (const e of events) {
    see(e['foodtrace:owner']);
    see(e.readPoint?.id);
    see(e.bizLocation?.id);
    for (const s of e.sourceList ?? []) see(s.source);
    for (const d of e.destinationList ?? []) see(d.destination);
  }
  const parties = new Map((await operatorsByPublicCodes(tx, [...codes])).map((o) => [`${publicUrl}/o/${o.public_code}`, o.name]));
  const markets = new Map((await marketTable.byIds(tx, [...marketIds])).map((m) => [m.id, m.name]));
  return { parties, markets };
}

function regulator(ctx: Context): void {
  if (!ctx.viewer.accountId) throw unauthenticated();
  if (ctx.viewer.role !== Role.ADMIN && ctx.viewer.role !== Role.REGULATOR) throw forbidden('Requires role ADMIN or REGULATOR');
}

/**
 * The spreadsheet of a lot: every CTE of its lineage, both directions, within the regulator trace bounds. The parts
 * of a split carry no lot data in their event (EPCIS gives it where a lot is first identified by a commissioning
 * or receiving), so the lots the events name are read too.
 */
export async function fsmaRowsOfLot(ctx: Context, batchId: number): Promise<FsmaRow[]> {
  regulator(ctx);
  const doc = await lineageEpcisDocument(ctx, batchId, EpcisDirection.BOTH);
  const events = doc.epcisBody.eventList;
  return withTransaction(ctx, async (tx) => fsmaRows(events, await namesOf(tx, events), await lotsNamed(tx, events)), { readOnly: true });
}

/** Our lots the events name by class (trace page or Digital Link under our address), as lot facts (one statement). */
async function lotsNamed(tx: Db & Pick<Context, 'config'>, events: EpcisEvent[]): Promise<LotFacts> {
  const { publicUrl } = tx.config;
  const classes = new Set<string>();
  for (const e of events) {
    for (const q of [...(e.quantityList ?? []), ...(e.inputQuantityList ?? []), ...(e.outputQuantityList ?? [])] as { epcClass?: unknown }[]) {
      if (typeof q.epcClass === 'string' && q.epcClass.startsWith(`${publicUrl}/`)) classes.add(q.epcClass);
    }
  }
  const codes: string[] = [];
  const links: { gtin: string; lot: string }[] = [];
  for (const c of classes) {
    const rest = c.slice(publicUrl.length);
    const page = /^\/t\/([^/?#]+)$/.exec(rest);
    if (page && isPublicCode(page[1])) codes.push(page[1]);
    const link = /^\/01\/(\d{14})\/10\/([^/?#]+)$/.exec(rest);
    if (link) {
      try {
        links.push({ gtin: link[1], lot: decodeURIComponent(link[2]) });
      } catch {
        // not a lot code of ours
      }
    }
  }
  const facts: LotFacts = new Map();
  for (const l of await lotsOfClasses(tx, codes, links)) {
    const fact = { lot: l.lot_code, product: l.product_name, category: l.category, origin: l.origin_place ?? '' };
    facts.set(`${publicUrl}/t/${l.public_code}`, fact);
    if (l.gtin) facts.set(`${publicUrl}/01/${l.gtin}/10/${encodeURIComponent(l.lot_code)}`, fact);
  }
  return facts;
}

/** What a range spreadsheet covers: an event time range and a product (by name or category), each optional. */
export type FsmaSelection = ProducedCteQuery;

/** Rows read per round trip from each cursor: enough to keep the database busy, few enough to hold. */
const CHUNK_ROWS = 2000;

const CTE_OF_KIND: Record<ProducedCteRow['kind'], string> = {
  commissioning: 'Harvesting', process: 'Transformation', merge: 'Transformation', split: 'Transformation', shipping: 'Shipping', receiving: 'Receiving',
};

/** Our hand-over documents' names by their type, as the exported URIs carry them. */
const documentName = (type: string) => OUR_DOCUMENTS[type.toLowerCase()] ?? type;

/** A place given as an absolute URI (a GLN) is a location of its own; a place in words qualifies the party. */
const PLACE_URI = /^[a-z][a-z0-9+.-]*:\S+$/i;

/**
 * The row of one CTE foodtrace recorded, with the cells the lineage export's event gives it (the same event id,
 * parties, places and reference document), read from the record itself so no lot's history is loaded.
 */
export function producedRow(r: ProducedCteRow, publicUrl: string, timeZone: string): FsmaRow {
  const cte = CTE_OF_KIND[r.kind];
  const handover = r.kind === 'shipping' || r.kind === 'receiving';
  // a place given as a URI is a location on both sides; a place in words is told with the shipping only
  const partyWithPlace = (name: string | null, place: string | null) =>
    (name ?? '') + (place === null ? '' : PLACE_URI.test(place) ? `; ${place}` : r.kind === 'shipping' ? ` (${place})` : '');
  const from = handover ? partyWithPlace(r.from_name, r.ship_from) : '';
  const to = handover ? partyWithPlace(r.to_name, r.ship_to) : '';
  // the lineage export names the maker of a split's parts as the split's owner, the giver; of the rest the lot's own
  const owner = r.kind === 'split' ? r.from_name ?? '' : handover ? '' : r.owner_name;
  const shipped = r.kind === 'shipping' && r.shipped_at ? new Date(r.shipped_at) : new Date(r.at);
  const documented = handover && r.document_type !== null && r.document_number !== null;
  // without a document, the hand-over's own record stands in: keyed by its two lots, as the export names it
  const record = () => eventUuid(publicUrl, `transfer:${r.key}`).slice('urn:uuid:'.length);
  return {
    'Traceability Lot Code (TLC)': r.lot_code,
    'Product Description': r.product_name,
    Quantity: Number(r.quantity),
    'Unit of Measure': UNITS[UOM[r.unit]] ?? r.unit,
    'Critical Tracking Event (CTE)': cte,
    'Event Date': localDate(shipped, timeZone),
    'Event Time (UTC)': shipped.toISOString(),
    'Location Description': r.market ?? (r.kind === 'shipping' ? from : r.kind === 'receiving' ? to : owner),
    'TLC Source (Where the TLC Was Assigned)': r.kind === 'shipping' ? '' : [owner || to, r.origin_place].filter(Boolean).join(', '),
    'Ship From / Previous Source': from,
    'Ship To / Immediate Subsequent Recipient': to,
    'Input TLCs (Transformation)': r.inputs ?? '',
    'Reference Document Type': !handover ? '' : documented ? documentName(r.document_type!) : 'Transfer Record',
    'Reference Document Number': !handover ? '' : documented ? r.document_number! : record(),
    'EPCIS Event ID': eventUuid(publicUrl, `${r.kind}:${r.key}`),
  };
}

/** Whether a captured lot is of the product asked for. */
function ofProduct(q: FsmaSelection): ((lot: LotFact | undefined) => boolean) | null {
  if (q.productName === null && q.category === null) return null;
  const name = q.productName?.toLowerCase() ?? null;
  return (lot) => !!lot && (name === null || lot.product.toLowerCase() === name) && (q.category === null || lot.category === q.category);
}

/**
 * The spreadsheet of a time range or a product: every CTE foodtrace recorded (harvests and commissioned lots,
 * processing, splits and merges, both sides of each hand-over, gate admissions among them) and every CTE captured
 * from other systems (corrected ones and error declarations left out), in event time order, a captured copy of one
 * of our own events told once. Rows are read through two cursors and merged as they come, so memory does not grow
 * with the number of rows. Access is checked before the first row.
 */
export function fsmaRowsOfSelection(ctx: Context, q: FsmaSelection): AsyncGenerator<FsmaRow> {
  regulator(ctx);
  return selectionRows(ctx, q);
}

async function* selectionRows(ctx: Context, q: FsmaSelection): AsyncGenerator<FsmaRow> {
  const { publicUrl, timeZone } = ctx.config;
  const cursors = await openCursors(ctx, [
    { name: 'fsma_produced', ...producedCtes(q) },
    { name: 'fsma_captured', ...capturedStatement(q) },
  ]);
  try {
    const produced = chunks<ProducedCteRow>(cursors.fetch.bind(cursors), 'fsma_produced');
    const captured = capturedEvents(ctx, chunks<CapturedCteRow>(cursors.fetch.bind(cursors), 'fsma_captured'));
    const facts: LotFacts = new Map();
    const only = ofProduct(q);
    // our own events told at the current instant, so a captured copy of one (the same event id) is left out
    let instant = -1;
    const told = new Set<string>();
    let p = await produced.next();
    let c = await captured.next();
    while (!p.done || !c.done) {
      if (!p.done && (c.done || new Date(p.value.at).getTime() <= c.value.time)) {
        const at = new Date(p.value.at).getTime();
        if (at !== instant) (instant = at), told.clear();
        const row = producedRow(p.value, publicUrl, timeZone);
        told.add(row['EPCIS Event ID'] as string);
        yield row;
        p = await produced.next();
      } else if (!c.done) {
        const { time, event, names } = c.value;
        learnLots(facts, event);
        if (time !== instant || typeof event.eventID !== 'string' || !told.has(event.eventID)) yield* rowsOfEvent(event, facts, names, only);
        c = await captured.next();
      }
    }
  } finally {
    await cursors.close();
  }
}

async function* chunks<T>(fetch: (name: string, count: number) => Promise<unknown[]>, name: string): AsyncGenerator<T> {
  for (;;) {
    const rows = (await fetch(name, CHUNK_ROWS)) as T[];
    yield* rows;
    if (rows.length < CHUNK_ROWS) return;
  }
}

/** Captured events with the names of our parties and places they mention, looked up a chunk at a time. */
async function* capturedEvents(ctx: Context, rows: AsyncGenerator<CapturedCteRow>): AsyncGenerator<{ time: number; event: EpcisEvent; names: Names }> {
  let batch: CapturedCteRow[] = [];
  const flush = async function* () {
    const events = batch.map((r) => r.body as EpcisEvent);
    const names = await withTransaction(ctx, (tx) => namesOf(tx, events), { readOnly: true });
    for (const [i, r] of batch.entries()) yield { time: new Date(r.event_time).getTime(), event: events[i], names };
    batch = [];
  };
  for await (const r of rows) {
    batch.push(r);
    if (batch.length === CHUNK_ROWS) yield* flush();
  }
  if (batch.length) yield* flush();
}

/** Cells as RFC 4180 CSV; a cell that a spreadsheet would read as a formula (= + - @) is written as text. */
function csvLine(r: FsmaRow): string {
  const cell = (v: string | number) => {
    const s = String(v);
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return FSMA_COLUMNS.map((c) => cell(r[c])).join(',') + '\r\n';
}

/**
 * The rows as CSV text, a few hundred rows a piece, with a UTF-8 byte order mark (spreadsheet programs read
 * Chinese names right with it).
 */
export async function* fsmaCsv(rows: AsyncIterable<FsmaRow> | Iterable<FsmaRow>): AsyncGenerator<string> {
  yield '\ufeff' + FSMA_COLUMNS.join(',') + '\r\n';
  let piece = '';
  let count = 0;
  for await (const r of rows) {
    piece += csvLine(r);
    if (++count === 500) (yield piece), (piece = ''), (count = 0);
  }
  if (piece) yield piece;
}

/**
 * The rows as an XLSX workbook written to `out` as they come (exceljs's streaming writer: each row is committed and
 * leaves): one sheet, bold frozen header, a filter on every column, numeric quantities. Waits while `out` is full.
 */
export async function writeFsmaXlsx(rows: AsyncIterable<FsmaRow> | Iterable<FsmaRow>, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'foodtrace';
  const sheet = workbook.addWorksheet('FSMA 204', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = FSMA_COLUMNS.map((c) => ({ header: c, key: c, width: Math.max(14, Math.min(48, c.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FSMA_COLUMNS.length } };
  for await (const r of rows) {
    sheet.addRow(r).commit();
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}
