import ExcelJS from 'exceljs';
import { Role } from '../src/entities/enums';
import { makeMarket, makeOperator, newCreditCode, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const post = (kind: string, body: string | Buffer, tok: string | null, type = 'text/csv', query = '') =>
  t.app.fastify.inject({ method: 'POST', url: `/imports/${kind}${query}`, headers: { 'content-type': type, ...(tok ? { authorization: `Bearer ${tok}` } : {}) }, payload: body });

const operators = () => t.sql('select kind, name, credit_code, registration_card_no is not null as carded, village, contact_phone from operator order by id');

describe('bulk registry import', () => {
  it('imports operators from CSV all or nothing, idempotent by credit code, with a dry run', async () => {
    const [a, b] = [newCreditCode(), newCreditCode()];
    const csv = `\ufeffkind,name,creditCode,village,contactPhone\nFARM,Plum Farm,${a},Qingshan,13800000001\nPROCESSOR,Hill Dairy,${b},Xiahe,\nSTREET_VENDOR,Old Li's Noodles,,Qingshan,\n`;

    const dry = await post('operators', csv, f.admin, 'text/csv; charset=utf-8', '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toEqual({ kind: 'operators', dryRun: true, committed: false, rows: 3, created: 3, existing: 0, refused: 0, errors: [] });
    expect(await operators()).toEqual([]);

    const done = await post('operators', csv, f.regulator);
    expect(done.json()).toEqual({ kind: 'operators', dryRun: false, committed: true, rows: 3, created: 3, existing: 0, refused: 0, errors: [] });
    expect(await operators()).toEqual([
      { kind: 'FARM', name: 'Plum Farm', credit_code: a, carded: false, village: 'Qingshan', contact_phone: '13800000001' },
      { kind: 'PROCESSOR', name: 'Hill Dairy', credit_code: b, carded: false, village: 'Xiahe', contact_phone: null },
      { kind: 'STREET_VENDOR', name: "Old Li's Noodles", credit_code: null, carded: true, village: 'Qingshan', contact_phone: null },
    ]);
    const [audit] = await t.sql(`select operation, outcome, variables from audit_event where operation = 'POST /imports/operators'`);
    expect(audit).toEqual({ operation: 'POST /imports/operators', outcome: 'OK', variables: { rows: 3, created: 3, existing: 0 } });

    // the same credit codes again: nothing new
    const again = await post('operators', `kind,name,creditCode\nFARM,Plum Farm,${a}\nPROCESSOR,Hill Dairy,${b}\n`, f.admin);
    expect(again.json()).toMatchObject({ committed: true, created: 0, existing: 2 });
    expect(await operators()).toHaveLength(3);
  });

  it('refuses the whole file when any row is wrong, with an error per refused line', async () => {
    const good = newCreditCode();
    const csv = `kind,name,creditCode,contactPhone\nFARM,Good Farm,${good},\nBAKERY,Bread Co,,\nFARM,,${newCreditCode()},\nWHOLESALER,No Code Ltd,,\nFARM,Phone Farm,,call me\nFARM,Twice,${good},\n`;
    const res = await post('operators', csv, f.admin);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'BAD_USER_INPUT', message: '5 of 6 rows refused; nothing was imported' },
      report: {
        kind: 'operators', dryRun: false, committed: false, rows: 6, created: 0, existing: 0, refused: 5,
        errors: [
          { line: 3, field: 'kind', message: 'kind: must be one of FARM, COOPERATIVE, DAIRY_FARM, PROCESSOR, WHOLESALER, MARKET_VENDOR, SMALL_WORKSHOP, STREET_VENDOR, CANTEEN, RURAL_CHEF' },
          { line: 4, field: 'name', message: expect.stringMatching(/^name: /) },
          { line: 5, field: 'creditCode', message: 'creditCode: is required for WHOLESALER (only farms, small workshops and vendors may register with a town card)' },
          { line: 6, field: 'contactPhone', message: 'contactPhone: must be a phone number' },
          { line: 7, field: 'creditCode', message: 'creditCode: repeats line 2' },
        ],
      },
    });
    expect(await operators()).toEqual([]);
  });

  it('imports markets from XLSX, idempotent by name', async () => {
    await makeMarket(t, f.admin, 'East Market');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('markets');
    sheet.addRow(['name', 'village', 'address']);
    sheet.addRow(['East Market', 'Qingshan', '']);
    sheet.addRow(['West Market', 'Xiahe', 'River Road 2']);
    const body = Buffer.from(await book.xlsx.writeBuffer());
    const res = await post('markets', body, f.admin, XLSX);
    expect(res.json()).toEqual({ kind: 'markets', dryRun: false, committed: true, rows: 2, created: 1, existing: 1, refused: 0, errors: [] });
    expect(await t.sql('select name, village, address from market order by id')).toEqual([
      { name: 'East Market', village: null, address: null },
      { name: 'West Market', village: 'Xiahe', address: 'River Road 2' },
    ]);
  });

  it('refuses bad files, columns, content types, callers and a 50 MB upload, writing nothing', async () => {
    expect((await post('operators', 'kind,name\n', null)).statusCode).toBe(401);
    const farmer = await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, f.admin)).id });
    expect((await post('operators', 'kind,name\n', farmer)).statusCode).toBe(403);
    const before = await operators();
    expect((await post('operators', 'kind,title\nFARM,x\n', f.admin)).json().error).toEqual({ code: 'BAD_USER_INPUT', field: 'file', message: 'file: lacks the column name' });
    expect((await post('operators', 'kind,name,phone\nFARM,x,1\n', f.admin)).json().error.message).toBe('file: has unknown column phone (use kind, name, creditCode, village, address, contactPerson, contactPhone)');
    expect((await post('operators', '', f.admin)).json().error.message).toBe('file: is empty: the first line must name the columns');
    expect((await post('operators', 'kind,name\n"FARM,x\n', f.admin)).json().error.message).toMatch(/^file: is not a readable CSV/);
    expect((await post('operators', Buffer.from('not a zip'), f.admin, XLSX)).json().error.message).toBe('file: is not a readable XLSX workbook');
    expect((await post('operators', '{}', f.admin, 'application/json')).json().error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'content-type' });
    expect((await post('vendors', 'name\nx\n', f.admin)).json().error).toMatchObject({ field: 'kind' });
    expect((await post('operators', 'kind,name\nFARM,x\n', f.admin, 'text/csv', '?dryRun=yes')).json().error).toMatchObject({ field: 'dryRun' });
    expect((await post('operators', Buffer.alloc(50 * 1024 * 1024, 0x41), f.admin)).statusCode).toBe(413);
    expect(await operators()).toEqual(before);
  });
});
