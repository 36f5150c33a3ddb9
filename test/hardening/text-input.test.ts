import fc from 'fast-check';
import { parseScannedCode } from '../../src/gate/code';
import { wellFormedText, wellFormedTextTree } from '../../src/validation';
import { makeBatch, makeMarketScene, makeOperator, ok } from '../support/factories';
import { useTestApp } from '../support/use-test-app';

const { t, f } = useTestApp();

const cp = (min: number, max: number) => fc.integer({ min, max }).map((n) => String.fromCodePoint(n));

/** Pieces of well-formed text from the whole Unicode range, none of them a control character. */
const PIECES = [
  // printable ASCII and Latin-1 (the C0 and C1 controls excluded)
  cp(0x20, 0x7e),
  cp(0xa0, 0xff),
  // CJK, Hangul syllables, the rest of the basic plane below the surrogates
  cp(0x4e00, 0x9fff),
  cp(0xac00, 0xd7a3),
  cp(0x100, 0xd7ff),
  // the basic plane above the surrogates (private use, compatibility forms, specials)
  cp(0xe000, 0xfffd),
  // astral: emoji, historic scripts, CJK extensions, planes 15 and 16
  cp(0x10000, 0x10ffff),
  // a base letter and combining marks in any order (NFC composes and reorders them)
  fc.tuple(fc.constantFrom('a', 'e', 'o', 'A', 'ᄀ', 'ㄱ', '가'), fc.array(cp(0x300, 0x36f), { minLength: 1, maxLength: 4 })).map(([b, m]) => b + m.join('')),
  // decomposed forms NFC rewrites: e + acute, Hangul jamo, the Angstrom and Kelvin signs
  fc.constantFrom('e\u0301', '\u1100\u1161\u11a8', '\u212b', '\u212a', '\u00c5', 'A\u030a', '\u1e9b\u0323'),
  // right to left: Hebrew, Arabic with its marks, and the bidirectional controls
  cp(0x5d0, 0x5ea),
  cp(0x621, 0x64a),
  fc.constantFrom('\u200f', '\u200e', '\u202b', '\u202e', '\u202c', '\u2067', '\u2069', 'שָׁלוֹם', 'مَرْحَبًا'),
  // emoji: ZWJ sequences, skin tones, flags, keycaps, variation selectors
  fc.constantFrom('👩‍👩‍👧‍👦', '🏳️‍🌈', '👨🏽‍🌾', '🧑‍🍳', '🇨🇳', '🇺🇳', '1️⃣', '❤️', '🫱🏻‍🫲🏿', '🐉'),
  fc.tuple(cp(0x1f300, 0x1faff), fc.constantFrom('', '\u200d', '\ufe0f', '\u{1f3fb}', '\u{1f3ff}'), cp(0x1f300, 0x1faff)).map(([a, j, b]) => a + j + b),
  // spaces of many widths, kept inside the text, trimmed at its ends
  fc.constantFrom(' ', '\u3000', '\u2003', '\u00a0'),
];

/** Well-formed text of 1–20 pieces with a visible character, so it is never blank once trimmed. */
function wellFormed(extra: fc.Arbitrary<string>[] = []): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.oneof(...PIECES, ...extra), { maxLength: 10 }), fc.constantFrom('x', '中', 'é', '🐉', 'ש'), fc.array(fc.oneof(...PIECES, ...extra), { maxLength: 10 }))
    .map(([a, visible, b]) => [...a, visible, ...b].join(''));
}

const BAD = [
  cp(0xd800, 0xdbff), // a high surrogate with no low one after it
  cp(0xdc00, 0xdfff), // a low surrogate with no high one before it
  fc.constant('\u0000'),
  cp(0x01, 0x08),
  cp(0x0b, 0x0c),
  cp(0x0e, 0x1f),
  cp(0x7f, 0x9f),
];

/** Well-formed text with one lone surrogate, NUL or control character put somewhere inside. */
function broken(extra: fc.Arbitrary<string>[] = []): fc.Arbitrary<string> {
  return fc.tuple(fc.array(fc.oneof(...PIECES, ...extra), { maxLength: 10 }), fc.oneof(...BAD), fc.array(fc.oneof(...PIECES, ...extra), { maxLength: 10 }))
    .map(([a, bad, b]) => [...a, bad, ...b].join(''));
}

const MULTILINE = [fc.constantFrom('\n', '\r\n', '\t', '\n\n')];
const RUNS = { numRuns: 150 };

/** What the server stores for an accepted text: its NFC form, trimmed. */
const stored = (s: string) => s.normalize('NFC').trim();

async function tableCounts(): Promise<Record<string, number>> {
  const [row] = await t.sql(`select (select count(*) from operator)::int as operator, (select count(*) from batch)::int as batch, (select count(*) from credit_event)::int as credit_event`);
  return row;
}

