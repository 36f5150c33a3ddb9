import { Role } from '../src/entities/enums';
import { captureWorker } from '../src/exchange/capture.queue';
import { startNotificationQueue, type NotificationQueue } from '../src/notify/queue';
import { untilCaptured } from './support/capture-queue';
import { makeOperator, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();
const quiet = { error: () => undefined, warn: () => undefined };

let queue: NotificationQueue | null = null;
const start = async () => {
  queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, log: quiet, sweepMs: 200, workers: [captureWorker({ orm: t.orm, config: t.config, log: quiet })] });
};
afterEach(async () => {
  await queue?.stop();
  queue = null;
});

const event = (i: number) => ({
  type: 'ObjectEvent', eventTime: new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString(), eventTimeZoneOffset: '+08:00',
  epcList: [`urn:epc:id:sgtin:0614141.107346.${i}`], action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' }, bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
  bizTransactionList: [{ type: 'po', bizTransaction: `urn:epcglobal:cbv:bt:0614141073467:PO-${i}` }],
  destinationList: [{ type: 'owning_party', destination: 'urn:epc:id:pgln:0614141.00002' }],
});
const doc = (events: unknown[]) => ({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0',
  creationDate: '2026-11-20T08:00:00.000Z', epcisBody: { eventList: events },
});
const send = (body: unknown, tok: string) => t.app.fastify.inject({
  method: 'POST', url: '/epcis/capture', headers: { 'content-type': 'application/ld+json', authorization: `Bearer ${tok}` }, payload: JSON.stringify(body),
});
const count = async (table: string) => Number((await t.sql(`select count(*)::int as n from ${table}`))[0].n);

describe('capture through the job queue', () => {
  it('answers 202 at once with a RUNNING job that survives a restart: the queue started later captures it', async () => {
    // no queue runs: the server stopped right after it answered
    const accepted = await send(doc([event(1), event(2)]), f.admin);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({ running: true, status: 'RUNNING', finishedAt: null, eventCount: 2, capturedCount: 0, errors: [] });
    const location = accepted.headers.location as string;
    expect(location).toBe(`/epcis/capture/${accepted.json().captureID}`);
    const waiting = await t.app.fastify.inject({ method: 'GET', url: location, headers: { authorization: `Bearer ${f.admin}` } });
    expect(waiting.json()).toMatchObject({ running: true, status: 'RUNNING' });
    expect(await count('epcis_event')).toBe(0);

    await start();
    const job = await untilCaptured(t, accepted, f.admin);
    expect(job.json()).toMatchObject({ running: false, success: true, status: 'SUCCEEDED', eventCount: 2, capturedCount: 2, duplicateCount: 0, errors: [] });
    expect(await count('epcis_event')).toBe(2);
    // the document is kept only until its job has run
    expect(await t.sql('select document from epcis_capture')).toEqual([{ document: null }]);
  });

  it('captures a large document (2,500 events, more than a JSON body may hold elsewhere) in one job', async () => {
    await start();
    const events = Array.from({ length: 2500 }, (_, i) => event(i));
    const body = JSON.stringify(doc(events));
    expect(body.length).toBeGreaterThan(t.config.limits.bodyLimitBytes);
    const accepted = await send(doc(events), f.regulator);
    expect(accepted.statusCode).toBe(202);
    const job = await untilCaptured(t, accepted, f.regulator);
    expect(job.json()).toMatchObject({ status: 'SUCCEEDED', eventCount: 2500, capturedCount: 2500, duplicateCount: 0, errors: [] });
    expect(await count('epcis_event')).toBe(2500);
  }, 120_000);

  it('finishes FAILED, storing nothing, when the account that sent the document was revoked before its job ran', async () => {
    const farmer = await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, f.admin)).id });
    const accepted = await send(doc([event(1)]), farmer);
    expect(accepted.statusCode).toBe(202);
    await t.sql(`update account set revoked_at = now() where role = 'OPERATOR'`);
    await start();
    const job = await untilCaptured(t, accepted, f.admin);
    expect(job.json()).toMatchObject({
      running: false, success: false, status: 'FAILED', capturedCount: 0,
      errors: [{ index: null, eventID: null, errors: ['the account that sent the document was revoked before it was captured'] }],
    });
    expect(await count('epcis_event')).toBe(0);
  });
});
