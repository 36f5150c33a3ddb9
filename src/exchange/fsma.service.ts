import ExcelJS from 'exceljs';
import { withTransaction, type Context, type Db } from '../context';
import { Role } from '../entities/enums';
import { forbidden, unauthenticated } from '../errors';
import { isPublicCode } from '../public-code';
import { queryEvents } from '../tables/epcis-event.table';
import { marketTable } from '../tables/market.table';
import { operatorsByPublicCodes } from '../tables/operator.table';
import { EpcisDirection, lineageEpcisDocument, type EpcisEvent } from '../trace/epcis.service';

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

/** What the events say of each lot (EPC class): its lot code, product and origin, from the events that identified it. */
function lotFacts(events: EpcisEvent[]) {
  const facts = new Map<string, { lot: string; product: string; origin: string }>();
  for (const e of events) {
    if (!e.ilmd) continue;
    const outputs: { epcClass?: string }[] = e.outputQuantityList ?? e.quantityList ?? [];
    for (const q of outputs) {
      if (typeof q.epcClass !== 'string') continue;
      facts.set(q.epcClass, {
        lot: String(e.ilmd['cbvmda:lotNumber'] ?? ''), product: String(e.ilmd['foodtrace:productName'] ?? ''), origin: String(e.ilmd['foodtrace:originPlace'] ?? ''),
      });
    }
  }
  return facts;
}

/** The lot code of a class: from the event that identified it, or from a Digital Link's AI (10). */
function lotCode(epcClass: string, facts: ReturnType<typeof lotFacts>): string {
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

/** The rows of the events that are CTEs, sorted by date, then TLC, then CTE. */
export function fsmaRows(events: EpcisEvent[], names: Names): FsmaRow[] {
  const facts = lotFacts(events);
  const party = (id: unknown) => (typeof id === 'string' ? names.parties.get(id) ?? id : '');
  const place = (id: unknown) => {
    if (typeof id !== 'string') return '';
    const m = /\/m\/(\d+)\/board$/.exec(id);
    return m && names.markets.has(Number(m[1])) ? names.markets.get(Number(m[1]))! : id;
  };
  const rows: FsmaRow[] = [];
  for (const e of events) {
    const cte = cteOf(e);
    if (!cte) continue;
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
  }
  const key = (r: FsmaRow) => `${r['Event Time (UTC)']}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
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

/** The spreadsheet of a lot: every CTE of its lineage, both directions, within the regulator trace bounds. */
export async function fsmaRowsOfLot(ctx: Context, batchId: number): Promise<FsmaRow[]> {
  regulator(ctx);
  const doc = await lineageEpcisDocument(ctx, batchId, EpcisDirection.BOTH);
  const events = doc.epcisBody.eventList;
  return withTransaction(ctx, async (tx) => fsmaRows(events, await namesOf(tx, events)), { readOnly: true });
}

/** At most this many captured events go into one time-range spreadsheet. */
export const FSMA_RANGE_LIMIT = 50_000;

/** The spreadsheet of the events captured with an event time in [from, to). */
export async function fsmaRowsOfRange(ctx: Context, from: Date, to: Date): Promise<FsmaRow[]> {
  regulator(ctx);
  return withTransaction(ctx, async (tx) => {
    const captured = await queryEvents(tx, { eventTypes: null, from, to, epcs: null, bizSteps: null, dispositions: null, readPoints: null, after: null, before: null, accountId: null, limit: FSMA_RANGE_LIMIT });
    const events = captured.filter((c) => c.correctedById === null && !c.body.errorDeclaration).map((c) => c.body as EpcisEvent);
    return fsmaRows(events, await namesOf(tx, events));
  }, { readOnly: true });
}

/** RFC 4180 CSV with a UTF-8 byte order mark (spreadsheet programs read Chinese names right with it). */
export function fsmaCsv(rows: FsmaRow[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    // a cell starting with = + - @ is read as a formula by spreadsheet programs: quote it as text
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return '\ufeff' + [FSMA_COLUMNS.join(','), ...rows.map((r) => FSMA_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** The same rows as an XLSX workbook: one sheet, bold frozen header, a filter on every column. */
export async function fsmaXlsx(rows: FsmaRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'foodtrace';
  const sheet = workbook.addWorksheet('FSMA 204', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = FSMA_COLUMNS.map((c) => ({ header: c, key: c, width: Math.max(14, Math.min(48, c.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: FSMA_COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