describe('the text rule (validation.ts)', () => {
  it('accepts well-formed text and returns it in NFC', () => {
    fc.assert(
      fc.property(wellFormed(MULTILINE), (s) => {
        const out = wellFormedText('name', s);
        expect(out).toBe(s.normalize('NFC'));
        expect(/\p{Cs}/u.test(out)).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(wellFormedText('name', 'e\u0301')).toBe('\u00e9');
    expect(wellFormedText('name', '\u212b')).toBe('\u00c5');
  });

  it('refuses a lone surrogate, NUL or control character, naming the field', () => {
    fc.assert(
      fc.property(broken(), (s) => {
        expect(() => wellFormedText('reason', s)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'reason' } }));
      }),
      { numRuns: 500 },
    );
    expect(() => wellFormedText('name', 'a\ud800b')).toThrow('name: must be well-formed Unicode (no lone surrogates)');
    expect(() => wellFormedText('name', 'a\u0000b')).toThrow('name: must not contain control characters');
    expect(() => wellFormedText('name', 'a\u0085b')).toThrow('name: must not contain control characters');
  });

  it('walks input objects and lists at any depth and names the innermost field', () => {
    const value = { items: [{ name: 'e\u0301' }, { tags: ['A\u030a', 3] }], when: new Date(0) };
    expect(wellFormedTextTree('input', value)).toEqual({ items: [{ name: '\u00e9' }, { tags: ['\u00c5', 3] }], when: new Date(0) });
    expect(() => wellFormedTextTree('input', { items: [{ tags: ['ok', 'b\u0000d'] }] })).toThrow('tags: must not contain control characters');
    expect(() => wellFormedTextTree('codes', ['ok', '\udfff'])).toThrow('codes: must be well-formed Unicode (no lone surrogates)');
  });
});

