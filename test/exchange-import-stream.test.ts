import ExcelJS from 'exceljs';
import { request as httpRequest } from 'node:http';
import { MAX_LISTED_ERRORS } from '../src/exchange/import.service';
import { IMPORT_BODY_LIMIT } from '../src/web/exchange.routes';
import { newCreditCode } from './support/factories';
import { useTestApp } from './support/use-test-app';

const live = useTestApp({ listen: true });
const { t, f } = live;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const post = (kind: string, body: string | Buffer, type = 'text/csv', query = '') =>
  t.app.fastify.inject({ method: 'POST', url: `/imports/${kind}${query}`, headers: { 'content-type': type, authorization: `Bearer ${f.admin}` }, payload: body });

const count = async (table: string) => (await t.sql(`select count(*)::int as n from ${table}`))[0].n as number;

/** `n` farms, each with a fresh credit code, as CSV lines after the header. */
function farms(n: number): { csv: string; codes: string[] } {
  const codes = Array.from({ length: n }, () => newCreditCode());
  return { csv: `kind,name,creditCode,village\n${codes.map((c, i) => `FARM,Farm ${i + 1},${c},Qingshan`).join('\n')}\n`, codes };
}

describe('bulk import of thousands of lines, read as the body arrives', () => {
  it('imports 2,500 operators and 5,000 lots with certificates in batches, idempotent when sent again, nothing on a dry run', async () => {
    const { csv, codes } = farms(2500);
    const dry = await post('operators', csv, 'text/csv', '?dryRun=true');
    expect(dry.json()).toEqual({ kind: 'operators', dryRun: true, committed: false, rows: 2500, created: 2500, existing: 0, refused: 0, errors: [] });
    expect(await count('operator')).toBe(0);
    expect((await post('operators', csv)).json()).toEqual({ kind: 'operators', dryRun: false, committed: true, rows: 2500, created: 2500, existing: 0, refused: 0, errors: [] });
    expect(await t.sql(`select count(*)::int as n, count(distinct public_code)::int as codes, min(name) as first from operator where village = 'Qingshan'`))
      .toEqual([{ n: 2500, codes: 2500, first: 'Farm 1' }]);

    // the registry export reads them back through its cursor, two thousand at a time, in id order
    const registry = await t.app.fastify.inject({ method: 'GET', url: '/exports/registry.csv', headers: { authorization: `Bearer ${f.regulator}` } });
    const exported = registry.body.trimEnd().split('\r\n').slice(1).map((l) => l.split(','));
    expect(exported).toHaveLength(2500);
    expect(exported.map((r) => r[3])).toEqual(codes);
    expect(exported.map((r) => Number(r[0]))).toEqual([...exported.map((r) => Number(r[0]))].sort((a, b) => a - b));

    // two lots per farm, every other one certified; the lots of the first 100 farms already half there
    const lines = codes.flatMap((c, i) => [`${c},Spinach,VEGETABLE,A-${i},20,KG,2026-11-01,,SELF_TEST,15`, `${c},Eggs,EGGS,B-${i},100,PIECE,2026-11-02,Hen house,,`]);
    const header = 'owner,productName,category,lotCode,quantity,unit,producedAt,originPlace,certificateBases,certificateQuantity\n';
    expect((await post('lots', header + lines.slice(0, 200).filter((_l, i) => i % 2 === 0).join('\n'))).json()).toMatchObject({ committed: true, created: 100 });
    const report = (await post('lots', `${header}${lines.join('\n')}\n`)).json();
    expect(report).toEqual({ kind: 'lots', dryRun: false, committed: true, rows: 5000, created: 4900, existing: 100, refused: 0, errors: [] });
    expect(await t.sql(`select category, count(*)::int as n, sum(quantity)::float as total, count(distinct origin_place)::int as places from batch group by category order by category`)).toEqual([
      { category: 'EGGS', n: 2500, total: 250000, places: 1 },
      { category: 'VEGETABLE', n: 2500, total: 50000, places: 1 },
    ]);
    expect(await t.sql(`select count(*)::int as n, sum(c.quantity)::float as total, bool_and(c.issuer_id = b.owner_id) as own from origin_certificate c join batch b on b.id = c.batch_id`))
      .toEqual([{ n: 2500, total: 37500, own: true }]);
    // sent again: nothing new
    expect((await post('lots', `${header}${lines.join('\n')}\n`)).json()).toMatchObject({ committed: true, created: 0, existing: 5000 });
    expect(await count('batch')).toBe(5000);
  });

  it('refuses a whole file of thousands of lines for a few bad ones, each named by its line, across batches', async () => {
    const { csv } = farms(3000);
    const lines = csv.split('\n');
    lines[1500] = 'FARM,,,Qingshan';
    lines[2999] = 'BAKERY,Bread Co,,';
    lines[3000] = `FARM,Again,${lines[1].split(',')[2]},`;
    const res = await post('operators', lines.join('\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'BAD_USER_INPUT', message: '3 of 3000 rows refused; nothing was imported' },
      report: {
        kind: 'operators', dryRun: false, committed: false, rows: 3000, created: 0, existing: 0, refused: 3,
        errors: [
          { line: 1501, field: 'name', message: 'name: must not be empty' },
          { line: 3000, field: 'kind', message: expect.stringMatching(/^kind: must be one of FARM, /) },
          { line: 3001, field: 'creditCode', message: 'creditCode: repeats line 2' },
        ],
      },
    });
    expect(await count('operator')).toBe(0);
  });

  it(`lists the first ${MAX_LISTED_ERRORS} refused lines and counts them all`, async () => {
    const csv = `kind,name\n${Array.from({ length: 1200 }, (_x, i) => `BAKERY,Shop ${i}`).join('\n')}\n`;
    const { report } = (await post('operators', csv)).json();
    expect([report.rows, report.refused, report.errors.length, report.errors[0].line, report.errors[MAX_LISTED_ERRORS - 1].line]).toEqual([1200, 1200, MAX_LISTED_ERRORS, 2, MAX_LISTED_ERRORS + 1]);
  });

  it('reads the first sheet of a workbook only, skipping empty rows', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('markets');
    sheet.addRow(['name', 'village']);
    for (let i = 1; i <= 1500; i++) sheet.addRow([`Market ${i}`, 'Xiahe']);
    sheet.getRow(1600).values = ['Market late', 'Qingshan'];
    book.addWorksheet('notes').addRow(['name', 'village']).commit();
    book.getWorksheet('notes')!.addRow(['Not a market', '']);
    const res = await post('markets', Buffer.from(await book.xlsx.writeBuffer()), XLSX);
    expect(res.json()).toEqual({ kind: 'markets', dryRun: false, committed: true, rows: 1501, created: 1501, existing: 0, refused: 0, errors: [] });
    expect(await t.sql(`select count(*)::int as n, max(name) filter (where village = 'Qingshan') as late from market`)).toEqual([{ n: 1501, late: 'Market late' }]);
  });

  it('refuses a body sent without a length once it passes the limit, with 413, writing nothing', async () => {
    const csv = 'kind,name,creditCode,village\n';
    // refused rows (no such kind) of 500 bytes: the limit comes before the row count's, and nothing is written before it
    const filler = `BAKERY,${'x'.repeat(190)},,${'y'.repeat(290)}\n`;
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${live.base}/imports/operators`, { method: 'POST', agent: false, headers: { 'content-type': 'text/csv', authorization: `Bearer ${f.admin}`, 'transfer-encoding': 'chunked' } }, (r) => {
        const parts: Buffer[] = [];
        r.on('data', (b: Buffer) => parts.push(b));
        r.on('end', () => resolve({ status: r.statusCode!, body: Buffer.concat(parts).toString('utf8') }));
      });
      req.on('error', reject);
      req.write(csv);
      let sent = csv.length;
      const more = () => {
        while (sent <= IMPORT_BODY_LIMIT + 1024 * 1024) {
          const piece = filler.repeat(1000);
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', more);
        }
        req.end();
      };
      more();
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The file is larger than ${IMPORT_BODY_LIMIT} bytes` } });
    expect(await count('operator')).toBe(0);
  });
});
