import ExcelJS from 'exceljs';
import { FSMA_COLUMNS } from '../../src/exchange/fsma.service';

/** The FSMA 204 sheet of an XLSX reply, and its cells as text in the spreadsheet's column order (header first). */
export async function fsmaSheet(payload: Buffer): Promise<{ sheet: ExcelJS.Worksheet; cells: string[][] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(payload as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('FSMA 204')!;
  const cells: string[][] = [];
  sheet.eachRow((row) => cells.push(FSMA_COLUMNS.map((_c, i) => (row.getCell(i + 1).value ?? '').toString())));
  return { sheet, cells };
}
