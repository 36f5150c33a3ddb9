import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { withTransaction, type Context, type Db } from '../context';
import { recordAuditEvent } from '../audit/audit.service';
import type { NewAuditEvent } from '../audit/audit.model';
import { AuditKind, CaptureStatus, HandoverDocumentType, OperatorStatus, ProductCategory, QuantityUnit, Role } from '../entities/enums';
import { AppError, badInput, forbidden, notFound, unauthenticated } from '../errors';
import { isPublicCode } from '../public-code';
import { batchesByPublicCodes, batchIdByOwnerLot, batchTable, insertBatches } from '../tables/batch.table';
import { captureOf, claimCapture, finishCapture, insertCapture } from '../tables/epcis-capture.table';
import { liveViewerById } from '../tables/account.table';
import { insertEventOnce, insertEventsOnce, markCorrected, type NewCapturedEvent } from '../tables/epcis-event.table';
import { identifiersOf, recordIdentifiers } from '../tables/exchange-identifier.table';
import { marketTable } from '../tables/market.table';
import { operatorsByPublicCodes, operatorStatus } from '../tables/operator.table';
import { UOM } from '../trace/epcis.service';
import { processBatches } from '../trace/lineage.service';
import { transferWithin } from '../trace/batch-flow';
import { checkHandover } from '../trace/handover';
import type { HandoverDocument } from '../trace/lineage.model';
import { assertActsFor, isRegulator } from '../auth/access';
import { setTransferDocument } from '../tables/batch-link.table';
import * as v from '../validation';
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
 * Accepts an EPCIS 2.0 document for capture (GS1 REST binding): validated against the official schema as a whole
 * (a document that is not one is refused, nothing written), then stored with a RUNNING job that the capture queue
 * runs (`runCapture`); the job is answered at once. The job and its document are one row, so a job accepted
 * survives a restart. An operator may capture only events about itself, checked per event when the job runs.
 */
