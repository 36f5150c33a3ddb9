import { DEFAULT_LIMITS } from '../../src/config';
import { createTestApp, type TestApp } from '../support/app';
import { makeBatch } from '../support/factories';
import { CALLERS, buildWorld, type Caller, type World } from './operations';

let t: TestApp;
let w: World;
let gtinLot: string;

beforeAll(async () => {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, publicPerWindow: 1e6, writesPerWindow: 1e6 } });
  w = await buildWorld(t);
  await makeBatch(t, w.admin, w.operatorId, { gtin: '09506000134352', lotCode: 'DL-1' });
  gtinLot = '/01/09506000134352/10/DL-1';
});
afterAll(async () => t.close());

interface RouteRule {
  /** A URL of this route that works; `public` routes answer every caller alike. */
  url(w: World): string;
  allow: 'public' | readonly Caller[];
  /** Status of a successful call. */
  ok: number;
}

/** Every non-GraphQL route and who may call it; a route missing here fails the test. */
const ROUTES: Record<string, RouteRule | 'graphql'> = {
  '/graphql': 'graphql', // walked operation by operation in access-matrix.test.ts
  '/healthz': { url: () => '/healthz', allow: 'public', ok: 200 },
  '/readyz': { url: () => '/readyz', allow: 'public', ok: 200 },
  '/gate': { url: () => '/gate', allow: 'public', ok: 200 },
  // page shells: the data behind them comes through GraphQL with the user's token
  '/regulator': { url: () => '/regulator', allow: 'public', ok: 200 },
  '/static/:name': { url: () => '/static/site.css', allow: 'public', ok: 200 },
  '/t/:code': { url: (w) => `/t/${w.batch.publicCode}`, allow: 'public', ok: 200 },
  '/o/:code': { url: (w) => `/o/${w.operatorCode}`, allow: 'public', ok: 200 },
  '/m/:marketId/board': { url: (w) => `/m/${w.marketId}/board`, allow: 'public', ok: 200 },
  '/qr/:file': { url: (w) => `/qr/${w.batch.publicCode}.png`, allow: 'public', ok: 200 },
  '/01/:gtin/10/:lot': { url: () => gtinLot, allow: 'public', ok: 303 },
  '/exports/credit.csv': { url: () => '/exports/credit.csv', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/epcis/batches/:file': { url: (w) => `/epcis/batches/${w.batch.id}.jsonld`, allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/ledger/export': { url: () => '/ledger/export', allow: ['REGULATOR', 'ADMIN'], ok: 200 },
  '/ledger/public-key': { url: () => '/ledger/public-key', allow: 'public', ok: 200 },
  // the world has no checkpoint yet: everyone alike is told so
  '/ledger/checkpoints/:id': { url: () => '/ledger/checkpoints/latest', allow: 'public', ok: 404 },
  '/ledger/proof/:operatorId': { url: (w) => `/ledger/proof/${w.operatorId}`, allow: 'public', ok: 404 },
  // the public complaint form; its POST is tested in test/incident-report.test.ts
  '/report': { url: () => '/report', allow: 'public', ok: 200 },
  // a WebSocket route: a plain GET is not upgraded and finds nothing, whoever asks (test/notify.test.ts signs in over the socket)
  '/notifications/live': { url: () => '/notifications/live', allow: 'public', ok: 404 },
};

function routesOf(printed: string): string[] {
  return [...printed.matchAll(/(\/\S*) \(/g)].map((m) => m[1]);
}

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
        const res = await t.app.fastify.inject({ method: 'GET', url: rule.url(w), headers: token ? { authorization: `Bearer ${token}` } : {} });
        const expected = rule.allow === 'public' || rule.allow.includes(who) ? rule.ok : who === 'anonymous' ? 401 : 403;
        if (res.statusCode !== expected) mismatches.push(`${route} as ${who}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (expected === 401 || expected === 403) {
          expect(res.json()).toEqual({ error: { code: expected === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: expect.any(String) } });
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
