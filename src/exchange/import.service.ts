import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { recordAuditEvent } from '../audit/audit.service';
import { withTransaction, type Context } from '../context';
import { AuditKind, CommitmentBasis, OperatorKind, OperatorStatus, ProductCategory, QuantityUnit, Role } from '../entities/enums';
import { AppError, badInput, forbidden, unauthenticated } from '../errors';
import { localDate, localDayStart } from '../local-time';
import { newPublicCode } from '../public-code';
import { CARD_KINDS, cardNumber } from '../registry/operator.service';
import { newCertificateNumber, STANDARD_STATEMENT } from '../registry/certificate.service';
import { insertBatches } from '../tables/batch.table';
import * as v from '../validation';
import {
  existingCreditCodes, existingLots, existingMarketNames, insertCertificates, insertMarkets, insertOperators, operatorsByCodes,
  registrationCardSerials, type NewImportedCertificate, type RegisteredOwner,
} from './import.sql';

/** What a registry import takes: operators (idempotent by credit code), markets (by name) or lots (by owner and lot code). */
export type ImportKind = 'operators' | 'markets' | 'lots';
export type SheetFormat = 'csv' | 'xlsx';

export const IMPORT_COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  operators: { required: ['kind', 'name'], optional: ['creditCode', 'village', 'address', 'contactPerson', 'contactPhone'] },
  markets: { required: ['name'], optional: ['village', 'address'] },
  // owner: the operator's credit code or town registration-card number; certificateBases: bases joined by ";" — a
  // certificate is issued with the lot when they are given
  lots: {
    required: ['owner', 'productName', 'category', 'lotCode', 'quantity', 'unit', 'producedAt'],
    optional: ['originPlace', 'gtin', 'certificateBases', 'certificateQuantity', 'testReference'],
  },
};

/** At most this many data rows in one import. */
export const MAX_IMPORT_ROWS = 100_000;

export interface ImportRowError {
  /** The spreadsheet's own line number (the header is line 1). */
  line: number;
  field: string | null;
  message: string;
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  /** Whether the rows were written: never on a dry run, never when any row was refused. */
  committed: boolean;
  rows: number;
  created: number;
  /** Rows naming a record already registered (same credit code, or same market name): left as they are. */
  existing: number;
  /** How many rows were refused; `errors` lists the first `MAX_LISTED_ERRORS` of them. */
  refused: number;
  errors: ImportRowError[];
}

/** At most this many refused rows are listed: enough to fix a file by, without a reply as large as the file. */
export const MAX_LISTED_ERRORS = 1000;

/** Rows checked, looked up and written together: one statement per table for each this many rows. */
const BATCH_ROWS = 1000;