export async function captureDocument(ctx: Context, document: unknown): Promise<CaptureJob> {
  if (!ctx.viewer.accountId) throw unauthenticated();
  try {
    const events = acceptable(ctx, document);
    return await withTransaction(ctx, async (tx) => {
      const id = await insertCapture(tx, ctx.viewer.accountId, events.length, document);
      return (await captureOf(tx, id, null))!;
    });
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

/** The events of a document this viewer may send for capture; a refusal says why. */
function acceptable(ctx: Context, document: unknown): Json[] {
  const viewer = ctx.viewer;
  if (!viewer.role || !CAPTURE_ROLES.has(viewer.role)) throw forbidden('Requires role ADMIN, REGULATOR or OPERATOR');
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw badInput('document', 'must be an EPCIS document (a JSON object)');
  if (!validateDocument(document)) throw badInput('document', `is not a valid EPCIS 2.0 document: ${schemaErrors(validateDocument.errors).join('; ')}`);
  const doc = document as Json;
  if (doc.type !== 'EPCISDocument') throw badInput('document', 'type must be EPCISDocument');
  const events = eventsOfDocument(doc);
  if (events.length > MAX_CAPTURE_EVENTS) throw badInput('document', `holds more than ${MAX_CAPTURE_EVENTS} events`);
  return events;
}

const eventsOfDocument = (doc: Json): Json[] => doc.epcisBody?.eventList ?? (doc.epcisBody?.event ? [doc.epcisBody.event] : []);

/** How a capture job ended when it could not run at all. */
export type CaptureFailure = 'ACCOUNT_REVOKED' | 'INTERNAL';

const FAILURES: Record<CaptureFailure, string> = {
  ACCOUNT_REVOKED: 'the account that sent the document was revoked before it was captured',
  INTERNAL: 'the capture failed on the server; nothing of it was stored, send the document again',
};

/**
 * Runs one accepted capture job, once: in one transaction the job row is locked (a job already run is left alone),
 * each event stored once under its CBV event hash, its identifiers mapped to ours or kept as master data, error
 * declarations marking the events they correct, and the job finished with its counts and per-event errors.
 * The events are captured as the account that sent them, as it is now. `ctx` brings the ORM's manager and config.
 */
export async function runCapture(ctx: Context, captureId: number): Promise<void> {
  await withTransaction(ctx, async (locked) => {
    const job = await claimCapture(locked, captureId);
    if (!job) return;
    const viewer = job.accountId === null ? null : await liveViewerById(locked, job.accountId);
    if (!viewer) return failCapture(locked, captureId, 'ACCOUNT_REVOKED');
    const tx: Context = { ...locked, viewer };
    const doc = job.document as Json;
    const events = eventsOfDocument(doc);
    const prefixes = prefixesOf(doc['@context']);
    const refs = await resolveOurs(tx, events);
    const errors: CaptureEventError[] = [];
    let captured = 0;
    let duplicates = 0;
    const identifiers = new Map<string, IdentifierMapping>();
    const learnIds = (ids: string[]) => {
      for (const foreignId of ids) if (!identifiers.has(foreignId)) identifiers.set(foreignId, refs.mapping(foreignId, captureId));
    };
    // events that cannot touch our lineage are stored in bulk, in document order with the others
    let plain: { row: NewCapturedEvent; ids: string[] }[] = [];
    const flush = async () => {
      for (let i = 0; i < plain.length; i += 1000) {
        const chunk = plain.slice(i, i + 1000);
        const stored = await insertEventsOnce(tx, chunk.map((p) => p.row));
        for (const p of chunk) {
          // a hash twice in one chunk is stored once: the first counts, the second is a duplicate
          if (stored.delete(p.row.event_hash)) {
            captured++;
            learnIds(p.ids);
          } else duplicates++;
        }
      }
      plain = [];
    };
    for (const [index, event] of events.entries()) {
      const eventID = typeof event.eventID === 'string' ? event.eventID : null;
      const ids = identifiersIn(event);
      if (viewer.role === Role.OPERATOR && !ids.some((id) => refs.ownerOf(id) === viewer.operatorId)) {
        errors.push({ index, eventID, errors: ['an operator may capture only events that name its own lots or itself'] });
        continue;
      }
      const hash = eventHash(event, prefixes);
      const declared = event.errorDeclaration && typeof event.errorDeclaration === 'object';
      const row: NewCapturedEvent = {
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
      };
      if (!declared && !mayChangeLineage(event, ids, refs)) {
        plain.push({ row, ids });
        continue;
      }
      await flush();
      // the event and what it does to our lineage go in one savepoint: a refused lineage step stores nothing of the event
      let outcome: { id: number; made: Map<string, number> } | null;
      try {
        outcome = await withTransaction(tx, async (sp) => {
          const stored = await insertEventOnce(sp, row);
          if (stored === null) return null;
          // an error declaration says an event was wrong: it changes no lot
          return { id: stored, made: declared ? new Map<string, number>() : await applyToLineage(sp, event, refs) };
        });
      } catch (e) {
        if (!(e instanceof AppError) || !REFUSALS.has(String(e.extensions.code))) throw e;
        errors.push({ index, eventID, errors: [e.message] });
        continue;
      }
      if (outcome === null) {
        duplicates++;
        continue;
      }
      const { id, made } = outcome;
      captured++;
      if (declared) {
        // the declaration repeats the original event (its eventID, or its fields and so its hash); correctiveEventIDs name replacements
        await markCorrected(tx, id, hash, eventID ? [eventID] : []);
      }
      learnIds(ids);
      for (const [foreignId, batchId] of made) {
        await refs.learn(foreignId, batchId);
        identifiers.set(foreignId, { ...(identifiers.get(foreignId) ?? refs.mapping(foreignId, captureId)), ...(ids.includes(foreignId) ? {} : { scheme: 'bizTransaction' }), batchId, masterData: {} });
      }
    }
    await flush();
    await recordIdentifiers(tx, [...identifiers.values()]);
    const status = errors.length === 0 ? CaptureStatus.SUCCEEDED : captured + duplicates > 0 ? CaptureStatus.PARTIAL : CaptureStatus.FAILED;
    await finishCapture(tx, captureId, status, { captured, duplicates }, errors);
    await recordAuditEvent(tx, audit(tx, { captureId, events: events.length, captured, duplicates }, 'OK'));
  });
}

/** Finishes a job that could not run, with one error about the whole document; a job already finished is left alone. */
export async function failCapture(ctx: Db, captureId: number, why: CaptureFailure): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    if (await claimCapture(tx, captureId)) await finishCapture(tx, captureId, CaptureStatus.FAILED, { captured: 0, duplicates: 0 }, [{ index: null, eventID: null, errors: [FAILURES[why]] }]);
  });
}

