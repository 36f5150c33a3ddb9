import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { recordAuditEvent } from '../audit/audit.service';
import { withTransaction, type Context } from '../context';
import { AuditKind, OperatorKind, Role } from '../entities/enums';
import { AppError, badInput, forbidden, unauthenticated } from '../errors';
import { registerMarket } from '../registry/market.service';
import { registerOperator } from '../registry/operator.service';
import { marketIdByName } from '../tables/market.table';
import { operatorIdByCreditCode } from '../tables/operator.table';
import * as v from '../validation';

/** What a registry import takes: operators (idempotent by credit code) or markets (by name). */
export type ImportKind = 'operators' | 'markets';
export type SheetFormat = 'csv' | 'xlsx';

export const IMPORT_COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  operators: { required: ['kind', 'name'], optional: ['creditCode', 'village', 'address', 'contactPerson', 'contactPhone'] },
  markets: { required: ['name'], optional: ['village', 'address'] },
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
            else await importMarket(sp, row, line, seen, report);
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
