import ExcelJS from 'exceljs';
import { withReadOnlyTransaction, type Context } from '../context';
import { csvCell } from '../credit/archive.service';
import { monthRange } from '../credit/supervision.service';
import { badInput, forbidden } from '../errors';
import { isRegulator } from '../auth/access';
import { localDate } from '../local-time';
import type { WorkLedgerRow } from './assessment.model';
import { workLedgerRows } from './work-ledger.sql';

/** A month's ledger past this many rows is refused rather than cut short: a ledger must be whole. */
export const MAX_LEDGER_ROWS = 50_000;

/** What each kind of row is called in the ledger. */
export const LEDGER_KINDS: Record<string, { zh: string; en: string }> = {
  INSPECTION: { zh: '现场检查', en: 'Field inspection' },
  RECTIFICATION_ORDER: { zh: '责令整改', en: 'Rectification order' },
  RECHECK: { zh: '整改复查', en: 'Re-check' },
  INCIDENT: { zh: '事故报告', en: 'Incident reported' },
  DRILL: { zh: '应急演练', en: 'Drill' },
  BANQUET_GUIDANCE: { zh: '聚餐指导', en: 'Banquet guided' },
  TRAINING: { zh: '培训', en: 'Training' },
  GATE_TEST: { zh: '快检', en: 'Gate test' },
  PLAN_PROGRESS: { zh: '计划进度', en: 'Plan progress' },
};

export const LEDGER_COLUMNS = [
  { key: 'date', zh: '日期', en: 'Date' },
  { key: 'at', zh: '时间', en: 'Time' },
  { key: 'kind', zh: '类别代码', en: 'Kind' },
  { key: 'kindName', zh: '类别', en: 'Kind name' },
  { key: 'id', zh: '记录号', en: 'Record' },
  { key: 'village', zh: '村', en: 'Village' },
  { key: 'subject', zh: '事项', en: 'Subject' },
  { key: 'result', zh: '结果', en: 'Result' },
  { key: 'recordedBy', zh: '经办人', en: 'Recorded by' },
] as const;

export interface WorkLedger {
  month: string;
  rows: WorkLedgerRow[];
  timeZone: string;
}

/** The month's work ledger (工作台帐): one row per work item recorded in it, in time order. Regulators and admins. */
export async function workLedger(ctx: Context, month: string): Promise<WorkLedger> {
  if (!isRegulator(ctx.viewer)) throw forbidden('Requires role ADMIN or REGULATOR');
  const { start, end } = monthRange('month', month, ctx.config.timeZone);
  const next = localDate(end, ctx.config.timeZone);
  const rows = await withReadOnlyTransaction(ctx, ctx.config.limits.publicStatementTimeoutMs * 10, (tx) =>
    workLedgerRows(tx, start, end, `${month}-01`, next, ctx.config.timeZone, MAX_LEDGER_ROWS + 1));
  if (rows.length > MAX_LEDGER_ROWS) throw badInput('month', `holds more than ${MAX_LEDGER_ROWS} work items; ask a regulator's export instead`);
  return { month, rows, timeZone: ctx.config.timeZone };
}

function cells(row: WorkLedgerRow, timeZone: string): (string | number)[] {
  const at = new Date(row.at);
  return [localDate(at, timeZone), at.toISOString(), row.kind, `${LEDGER_KINDS[row.kind]?.zh ?? ''} ${LEDGER_KINDS[row.kind]?.en ?? ''}`.trim(), row.id, row.village ?? '', row.subject, row.result, row.recordedBy ?? ''];
}

/** The ledger as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese): a header in both languages. */
export function workLedgerCsv(ledger: WorkLedger): string {
  const header = LEDGER_COLUMNS.map((c) => csvCell(`${c.zh} ${c.en}`)).join(',');
  const lines = ledger.rows.map((r) => cells(r, ledger.timeZone).map((c, i) => csvCell(c, i >= 5)).join(','));
  return `\ufeff${[header, ...lines].join('\r\n')}\r\n`;
}

/** The ledger as an XLSX workbook: one sheet named for the month, the header row frozen. */
export async function workLedgerXlsx(ledger: WorkLedger): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(0);
  const sheet = workbook.addWorksheet(`工作台帐 ${ledger.month}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: `${c.zh} ${c.en}`, key: c.key, width: c.key === 'subject' ? 48 : 18 }));
  for (const r of ledger.rows) sheet.addRow(cells(r, ledger.timeZone));
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