/**
 * Whether the event may make, hand over or process one of our lots: a commissioning (it may make a lot of the
 * capturing operator), or an event of the kinds that do naming something of ours (a lot, an operator, a hand-over
 * an earlier event of this capture learnt). Every other event is stored as it is.
 */
function mayChangeLineage(e: Json, ids: string[], refs: Refs): boolean {
  if (e.type !== 'TransformationEvent' && e.type !== 'ObjectEvent') return false;
  const step = stepOf(e);
  if (e.type === 'ObjectEvent' && step === 'commissioning') return true;
  if (e.type === 'ObjectEvent' && step !== 'shipping' && step !== 'receiving') return false;
  return [...ids, ...transactionsOf(e)].some((id) => refs.batchOf(id) !== null || refs.operatorOf(id) !== null);
}

const transactionsOf = (e: Json): string[] =>
  (Array.isArray(e.bizTransactionList) ? e.bizTransactionList : []).map((t: Json) => t?.bizTransaction).filter((t: unknown): t is string => typeof t === 'string');

/** The refusals of a lineage step that refuse one event, not the capture. */
const REFUSALS = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

type Refs = Awaited<ReturnType<typeof resolveOurs>>;

const stepOf = (e: Json) =>
  typeof e.bizStep === 'string' ? e.bizStep.replace('https://ref.gs1.org/cbv/BizStep-', '').replace('urn:epcglobal:cbv:bizstep:', '') : '';

/** What a captured event does to our lineage: the foreign identifiers (classes, business transactions) it gave a lot. */
async function applyToLineage(sp: Context, e: Json, refs: Refs): Promise<Map<string, number>> {
  if (e.type === 'TransformationEvent') return transformation(sp, e, refs);
  if (e.type !== 'ObjectEvent') return new Map();
  const step = stepOf(e);
  if (step === 'commissioning') return commissionLots(sp, e, refs);
  if (step === 'shipping') return shipping(sp, e, refs);
  if (step === 'receiving') return receiving(e, refs);
  return new Map();
}

/** The lot facts an event's ILMD tells: product and category (ours), origin. */
function lotFacts(e: Json) {
  const ilmd = e.ilmd && typeof e.ilmd === 'object' ? e.ilmd : {};
  const productName = typeof ilmd['foodtrace:productName'] === 'string' ? ilmd['foodtrace:productName'].trim().slice(0, 200) : '';
  const category = CATEGORIES.has(ilmd['foodtrace:category']) ? (ilmd['foodtrace:category'] as ProductCategory) : null;
  const originPlace = typeof ilmd['foodtrace:originPlace'] === 'string' ? ilmd['foodtrace:originPlace'].slice(0, 300) : null;
  const lotNumber = typeof ilmd['cbvmda:lotNumber'] === 'string' ? ilmd['cbvmda:lotNumber'] : null;
  return { productName, category, originPlace, lotNumber };
}

/**
 * A TransformationEvent whose inputs are all our lots (with the quantity used) and whose one output is not yet a lot
 * becomes a processing: the output a new lot of the inputs' owner, PROCESS links from each input, the quantities
 * taken from them (mass balance and ownership checked as `processBatches` checks them). Inputs partly foreign, or an
 * output already ours (our own export told back), change nothing.
 */
