import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeOperator, ok } from './support/factories';

const live = useTestApp({ listen: true });
const { t, f } = live;

function decodePng(bytes: Buffer): { text: string | null; width: number; height: number } {
  const png = PNG.sync.read(bytes);
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return { text: found?.data ?? null, width: png.width, height: png.height };
}

describe('GET /qr/:code.png|.svg', () => {
  it('serves a PNG over HTTP that decodes to exactly the trace URL, and that code traces to the same batch', async () => {
    const farm = await makeOperator(t, f.admin);
    const b = await makeBatch(t, f.admin, farm.id);
    const res = await fetch(`${live.base}/qr/${b.publicCode}.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const decoded = decodePng(Buffer.from(await res.arrayBuffer()));
    expect(decoded).toEqual({ text: `http://foodtrace.test/t/${b.publicCode}`, width: 256, height: 256 });

    const code = new URL(decoded.text!).pathname.split('/')[2];
    const tr = ok(await t.gql(`query($c: String!) { trace(code: $c) { batch { id publicCode } } }`, { c: code })).trace;
    expect(tr.batch).toEqual({ id: b.id, publicCode: b.publicCode });

    // the same ETag again: 304 and no body
    const again = await fetch(`${live.base}/qr/${b.publicCode}.png`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it('clamps the size to 128–1024 pixels and refuses a size that is not a number', async () => {
    const farm = await makeOperator(t, f.admin);
    const b = await makeBatch(t, f.admin, farm.id);
    const sizes: [string, number][] = [['5000', 1024], ['10', 128], ['300', 300]];
    for (const [asked, got] of sizes) {
      const res = await fetch(`${live.base}/qr/${b.publicCode}.png?size=${asked}`);
      const decoded = decodePng(Buffer.from(await res.arrayBuffer()));
      expect([asked, decoded.width, decoded.text]).toEqual([asked, got, `http://foodtrace.test/t/${b.publicCode}`]);
    }
    const bad = await fetch(`${live.base}/qr/${b.publicCode}.png?size=big`);
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'BAD_REQUEST', message: 'size must be a whole number of pixels' }]);
  });

  it('serves SVG with its own ETag', async () => {
    const farm = await makeOperator(t, f.admin);
    const b = await makeBatch(t, f.admin, farm.id);
    const svg = await fetch(`${live.base}/qr/${b.publicCode}.svg?size=128`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const body = await svg.text();
    expect(body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="128" height="128" viewBox="0 0 \d+ \d+" shape-rendering="crispEdges">/);
    const png = await fetch(`${live.base}/qr/${b.publicCode}.png?size=128`);
    expect(svg.headers.get('etag')).not.toBe(png.headers.get('etag'));
  });

  it("encodes an operator's registration card as its /o/ URL", async () => {
    const vendor = await makeOperator(t, f.admin, { kind: 'STREET_VENDOR', creditCode: null });
    const res = await fetch(`${live.base}/qr/${vendor.publicCode}.png`);
    expect(res.status).toBe(200);
    expect(decodePng(Buffer.from(await res.arrayBuffer())).text).toBe(`http://foodtrace.test/o/${vendor.publicCode}`);
  });

  it.each([['an unknown code', '/qr/AAAAAAAAAAAAAAAA.png'], ['a malformed code', '/qr/a%27b.png'], ['another format', '/qr/AAAAAAAAAAAAAAAA.gif']])(
    'answers 404, not an image, for %s',
    async (_name, path) => {
      const res = await fetch(`${live.base}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await res.json()).error).toBe('NOT_FOUND');
    },
  );
});

describe('GS1 Digital Link /01/:gtin/10/:lot', () => {
  it('redirects with 303 to the trace page of the batch, for GTIN-13 and GTIN-14 and an encoded lot', async () => {
    const farm = await makeOperator(t, f.admin);
    const other = await makeOperator(t, f.admin, { kind: 'WHOLESALER' });
    const b = await makeBatch(t, f.admin, farm.id, { gtin: '6901234567892', lotCode: 'APL-7' });
    const child = ok(await t.gql(`mutation($i: TransferBatchInput!) { transferBatch(input: $i) { publicCode lotCode gtin } }`, { i: { batchId: b.id, toOperatorId: other.id, quantity: 5 } }, f.admin)).transferBatch;
    expect([child.lotCode, child.gtin]).toEqual(['APL-7/T1', '06901234567892']);
    const cases: [string, string][] = [
      ['/01/6901234567892/10/APL-7', b.publicCode],
      ['/01/06901234567892/10/APL-7', b.publicCode],
      ['/01/06901234567892/10/APL-7%2FT1', child.publicCode],
    ];
    for (const [path, code] of cases) {
      const res = await fetch(`${live.base}${path}`, { redirect: 'manual' });
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 303, `/t/${code}`]);
    }
  });

  it('answers 400 for a wrong check digit and 404 for an unknown GTIN or lot', async () => {
    const farm = await makeOperator(t, f.admin);
    await makeBatch(t, f.admin, farm.id, { gtin: '6901234567892', lotCode: 'APL-7' });
    const wrong = await fetch(`${live.base}/01/6901234567893/10/APL-7`, { redirect: 'manual' });
    expect([wrong.status, (await wrong.json()).message]).toEqual([400, 'GTIN must be 8, 12, 13 or 14 digits with a valid GS1 check digit']);
    for (const path of ['/01/6901234567892/10/APL-8', '/01/96385074/10/APL-7']) {
      const res = await fetch(`${live.base}${path}`, { redirect: 'manual' });
      expect([path, res.status]).toEqual([path, 404]);
    }
  });
});