describe('text through GraphQL is stored and read back identical', () => {
  const REGISTER = `mutation($input: RegisterOperatorInput!) { registerOperator(input: $input) { id name } }`;
  const READ_OPERATOR = `query($id: ID!) { operator(id: $id) { name } }`;

  it('an operator name: any accepted name is answered, stored and read back as its NFC form', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormed(), async (name) => {
        const res = ok(await t.gql(REGISTER, { input: { kind: 'STREET_VENDOR', name } }, f.admin)).registerOperator;
        expect(res.name).toBe(stored(name));
        const [row] = await t.sql('select name from operator where id = $1', [Number(res.id)]);
        expect(row.name).toBe(stored(name));
        expect(ok(await t.gql(READ_OPERATOR, { id: res.id }, f.admin)).operator.name).toBe(stored(name));
      }),
      RUNS,
    );
  }, 60_000);

  it('an operator name that breaks the rule is BAD_USER_INPUT naming the field, and nothing is written', async () => {
    const before = await tableCounts();
    await fc.assert(
      fc.asyncProperty(broken(), async (name) => {
        const res = await t.gql(REGISTER, { input: { kind: 'STREET_VENDOR', name } }, f.admin);
        expect(res.data).toBeNull();
        expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'name' }]);
      }),
      RUNS,
    );
    expect(await tableCounts()).toEqual(before);
  }, 60_000);

  it('a product name: accepted names come back identical, broken ones write nothing', async () => {
    const owner = await makeOperator(t, f.admin);
    const READ = `query($id: ID!) { batch(id: $id) { productName } }`;
    await fc.assert(
      fc.asyncProperty(wellFormed(), async (productName) => {
        const batch = await makeBatch(t, f.admin, owner.id, { productName });
        const [row] = await t.sql('select product_name from batch where id = $1', [Number(batch.id)]);
        expect(row.product_name).toBe(stored(productName));
        expect(ok(await t.gql(READ, { id: batch.id }, f.admin)).batch.productName).toBe(stored(productName));
      }),
      { numRuns: 100 },
    );
    const before = await tableCounts();
    await fc.assert(
      fc.asyncProperty(broken(), async (productName) => {
        const res = await t.gql(
          `mutation($input: CreateBatchInput!) { createBatch(input: $input) { id } }`,
          { input: { ownerId: owner.id, productName, category: 'VEGETABLE', lotCode: 'LOT-1', quantity: 1, unit: 'KG', producedAt: '2026-11-01T06:00:00.000Z' } },
          f.admin,
        );
        expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'productName' }]);
      }),
      { numRuns: 100 },
    );
    expect(await tableCounts()).toEqual(before);
  }, 60_000);

  it('a credit reason: accepted reasons (multi-line too) come back identical and the chain still verifies; broken ones write nothing', async () => {
    const op = await makeOperator(t, f.admin);
    const RECORD = `mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { event { seq reason } } }`;
    const NEWEST = `query($id: ID!) { operator(id: $id) { credit { events(first: 1) { edges { node { seq reason } } } } } }`;
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(wellFormed(MULTILINE), async (reason) => {
        const event = ok(await t.gql(RECORD, { input: { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason } }, f.regulator)).recordCreditEvent.event;
        seq += 1;
        expect(event).toEqual({ seq, reason: stored(reason) });
        const [row] = await t.sql('select reason from credit_event where operator_id = $1 and seq = $2', [Number(op.id), seq]);
        expect(row.reason).toBe(stored(reason));
        const newest = ok(await t.gql(NEWEST, { id: op.id }, f.regulator)).operator.credit.events.edges;
        expect(newest).toEqual([{ node: { seq, reason: stored(reason) } }]);
      }),
      RUNS,
    );
    const before = await tableCounts();
    await fc.assert(
      fc.asyncProperty(broken(MULTILINE), async (reason) => {
        const res = await t.gql(RECORD, { input: { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason } }, f.regulator);
        expect(res.data).toBeNull();
        expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: 'reason' }]);
      }),
      RUNS,
    );
    expect(await tableCounts()).toEqual(before);
    // every hash was computed over exactly the text the row holds
    const verified = ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok eventsChecked firstBroken { seq } } }`, { id: op.id }, f.regulator));
    expect(verified.verifyCreditChain).toEqual({ ok: true, eventsChecked: seq, firstBroken: null });
  }, 120_000);

  it('the lone-surrogate reason of the report is refused, and a chain that held one verifies', async () => {
    const op = await makeOperator(t, f.admin);
    const RECORD = `mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { event { seq reason } } }`;
    const bad = await t.gql(RECORD, { input: { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason: 'a\ud800b' } }, f.regulator);
    expect(bad.errors).toEqual([{ message: 'reason: must be well-formed Unicode (no lone surrogates)', path: ['recordCreditEvent'], locations: [{ line: 1, column: 45 }], extensions: { code: 'BAD_USER_INPUT', field: 'reason' } }]);
    ok(await t.gql(RECORD, { input: { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason: 'a\ud83d\ude00b' } }, f.regulator));
    const verified = ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok eventsChecked } }`, { id: op.id }, f.regulator));
    expect(verified.verifyCreditChain).toEqual({ ok: true, eventsChecked: 1 });
  });

  it('checks literals in the document and arguments of nested fields too', async () => {
    const literal = await t.gql(`mutation { registerOperator(input: { kind: STREET_VENDOR, name: "a\\u0000b" }) { id } }`, {}, f.admin);
    expect(literal.errors?.map((e) => [e.message, e.extensions])).toEqual([['name: must not contain control characters', { code: 'BAD_USER_INPUT', field: 'name' }]]);
    const op = await makeOperator(t, f.admin);
    const nested = await t.gql(`query($id: ID!, $after: String) { operator(id: $id) { name credit { events(first: 1, after: $after) { edges { node { seq } } } } } }`, { id: op.id, after: '\u0007' }, f.regulator);
    expect(nested.errors?.map((e) => [e.path, e.extensions])).toEqual([[['operator', 'credit', 'events'], { code: 'BAD_USER_INPUT', field: 'after' }]]);
    expect(await tableCounts()).toEqual({ operator: 1, batch: 0, credit_event: 0 });
  });

  it('keeps single-line fields single-line: a line break in a name is refused, in a reason accepted', async () => {
    const res = await t.gql(REGISTER, { input: { kind: 'STREET_VENDOR', name: 'Li\nnoodles' } }, f.admin);
    expect(res.errors?.map((e) => [e.message, e.extensions])).toEqual([['name: must not contain control characters', { code: 'BAD_USER_INPUT', field: 'name' }]]);
  });
});

