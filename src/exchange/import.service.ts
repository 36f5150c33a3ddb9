import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { recordAuditEvent } from '../audit/audit.service';
import { withTransaction, type Context } from '../context';
import { AuditKind, CommitmentBasis, OperatorKind, ProductCategory, QuantityUnit, Role } from '../entities/enums';
import { AppError, badInput, forbidden, unauthenticated } from '../errors';
import { registerMarket } from '../registry/market.service';
import { registerOperator } from '../registry/operator.service';
import { marketIdByName } from '../tables/market.table';
import { operatorIdByCreditCode, operatorIdByRegistrationCard } from '../tables/operator.table';
import { batchIdByOwnerLot } from '../tables/batch.table';
import { createBatch } from '../registry/batch.service';
import { issueCertificate } from '../registry/certificate.service';
import { localDate, localDayStart } from '../local-time';
import * as v from '../validation';

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
  errors: ImportRowError[];
}

type Row = Record<string, string>;

/** The rows of a CSV (UTF-8, a byte order mark allowed) or of the first sheet of an XLSX workbook, keyed by the header row. */
export async function readSheet(body: Buffer, format: SheetFormat): Promise<Row[]> {
  if (format === 'csv') {
    let records: string[][];
    try {
      records = parse(body, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
    } catch (e) {
      throw badInput('file', `is not a readable CSV: ${(e as Error).message.slice(0, 200)}`);
    }
    return keyed(records);
  }
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw badInput('file', 'is not a readable XLSX workbook');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw badInput('file', 'has no sheet');
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) {
      const value = row.getCell(i).value;
      cells.push(value === null || value === undefined ? '' : typeof value === 'object' && 'text' in value ? String(value.text) : String(value).trim());
    }
    records[n - 1] = cells;
  });
  return keyed(Array.from(records, (r) => r ?? []));
}

function keyed(records: string[][]): Row[] {
  if (!records.length) throw badInput('file', 'is empty: the first line must name the columns');
  const [header, ...data] = records;
  if (data.length > MAX_IMPORT_ROWS) throw badInput('file', `has more than ${MAX_IMPORT_ROWS} rows`);
  return data.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), cells[i] ?? ''])));
}

const KINDS = new Set<string>(Object.values(OperatorKind));

/**
 * Registers the rows of a spreadsheet, all or nothing: every row is checked as its GraphQL registration checks it,
 * and any refused row leaves the registry as it was, with an error per refused row (its line, field and why). A dry
 * run checks the same way and writes nothing. ADMIN and REGULATOR.
 */
