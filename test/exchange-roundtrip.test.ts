import { useCaptureQueue, untilCaptured } from './support/capture-queue';
import { makeBatch, makeOperator, ok } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();
useCaptureQueue(t);

const TRANSFER = `mutation($i: TransferBatchInput!) { transferBatch(input: $i) { id } }`;
const GLN = 'urn:epc:id:sgln:0614141.07346.1234';

const exportOf = async (id: string | number) => {
  const res = await t.app.fastify.inject({ method: 'GET', url: `/epcis/batches/${id}.jsonld?direction=both`, headers: { authorization: `Bearer ${f.regulator}` } });
  expect(res.statusCode).toBe(200);
  return res.json();
};
const capture = async (document: unknown) => untilCaptured(t, await t.app.fastify.inject({
  method: 'POST', url: '/epcis/capture', headers: { 'content-type': 'application/ld+json', authorization: `Bearer ${f.admin}` }, payload: JSON.stringify(document),
}), f.admin);

const LINEAGE = `select b.id, b.owner_id, b.public_code, b.lot_code, b.product_name, b.quantity::text, b.remaining::text, b.produced_at,
  l.parent_id, l.kind, l.quantity::text as moved, l.created_at, l.document_type, l.document_number, l.shipped_at, l.ship_from, l.ship_to
  from batch b left join batch_link l on l.child_id = b.id order by b.id`;

describe('EPCIS round trip of a chain with hand-over documents', () => {
  it('export, capture into a database holding the same registry and no lots, export again: the same events, hand-over documents and places included', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Green Valley Farm' });
    const wholesaler = await makeOperator(t, f.admin, { name: 'City Wholesale', kind: 'WHOLESALER' });
    const vendor = await makeOperator(t, f.admin, { name: 'Stall 12', kind: 'MARKET_VENDOR' });
    const lot = await makeBatch(t, f.admin, farm.id, { lotCode: 'RT-1', quantity: 100, originPlace: 'Qingshan' });
    const first = ok(await t.gql(TRANSFER, { i: { batchId: lot.id, toOperatorId: wholesaler.id, quantity: 40, handover: {
      documentType: 'INVOICE', documentNumber: 'FP-2026/0042', shippedAt: '2026-11-05T01:30:00.000Z', shipFrom: 'Qingshan packing shed', shipTo: GLN,
    } } }, f.admin)).transferBatch;
    ok(await t.gql(TRANSFER, { i: { batchId: first.id, toOperatorId: vendor.id, quantity: 15, handover: {
      documentType: 'DELIVERY_NOTE', documentNumber: 'SH-7', shipFrom: GLN, shipTo: 'Stall 12, Market Road 5',
    } } }, f.admin));
    const before = await t.sql(LINEAGE);
    const exported = await exportOf(lot.id);
    const events = exported.epcisBody.eventList;
    expect(events.map((e: { bizStep: string }) => e.bizStep)).toEqual(['commissioning', 'shipping', 'receiving', 'shipping', 'receiving']);
    // the documents and places travel in the standard lists
    expect(events[1].bizTransactionList[1]).toEqual({ type: 'inv', bizTransaction: `${t.config.publicUrl}/documents/invoice/FP-2026%2F0042` });
    expect(events[1].destinationList[1]).toEqual({ type: 'location', destination: GLN });
    expect(events[3].bizTransactionList[1]).toEqual({ type: 'desadv', bizTransaction: `${t.config.publicUrl}/documents/delivery_note/SH-7` });
    expect(events[3].sourceList[1]).toEqual({ type: 'location', source: GLN });

    // a database with the same operators and accounts, and no lot, link or capture
    await t.sql('truncate exchange_identifier, epcis_event, epcis_capture, batch_link, batch restart identity cascade');
    const job = await capture(exported);
    expect(job.json()).toMatchObject({ status: 'SUCCEEDED', eventCount: 5, capturedCount: 5, duplicateCount: 0, errors: [] });
    expect(await t.sql(LINEAGE)).toEqual(before);
    const again = await exportOf(lot.id);
    expect(again.epcisBody.eventList).toEqual(events);
    expect({ ...again, creationDate: null }).toEqual({ ...exported, creationDate: null });

    // told once more, it adds nothing
    expect((await capture(exported)).json()).toMatchObject({ status: 'SUCCEEDED', capturedCount: 0, duplicateCount: 5 });
    expect(await t.sql(LINEAGE)).toEqual(before);
  });
});
