import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { withTransaction, type Context, type Db } from '../context';
import { recordAuditEvent } from '../audit/audit.service';
import type { NewAuditEvent } from '../audit/audit.model';
import { AuditKind, CaptureStatus, OperatorStatus, ProductCategory, QuantityUnit, Role } from '../entities/enums';
import { AppError, badInput, forbidden, notFound, unauthenticated } from '../errors';
import { isPublicCode } from '../public-code';
import { batchesByPublicCodes, batchIdByOwnerLot, insertBatches } from '../tables/batch.table';
import { captureOf, finishCapture, insertCapture } from '../tables/epcis-capture.table';
import { insertEventOnce, markCorrected } from '../tables/epcis-event.table';
import { recordIdentifiers } from '../tables/exchange-identifier.table';
import { marketTable } from '../tables/market.table';
import { operatorsByPublicCodes, operatorStatus } from '../tables/operator.table';
import { UOM } from '../trace/epcis.service';
import epcisSchema from './EPCIS-JSON-Schema.json';
import { canonicalDigitalLink, eventHash, prefixesOf } from './event-hash';
import type { CaptureEventError, CaptureJob, IdentifierMapping } from './exchange.model';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The official GS1 EPCIS 2.0 JSON schema, compiled once. */
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateDocument = ajv.compile(epcisSchema);

/** At most this many events in one capture (the REST binding lets a server state its own limit). */
export const MAX_CAPTURE_EVENTS = 10_000;

/** Suffix of the key an error declaration is stored under: it hashes like the event it declares wrong. */
const DECLARATION = '#errorDeclaration';

const CAPTURE_ROLES = new Set([Role.ADMIN, Role.REGULATOR, Role.OPERATOR]);

function schemaErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/**
 * Captures an EPCIS 2.0 document: validated against the official schema as a whole (a document that is not one is
 * refused, nothing written), then each event stored once under its CBV event hash, its identifiers mapped to ours
 * or kept as master data, error declarations marking the events they correct. Processed inside the request, in one
 * transaction: the job row is written with its outcome, and `GET /epcis/capture/{id}` reads it back.
 * An operator may capture only events about itself: each must name one of its lots or the operator itself.
 */
export async function captureDocument(ctx: Context, document: unknown): Promise<CaptureJob> {
  if (!ctx.viewer.accountId) throw unauthenticated();
  try {
    return await capture(ctx, document);
  } catch (e) {
    // a refused capture is an audit row like a refused mutation: who tried, and the code they were answered
    const code = e instanceof AppError ? String(e.extensions.code) : 'INTERNAL_SERVER_ERROR';
    await recordAuditEvent(ctx, audit(ctx, {}, code)).catch(() => undefined);
    throw e;
  }
}

function audit(ctx: Context, variables: Record<string, unknown>, outcome: string): NewAuditEvent {
  const { viewer } = ctx;
  return { accountId: viewer.accountId, role: viewer.role, kind: AuditKind.MUTATION, operation: 'POST /epcis/capture', variables, outcome, personalData: [], clientIp: ctx.clientIp };
}

