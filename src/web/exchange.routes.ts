import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badInput } from '../errors';
import { captureDocument, captureJob } from '../exchange/capture.service';
import type { CaptureJob, EventQuery } from '../exchange/exchange.model';
import { fsmaCsv, fsmaRowsOfLot, fsmaRowsOfSelection, writeFsmaXlsx, type FsmaRow } from '../exchange/fsma.service';
import { importRegistry, ImportTooLarge, limitedBody, sheetRecords, type ImportKind, type SheetFormat } from '../exchange/import.service';
import { positionOf, queryEpcisEvents } from '../exchange/query.service';
import { registryCsv } from '../exchange/registry-export.service';
import { PassThrough, Readable } from 'node:stream';
import { ProductCategory } from '../entities/enums';
import { EPCIS_CONTEXT_URL } from '../trace/epcis.service';
import * as v from '../validation';
import { failureOf, sendFailure } from './http-errors';
import { regulatorOrRefuse, singleValues } from './regulator-api';
import type { WebDeps } from './request-context';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The capture job as the GS1 REST binding names it, with the counts beside. */
function jobBody(job: CaptureJob) {
  return {
    captureID: String(job.id),
    createdAt: job.receivedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    running: job.finishedAt === null,
    success: job.errors.length === 0,
    captureErrorBehaviour: 'proceed',
    status: job.status,
    eventCount: job.eventCount,
    capturedCount: job.capturedCount,
    duplicateCount: job.duplicateCount,
    errors: job.errors,
  };
}

const QUERY_KEYS = ['eventType', 'GE_eventTime', 'LT_eventTime', 'MATCH_epc', 'MATCH_anyEPC', 'EQ_bizStep', 'EQ_disposition', 'EQ_readPoint', 'perPage', 'nextPageToken'] as const;

/** A query parameter's values: repeated or comma-separated, as the REST binding allows. */
function values(query: Record<string, unknown>, key: string): string[] | null {
  const raw = query[key];
  if (raw === undefined) return null;
  const list = (Array.isArray(raw) ? raw : [raw]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  if (!list.length) throw badInput(key, 'must not be empty');
  if (list.some((x) => x.length > 500)) throw badInput(key, 'a value is longer than 500 characters');
  return list;
}

/** A CBV term in both its JSON (bare) and its Web URI spelling. */
function vocabulary(list: string[] | null, prefix: string): string[] | null {
  if (!list) return null;
  return list.flatMap((x) => (x.startsWith(prefix) ? [x, x.slice(prefix.length)] : /^[a-z_]+$/.test(x) ? [x, prefix + x] : [x]));
}

function time(query: Record<string, unknown>, key: string): Date | null {
  const list = values(query, key);
  if (!list) return null;
  if (list.length !== 1) throw badInput(key, 'must be given once');
  const d = new Date(list[0]);
  if (!/^\d{4}-\d\d-\d\dT/.test(list[0]) || Number.isNaN(d.getTime())) throw badInput(key, 'must be an ISO 8601 date and time');
  return d;
}

export function eventQuery(query: Record<string, unknown>): EventQuery {
  for (const key of Object.keys(query)) if (!(QUERY_KEYS as readonly string[]).includes(key)) throw badInput(key, `is not a supported query parameter (use ${QUERY_KEYS.join(', ')})`);
  const perPage = values(query, 'perPage');
  const token = values(query, 'nextPageToken');
  const after = token ? positionOf(token[0]) : null;
  if (token && after === null) throw badInput('nextPageToken', 'is not a page token of this server');
  const epcs = [...(values(query, 'MATCH_epc') ?? []), ...(values(query, 'MATCH_anyEPC') ?? [])];
  return {
    eventTypes: values(query, 'eventType'),
    from: time(query, 'GE_eventTime'),
    to: time(query, 'LT_eventTime'),
    epcs: epcs.length ? epcs : null,
    bizSteps: vocabulary(values(query, 'EQ_bizStep'), 'https://ref.gs1.org/cbv/BizStep-'),
    dispositions: vocabulary(values(query, 'EQ_disposition'), 'https://ref.gs1.org/cbv/Disp-'),
    readPoints: values(query, 'EQ_readPoint'),
    after,
    limit: v.pageSize('perPage', perPage ? (/^\d{1,4}$/.test(perPage[0]) ? Number(perPage[0]) : NaN) : null, 100, 1000),
  };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An EPCIS document may be larger than a JSON body: 10,000 events fit in it. */
export const CAPTURE_BODY_LIMIT = 16 * 1024 * 1024;

/** A registry spreadsheet may be larger than a JSON body: 100,000 lines of CSV fit in it. */
export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

/** `name.csv` or `name.xlsx`: which format the spreadsheet is asked in. */
function spreadsheetFile(file: string, stem: RegExp): { stem: string; format: 'csv' | 'xlsx' } {
  const m = /^(.+)\.(csv|xlsx)$/.exec(file);
  if (!m || !stem.test(m[1])) throw badInput('file', `must be ${stem.source.replace(/[\^$]/g, '')}.csv or .xlsx`);
  return { stem: m[1], format: m[2] as 'csv' | 'xlsx' };
}

/** The rows with the first one already read (or its failure thrown), the rest read as they are asked for. */
async function primed<T>(rows: AsyncGenerator<T>): Promise<AsyncIterable<T>> {
  const first = await rows.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      yield* rows;
    },
  };
}