/** The body was larger than the import takes; refused with 413 whenever the excess arrives. */
export class ImportTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${limit} bytes`);
  }
}

/** The body stream, failing with `ImportTooLarge` once more than `limit` bytes have come. */
export function limitedBody(body: Readable, limit: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) return done(new ImportTooLarge(limit));
      done(null, chunk);
    },
  });
  body.on('error', (e) => counter.destroy(e));
  return body.pipe(counter);
}

/**
 * The records of a CSV (UTF-8, a byte order mark allowed) or of the first sheet of an XLSX workbook, read from the
 * stream as they arrive (csv-parse's stream parser, exceljs's streaming workbook reader): the header row first.
 */
export async function* sheetRecords(body: Readable, format: SheetFormat): AsyncGenerator<string[]> {
  if (format === 'csv') {
    const parser = body.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }));
    body.on('error', (e) => parser.destroy(e));
    try {
      for await (const record of parser) yield record as string[];
    } catch (e) {
      if (e instanceof ImportTooLarge) throw e;
      throw badInput('file', `is not a readable CSV: ${(e as Error).message.slice(0, 200)}`);
    }
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(body, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      // only the first sheet is read; the rest are passed over as they stream by
      if (sheets++) {
        for await (const _row of sheet as AsyncIterable<ExcelJS.Row>) void _row;
        continue;
      }
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        // an empty row is skipped, as the CSV parser skips an empty line
        if (cells.some((c) => c !== '')) yield cells;
      }
    }
  } catch (e) {
    if (e instanceof ImportTooLarge || e instanceof AppError) throw e;
    throw badInput('file', 'is not a readable XLSX workbook');
  }
  if (!sheets) throw badInput('file', 'is not a readable XLSX workbook');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('').trim();
    if (v.text !== undefined) return String(v.text).trim();
    if (v.result !== undefined) return String(v.result).trim();
  }
  return String(value).trim();
}

type Row = Record<string, string>;

const KINDS = new Set<string>(Object.values(OperatorKind));
const CATEGORIES = new Set<string>(Object.values(ProductCategory));
const UNITS = new Set<string>(Object.values(QuantityUnit));
const BASES = new Set<string>(Object.values(CommitmentBasis));

/**
 * Registers the rows of a spreadsheet as they are read, all or nothing, in one transaction: each row is checked as
 * its GraphQL registration checks it, rows are looked up and written a thousand at a time (multi-row inserts that
 * leave a credit code, market name or owner's lot code already registered as it is), and any refused row rolls
 * everything back, with an error per refused row (its line, field and why). A dry run checks the same way and
 * writes nothing. ADMIN and REGULATOR.
 */
export async function importRegistry(ctx: Context, kind: ImportKind, records: AsyncIterable<string[]>, dryRun: boolean): Promise<ImportReport> {
  if (!ctx.viewer.accountId) throw unauthenticated();
  if (ctx.viewer.role !== Role.ADMIN && ctx.viewer.role !== Role.REGULATOR) throw forbidden('Requires role ADMIN or REGULATOR');
  const report: ImportReport = { kind, dryRun, committed: false, rows: 0, created: 0, existing: 0, refused: 0, errors: [] };
  const rollback = new Error('rollback');
  try {
    await withTransaction(ctx, async (tx) => {
      const importer = IMPORTERS[kind](tx, report, dryRun);
      let header: string[] | null = null;
      let batch: { line: number; row: Row }[] = [];
      for await (const cells of records) {
        if (!header) {
          header = checkedHeader(kind, cells.map((h) => h.trim()));
          continue;
        }
        if (++report.rows > MAX_IMPORT_ROWS) throw badInput('file', `has more than ${MAX_IMPORT_ROWS} rows`);
        batch.push({ line: report.rows + 1, row: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])) });
        if (batch.length === BATCH_ROWS) (await importBatch(importer, batch, report), (batch = []));
      }
      if (!header) throw badInput('file', 'is empty: the first line must name the columns');
      if (batch.length) await importBatch(importer, batch, report);
      if (report.refused || dryRun) throw rollback;
      report.committed = true;
      await recordAuditEvent(tx, {
        accountId: ctx.viewer.accountId, role: ctx.viewer.role, kind: AuditKind.MUTATION, operation: `POST /imports/${kind}`,
        variables: { rows: report.rows, created: report.created, existing: report.existing }, outcome: 'OK', personalData: [], clientIp: ctx.clientIp,
      });
    });
  } catch (e) {
    if (e !== rollback) throw e;
  }
  // a refused import tells its errors only; a dry run's counts tell what the import would do
  if (report.refused) report.created = report.existing = 0;
  return report;
}

function checkedHeader(kind: ImportKind, header: string[]): string[] {
  const columns = IMPORT_COLUMNS[kind];
  const missing = columns.required.filter((c) => !header.includes(c));
  if (missing.length) throw badInput('file', `lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const unknown = header.filter((c) => c && !columns.required.includes(c) && !columns.optional.includes(c));
  if (unknown.length) throw badInput('file', `has unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (use ${[...columns.required, ...columns.optional].join(', ')})`);
  return header;
}

type Importer = (rows: { line: number; row: Row }[]) => Promise<void>;

