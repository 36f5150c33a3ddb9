import { Role } from '../src/entities/enums';
import { FSMA_COLUMNS } from '../src/exchange/fsma.service';
import { untilCaptured, useCaptureQueue } from './support/capture-queue';
import { makeBatch, makeOperator, ok, token } from './support/factories';
import { fsmaSheet } from './support/fsma-sheet';
import { useTestApp } from './support/use-test-app';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('csv-parse/sync');

const { t, f } = useTestApp();
useCaptureQueue(t);

const get = (url: string, tok: string | null) => t.app.fastify.inject({ method: 'GET', url, headers: tok ? { authorization: `Bearer ${tok}` } : {} });

/**
 * Lettuce from Green Farm (lot LET-1, 100 kg, harvested 1 November at 06:00 UTC in Qingshan), 40 kg handed to City
 * Wholesale, who makes 30 kg of salad mix (lot SAL-1) from it.
 */
async function chain() {
  const farm = await makeOperator(t, f.admin, { name: 'Green Farm' });
  const wholesale = await makeOperator(t, f.admin, { name: 'City Wholesale', kind: 'PROCESSOR' });
  const lettuce = await makeBatch(t, f.admin, farm.id, { productName: 'Lettuce', lotCode: 'LET-1', quantity: 100, unit: 'KG', originPlace: 'Qingshan', producedAt: '2026-11-01T06:00:00.000Z' });
  const received = ok(await t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id } }`, { i: { batchId: lettuce.id, toOperatorId: wholesale.id, quantity: 40 } }, f.admin)).transferBatch;
  const wholesaler = await token(t, Role.OPERATOR, { operatorId: wholesale.id });
  const salad = ok(await t.gql(`mutation($i: ProcessBatchesInput!) { processBatches(input: $i) { batch { id } } }`, {
    i: { inputs: [{ batchId: received.id, quantity: 40 }], productName: 'Salad mix', category: 'VEGETABLE', quantity: 30, unit: 'KG', lotCode: 'SAL-1', originPlace: 'Market Road 5', producedAt: '2026-11-03T02:00:00.000Z' },
  }, wholesaler)).processBatches.batch;
  const [rec] = await t.sql('select lot_code from batch where id = $1', [received.id]);
  const exported = (await get(`/epcis/batches/${lettuce.id}.jsonld`, f.regulator)).json().epcisBody.eventList as Record<string, any>[];
  return { lettuce, salad, receivedLot: rec.lot_code as string, exported };
}

describe('the FSMA 204 sortable spreadsheet', () => {
  it('tells every CTE of a lot with its KDEs, cell by cell, in CSV and XLSX', async () => {
    const { lettuce, receivedLot, exported } = await chain();
    const ev = (step: string) => exported.find((e) => e.bizStep === step && (step !== 'commissioning' || e.type === 'ObjectEvent'))!;
    const shipping = ev('shipping');
    const receiving = ev('receiving');
    const transformation = exported.find((e) => e.type === 'TransformationEvent')!;
    const harvest = ev('commissioning');
    const transferDate = shipping.eventTime as string;
    const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
    const transferNumber = shipping.bizTransactionList[0].bizTransaction.replace(/^.*\//, '');
    const expected = [
      ['LET-1', 'Lettuce', '100', 'kg', 'Harvesting', '2026-11-01', '2026-11-01T06:00:00.000Z', 'Green Farm', 'Green Farm, Qingshan', '', '', '', '', '', harvest.eventID],
      ['LET-1', 'Lettuce', '40', 'kg', 'Shipping', shanghaiDate(transferDate), transferDate, 'Green Farm', '', 'Green Farm', 'City Wholesale', '', 'Transfer Record', transferNumber, shipping.eventID],
      [receivedLot, 'Lettuce', '40', 'kg', 'Receiving', shanghaiDate(transferDate), transferDate, 'City Wholesale', 'City Wholesale, Qingshan', 'Green Farm', 'City Wholesale', '', 'Transfer Record', transferNumber, receiving.eventID],
      ['SAL-1', 'Salad mix', '30', 'kg', 'Transformation', shanghaiDate(transformation.eventTime), transformation.eventTime, 'City Wholesale', 'City Wholesale, Market Road 5', '', '', receivedLot, '', '', transformation.eventID],
    ];
    // a hand-over and a processing are dated when they were recorded: the transfer came first
    expect(Date.parse(transformation.eventTime)).toBeGreaterThan(Date.parse(transferDate));

    const csv = await get(`/exports/fsma204/batches/${lettuce.id}.csv`, f.regulator);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="fsma204-lot-${lettuce.id}.csv"`);
    expect(csv.body.startsWith('\ufeff')).toBe(true);
    const cells = parse(csv.body.slice(1), { relax_column_count: false }) as string[][];
    expect(cells[0]).toEqual([...FSMA_COLUMNS]);
    expect(cells.slice(1)).toEqual(expected);

    const xlsx = await get(`/exports/fsma204/batches/${lettuce.id}.xlsx`, f.admin);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { sheet, cells: sheetCells } = await fsmaSheet(xlsx.rawPayload);
    expect(sheetCells).toEqual([[...FSMA_COLUMNS], ...expected]);
    expect(sheet.getRow(2).getCell(3).value).toBe(100); // quantities are numbers a spreadsheet sorts and sums
  });

  it('tells the CTEs of the events captured in a time range, leaving out corrected ones', async () => {
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00.000Z',
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent', eventTime: '2026-11-10T01:00:00.000Z', eventTimeZoneOffset: '-05:00', action: 'OBSERVE', bizStep: 'shipping',
            quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 12.5, uom: 'KGM' }],
            bizLocation: { id: 'urn:epc:id:sgln:4012345.00001.0' },
            bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:INV-77' }],
            sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:4012345.00000' }], destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00000' }],
          },
          { type: 'ObjectEvent', eventTime: '2026-12-10T01:00:00.000Z', eventTimeZoneOffset: '+00:00', action: 'OBSERVE', bizStep: 'receiving', quantityList: [{ epcClass: 'https://example.com/01/09506000134352/10/LATE', quantity: 1, uom: 'KGM' }] },
          { type: 'ObjectEvent', eventTime: '2026-11-11T01:00:00.000Z', eventTimeZoneOffset: '+00:00', action: 'OBSERVE', bizStep: 'inspecting', quantityList: [{ epcClass: 'https://example.com/01/09506000134352/10/X', quantity: 1, uom: 'KGM' }] },
        ],
      },
    };
    const sent = await untilCaptured(t, await t.app.fastify.inject({ method: 'POST', url: '/epcis/capture', headers: { authorization: `Bearer ${f.admin}`, 'content-type': 'application/ld+json' }, payload: JSON.stringify(doc) }), f.admin);
    expect(sent.json().status).toBe('SUCCEEDED');
    const csv = await get('/exports/fsma204/events.csv?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', f.regulator);
    expect(csv.statusCode).toBe(200);
    expect((parse(csv.body.slice(1)) as string[][]).slice(1)).toEqual([
      ['998877', '', '12.5', 'kg', 'Shipping', '2026-11-09', '2026-11-10T01:00:00.000Z', 'urn:epc:id:sgln:4012345.00001.0', '', 'urn:epc:id:pgln:4012345.00000', 'urn:epc:id:pgln:0614141.00000', '', 'Invoice', 'INV-77', ''],
    ]);

    // an error declaration for that event takes it out of the spreadsheet; the original stays captured
    const declared = { ...doc, epcisBody: { eventList: [{ ...doc.epcisBody.eventList[0], errorDeclaration: { declarationTime: '2026-11-12T00:00:00Z', reason: 'incorrect_data' } }] } };
    await untilCaptured(t, await t.app.fastify.inject({ method: 'POST', url: '/epcis/capture', headers: { authorization: `Bearer ${f.admin}`, 'content-type': 'application/ld+json' }, payload: JSON.stringify(declared) }), f.admin);
    const after = await get('/exports/fsma204/events.csv?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', f.regulator);
    expect((parse(after.body.slice(1)) as string[][]).slice(1)).toEqual([]);
  });

  it('is for regulators, and refuses bad files and ranges', async () => {
    expect((await get('/exports/fsma204/batches/1.csv', null)).statusCode).toBe(401);
    const farmer = await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, f.admin)).id });
    expect((await get('/exports/fsma204/batches/1.csv', farmer)).statusCode).toBe(403);
    expect((await get('/exports/fsma204/batches/999999.csv', f.regulator)).json().error.code).toBe('NOT_FOUND');
    expect((await get('/exports/fsma204/batches/1.pdf', f.regulator)).json().error).toEqual({ code: 'BAD_USER_INPUT', field: 'file', message: 'file: must be \\d{1,10}.csv or .xlsx' });
    expect((await get('/exports/fsma204/events.csv', f.regulator)).json().error).toEqual({ code: 'BAD_USER_INPUT', field: 'from', message: 'from: is required' });
    expect((await get('/exports/fsma204/events.csv?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', f.regulator)).json().error.message).toBe('to: must be after from');
    expect((await get('/exports/fsma204/events.csv?from=2024-01-01T00:00:00Z&to=2026-11-01T00:00:00Z', f.regulator)).json().error.message).toBe('to: the range is at most 366 days');
  });
});
