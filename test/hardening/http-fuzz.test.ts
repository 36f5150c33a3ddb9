import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { DEFAULT_LIMITS } from '../../src/config';
import { Role } from '../../src/entities/enums';
import { makeBatch, makeCertificate, makeMarketScene, token } from '../support/factories';
import { useTestApp } from '../support/use-test-app';

// every budget wide open: this test looks for faults, not for 429s
const OPEN = { ...DEFAULT_LIMITS, publicPerWindow: 1_000_000, gateScansPerWindow: 1_000_000, writesPerWindow: 1_000_000, authFailuresPerWindow: 1_000_000 };
const { t, f } = useTestApp({ config: { limits: OPEN }, each: 'none' });

/** What a client must never read: SQL, a driver's message, a stack, fastify's own masked 500. */
const INTERNAL = [
  /Internal Server Error/i,
  /\bselect\b[^<>]{1,200}\bfrom\s+"?\w+"?\s/i,
  /\binsert into\b/i,
  /\bdelete from\b/i,
  /\bupdate\s+"?\w+"?\s+set\b/i,
  /syntax error at|violates (check|foreign key|not-null|unique)|invalid byte sequence|invalid input syntax|relation "|column "/i,
  /"stack"\s*:|\n\s+at [^\n]+:\d+:\d+/,
  /\.ts:\d+/,
  /node_modules/,
];

interface Scene {
  tokens: { none: null; garbage: string; admin: string; regulator: string; operator: string; gate: string };
  codes: string[];
  certificateNumbers: string[];
  gtinLots: [string, string][];
  marketId: string;
  batchId: string;
}
let scene: Scene;

beforeAll(async () => {
  await t.reset();
  Object.assign(f, { admin: await token(t, Role.ADMIN), regulator: await token(t, Role.REGULATOR) });
  const s = await makeMarketScene(t, f.admin);
  const batch = await makeBatch(t, f.admin, s.farm.id, { gtin: '06901234567892', lotCode: 'L-1' });
  const certificate = await makeCertificate(t, s.farmToken, batch.id);
  scene = {
    certificateNumbers: [certificate.number],
    tokens: { none: null, garbage: 'ft_' + 'x'.repeat(43), admin: f.admin, regulator: f.regulator, operator: s.farmToken, gate: s.gate },
    codes: [batch.publicCode, s.farm.publicCode],
    gtinLots: [['06901234567892', 'L-1']],
    marketId: s.market,
    batchId: batch.id,
  };
});

