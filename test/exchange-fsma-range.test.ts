import { request as httpRequest } from 'node:http';
import { Role } from '../src/entities/enums';
import { FSMA_COLUMNS } from '../src/exchange/fsma.service';
import { makeBatch, makeOperator, ok, token } from './support/factories';
import { fsmaSheet } from './support/fsma-sheet';
import { useTestApp } from './support/use-test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse/sync');

const t = useTestApp({ listen: true });
const { f } = t;

const get = (url: string, tok: string | null) => t.t.app.fastify.inject({ method: 'GET', url, headers: tok ? { authorization: `Bearer ${tok}` } : {} });
const csvRows = (body: string) => (parse(body.slice(1)) as string[][]);
const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();

/**
 * Lettuce from Green Farm (LET-1, 100 kg, harvested 1 November 06:00 UTC in Qingshan); 40 kg handed to City Wholesale
 * under delivery note DN-7 (shipped 2 November, from "Barn 2" to a GLN), who makes 30 kg of salad mix (SAL-1) from it;
 * and milk (MILK-1, 50 L) from Hill Dairy, harvested in October, outside the range asked.
 */
async function chain() {
  const farm = await makeOperator(t.t, f.admin, { name: 'Green Farm' });
  const wholesale = await makeOperator(t.t, f.admin, { name: 'City Wholesale', kind: 'PROCESSOR' });
  const dairy = await makeOperator(t.t, f.admin, { name: 'Hill Dairy', kind: 'DAIRY_FARM' });
  const lettuce = await makeBatch(t.t, f.admin, farm.id, { productName: 'Lettuce', lotCode: 'LET-1', quantity: 100, unit: 'KG', originPlace: 'Qingshan', producedAt: '2026-11-01T06:00:00.000Z' });
  await makeBatch(t.t, f.admin, dairy.id, { productName: 'Raw milk', category: 'DAIRY', lotCode: 'MILK-1', quantity: 50, unit: 'L', producedAt: '2026-10-20T06:00:00.000Z' });
  const received = ok(await t.t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id } }`, {
    i: {
      batchId: lettuce.id, toOperatorId: wholesale.id, quantity: 40,
      handover: { documentType: 'DELIVERY_NOTE', documentNumber: 'DN-7', shippedAt: '2026-11-02T01:00:00.000Z', shipFrom: 'Barn 2', shipTo: 'urn:epc:id:sgln:4012345.00001.0' },
    },
  }, f.admin)).transferBatch;
  const wholesaler = await token(t.t, Role.OPERATOR, { operatorId: wholesale.id });
  ok(await t.t.gql(`mutation($i: ProcessBatchesInput!) { processBatches(input: $i) { batch { id } } }`, {
    i: { inputs: [{ batchId: received.id, quantity: 40 }], productName: 'Salad mix', category: 'VEGETABLE', quantity: 30, unit: 'KG', lotCode: 'SAL-1', originPlace: 'Market Road 5', producedAt: '2026-11-03T02:00:00.000Z' },
  }, wholesaler));
  // 30 kg of what the farm kept is split off as its own lot
  ok(await t.t.gql(`mutation($i: SplitBatchInput!) { splitBatch(input: $i) { id } }`, { i: { batchId: lettuce.id, parts: [{ lotCode: 'LET-1-A', quantity: 30 }] } }, f.admin));
  const [rec] = await t.t.sql('select lot_code from batch where id = $1', [received.id]);
  const exported = (await get(`/epcis/batches/${lettuce.id}.jsonld`, f.regulator)).json().epcisBody.eventList as Record<string, any>[];
  return { lettuce, receivedLot: rec.lot_code as string, exported };
}

describe('the FSMA 204 spreadsheet of a range or a product, over the events foodtrace recorded', () => {
  it('tells every CTE recorded in the range, cell by cell, as the lot export tells it, in CSV and XLSX', async () => {
    const { lettuce, receivedLot, exported } = await chain();
    const ev = (step: string) => exported.find((e) => e.bizStep === step && (step !== 'commissioning' || e.type === 'ObjectEvent'))!;
    const transformation = exported.find((e) => e.type === 'TransformationEvent' && e['foodtrace:linkKind'] === 'PROCESS')!;
    const split = exported.find((e) => e.type === 'TransformationEvent' && e['foodtrace:linkKind'] === 'SPLIT')!;
    const recordedAt = ev('receiving').eventTime as string;
    const expected = [
      ['LET-1', 'Lettuce', '100', 'kg', 'Harvesting', '2026-11-01', '2026-11-01T06:00:00.000Z', 'Green Farm', 'Green Farm, Qingshan', '', '', '', '', '', ev('commissioning').eventID],
      // the shipping CTE is dated when the goods were shipped; it is told when the hand-over was recorded
      ['LET-1', 'Lettuce', '40', 'kg', 'Shipping', '2026-11-02', '2026-11-02T01:00:00.000Z', 'Green Farm (Barn 2)', '', 'Green Farm (Barn 2)',
        'City Wholesale; urn:epc:id:sgln:4012345.00001.0', '', 'Delivery Note', 'DN-7', ev('shipping').eventID],
      [receivedLot, 'Lettuce', '40', 'kg', 'Receiving', shanghaiDate(recordedAt), recordedAt, 'City Wholesale; urn:epc:id:sgln:4012345.00001.0',
        'City Wholesale; urn:epc:id:sgln:4012345.00001.0, Qingshan', 'Green Farm', 'City Wholesale; urn:epc:id:sgln:4012345.00001.0', '', 'Delivery Note', 'DN-7', ev('receiving').eventID],
      ['SAL-1', 'Salad mix', '30', 'kg', 'Transformation', shanghaiDate(transformation.eventTime), transformation.eventTime, 'City Wholesale', 'City Wholesale, Market Road 5', '', '', receivedLot, '', '', transformation.eventID],
      // a split's part names its lot, product and origin as any lot does, and the lot it came from as its input
      ['LET-1-A', 'Lettuce', '30', 'kg', 'Transformation', shanghaiDate(split.eventTime), split.eventTime, 'Green Farm', 'Green Farm, Qingshan', '', '', 'LET-1', '', '', split.eventID],
    ];
    // the lot's own export gives the same rows (it sorts by the time column, which the shipping date leads)
    const lot = await get(`/exports/fsma204/batches/${lettuce.id}.csv`, f.regulator);
    expect(csvRows(lot.body).slice(1)).toEqual(expected);

    const range = `from=2026-10-31T00:00:00Z&to=${tomorrow()}`;
    const csv = await get(`/exports/fsma204/events.csv?${range}`, f.regulator);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="fsma204-2026-10-31-${tomorrow().slice(0, 10)}.csv"`);
    const cells = csvRows(csv.body);
    expect(cells[0]).toEqual([...FSMA_COLUMNS]);
    expect(cells.slice(1)).toEqual(expected);

    const xlsx = await get(`/exports/fsma204/events.xlsx?${range}`, f.admin);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { sheet, cells: sheetCells } = await fsmaSheet(xlsx.rawPayload);
    expect(sheetCells).toEqual([[...FSMA_COLUMNS], ...expected]);
    expect(sheet.getRow(2).getCell(3).value).toBe(100);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:O1');

    // a range that starts after the harvest leaves it out; the October milk is in no range above
    const later = await get(`/exports/fsma204/events.csv?from=2026-11-01T07:00:00Z&to=${tomorrow()}`, f.regulator);
    expect(csvRows(later.body).slice(1)).toEqual(expected.slice(1));
    const october = await get('/exports/fsma204/events.csv?from=2026-10-01T00:00:00Z&to=2026-10-31T00:00:00Z', f.regulator);
    expect(csvRows(october.body).slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4], r[7], r[8]])).toEqual([['MILK-1', 'Raw milk', '50', 'L', 'Harvesting', 'Hill Dairy', 'Hill Dairy, Qingshan']]);
  });

  it('tells a product by its name (any case) or its category, over its whole history or a range', async () => {
    const { receivedLot } = await chain();
    const tlcAndCte = (body: string) => csvRows(body).slice(1).map((r) => `${r[0]} ${r[4]}`);
    expect(tlcAndCte((await get('/exports/fsma204/events.csv?product=lettuce', f.regulator)).body)).toEqual(['LET-1 Harvesting', 'LET-1 Shipping', `${receivedLot} Receiving`, 'LET-1-A Transformation']);
    expect(tlcAndCte((await get('/exports/fsma204/events.csv?product=Salad%20mix', f.regulator)).body)).toEqual(['SAL-1 Transformation']);
    expect(tlcAndCte((await get('/exports/fsma204/events.csv?category=dairy', f.regulator)).body)).toEqual(['MILK-1 Harvesting']);
    expect(tlcAndCte((await get(`/exports/fsma204/events.csv?category=VEGETABLE&from=2026-11-01T07:00:00Z&to=${tomorrow()}`, f.regulator)).body))
      .toEqual(['LET-1 Shipping', `${receivedLot} Receiving`, 'SAL-1 Transformation', 'LET-1-A Transformation']);
    const named = await get('/exports/fsma204/events.xlsx?product=Lettuce&from=2026-10-01T00:00:00Z&to=2026-11-02T00:00:00Z', f.regulator);
    expect(named.headers['content-disposition']).toBe('attachment; filename="fsma204-Lettuce-2026-10-01-2026-11-02.xlsx"');
    expect((await get('/exports/fsma204/events.csv?product=Durian', f.regulator)).body).toBe(`\ufeff${FSMA_COLUMNS.join(',')}\r\n`);

    expect((await get('/exports/fsma204/events.csv?category=MEAT', f.regulator)).json().error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'category' });
    expect((await get('/exports/fsma204/events.csv?product=%20', f.regulator)).json().error).toEqual({ code: 'BAD_USER_INPUT', field: 'product', message: 'product: must not be empty' });
    expect((await get('/exports/fsma204/events.csv?product=a&product=b', f.regulator)).json().error).toEqual({ code: 'BAD_USER_INPUT', field: 'product', message: 'product: must be given once' });
    expect((await get('/exports/fsma204/events.csv?lot=1', f.regulator)).json().error.field).toBe('lot');
    expect((await get('/exports/fsma204/events.csv?to=2026-11-01T00:00:00Z', f.regulator)).json().error.message).toBe('from: is required');
    expect((await get('/exports/fsma204/events.csv?product=Lettuce&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', f.regulator)).json().error.message).toBe('to: must be after from');
    const farmer = await token(t.t, Role.OPERATOR, { operatorId: (await makeOperator(t.t, f.admin)).id });
    expect((await get('/exports/fsma204/events.csv?product=Lettuce', farmer)).statusCode).toBe(403);
  });

  it('streams a range of many rows: the reply comes chunked and holds exactly every row, in time order', async () => {
    const farm = await makeOperator(t.t, f.admin, { name: 'Big Farm' });
    const n = 20_000;
    // many harvests at once, straight into the table (the GraphQL path is tested above)
    await t.t.sql(
      `insert into batch (owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, public_code)
       select $1, 'Spinach', 'VEGETABLE', 'SP-' || g, 10, 10, 'KG', timestamptz '2026-11-01T00:00:00Z' + g * interval '1 second', 'BULKFSMA' || lpad(g::text, 6, '0')
       from generate_series(1, $2) g`,
      [farm.id, n],
    );
    const { status, headers, body, chunks } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string; chunks: number }>((resolve, reject) => {
      const req = httpRequest(`${t.base}/exports/fsma204/events.csv?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`, { headers: { authorization: `Bearer ${f.regulator}` } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString('utf8'), chunks: parts.length }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(headers['content-length']).toBeUndefined();
    expect(chunks).toBeGreaterThan(1);
    const rows = csvRows(body).slice(1);
    expect(rows).toHaveLength(n);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: n }, (_x, i) => `SP-${i + 1}`));
    expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(['Harvesting']));

    // a client that goes away after the first chunk: the snapshot and its cursors end with the reply
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${t.base}/exports/fsma204/events.csv?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z`, { agent: false, headers: { authorization: `Bearer ${f.regulator}` } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
      setTimeout(() => reject(new Error('no first chunk')), 10_000);
    });
    // a transaction still open: idle in it, or running one of its statements (a fetch from the cursors)
    const open = async () => (await t.t.sql(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null`))[0].n;
    // a loaded machine may take seconds to notice the client gone and end the snapshot
    for (let i = 0; i < 200 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await open()).toBe(0);

    const xlsx = await get('/exports/fsma204/events.xlsx?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z', f.regulator);
    const { sheet } = await fsmaSheet(xlsx.rawPayload);
    expect(sheet.rowCount).toBe(n + 1);
    expect(sheet.getRow(n + 1).getCell(1).value).toBe(`SP-${n}`);
  });
});