async function capture(ctx: Context, document: unknown): Promise<CaptureJob> {
  const viewer = ctx.viewer;
  if (!viewer.role || !CAPTURE_ROLES.has(viewer.role)) throw forbidden('Requires role ADMIN, REGULATOR or OPERATOR');
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw badInput('document', 'must be an EPCIS document (a JSON object)');
  if (!validateDocument(document)) throw badInput('document', `is not a valid EPCIS 2.0 document: ${schemaErrors(validateDocument.errors).join('; ')}`);
  const doc = document as Json;
  if (doc.type !== 'EPCISDocument') throw badInput('document', 'type must be EPCISDocument');
  const events: Json[] = doc.epcisBody?.eventList ?? (doc.epcisBody?.event ? [doc.epcisBody.event] : []);
  if (events.length > MAX_CAPTURE_EVENTS) throw badInput('document', `holds more than ${MAX_CAPTURE_EVENTS} events`);
  const prefixes = prefixesOf(doc['@context']);

  return withTransaction(ctx, async (tx) => {
    const captureId = await insertCapture(tx, viewer.accountId, CaptureStatus.RUNNING, events.length);
    const refs = await resolveOurs(tx, events);
    const errors: CaptureEventError[] = [];
    let captured = 0;
    let duplicates = 0;
    const identifiers = new Map<string, IdentifierMapping>();
    for (const [index, event] of events.entries()) {
      const eventID = typeof event.eventID === 'string' ? event.eventID : null;
      const ids = identifiersIn(event);
      if (viewer.role === Role.OPERATOR && !ids.some((id) => refs.ownerOf(id) === viewer.operatorId)) {
        errors.push({ index, eventID, errors: ['an operator may capture only events that name its own lots or itself'] });
        continue;
      }
      const hash = eventHash(event, prefixes);
      const declared = event.errorDeclaration && typeof event.errorDeclaration === 'object';
      const id = await insertEventOnce(tx, {
        capture_id: captureId,
        event_hash: declared ? hash + DECLARATION : hash,
        event_id: eventID,
        event_type: String(event.type),
        event_time: new Date(event.eventTime),
        biz_step: typeof event.bizStep === 'string' ? event.bizStep : null,
        disposition: typeof event.disposition === 'string' ? event.disposition : null,
        read_point: typeof event.readPoint?.id === 'string' ? event.readPoint.id : null,
        epcs: epcKeys(event),
        body: event,
      });
      if (id === null) {
        duplicates++;
        continue;
      }
      captured++;
      if (declared) {
        // the declaration repeats the original event (its eventID, or its fields and so its hash); correctiveEventIDs name replacements
        await markCorrected(tx, id, hash, eventID ? [eventID] : []);
      }
      for (const foreignId of ids) if (!identifiers.has(foreignId)) identifiers.set(foreignId, refs.mapping(foreignId, captureId));
      for (const [epcClass, batchId] of await commissionLots(tx, event, refs)) identifiers.set(epcClass, { ...identifiers.get(epcClass)!, batchId, masterData: {} });
    }
    await recordIdentifiers(tx, [...identifiers.values()]);
    const status = errors.length === 0 ? CaptureStatus.SUCCEEDED : captured + duplicates > 0 ? CaptureStatus.PARTIAL : CaptureStatus.FAILED;
    await finishCapture(tx, captureId, status, { captured, duplicates }, errors);
    await recordAuditEvent(tx, audit(tx, { captureId, events: events.length, captured, duplicates }, 'OK'));
    return (await captureOf(tx, captureId, null))!;
  });
}

const UNIT_OF = new Map(Object.entries(UOM).map(([unit, code]) => [code, unit as QuantityUnit]));
const CATEGORIES = new Set<string>(Object.values(ProductCategory));
const LOT_CODE = /^[\p{L}\p{N}._\-/]{1,64}$/u;

/** The lot code a class identifier carries: an LGTIN's lot, or a Digital Link's AI (10). */
function lotOfClass(epcClass: string): string | null {
  const dl = canonicalDigitalLink(epcClass);
  const m = dl ? /^https:\/\/id\.gs1\.org\/01\/\d{14}\/10\/([^/]+)$/.exec(dl) : null;
  return m ? decodeURIComponent(m[1]) : null;
}

/**
 * A commissioning ObjectEvent (action ADD) brings lots into existence: each class of its quantityList that is not
 * already one of our lots becomes a lot of the owning operator — `foodtrace:owner`, else the owning party it is
 * destined to, else the operator capturing it — when the event tells what a lot needs: the lot code (ILMD
 * `cbvmda:lotNumber`, or the class's own lot), product name and category (ILMD), a quantity in a unit we keep.
 * A lot that owner already has under that code is the same lot (a repeated capture adds nothing). Classes whose
 * owner is not ours, or whose facts are incomplete, stay master data. The lots made, by class.
 */