export async function importRegistry(ctx: Context, kind: ImportKind, rows: Row[], dryRun: boolean): Promise<ImportReport> {
  if (!ctx.viewer.accountId) throw unauthenticated();
  if (ctx.viewer.role !== Role.ADMIN && ctx.viewer.role !== Role.REGULATOR) throw forbidden('Requires role ADMIN or REGULATOR');
  const columns = IMPORT_COLUMNS[kind];
  const header = rows.length ? Object.keys(rows[0]) : [];
  const missing = columns.required.filter((c) => !header.includes(c));
  if (rows.length && missing.length) throw badInput('file', `lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const unknown = header.filter((c) => c && !columns.required.includes(c) && !columns.optional.includes(c));
  if (unknown.length) throw badInput('file', `has unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (use ${[...columns.required, ...columns.optional].join(', ')})`);

  const report: ImportReport = { kind, dryRun, committed: false, rows: rows.length, created: 0, existing: 0, errors: [] };
  const rollback = new Error('rollback');
  const seen = new Map<string, number>();
  try {
    await withTransaction(ctx, async (tx) => {
      for (const [i, row] of rows.entries()) {
        const line = i + 2;
        try {
          // each row in its own savepoint: a refused row leaves nothing behind, and the rest are still checked
          await withTransaction(tx, async (sp) => {
            if (kind === 'operators') await importOperator(sp, row, line, seen, report);
            else if (kind === 'markets') await importMarket(sp, row, line, seen, report);
            else await importLot(sp, row, line, seen, report);
          });
        } catch (e) {
          if (!(e instanceof AppError) || e.extensions.code !== 'BAD_USER_INPUT') throw e;
          const field = typeof e.extensions.field === 'string' ? e.extensions.field : null;
          report.errors.push({ line, field, message: e.message });
        }
      }
      if (report.errors.length || dryRun) throw rollback;
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
  if (report.errors.length) report.created = report.existing = 0;
  return report;
}

async function importOperator(tx: Context, row: Row, line: number, seen: Map<string, number>, report: ImportReport): Promise<void> {
  const kind = row.kind?.trim().toUpperCase();
  if (!KINDS.has(kind)) throw badInput('kind', `must be one of ${[...KINDS].join(', ')}`);
  const creditCode = row.creditCode?.trim() ? v.creditCode('creditCode', row.creditCode) : null;
  if (creditCode) {
    const first = seen.get(creditCode);
    if (first !== undefined) throw badInput('creditCode', `repeats line ${first}`);
    seen.set(creditCode, line);
    if ((await operatorIdByCreditCode(tx, creditCode)) !== null) {
      report.existing++;
      return;
    }
  }
  await registerOperator(tx, {
    kind: kind as OperatorKind, name: row.name ?? '', creditCode, village: row.village || null, address: row.address || null,
    contactPerson: row.contactPerson || null, contactPhone: row.contactPhone || null,
  });
  report.created++;
}

const CATEGORIES = new Set<string>(Object.values(ProductCategory));
const UNITS = new Set<string>(Object.values(QuantityUnit));
const BASES = new Set<string>(Object.values(CommitmentBasis));

/** A number written in a cell: digits with at most one decimal point, no sign, no exponent. */
function cellNumber(field: string, raw: string | undefined): number {
  const text = (raw ?? '').trim();
  if (!/^\d{1,11}(\.\d{1,3})?$/.test(text)) throw badInput(field, 'must be a number such as 12.5 (at most 3 decimals)');
  return Number(text);
}

/** An ISO 8601 time with its offset, or a date (taken as the start of that day in the county's time zone). */
function cellTime(field: string, raw: string | undefined, timeZone: string): Date {
  const text = (raw ?? '').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = localDayStart(text, timeZone);
    if (!Number.isNaN(day.getTime()) && localDate(day, timeZone) === text) return day;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
    return new Date(text);
  }
  throw badInput(field, 'must be a date YYYY-MM-DD or a time such as 2026-11-01T06:00:00+08:00');
}

/**
 * A lot of an operator named by credit code or registration-card number, with its certificate when bases are given.
 * A lot code the owner already has is left as it is (with whatever certificates it has), so an import may be sent again.
 */
async function importLot(tx: Context, row: Row, line: number, seen: Map<string, number>, report: ImportReport): Promise<void> {
  const owner = v.text('owner', row.owner ?? '', 64);
  const ownerId = (await operatorIdByCreditCode(tx, owner.toUpperCase())) ?? (await operatorIdByRegistrationCard(tx, owner));
  if (ownerId === null) throw badInput('owner', `no operator has the credit code or registration-card number ${owner}`);
  const lotCode = v.text('lotCode', row.lotCode ?? '', 64);
  const key = `${ownerId}/${lotCode}`;
  const first = seen.get(key);
  if (first !== undefined) throw badInput('lotCode', `repeats line ${first}`);
  seen.set(key, line);
  const category = (row.category ?? '').trim().toUpperCase();
  if (!CATEGORIES.has(category)) throw badInput('category', `must be one of ${[...CATEGORIES].join(', ')}`);
  const unit = (row.unit ?? '').trim().toUpperCase();
  if (!UNITS.has(unit)) throw badInput('unit', `must be one of ${[...UNITS].join(', ')}`);
  const quantity = cellNumber('quantity', row.quantity);
  const producedAt = cellTime('producedAt', row.producedAt, tx.config.timeZone);
  const bases = (row.certificateBases ?? '').split(/[;,]/).map((b) => b.trim().toUpperCase()).filter(Boolean);
  const wrong = bases.find((b) => !BASES.has(b));
  if (wrong) throw badInput('certificateBases', `${wrong} is not one of ${[...BASES].join(', ')}`);
  if (!bases.length && (row.certificateQuantity?.trim() || row.testReference?.trim())) {
    throw badInput('certificateBases', 'name the bases when a certificate quantity or test reference is given');
  }
  const certificateQuantity = row.certificateQuantity?.trim() ? cellNumber('certificateQuantity', row.certificateQuantity) : null;
  if ((await batchIdByOwnerLot(tx, ownerId, lotCode)) !== null) {
    report.existing++;
    return;
  }
  const batch = await createBatch(tx, {
    ownerId, productName: row.productName ?? '', category: category as ProductCategory, lotCode, quantity, unit: unit as QuantityUnit, producedAt,
    originPlace: row.originPlace || null, gtin: row.gtin || null,
  });
  if (bases.length) {
    await issueCertificate(tx, {
      batchId: batch.id, bases: bases as CommitmentBasis[], quantity: certificateQuantity, testReference: row.testReference || null, issuedAt: producedAt,
    });
  }
  report.created++;
}

async function importMarket(tx: Context, row: Row, line: number, seen: Map<string, number>, report: ImportReport): Promise<void> {
  const name = v.text('name', row.name ?? '', 200);
  const first = seen.get(name);
  if (first !== undefined) throw badInput('name', `repeats line ${first}`);
  seen.set(name, line);
  if ((await marketIdByName(tx, name)) !== null) {
    report.existing++;
    return;
  }
  await registerMarket(tx, { name, village: row.village || null, address: row.address || null });
  report.created++;
}