/** Checks one row; a refused row is reported (its first error) and left out. */
function checked<T>(report: ImportReport, line: number, check: () => T): T | null {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof AppError) || e.extensions.code !== 'BAD_USER_INPUT') throw e;
    refuse(report, line, e);
    return null;
  }
}

function refuse(report: ImportReport, line: number, e: AppError): void {
  report.refused++;
  report.errors.push({ line, field: typeof e.extensions.field === 'string' ? e.extensions.field : null, message: e.message });
}

/** Imports a batch of rows; its errors (found row by row, then on look-up) are listed in line order, the first ones only. */
async function importBatch(importer: Importer, rows: { line: number; row: Row }[], report: ImportReport): Promise<void> {
  const listed = report.errors.length;
  await importer(rows);
  const added = report.errors.splice(listed).sort((a, b) => a.line - b.line);
  report.errors.push(...added.slice(0, Math.max(0, MAX_LISTED_ERRORS - listed)));
}

/** Whether rows are still to be written: never on a dry run, nor once a row was refused (all of it rolls back). */
const writing = (report: ImportReport, dryRun: boolean) => !dryRun && report.refused === 0;

const IMPORTERS: Record<ImportKind, (tx: Context, report: ImportReport, dryRun: boolean) => Importer> = {
  operators: (tx, report, dryRun) => {
    const seen = new Map<string, number>();
    return async (rows) => {
      const valid = rows.flatMap(({ line, row }) => {
        const o = checked(report, line, () => operatorOfRow(row));
        if (!o) return [];
        if (o.creditCode) {
          const first = seen.get(o.creditCode);
          if (first !== undefined) return (refuse(report, line, badInput('creditCode', `repeats line ${first}`)), []);
          seen.set(o.creditCode, line);
        }
        return [o];
      });
      const taken = await existingCreditCodes(tx, valid.flatMap((o) => (o.creditCode ? [o.creditCode] : [])));
      const fresh = valid.filter((o) => !o.creditCode || !taken.has(o.creditCode));
      report.existing += valid.length - fresh.length;
      report.created += fresh.length;
      if (!writing(report, dryRun) || !fresh.length) return;
      const createdAt = new Date();
      const serials = await registrationCardSerials(tx, fresh.filter((o) => !o.creditCode).length);
      const inserted = await insertOperators(tx, fresh.map((o) => ({
        kind: o.kind, name: o.name, credit_code: o.creditCode, registration_card_no: o.creditCode ? null : cardNumber(serials.shift()!, createdAt),
        village: o.village, address: o.address, contact_person: o.contactPerson, contact_phone: o.contactPhone, public_code: newPublicCode(), created_at: createdAt,
      })));
      // a credit code registered since the look-up (another import at once) is left as it is
      report.created -= fresh.length - inserted;
      report.existing += fresh.length - inserted;
    };
  },
  markets: (tx, report, dryRun) => {
    const seen = new Map<string, number>();
    return async (rows) => {
      const valid = rows.flatMap(({ line, row }) => {
        const m = checked(report, line, () => ({
          name: v.text('name', row.name ?? '', 200), village: v.text('village', row.village, 100, { optional: true }),
          address: v.text('address', row.address, 300, { optional: true }),
        }));
        if (!m) return [];
        const first = seen.get(m.name);
        if (first !== undefined) return (refuse(report, line, badInput('name', `repeats line ${first}`)), []);
        seen.set(m.name, line);
        return [m];
      });
      const taken = await existingMarketNames(tx, valid.map((m) => m.name));
      const fresh = valid.filter((m) => !taken.has(m.name));
      report.existing += valid.length - fresh.length;
      report.created += fresh.length;
      if (writing(report, dryRun) && fresh.length) await insertMarkets(tx, fresh);
    };
  },
  lots: (tx, report, dryRun) => {
    const seen = new Map<string, number>();
    const owners = new Map<string, RegisteredOwner | null>();
    const days = new Map<string, Date | null>();
    return async (rows) => {
      const parsed = rows.flatMap(({ line, row }) => {
        const lot = checked(report, line, () => lotOfRow(row, tx.config.timeZone, days));
        return lot ? [{ line, lot }] : [];
      });
      const unknown = [...new Set(parsed.map((p) => p.lot.owner))].filter((o) => !owners.has(o));
      const found = await operatorsByCodes(tx, unknown);
      for (const code of unknown) owners.set(code, found.get(code.toUpperCase()) ?? found.get(code) ?? null);
      const valid = parsed.flatMap(({ line, lot }) => {
        const owner = owners.get(lot.owner)!;
        const refused = (field: string, message: string) => (refuse(report, line, badInput(field, message)), []);
        if (!owner) return refused('owner', `no operator has the credit code or registration-card number ${lot.owner}`);
        const key = `${owner.id}/${lot.lotCode}`;
        const first = seen.get(key);
        if (first !== undefined) return refused('lotCode', `repeats line ${first}`);
        seen.set(key, line);
        if (owner.status !== OperatorStatus.ACTIVE) return refused('owner', `operator ${owner.id} is ${owner.status}`);
        return [{ ...lot, ownerId: owner.id, originPlace: lot.originPlace ?? owner.village }];
      });
      const taken = await existingLots(tx, valid.map((l) => ({ ownerId: l.ownerId, lotCode: l.lotCode })));
      const fresh = valid.filter((l) => !taken.has(`${l.ownerId}/${l.lotCode}`));
      report.existing += valid.length - fresh.length;
      report.created += fresh.length;
      if (!writing(report, dryRun) || !fresh.length) return;
      const inserted = await insertBatches(tx, fresh.map((l) => ({
        ownerId: l.ownerId, productName: l.productName, category: l.category, lotCode: l.lotCode, quantity: l.quantity, unit: l.unit,
        producedAt: l.producedAt, originPlace: l.originPlace, gtin: l.gtin,
      })), true);
      const certificates: NewImportedCertificate[] = [];
      for (const [i, row] of inserted.entries()) {
        const l = fresh[i];
        if (!row) {
          // registered since the look-up: left as it is, certificates and all
          report.created--;
          report.existing++;
          continue;
        }
        if (!l.bases.length) continue;
        certificates.push({
          number: newCertificateNumber(l.producedAt), batchId: row.id, issuerId: l.ownerId, quantity: l.certificateQuantity ?? l.quantity, unit: l.unit,
          issuedAt: l.producedAt, bases: l.bases, statement: STANDARD_STATEMENT, testReference: l.testReference,
        });
      }
      await insertCertificates(tx, certificates);
    };
  },
};