async function transformation(sp: Context, e: Json, refs: Refs): Promise<Map<string, number>> {
  const inputs: Json[] = Array.isArray(e.inputQuantityList) ? e.inputQuantityList : [];
  const outputs: Json[] = Array.isArray(e.outputQuantityList) ? e.outputQuantityList : [];
  if (!inputs.length || outputs.length !== 1 || typeof outputs[0]?.epcClass !== 'string' || refs.batchOf(outputs[0].epcClass) !== null) return new Map();
  const ours = inputs.map((q) => (typeof q?.epcClass === 'string' ? refs.batchOf(q.epcClass) : null));
  if (ours.some((id) => id === null)) return new Map();
  const [out] = outputs;
  const facts = lotFacts(e);
  const unit = UNIT_OF.get(out.uom);
  if (!unit || typeof out.quantity !== 'number') throw badInput('outputQuantityList', 'the output of a transformation of our lots needs a quantity in a unit we keep');
  if (!facts.productName || !facts.category) throw badInput('ilmd', 'the output of a transformation of our lots needs foodtrace:productName and foodtrace:category');
  if (inputs.some((q) => typeof q.quantity !== 'number')) throw badInput('inputQuantityList', 'each input of a transformation of our lots needs the quantity used');
  const result = await processBatches(sp, {
    inputs: inputs.map((q, i) => ({ batchId: ours[i]!, quantity: q.quantity })),
    productName: facts.productName, category: facts.category, quantity: out.quantity, unit,
    lotCode: facts.lotNumber ?? lotOfClass(out.epcClass), originPlace: facts.originPlace, producedAt: new Date(e.eventTime),
  });
  return new Map([[out.epcClass, result.batch.id]]);
}

const ownedBy = (list: unknown, key: 'source' | 'destination', refs: Refs): number | null => {
  const party = (Array.isArray(list) ? list : []).find((p: Json) => /owning_party$/.test(String(p?.type)) && typeof p[key] === 'string');
  return party ? refs.operatorOf(party[key]) : null;
};

/**
 * A shipping ObjectEvent of one of our lots from its owner to another of our operators (owning_party source and
 * destination) is a hand-over, dated at the event: the receiver gets its own lot and the hand-over its document
 * (`handoverOfEvent`). When a receiving event of the same document shares a business transaction, the receiver's
 * lot is the one it names: under its lot number, and — captured by ADMIN or REGULATOR — under the public code of an
 * export of ours; a lot that names already exists means the hand-over is held (our own export told back). Its
 * business transactions then name the receiver's lot, and through them the receiving event's class does.
 */
async function shipping(sp: Context, e: Json, refs: Refs): Promise<Map<string, number>> {
  const transactions = transactionsOf(e);
  const amounts: Json[] = Array.isArray(e.quantityList) ? e.quantityList : [];
  const from = ownedBy(e.sourceList, 'source', refs);
  const to = ownedBy(e.destinationList, 'destination', refs);
  if (amounts.length !== 1 || from === null || to === null || from === to || typeof amounts[0]?.epcClass !== 'string') return new Map();
  const lot = refs.batchOf(amounts[0].epcClass);
  if (lot === null) return new Map();
  const receipt = transactions.map((t) => refs.receiptOf(t)).find((r) => r !== undefined);
  const receivedClass = receipt && typeof receipt.quantityList?.[0]?.epcClass === 'string' ? (receipt.quantityList[0].epcClass as string) : null;
  if (receivedClass !== null && refs.batchOf(receivedClass) !== null) return new Map();
  if (typeof amounts[0].quantity !== 'number') throw badInput('quantityList', 'a hand-over of our lot needs the quantity shipped');
  if (refs.ownerOfBatch(lot) !== from) throw badInput('sourceList', 'the owning party shipping a lot must be its owner');
  assertActsFor(sp.viewer, from);
  const handover = handoverOfEvent(e, sp.config.publicUrl);
  const lotNumber = receipt ? lotFacts(receipt).lotNumber : null;
  const received = await transferWithin(sp, {
    parentId: lot, toOperatorId: to, quantity: v.quantity('quantityList[0].quantity', amounts[0].quantity),
    at: v.pastDate('eventTime', new Date(e.eventTime)),
    lotCode: lotNumber !== null && LOT_CODE.test(lotNumber) ? lotNumber : null,
    publicCode: receivedClass !== null ? restorableCode(sp, receivedClass) : null,
  });
  if (handover) await setTransferDocument(sp, lot, received.id, handover);
  return new Map(transactions.map((t) => [t, received.id]));
}