async function commissionLots(tx: Context, e: Json, refs: Awaited<ReturnType<typeof resolveOurs>>): Promise<Map<string, number>> {
  const made = new Map<string, number>();
  const step = typeof e.bizStep === 'string' ? e.bizStep.replace('https://ref.gs1.org/cbv/BizStep-', '').replace('urn:epcglobal:cbv:bizstep:', '') : '';
  if (e.type !== 'ObjectEvent' || e.action !== 'ADD' || step !== 'commissioning' || !Array.isArray(e.quantityList)) return made;
  const ilmd = e.ilmd && typeof e.ilmd === 'object' ? e.ilmd : {};
  const destined = (Array.isArray(e.destinationList) ? e.destinationList : []).find((d: Json) => /owning_party$/.test(String(d?.type)) && typeof d.destination === 'string');
  const ownerId = (typeof e['foodtrace:owner'] === 'string' ? refs.operatorOf(e['foodtrace:owner']) : null)
    ?? (destined ? refs.operatorOf(destined.destination) : null)
    ?? (tx.viewer.role === Role.OPERATOR ? tx.viewer.operatorId : null);
  if (ownerId === null || (await operatorStatus(tx, ownerId)) !== OperatorStatus.ACTIVE) return made;
  const productName = typeof ilmd['foodtrace:productName'] === 'string' ? ilmd['foodtrace:productName'].trim().slice(0, 200) : '';
  const category = ilmd['foodtrace:category'];
  if (!productName || !CATEGORIES.has(category)) return made;
  const originPlace = typeof ilmd['foodtrace:originPlace'] === 'string' ? ilmd['foodtrace:originPlace'].slice(0, 300) : null;
  const producedAt = new Date(e.eventTime);
  if (producedAt.getTime() > Date.now()) return made;
  for (const q of e.quantityList as Json[]) {
    if (typeof q?.epcClass !== 'string' || refs.batchOf(q.epcClass) !== null) continue;
    const unit = UNIT_OF.get(q.uom);
    const lotCode = String(ilmd['cbvmda:lotNumber'] ?? lotOfClass(q.epcClass) ?? '');
    if (!unit || typeof q.quantity !== 'number' || !(q.quantity > 0) || !LOT_CODE.test(lotCode)) continue;
    const [row] = await insertBatches(tx, [{ ownerId, productName, category, lotCode, quantity: q.quantity, unit, producedAt, originPlace, gtin: null }], true);
    const id = row?.id ?? (await batchIdByOwnerLot(tx, ownerId, lotCode));
    if (id !== null) made.set(q.epcClass, id);
  }
  return made;
}

/** The job, for the account that sent it; ADMIN and REGULATOR see every job. */
export async function captureJob(ctx: Context, id: number): Promise<CaptureJob> {
  const viewer = ctx.viewer;
  if (!viewer.accountId) throw unauthenticated();
  if (!viewer.role || !CAPTURE_ROLES.has(viewer.role)) throw forbidden('Requires role ADMIN, REGULATOR or OPERATOR');
  const everyone = viewer.role === Role.ADMIN || viewer.role === Role.REGULATOR;
  const job = await withTransaction(ctx, (tx) => captureOf(tx, id, everyone ? null : viewer.accountId), { readOnly: true });
  if (!job) throw notFound('Capture job', id);
  return job;
}

const EPC_LISTS = ['epcList', 'inputEPCList', 'outputEPCList', 'childEPCs'];
const QUANTITY_LISTS = ['quantityList', 'inputQuantityList', 'outputQuantityList', 'childQuantityList'];

/** Every EPC and EPC class the event names (the objects it is about). */
function objectsIn(e: Json): string[] {
  const out: string[] = [];
  for (const k of EPC_LISTS) if (Array.isArray(e[k])) out.push(...e[k].filter((x: unknown) => typeof x === 'string'));
  for (const k of QUANTITY_LISTS) if (Array.isArray(e[k])) for (const q of e[k]) if (typeof q?.epcClass === 'string') out.push(q.epcClass);
  if (typeof e.parentID === 'string') out.push(e.parentID);
  return out;
}