/** An operator row checked as `registerOperator` checks its input (the credit code's registration is looked up later). */
function operatorOfRow(row: Row) {
  const kind = row.kind?.trim().toUpperCase();
  if (!KINDS.has(kind)) throw badInput('kind', `must be one of ${[...KINDS].join(', ')}`);
  const name = v.text('name', row.name ?? '', 200);
  const creditCode = row.creditCode?.trim() ? v.creditCode('creditCode', row.creditCode) : null;
  if (!creditCode && !CARD_KINDS.has(kind as OperatorKind)) {
    throw badInput('creditCode', `is required for ${kind} (only farms, small workshops and vendors may register with a town card)`);
  }
  const contactPhone = v.text('contactPhone', row.contactPhone, 32, { optional: true });
  if (contactPhone && !/^\+?[0-9][0-9 -]{4,30}$/.test(contactPhone)) throw badInput('contactPhone', 'must be a phone number');
  return {
    kind: kind as OperatorKind, name, creditCode, contactPhone,
    village: v.text('village', row.village, 100, { optional: true }),
    address: v.text('address', row.address, 300, { optional: true }),
    contactPerson: v.text('contactPerson', row.contactPerson, 100, { optional: true }),
  };
}

/** A number written in a cell: digits with at most one decimal point, no sign, no exponent. */
function cellNumber(field: string, raw: string | undefined): number {
  const text = (raw ?? '').trim();
  if (!/^\d{1,11}(\.\d{1,3})?$/.test(text)) throw badInput(field, 'must be a number such as 12.5 (at most 3 decimals)');
  return Number(text);
}