describe('bodies and HTTP parameters', () => {
  it('refuses a body that is not valid UTF-8 with 400, and runs nothing', async () => {
    const before = await tableCounts();
    const query = Buffer.from(`{"query":"mutation { registerOperator(input: { kind: STREET_VENDOR, name: \\"a`);
    const payload = Buffer.concat([query, Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(`b\\" }) { id } }"}`)]);
    const res = await t.app.fastify.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${f.admin}` }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_UTF8_BODY', error: 'Bad Request', message: 'The request body is not valid UTF-8' });
    for (const bytes of [[0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf]]) {
      const r = await t.app.fastify.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: Buffer.concat([Buffer.from('{"query":"{ __typename }","x":"'), Buffer.from(bytes), Buffer.from('"}')]) });
      expect(r.statusCode).toBe(400);
    }
    expect(await tableCounts()).toEqual(before);
    // valid UTF-8 with a byte-order mark and astral characters still works
    const good = await t.app.fastify.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: Buffer.from('\ufeff{"query":"{ __typename }","variables":{"x":"🐉"}}') });
    expect([good.statusCode, good.json()]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('answers GET /01/…/10/%00 with 400 in the resolver’s flat shape, not a 500', async () => {
    const res = await t.app.fastify.inject({ method: 'GET', url: '/01/06959805340887/10/%00' });
    expect([res.statusCode, res.json()]).toEqual([400, { error: 'BAD_USER_INPUT', message: 'lot: must not contain control characters' }]);
    const surrogate = await t.app.fastify.inject({ method: 'GET', url: '/qr/a%C2%85b.svg' });
    expect([surrogate.statusCode, surrogate.json()]).toEqual([400, { error: 'BAD_USER_INPUT', message: 'file: must not contain control characters' }]);
  });

  it('answers a page with a control character in its address with a 400 page', async () => {
    for (const url of ['/t/%00', '/o/a%1Bb', '/m/1/board?date=%00', '/gate?x=%07']) {
      const res = await t.app.fastify.inject({ method: 'GET', url, headers: { 'accept-language': 'en' } });
      expect([url, res.statusCode, res.headers['content-type']]).toEqual([url, 400, 'text/html; charset=utf-8']);
      expect(res.body).toContain('This address cannot be read');
    }
  });

  it('answers the regulators’ exports with the nested shape naming the parameter', async () => {
    const res = await t.app.fastify.inject({ method: 'GET', url: '/exports/credit.csv?village=a%00b', headers: { authorization: `Bearer ${f.regulator}` } });
    expect([res.statusCode, res.json()]).toEqual([400, { error: { code: 'BAD_USER_INPUT', message: 'village: must not contain control characters', field: 'village' } }]);
    const epcis = await t.app.fastify.inject({ method: 'GET', url: '/epcis/batches/1.jsonld?direction=%7F', headers: { authorization: `Bearer ${f.regulator}` } });
    expect([epcis.statusCode, epcis.json()]).toEqual([400, { error: { code: 'BAD_USER_INPUT', message: 'direction: must not contain control characters', field: 'direction' } }]);
  });

  it('hands route handlers NFC: a decomposed village filter matches the composed stored one', async () => {
    const op = await makeOperator(t, f.admin, { village: 'Cafe\u0301' });
    expect(await t.sql(`select village from operator`)).toEqual([{ village: 'Caf\u00e9' }]);
    ok(await t.gql(`mutation($input: RecordCreditEventInput!) { recordCreditEvent(input: $input) { event { seq } } }`, { input: { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason: 'Course' } }, f.regulator));
    const rows = async (village: string) => {
      const res = await t.app.fastify.inject({ method: 'GET', url: `/exports/credit.csv?village=${village}`, headers: { authorization: `Bearer ${f.regulator}` } });
      expect(res.statusCode).toBe(200);
      return res.body.trim().split('\n').length - 1;
    };
    expect(await rows('Cafe%CC%81')).toBe(1);
    expect(await rows('Caf%C3%A9')).toBe(1);
    expect(await rows('Cafe')).toBe(0);
  });
});

describe('a Digital Link lot in a gate scan', () => {
  it('is decoded first, then held to the rule: %00 or an encoded control is an unknown code, not a fault', async () => {
    expect(parseScannedCode('https://x/01/06959805340887/10/%00')).toEqual({ kind: 'UNRECOGNISED' });
    expect(parseScannedCode('https://x/01/06959805340887/10/a%C2%9Fb')).toEqual({ kind: 'UNRECOGNISED' });
    expect(parseScannedCode('https://x/01/06959805340887/10/Lot%20e%CC%81')).toEqual({ kind: 'DIGITAL_LINK', gtin: '06959805340887', lot: 'Lot \u00e9' });

    const scene = await makeMarketScene(t, f.admin);
    const SCAN = `mutation($input: GateScanInput!) { scanAtGate(input: $input) { decision reasons { code } } }`;
    const input = { code: 'https://x/01/06959805340887/10/%00', marketId: scene.market, vendorOperatorId: scene.vendor.id, declaredQuantity: 10, unit: 'KG', scanId: 'nul-lot-1' };
    for (let i = 0; i < 2; i++) {
      // the retry replays the stored answer
      const res = ok(await t.gql(SCAN, { input }, scene.gate)).scanAtGate;
      expect(res).toEqual({ decision: 'REJECTED', reasons: [{ code: 'UNKNOWN_CODE' }] });
    }
    expect(await t.sql(`select code_scanned from market_entry`)).toEqual([{ code_scanned: 'https://x/01/06959805340887/10/%00' }]);
  });
});