/**
 * The spreadsheet streamed into the reply as its rows come. A failure after the first byte can only cut the reply
 * short (the status is sent): it is logged and the connection closed, so a client never takes a part for the whole.
 */
function sendSpreadsheet(request: FastifyRequest, reply: FastifyReply, rows: AsyncIterable<FsmaRow> | Iterable<FsmaRow>, format: 'csv' | 'xlsx', name: string) {
  reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${name}.${format}"`);
  if (format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').send(Readable.from(fsmaCsv(rows), { objectMode: false }));
  const out = new PassThrough();
  writeFsmaXlsx(rows, out).catch((e: unknown) => {
    request.log.error({ err: e }, 'the spreadsheet stopped part way');
    out.destroy(e as Error);
  });
  return reply.header('content-type', XLSX).send(out);
}

/**
 * EPCIS 2.0 capture and query (GS1 REST binding): `POST /epcis/capture` (JSON-LD) answers 202 with the job's
 * location, `GET /epcis/capture/:id` the job, `GET /epcis/events` the captured events.
 */
export async function registerExchangeRoutes(fastify: FastifyInstance, _deps: WebDeps): Promise<void> {
  // EPCIS documents come as JSON-LD; decoded strictly as UTF-8 like every JSON body
  fastify.addContentTypeParser('application/ld+json', { parseAs: 'buffer', bodyLimit: CAPTURE_BODY_LIMIT }, (_request, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      return done(Object.assign(new Error('The body is not valid UTF-8'), { statusCode: 400 }), undefined);
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('The body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });

  // registry spreadsheets are read by the import itself as they arrive (CSV text or an XLSX workbook); a body
  // announced larger than the limit is refused before it is read, and one that turns out larger when the excess comes
  fastify.addContentTypeParser(['text/csv', XLSX], (request, body, done) => {
    if (Number(request.headers['content-length'] ?? 0) > IMPORT_BODY_LIMIT) {
      return done(Object.assign(new Error(`The file is larger than ${IMPORT_BODY_LIMIT} bytes`), { statusCode: 413 }), undefined);
    }
    done(null, limitedBody(body, IMPORT_BODY_LIMIT));
  });

  // bulk registry import, all or nothing, read and written as the body arrives: ?dryRun=true checks every row and
  // writes nothing
  fastify.post('/imports/:kind', async (request: FastifyRequest<{ Params: { kind: string } }>, reply) => {
    const body = request.body;
    // a request refused before its body was read whole: the rest is drained so the connection can carry the answer
    const drain = () => {
      if (body instanceof Readable) body.resume();
      request.raw.resume();
    };
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return (drain(), reply);
    try {
      const kind = request.params.kind;
      if (kind !== 'operators' && kind !== 'markets' && kind !== 'lots') throw badInput('kind', 'must be operators, markets or lots');
      const q = singleValues(request.query as Record<string, unknown>, ['dryRun'], 'parameter');
      if (q.dryRun !== undefined && q.dryRun !== 'true' && q.dryRun !== 'false') throw badInput('dryRun', 'must be true or false');
      const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const format: SheetFormat | null = type === 'text/csv' ? 'csv' : type === XLSX ? 'xlsx' : null;
      if (!format || !(body instanceof Readable)) throw badInput('content-type', `must be text/csv or ${XLSX}`);
      const report = await importRegistry(ctx, kind as ImportKind, sheetRecords(body, format), q.dryRun === 'true');
      reply.header('cache-control', 'no-store');
      if (report.refused) {
        return reply.code(400).send({ error: { code: 'BAD_USER_INPUT', message: `${report.refused} of ${report.rows} rows refused; nothing was imported` }, report });
      }
      return reply.send(report);
    } catch (e) {
      drain();
      if (e instanceof ImportTooLarge) {
        // the client may still be sending: the connection is closed once the answer is out
        return reply.code(413).header('cache-control', 'no-store').header('connection', 'close')
          .send({ error: { code: 'PAYLOAD_TOO_LARGE', message: e.message } });
      }
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  // the document is checked and stored here; the capture queue captures it, and the job tells how that went
  fastify.post('/epcis/capture', { bodyLimit: CAPTURE_BODY_LIMIT }, async (request, reply) => {
    try {
      const ctx = await request.context();
      const job = await captureDocument(ctx, request.body);
      return reply.code(202).header('location', `/epcis/capture/${job.id}`).header('cache-control', 'no-store').send(jobBody(job));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  fastify.get('/epcis/capture/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    try {
      const id = v.id('id', request.params.id);
      const ctx = await request.context();
      return reply.header('cache-control', 'no-store').send(jobBody(await captureJob(ctx, id)));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  // the FSMA 204 sortable spreadsheet of a lot's lineage, for regulators
  // the operator registry (备案登记) for other departments, contact data included: regulators only, audited
  fastify.get('/exports/registry.csv', async (request, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      const csv = await registryCsv(ctx);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="registry.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(csv, { objectMode: false, highWaterMark: 1 }));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  fastify.get('/exports/fsma204/batches/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      singleValues(request.query as Record<string, unknown>, [], 'parameter');
      const { stem, format } = spreadsheetFile(request.params.file, /^\d{1,10}$/);
      const batchId = v.id('id', stem);
      return sendSpreadsheet(request, reply, await fsmaRowsOfLot(ctx, batchId), format, `fsma204-lot-${batchId}`);
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  // the same spreadsheet of every CTE recorded or captured in a time range (?from=…&to=…, ISO 8601, at most 366 days),
  // of a product (?product= its name, ?category= its category), or of a product in a range
  fastify.get('/exports/fsma204/:file', async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      const { format } = spreadsheetFile(request.params.file, /^events$/);
      const q = request.query as Record<string, unknown>;
      const given = singleValues(q, ['from', 'to', 'product', 'category'], 'parameter');
      const productName = given.product === undefined ? null : v.text('product', given.product, 200);
      const category = given.category === undefined ? null : given.category.trim().toUpperCase();
      if (category !== null && !(Object.values(ProductCategory) as string[]).includes(category)) {
        throw badInput('category', `must be one of ${Object.values(ProductCategory).join(', ')}`);
      }
      const from = time(q, 'from');
      const to = time(q, 'to');
      // a product's spreadsheet may cover its whole history; a range of every product is bounded
      if (productName === null && category === null) {
        if (!from) throw badInput('from', 'is required');
        if (!to) throw badInput('to', 'is required');
      }
      if (from && to && to <= from) throw badInput('to', 'must be after from');
      if (from && to && to.getTime() - from.getTime() > 366 * 86_400_000) throw badInput('to', 'the range is at most 366 days');
      const name = ['fsma204', productName ?? category, from?.toISOString().slice(0, 10), to?.toISOString().slice(0, 10)]
        .filter((x): x is string => !!x).join('-').replace(/[^\w.-]+/g, '_');
      // the first rows are read before the status is sent: the statement's sort happens then, and its failure (a
      // timeout) is still an error answer rather than a spreadsheet cut short
      const source = fsmaRowsOfSelection(ctx, { from, to, productName, category });
      const rows = await primed(source);
      // however the reply ends (sent, or the client gone at any point), the cursors are closed
      reply.raw.once('close', () => void source.return(undefined));
      return sendSpreadsheet(request, reply, rows, format, name);
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });

  fastify.get('/epcis/events', async (request, reply) => {
    try {
      const q = eventQuery(request.query as Record<string, unknown>);
      const ctx = await request.context();
      const page = await queryEpcisEvents(ctx, q);
      if (page.nextPageToken) {
        const next = new URLSearchParams(request.query as Record<string, string>);
        next.set('nextPageToken', page.nextPageToken);
        reply.header('link', `</epcis/events?${next.toString()}>; rel="next"`);
      }
      return reply
        .header('content-type', 'application/ld+json; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(JSON.stringify({
          '@context': [EPCIS_CONTEXT_URL],
          type: 'EPCISQueryDocument',
          schemaVersion: '2.0',
          creationDate: new Date().toISOString(),
          epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: page.events } } },
        }));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });
}
