import { DEFAULT_LIMITS } from '../../src/config';
import { createTestApp, type TestApp } from '../support/app';
import sharp from 'sharp';
import { makeBatch } from '../support/factories';
import { CALLERS, buildWorld, type Caller, type World } from './operations';
import { routesOf } from '../support/routes';

let t: TestApp;
let w: World;
let gtinLot: string;
let photoName: string;
let captureLocation: string;
let handoverCode: string;

/** A document of one shipping event about foreign goods: anyone allowed to capture is answered 202 (an operator's event is refused inside the job). */
const CAPTURE_DOCUMENT = JSON.stringify({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-20T08:00:00.000Z',
  epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: '2026-11-20T08:00:00.000Z', eventTimeZoneOffset: '+08:00', epcList: ['urn:epc:id:sgtin:0614141.107346.2017'], action: 'OBSERVE', bizStep: 'shipping' }] },
});

beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6, writesPerWindow: 1e6 } });
  w = await buildWorld(t);
  await makeBatch(t, w.admin, w.operatorId, { gtin: '09506000134352', lotCode: 'DL-1' });
  gtinLot = '/01/09506000134352/10/DL-1';
  // a photo the inspector uploaded and no inspection names yet
  const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).jpeg().toBuffer();
  const boundary = 'b0undary';
  const res = await t.app.fastify.inject({
    method: 'POST', url: '/inspect/photos', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${w.tokens.INSPECTOR}` },
    payload: Buffer.concat([Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="photo"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`), jpeg, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  });
  photoName = `${res.json().sha256}.jpg`;
  const sent = await t.app.fastify.inject({ method: 'POST', url: '/epcis/capture', headers: { authorization: `Bearer ${w.admin}`, 'content-type': 'application/ld+json' }, payload: CAPTURE_DOCUMENT });
  captureLocation = sent.headers.location as string;
  const handed = await t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { publicCode } }`,
    { i: { batchId: w.batch.id, toOperatorId: w.vendorId, quantity: 1, handover: { documentType: 'INVOICE', documentNumber: 'A-1' } } }, w.admin);
  handoverCode = (handed.data as { transferBatch: { publicCode: string } }).transferBatch.publicCode;
});
afterAll(async () => t.close());

interface RouteRule {
  /** A URL of this route that works; `public` routes answer every caller alike. */
  url(w: World): string;
  allow: 'public' | readonly Caller[];
  /** Status of a successful call. */
  ok: number;
  /** A route called with POST and this body (GET otherwise), of `type` (JSON-LD unless said). */
  post?: string;
  type?: string;
  /** Callers answered otherwise than 401/403: another account's capture job is not found, not forbidden. */
  status?: Partial<Record<Caller, number>>;
}

/** Every non-GraphQL route and who may call it; a route missing here fails the test. */
const ROUTES: Record<string, RouteRule | 'graphql'> = {
  '/graphql': 'graphql', // walked operation by operation in access-matrix.test.ts
  '/healthz': { url: () => '/healthz', allow: 'public', ok: 200 },
  '/readyz': { url: () => '/readyz', allow: 'public', ok: 200 },
  '/gate': { url: () => '/gate', allow: 'public', ok: 200 },
  // page shells: the data behind them comes through GraphQL with the user's token
  '/regulator': { url: () => '/regulator', allow: 'public', ok: 200 },
  // the public banquet filing form (its POST files; test/banquet-page.test.ts)
  '/banquet': { url: () => '/banquet', allow: 'public', ok: 200 },
  '/canteen': { url: () => '/canteen', allow: 'public', ok: 200 },
  '/inspect': { url: () => '/inspect', allow: 'public', ok: 200 },
  '/static/:name': { url: () => '/static/site.css', allow: 'public', ok: 200 },
  '/favicon.ico': { url: () => '/favicon.ico', allow: 'public', ok: 200 },
  '/robots.txt': { url: () => '/robots.txt', allow: 'public', ok: 200 },
  // the desk's charts and forward-impact graph (test/web/desk-charts.test.ts, test/web/lineage-diagram.test.ts)
  '/regulator/charts': { url: () => '/regulator/charts', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/regulator/forward-graph/:lot': { url: (w) => `/regulator/forward-graph/${w.batch.id}`, allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/t/:code': { url: (w) => `/t/${w.batch.publicCode}`, allow: 'public', ok: 200 },
  '/o/:code': { url: (w) => `/o/${w.operatorCode}`, allow: 'public', ok: 200 },
  // the certificate as printed on the goods: its contact is on the label (registry/certificate.rules.ts, SECURITY.md)
  '/c/:number': { url: (w) => `/c/${w.certificateNumber}`, allow: 'public', ok: 200 },
  // the delivery note: public as the trace shows it; the document number to the parties and regulators (test/handover.test.ts)
  '/handover/:code': { url: () => `/handover/${handoverCode}`, allow: 'public', ok: 200 },
  '/m/:marketId/board': { url: (w) => `/m/${w.marketId}/board`, allow: 'public', ok: 200 },
  '/qr/:file': { url: (w) => `/qr/${w.batch.publicCode}.png`, allow: 'public', ok: 200 },
  '/01/:gtin/10/:lot': { url: () => gtinLot, allow: 'public', ok: 303 },
  '/exports/credit.csv': { url: () => '/exports/credit.csv', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/exports/registry.csv': { url: () => '/exports/registry.csv', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/ledger/work/:file': { url: () => '/ledger/work/2026-11.csv', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/assessment/:file': { url: () => '/assessment/2026', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/epcis/batches/:file': { url: (w) => `/epcis/batches/${w.batch.id}.jsonld`, allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/exports/fsma204/batches/:file': { url: (w) => `/exports/fsma204/batches/${w.batch.id}.csv`, allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/exports/fsma204/:file': { url: () => '/exports/fsma204/events.xlsx?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/imports/:kind': { url: () => '/imports/markets?dryRun=true', post: 'name\nNorth Market\n', type: 'text/csv', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/epcis/capture': { url: () => '/epcis/capture', post: CAPTURE_DOCUMENT, allow: ['OPERATOR', 'OPERATOR_OTHER', 'REGULATOR', 'ADMIN'], ok: 202 },
  '/epcis/capture/:id': { url: () => captureLocation, allow: ['REGULATOR', 'ADMIN'], ok: 200, status: { OPERATOR: 404, OPERATOR_OTHER: 404 } },
  '/epcis/events': { url: () => '/epcis/events', allow: ['OPERATOR', 'OPERATOR_OTHER', 'REGULATOR', 'ADMIN'], ok: 200 },
  '/ledger/export': { url: () => '/ledger/export', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/ledger/public-key': { url: () => '/ledger/public-key', allow: 'public', ok: 200 },
  // the world has no checkpoint yet: everyone alike is told so
  '/ledger/checkpoints/:id': { url: () => '/ledger/checkpoints/latest', allow: 'public', ok: 404 },
  '/ledger/proof/:operatorId': { url: (w) => `/ledger/proof/${w.operatorId}`, allow: 'public', ok: 404 },
  // uploads are POST only (test/supervision.test.ts); a GET finds nothing, for everyone alike
  '/inspect/photos': { url: () => '/inspect/photos', allow: 'public', ok: 404 },
  // town-wide roles and the uploader; a village assistant once an inspection of its village names the photo
  '/inspect/photos/:name': { url: () => `/inspect/photos/${photoName}`, allow: ['REGULATOR', 'ADMIN', 'INSPECTOR'], ok: 200 },
  // the public complaint form; its POST is tested in test/incident-report.test.ts
  '/report': { url: () => '/report', allow: 'public', ok: 200 },
  // a WebSocket route: a plain GET is not upgraded and finds nothing, whoever asks (test/notify.test.ts signs in over the socket)
  '/notifications/live': { url: () => '/notifications/live', allow: 'public', ok: 404 },
  // GraphQL subscriptions over graphql-ws: likewise only upgraded (test/notify-graphql-ws.test.ts signs in over the socket)
  '/graphql/ws': { url: () => '/graphql/ws', allow: 'public', ok: 404 },
  // a recall's notice: a page shell like /regulator; who sees which holdings is the recall query's (test/web/recall-notice.test.ts)
  '/recall/:id': { url: () => '/recall/1', allow: 'public', ok: 200 },
};

describe('HTTP routes besides GraphQL', () => {
  it('has a rule for every route and none for routes that are gone', () => {
    const routes = routesOf(t.app.fastify.printRoutes({ commonPrefix: false }));
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => !ROUTES[r])).toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('answers public routes to everyone alike and protected ones only to their roles', async () => {
    const mismatches: string[] = [];
    for (const [route, rule] of Object.entries(ROUTES)) {
      if (rule === 'graphql') continue;
      for (const who of CALLERS) {
        const token = w.tokens[who];
        const auth = token ? { authorization: `Bearer ${token}` } : {};
        const res = rule.post
          ? await t.app.fastify.inject({ method: 'POST', url: rule.url(w), headers: { ...auth, 'content-type': rule.type ?? 'application/ld+json' }, payload: rule.post })
          : await t.app.fastify.inject({ method: 'GET', url: rule.url(w), headers: auth });
        const expected = rule.status?.[who] ?? (rule.allow === 'public' || rule.allow.includes(who) ? rule.ok : who === 'anonymous' ? 401 : 403);
        if (res.statusCode !== expected) mismatches.push(`${route} as ${who}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (expected === 401 || expected === 403) {
          expect(res.json()).toEqual({ error: { code: expected === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: expect.any(String) } });
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