/** A receiving ObjectEvent of a class we do not know, under a business transaction that handed over one of our lots, names the receiver's lot. */
function receiving(e: Json, refs: Refs): Map<string, number> {
  const received = transactionsOf(e).map((t) => refs.batchOf(t)).find((id) => id !== null);
  if (received === undefined || received === null) return new Map();
  const amounts: Json[] = Array.isArray(e.quantityList) ? e.quantityList : [];
  return new Map(amounts.filter((q) => typeof q?.epcClass === 'string' && refs.batchOf(q.epcClass) === null).map((q) => [q.epcClass as string, received]));
}

/** CBV business transaction types that name one of our hand-over documents (the export's DOCUMENT_BTT read back). */
const DOCUMENT_OF_BTT: Record<string, HandoverDocumentType> = {
  inv: HandoverDocumentType.INVOICE,
  desadv: HandoverDocumentType.DELIVERY_NOTE,
  po: HandoverDocumentType.PURCHASE_ORDER,
  bol: HandoverDocumentType.BILL_OF_LADING,
};

const bareTerm = (x: unknown) => String(x ?? '').replace('https://ref.gs1.org/cbv/BTT-', '').replace('urn:epcglobal:cbv:btt:', '');
const isUri = (x: unknown): x is string => typeof x === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(x);

/**
 * The hand-over document a shipping or receiving event tells: the first business transaction that is a document —
 * one of our `/documents/{type}/{number}` (type and number as we export them), or a typed CBV one (inv, desadv, po,
 * bol; the number is a CBV `urn:epcglobal:cbv:bt:{gln}:{id}`'s id, else the URI's last segment); the places from
 * `location` entries of the source and destination lists (or our `foodtrace:shipFrom` / `shipTo`); the shipping
 * date from `foodtrace:shippedAt`. Checked as a client's hand-over is; null when the event tells none.
 */
export function handoverOfEvent(e: Json, publicUrl: string): HandoverDocument | null {
  let documentType: HandoverDocumentType | null = null;
  let documentNumber: string | null = null;
  for (const t of Array.isArray(e.bizTransactionList) ? e.bizTransactionList : []) {
    const uri = t?.bizTransaction;
    if (typeof uri !== 'string' || uri.startsWith(`${publicUrl}/transfers/`)) continue;
    const ours = uri.startsWith(`${publicUrl}/documents/`) ? /^([a-z_]+)\/([^/]+)$/.exec(uri.slice(publicUrl.length + '/documents/'.length)) : null;
    const type = ours ? (HANDOVER_TYPES.has(ours[1].toUpperCase()) ? (ours[1].toUpperCase() as HandoverDocumentType) : undefined) : DOCUMENT_OF_BTT[bareTerm(t.type)];
    if (!type) continue;
    const bt = /^urn:epcglobal:cbv:bt:[^:]*:(.+)$/.exec(uri);
    const raw = ours ? ours[2] : bt ? bt[1] : uri.replace(/\/+$/, '').split('/').pop()!;
    let number: string;
    try {
      number = decodeURIComponent(raw);
    } catch {
      number = raw;
    }
    [documentType, documentNumber] = [type, number.slice(0, 64)];
    break;
  }
  const place = (list: unknown, key: 'source' | 'destination', extension: string) =>
    (Array.isArray(list) ? list : []).find((p: Json) => bareTerm(p?.type).replace('https://ref.gs1.org/cbv/SDT-', '') === 'location' && isUri(p[key]))?.[key]
    ?? (typeof e[extension] === 'string' ? e[extension] : null);
  const shippedAt = typeof e['foodtrace:shippedAt'] === 'string' ? new Date(e['foodtrace:shippedAt']) : null;
  return checkHandover({
    documentType, documentNumber, shippedAt,
    shipFrom: place(e.sourceList, 'source', 'foodtrace:shipFrom'), shipTo: place(e.destinationList, 'destination', 'foodtrace:shipTo'),
  });
}