const byte = fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`);
/** Encoded bytes that have hurt servers: NUL, controls, overlong and surrogate UTF-8, bidi overrides, quotes, separators. */
const nasty = fc.oneof(
  { arbitrary: fc.constant('%00'), weight: 4 },
  {
    arbitrary: fc.constantFrom('%01', '%09', '%0A', '%0D', '%1B', '%7F', '%C2%85', '%C2%9F', '%ED%A0%80', '%ED%B0%80', '%C0%80', '%C3', '%E2%80%AE', '%EF%BF%BF', '%F4%8F%BF%BF', '%F4%90%80%80', '%2F', '%25', '%27', '%22', '%5C', '%3C', '%3E', '..', '%2E%2E', '%E5%8C%97', 'e%CC%81'),
    weight: 6,
  },
);
/** Any text, then percent-encoded; raw `%XX` bytes (often not UTF-8); hostile bytes; characters fastify leaves as they are. */
const piece = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).map(encodeURIComponent),
  byte,
  nasty,
  fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{1,8}$/),
);
const segment = fc.oneof(
  { arbitrary: fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), weight: 4 },
  { arbitrary: fc.constantFrom('', '.', '..', '%', '%%', '%0', '%u0000', 'x'.repeat(300), '9'.repeat(30), '-1', '0', '1', '2147483648', 'null', '__proto__', 'constructor'), weight: 1 },
);
/** A value the route knows, as it is, with a hostile piece put in, or anything. */
const near = (known: string[]) =>
  fc.oneof(fc.constantFrom(...known), fc.tuple(fc.constantFrom(...known), nasty, fc.boolean()).map(([k, n, before]) => (before ? n + k : k + n)), segment);

const QUERY_KEYS = ['lang', 'size', 'date', 'direction', 'maxDepth', 'maxNodes', 'grade', 'kind', 'village', 'scoreMin', 'scoreMax', 'rule', 'from', 'to', 'operatorId', 'query', 'variables', 'operationName', 'extensions', 'x'];
const queryString = fc
  .array(fc.tuple(fc.oneof({ arbitrary: fc.constantFrom(...QUERY_KEYS), weight: 3 }, segment), near(['en', 'zh', '512', '0', '2026-11-01', '2026-02-30', 'backward', 'D', 'FARM', 'Qingshan', '{}', '[]', '{ __typename }'])), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

/** Header values as a client may send them: visible ASCII and Latin-1 bytes, nothing a socket refuses. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 });
const headers = fc.record(
  {
    'accept-language': fc.oneof(headerText, fc.constantFrom('zh-CN,zh;q=0.9', 'en', 'en;q=abc', '*', 'de, fr;q=0.', ';;;', 'x'.repeat(2000))),
    'content-type': fc.oneof(headerText, fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'text/plain; charset=utf-16', 'application/graphql', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/graphql-response+json')),
    authorization: fc.oneof(headerText, fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer ft_', 'Bearer ft_' + 'x'.repeat(43), 'Bearer ' + 'x'.repeat(5000))),
    accept: fc.oneof(headerText, fc.constantFrom('application/json', 'text/html', 'multipart/mixed', 'application/graphql-response+json', '*/*')),
    'if-none-match': headerText,
    'apollo-require-preflight': fc.constant('true'),
  },
  { requiredKeys: [] },
);

/** One of the scene's callers, or none, or a token nobody issued. */
const caller = fc.constantFrom<keyof Scene['tokens']>('none', 'garbage', 'admin', 'regulator', 'operator', 'gate');

type Route = (s: Scene) => fc.Arbitrary<string>;
const ROUTES: Record<string, Route> = {
  '/t/:code': (s) => near(s.codes).map((c) => `/t/${c}`),
  '/o/:code': (s) => near(s.codes).map((c) => `/o/${c}`),
  '/c/:number': (s) => near(s.certificateNumbers).map((c) => `/c/${c}`),
  '/handover/:code': (s) => near(s.codes).map((c) => `/handover/${c}`),
  '/qr/:file': (s) => fc.tuple(near(s.codes), fc.constantFrom('.png', '.svg', '.gif', '', '.png.svg')).map(([c, e]) => `/qr/${c}${e}`),
  '/01/:gtin/10/:lot': (s) => fc.tuple(near([...s.gtinLots.map((g) => g[0]), '12345670', '4006381333931']), near(s.gtinLots.map((g) => g[1]))).map(([g, l]) => `/01/${g}/10/${l}`),
  '/m/:id/board': (s) => near([s.marketId]).map((m) => `/m/${m}/board`),
  '/static/:name': () => near(['site.css', 'label.css', 'gate.js', 'gate-sw.js', 'inspect.js', 'inspect-sw.js', 'jsQR.js', 'graphql-ws.js', 'desk-incidents.js', 'recall-notice.js', 'live-notices.js', 'gate-recalls.js', 'chart.umd.min.js', 'icon-192.png', 'gate.zh.webmanifest']).map((n) => `/static/${n}`),
  '/favicon.ico': () => fc.constant('/favicon.ico'),
  '/robots.txt': () => fc.constant('/robots.txt'),
  '/regulator/charts': () => fc.constant('/regulator/charts'),
  '/regulator/forward-graph/:lot': (s) => fc.oneof(near([s.batchId]), near(s.codes)).map((lot) => `/regulator/forward-graph/${lot}`),
  '/gate': () => fc.constant('/gate'),
  '/regulator': () => fc.constant('/regulator'),
  '/banquet': () => fc.constant('/banquet'),
  '/canteen': () => fc.constant('/canteen'),
  '/inspect': () => fc.constant('/inspect'),
  '/healthz': () => fc.constant('/healthz'),
  '/readyz': () => fc.constant('/readyz'),
  '/exports/credit.csv': () => fc.constant('/exports/credit.csv'),
  '/exports/registry.csv': () => fc.constant('/exports/registry.csv'),
  '/ledger/work/:file': () => fc.tuple(fc.constantFrom('2026-11', '2026-13', '1999-01', 'x'), fc.constantFrom('.csv', '.xlsx', '', '.pdf')).map(([m, e]) => `/ledger/work/${m}${e}`),
  '/assessment/:file': () => fc.constantFrom('2026', '2026.pdf', '2026.link', '1999', '99999', 'x.pdf', '2026.csv').map((f) => `/assessment/${f}`),
  '/epcis/batches/:file': (s) => near([s.batchId]).map((id) => `/epcis/batches/${id}.jsonld`),
  '/exports/fsma204/batches/:file': (s) => fc.tuple(near([s.batchId]), fc.constantFrom('.csv', '.xlsx', '', '.pdf')).map(([id, e]) => `/exports/fsma204/batches/${id}${e}`),
  '/exports/fsma204/:file': () => fc.tuple(
    fc.constantFrom('events.csv', 'events.xlsx', 'events', 'x.csv'),
    fc.constantFrom('from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'product=Bok%20choy', 'category=dairy', 'category=x', 'product=', 'product=%E8%8F%A0&to=2026-12-01T00:00:00Z', 'product=a&product=b'),
  ).map(([n, q]) => `/exports/fsma204/${n}?${q}`),
  '/epcis/capture/:id': () => near(['1', '2']).map((id) => `/epcis/capture/${id}`),
  '/epcis/events': () => fc.constant('/epcis/events'),
  '/graphql (GET)': () => fc.constant('/graphql'),
  '/inspect/photos/:name': () => near([`${'0'.repeat(64)}.jpg`, `${'a'.repeat(64)}.thumb.jpg`]).map((n) => `/inspect/photos/${n}`),
  '/report': () => fc.constant('/report'),
  '/notifications/live': () => fc.constant('/notifications/live'),
  '/graphql/ws': () => fc.constant('/graphql/ws'),
  '/recall/:id': () => fc.oneof(fc.constantFrom('1', '0', '-1', '2147483648', '1e3', '%00', 'abc'), fc.string()).map((id) => `/recall/${encodeURIComponent(id)}`),
};

async function send(options: InjectOptions): Promise<string[]> {
  const res = await t.app.fastify.inject(options);
  const problems: string[] = [];
  const sent = options.payload ? ` ${JSON.stringify(String(options.payload).slice(0, 200))} ${JSON.stringify(options.headers ?? {})}` : '';
  const where = `${options.method} ${options.url}${sent} → ${res.statusCode}`;
  if (res.statusCode >= 500) problems.push(`${where}: ${res.body.slice(0, 300)}`);
  const body = res.headers['content-type']?.toString().startsWith('image/png') ? '' : res.body;
  for (const pattern of INTERNAL) if (pattern.test(body)) problems.push(`${where}: shows ${pattern} in ${body.slice(0, 300)}`);
  return problems;
}

const withAuth = (h: Record<string, string>, who: keyof Scene['tokens'], s: Scene) => {
  const value = s.tokens[who];
  return value && !('authorization' in h) ? { ...h, authorization: `Bearer ${value}` } : h;
};

describe('no 500 and no internal message on any input', () => {
  it.each(Object.keys(ROUTES))('GET %s with generated paths, query strings and headers', async (route) => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(ROUTES[route](scene), queryString, headers, caller, fc.constantFrom('GET', 'HEAD'), async (path, query, h, who, method) => {
        problems.push(...(await send({ method: method as 'GET', url: path + query, headers: withAuth(h, who, scene) })));
      }),
      { numRuns: 120 },
    );
    expect(problems).toEqual([]);
  }, 60_000);

  const json = fc.jsonValue({ maxDepth: 3 });
  const document = fc.oneof(
    fc.constantFrom(
      '{ __typename }', 'query { me { role } }', 'mutation { refreshCreditGrades }', '{ trace(code: "x") { lot { publicCode } } }',
      'query($c: String!) { trace(code: $c) { lot { publicCode } } }', 'query($id: ID!) { operator(id: $id) { name credit { score grade } } }',
      'mutation($input: RegisterOperatorInput!) { registerOperator(input: $input) { id } }', 'subscription { x }', '{', '}}}', '#', '',
      'query { operators(first: 100000) { edges { node { id } } } }', 'query A { __typename } query B { __typename }', '{ __schema { types { name } } }',
    ),
    fc.string({ unit: 'binary', maxLength: 80 }),
  );
  const variables = fc.oneof(
    json,
    fc.record({ c: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), json), id: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), json), input: json }),
    fc.record({ input: fc.record({ kind: fc.constantFrom('FARM', 'STREET_VENDOR', 'x'), name: fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), json) }) }),
  );
  const graphqlBody = fc.oneof(
    // a GraphQL request with odd members
    fc.record({ query: fc.oneof(document, json), variables: fc.oneof(variables, fc.constant(undefined)), operationName: fc.oneof(fc.constantFrom('A', 'B', '', null), json), extensions: fc.oneof(json, fc.constant({ persistedQuery: { version: 1, sha256Hash: 'abc' } })) }, { requiredKeys: ['query'] }).map((b) => Buffer.from(JSON.stringify(b))),
    // any JSON, a batch, raw bytes (often not UTF-8), broken JSON, nothing
    json.map((v) => Buffer.from(JSON.stringify(v) ?? '')),
    fc.array(fc.record({ query: document }), { maxLength: 3 }).map((b) => Buffer.from(JSON.stringify(b))),
    fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)),
    fc.constantFrom('', '{', '{"query":', '{"__proto__":{"x":1},"query":"{ __typename }"}', '{"constructor":{"prototype":{"x":1}}}', 'null', '"x"', '[]', '{"query":"{ __typename }"}\u0000').map((s) => Buffer.from(s)),
  );

  it('POST /graphql with generated bodies, content types and tokens', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(graphqlBody, headers, caller, queryString, async (payload, h, who, query) => {
        problems.push(...(await send({ method: 'POST', url: `/graphql${query}`, headers: withAuth({ 'content-type': 'application/json', ...h }, who, scene), payload })));
      }),
      { numRuns: 300 },
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('POST /epcis/capture with generated bodies, content types and tokens', async () => {
    const problems: string[] = [];
    const event = fc.record({
      type: fc.oneof(fc.constantFrom('ObjectEvent', 'AggregationEvent', 'TransformationEvent', 'x'), json), eventTime: fc.oneof(fc.constantFrom('2026-11-20T08:00:00Z', 'yesterday'), json),
      eventTimeZoneOffset: fc.oneof(fc.constant('+08:00'), json), action: fc.oneof(fc.constantFrom('ADD', 'OBSERVE', 'DELETE'), json),
      epcList: fc.oneof(fc.array(fc.oneof(fc.constantFrom('urn:epc:id:sgtin:0614141.107346.2017', 'https://id.gs1.org/01/09506000134352/21/1', 'urn:epc:id:sscc:1.2'), fc.string({ maxLength: 30 }))), json),
      errorDeclaration: fc.oneof(fc.constant({ declarationTime: '2026-11-21T00:00:00Z' }), json),
    }, { requiredKeys: [] });
    const epcisBody = fc.oneof(
      fc.record({ '@context': fc.constant(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld']), type: fc.constantFrom('EPCISDocument', 'x'), schemaVersion: fc.constant('2.0'), creationDate: fc.constant('2026-11-20T08:00:00Z'), epcisBody: fc.record({ eventList: fc.array(event, { maxLength: 3 }) }) }).map((b) => Buffer.from(JSON.stringify(b))),
      json.map((v) => Buffer.from(JSON.stringify(v) ?? '')),
      fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(epcisBody, headers, caller, fc.constantFrom('application/ld+json', 'application/json'), async (payload, h, who, type) => {
        problems.push(...(await send({ method: 'POST', url: '/epcis/capture', headers: withAuth({ 'content-type': type, ...h }, who, scene), payload })));
      }),
      { numRuns: 200 },
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('POST /imports/… with generated spreadsheets, content types and tokens', async () => {
    const problems: string[] = [];
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('FARM', 'STREET_VENDOR', 'x', '91350100M000100Y43', '=1+1', '"', ''));
    const csv = fc.tuple(fc.constantFrom('kind,name,creditCode', 'name,village', 'name', '', 'kind,name,x'), fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 5 }))
      .map(([header, rows]) => Buffer.from([header, ...rows.map((r) => r.join(','))].join('\n')));
    const body = fc.oneof(csv, fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)));
    const type = fc.constantFrom('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json', 'text/plain');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('operators', 'markets', 'x'), fc.constantFrom('', '?dryRun=true', '?dryRun=1'), body, type, headers, caller, async (kind, query, payload, ct, h, who) => {
        problems.push(...(await send({ method: 'POST', url: `/imports/${kind}${query}`, headers: withAuth({ ...h, 'content-type': ct }, who, scene), payload })));
      }),
      { numRuns: 150 },
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('GET /graphql with generated query parameters', async () => {
    const problems: string[] = [];
    const params = fc.record({ query: document, variables: fc.oneof(variables.map((v) => JSON.stringify(v) ?? ''), fc.string({ maxLength: 30 })), operationName: fc.constantFrom('A', '', 'x') }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(params, headers, caller, async (p, h, who) => {
        const qs = new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v).replace(/[\ud800-\udfff]/g, '')])).toString();
        problems.push(...(await send({ method: 'GET', url: `/graphql?${qs}`, headers: withAuth(h, who, scene) })));
      }),
      { numRuns: 150 },
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it('other methods and unknown paths', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST'), fc.oneof(...Object.values(ROUTES).map((r) => r(scene)), segment.map((s) => `/${s}`)), headers, fc.uint8Array({ maxLength: 40 }), async (method, path, h, body) => {
        problems.push(...(await send({ method: method as 'PUT', url: path, headers: h, payload: Buffer.from(body) })));
      }),
      { numRuns: 150 },
    );
    expect(problems).toEqual([]);
  }, 60_000);
});