/**
 * An ISO 8601 time with its offset, or a date (taken as the start of that day in the county's time zone). A day's
 * start is worked out once per import (`days`): the zone arithmetic costs far more than the rest of a row's checks,
 * and the rows of a file share a few hundred dates at most.
 */
function cellTime(field: string, raw: string | undefined, timeZone: string, days: Map<string, Date | null>): Date {
  const text = (raw ?? '').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    let day = days.get(text);
    if (day === undefined) {
      const start = localDayStart(text, timeZone);
      day = !Number.isNaN(start.getTime()) && localDate(start, timeZone) === text ? start : null;
      days.set(text, day);
    }
    if (day) return new Date(day);
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
    return new Date(text);
  }
  throw badInput(field, 'must be a date YYYY-MM-DD or a time such as 2026-11-01T06:00:00+08:00');
}

/**
 * A lot row checked as `createBatch` and `issueCertificate` check their inputs; its owner (by credit code or
 * registration-card number) is looked up with the rest of its batch. A lot code the owner already has is left as it
 * is (with whatever certificates it has), so an import may be sent again.
 */
function lotOfRow(row: Row, timeZone: string, days: Map<string, Date | null>) {
  const owner = v.text('owner', row.owner ?? '', 64);
  const lotCode = v.text('lotCode', row.lotCode ?? '', 64);
  const category = (row.category ?? '').trim().toUpperCase();
  if (!CATEGORIES.has(category)) throw badInput('category', `must be one of ${[...CATEGORIES].join(', ')}`);
  const unit = (row.unit ?? '').trim().toUpperCase();
  if (!UNITS.has(unit)) throw badInput('unit', `must be one of ${[...UNITS].join(', ')}`);
  const quantity = cellNumber('quantity', row.quantity);
  const producedAt = cellTime('producedAt', row.producedAt, timeZone, days);
  const bases = [...new Set((row.certificateBases ?? '').split(/[;,]/).map((b) => b.trim().toUpperCase()).filter(Boolean))];
  const wrong = bases.find((b) => !BASES.has(b));
  if (wrong) throw badInput('certificateBases', `${wrong} is not one of ${[...BASES].join(', ')}`);
  if (!bases.length && (row.certificateQuantity?.trim() || row.testReference?.trim())) {
    throw badInput('certificateBases', 'name the bases when a certificate quantity or test reference is given');
  }
  const certificateQuantity = row.certificateQuantity?.trim() ? cellNumber('certificateQuantity', row.certificateQuantity) : null;
  // what createBatch checks
  const productName = v.text('productName', row.productName ?? '', 200);
  if (!/^[\p{L}\p{N}._\-/]+$/u.test(lotCode)) throw badInput('lotCode', 'may contain only letters, digits, ".", "_", "-" and "/"');
  v.quantity('quantity', quantity);
  v.pastDate('producedAt', producedAt);
  const gtin = row.gtin?.trim() ? v.gtin('gtin', row.gtin) : null;
  const originPlace = v.text('originPlace', row.originPlace, 300, { optional: true });
  // what issueCertificate checks
  const testReference = v.text('testReference', row.testReference, 100, { optional: true });
  if (bases.length) {
    if (certificateQuantity !== null) v.quantity('quantity', certificateQuantity);
    if (certificateQuantity !== null && certificateQuantity > quantity) throw badInput('quantity', `must not exceed the batch quantity ${quantity} ${unit}`);
    if (bases.includes(CommitmentBasis.COMMISSIONED_TEST) && !testReference) throw badInput('testReference', 'is required when the basis includes COMMISSIONED_TEST');
  }
  return {
    owner, lotCode, productName, category: category as ProductCategory, unit: unit as QuantityUnit, quantity, producedAt, gtin, originPlace,
    bases: bases as CommitmentBasis[], certificateQuantity, testReference,
  };
}