const HANDOVER_TYPES = new Set<string>(Object.values(HandoverDocumentType));

/** The public code of a lot an export of ours named, to give the lot captured back: only ADMIN and REGULATOR restore one. */
function restorableCode(ctx: Context, epcClass: string): string | null {
  if (!isRegulator(ctx.viewer) || !epcClass.startsWith(`${ctx.config.publicUrl}/t/`)) return null;
  const code = epcClass.slice(ctx.config.publicUrl.length + 3);
  return isPublicCode(code) ? code : null;
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
async function commissionLots(tx: Context, e: Json, refs: Refs): Promise<Map<string, number>> {
  const made = new Map<string, number>();
  if (e.type !== 'ObjectEvent' || e.action !== 'ADD' || stepOf(e) !== 'commissioning' || !Array.isArray(e.quantityList)) return made;
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
    const gtin = q.epcClass.startsWith(`${tx.config.publicUrl}/01/`) ? /^\/01\/(\d{14})\/10\//.exec(q.epcClass.slice(tx.config.publicUrl.length))?.[1] ?? null : null;
    const publicCode = restorableCode(tx, q.epcClass);
    const [row] = await insertBatches(tx, [{ ownerId, productName, category, lotCode, quantity: q.quantity, unit, producedAt, originPlace, gtin, publicCode }], true);
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

/** Our lots, operators and markets among the identifiers of the events, and the foreign ones an earlier capture mapped to a lot. */
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
  // foreign identifiers an earlier capture gave a lot, and the owners of those lots
  const known = new Map((await identifiersOf(tx as Db, [...all])).filter((m) => m.batchId !== null).map((m) => [m.foreignId, m.batchId!]));
  const owners = new Map<number, number>([...lots.values()].map((b) => [b.id, b.owner_id]));
  for (const b of await batchTable.byIds(tx as Db, [...known.values()])) owners.set(b.id, b.owner_id);
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
  // the receiving event of the document under each business transaction: a hand-over shipped names its receiver's lot
  const receipts = new Map<string, Json>();
  for (const e of events) if (e.type === 'ObjectEvent' && stepOf(e) === 'receiving') for (const t of transactionsOf(e)) if (!receipts.has(t)) receipts.set(t, e);
  return {
    receiptOf(transaction: string): Json | undefined {
      return receipts.get(transaction);
    },
    operatorOf(id: string): number | null {
      const op = codeOf(id, 'o');
      return op ? operators.get(op) ?? null : null;
    },
    batchOf(id: string): number | null {
      const lot = codeOf(id, 't');
      return (lot ? lots.get(lot)?.id : undefined) ?? known.get(id) ?? null;
    },
    ownerOfBatch(batchId: number): number | null {
      return owners.get(batchId) ?? null;
    },
    /** A lot this capture made or found for a foreign identifier, for the events after it. */
    async learn(id: string, batchId: number): Promise<void> {
      known.set(id, batchId);
      if (!owners.has(batchId)) {
        const [row] = await batchTable.byIds(tx as Db, [batchId]);
        if (row) owners.set(batchId, row.owner_id);
      }
    },
    ownerOf(id: string): number | null {
      const lot = codeOf(id, 't');
      if (lot) return lots.get(lot)?.owner_id ?? null;
      const foreign = known.get(id);
      if (foreign !== undefined) return owners.get(foreign) ?? null;
      const op = codeOf(id, 'o');
      return op ? operators.get(op) ?? null : null;
    },
    mapping(id: string, captureId: number): IdentifierMapping {
      const lot = codeOf(id, 't');
      const op = codeOf(id, 'o');
      const batchId = (lot ? lots.get(lot)?.id : undefined) ?? known.get(id) ?? null;
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