/** Every identifier of the event: its objects, places and parties. */
export function identifiersIn(e: Json): string[] {
  const out = objectsIn(e);
  for (const k of ['readPoint', 'bizLocation']) if (typeof e[k]?.id === 'string') out.push(e[k].id);
  for (const s of Array.isArray(e.sourceList) ? e.sourceList : []) if (typeof s?.source === 'string') out.push(s.source);
  for (const d of Array.isArray(e.destinationList) ? e.destinationList : []) if (typeof d?.destination === 'string') out.push(d.destination);
  if (typeof e['foodtrace:owner'] === 'string') out.push(e['foodtrace:owner']);
  return [...new Set(out)];
}

/** The keys `MATCH_epc` / `MATCH_anyEPC` find an event by: each object as sent and in canonical Digital Link form. */
export function epcKeys(e: Json): string[] {
  const out = new Set<string>();
  for (const x of objectsIn(e)) {
    out.add(x);
    const dl = canonicalDigitalLink(x);
    if (dl) out.add(dl);
  }
  return [...out];
}

/** The identifier's scheme: the EPC URI scheme, a Digital Link, one of ours, or a plain URI. */
function schemeOf(id: string, publicUrl: string): string {
  const urn = /^urn:epc:(id|class|idpat):([a-z0-9]+):/.exec(id);
  if (urn) return urn[2];
  if (id.startsWith(`${publicUrl}/`)) return 'foodtrace';
  if (/^https?:\/\//.test(id) && canonicalDigitalLink(id)) return 'digital-link';
  return 'uri';
}

/** Our lots, operators and markets among the identifiers of the events, read in three statements. */
async function resolveOurs(tx: Context, events: Json[]) {
  const { publicUrl } = tx.config;
  const all = new Set<string>();
  for (const e of events) for (const id of identifiersIn(e)) all.add(id);
  const codeOf = (id: string, path: string) => {
    if (!id.startsWith(`${publicUrl}/${path}/`)) return null;
    const code = id.slice(publicUrl.length + path.length + 2);
    return isPublicCode(code) ? code : null;
  };
  const lotCodes = [...all].map((id) => codeOf(id, 't')).filter((c): c is string => c !== null);
  const operatorCodes = [...all].map((id) => codeOf(id, 'o')).filter((c): c is string => c !== null);
  const lots = new Map((await batchesByPublicCodes(tx as Db, lotCodes)).map((b) => [b.public_code, b]));
  const operators = new Map((await operatorsByPublicCodes(tx as Db, operatorCodes)).map((o) => [o.public_code, o.id]));
  const marketIdOf = (id: string) => {
    const m = /^\/m\/(\d{1,9})\/board$/.exec(id.startsWith(`${publicUrl}/`) ? id.slice(publicUrl.length) : '');
    return m ? Number(m[1]) : null;
  };
  const marketIds = [...all].map(marketIdOf).filter((m): m is number => m !== null);
  const markets = new Set((await marketTable.byIds(tx as Db, marketIds)).map((m) => m.id));
  const market = (id: string) => {
    const m = marketIdOf(id);
    return m !== null && markets.has(m) ? m : null;
  };
  return {
    operatorOf(id: string): number | null {
      const op = codeOf(id, 'o');
      return op ? operators.get(op) ?? null : null;
    },
    batchOf(id: string): number | null {
      const lot = codeOf(id, 't');
      return lot ? lots.get(lot)?.id ?? null : null;
    },
    ownerOf(id: string): number | null {
      const lot = codeOf(id, 't');
      if (lot) return lots.get(lot)?.owner_id ?? null;
      const op = codeOf(id, 'o');
      return op ? operators.get(op) ?? null : null;
    },
    mapping(id: string, captureId: number): IdentifierMapping {
      const lot = codeOf(id, 't');
      const op = codeOf(id, 'o');
      const batchId = lot ? lots.get(lot)?.id ?? null : null;
      const operatorId = op ? operators.get(op) ?? null : null;
      const marketId = market(id);
      const ours = batchId !== null || operatorId !== null || marketId !== null;
      const canonical = canonicalDigitalLink(id);
      return {
        foreignId: id.slice(0, 500), scheme: schemeOf(id, publicUrl), batchId, operatorId, marketId,
        masterData: ours ? {} : { firstCaptureId: captureId, ...(canonical && canonical !== id ? { digitalLink: canonical } : {}) },
      };
    },
  };
}
