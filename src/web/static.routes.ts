import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

interface Asset {
  body: Buffer;
  /** Compressed once at start; the jsQR decoder shrinks from about 250 kB to a quarter. */
  gzip: Buffer;
  type: string;
  etag: string;
}

const SCRIPT = 'text/javascript; charset=utf-8';

/** Assets sit next to the sources; a compiled build under dist/ reads them from src/. */
function assetDir(): string {
  const here = path.join(__dirname, 'assets');
  return existsSync(here) ? here : path.resolve(__dirname, '../../../src/web/assets');
}

function assetOf(body: Buffer, type: string): Asset {
  return { body, gzip: gzipSync(body, { level: 9 }), type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

function asset(file: string, type: string): Asset {
  return assetOf(readFileSync(file), type);
}

/**
 * The graphql-ws library's browser client (an ES module) and the one chunk it imports, which the package names by a
 * content hash: the import is pointed at the name we serve it under.
 */
function graphqlWsClient(): { client: Asset; common: Asset } {
  const dist = path.dirname(require.resolve('graphql-ws'));
  const source = readFileSync(path.join(dist, 'client.js'), 'utf8');
  const chunk = /from '\.\/(common-[A-Za-z0-9_-]+\.js)'/.exec(source);
  if (!chunk) throw new Error('graphql-ws: the browser client no longer imports one common chunk');
  return {
    client: assetOf(Buffer.from(source.split(`'./${chunk[1]}'`).join(`'/static/graphql-ws-common.js'`)), SCRIPT),
    common: asset(path.join(dist, chunk[1]), SCRIPT),
  };
}

/** Every file served under /static/, read once at start; nothing else on disk is reachable. */
function assetTable(): Record<string, Asset> {
  const dir = assetDir();
  const wsClient = graphqlWsClient();
  return {
    'site.css': asset(path.join(dir, 'site.css'), 'text/css; charset=utf-8'),
    // the printed certificate and delivery note: label size on paper, nothing but the label
    'label.css': asset(path.join(dir, 'label.css'), 'text/css; charset=utf-8'),
    // the year's self-assessment report: A4 on paper
    'assessment.css': asset(path.join(dir, 'assessment.css'), 'text/css; charset=utf-8'),
    // the request, sign-in and offline-queue plumbing the gate, the inspection page and the desk share (an ES module they import)
    'client.js': asset(path.join(dir, 'client.js'), SCRIPT),
    'gate.js': asset(path.join(dir, 'gate.js'), SCRIPT),
    // one service worker for the field pages, served under each page's name (it reads which page from it)
    'gate-sw.js': asset(path.join(dir, 'page-sw.js'), SCRIPT),
    'inspect.js': asset(path.join(dir, 'inspect.js'), SCRIPT),
    'inspect-sw.js': asset(path.join(dir, 'page-sw.js'), SCRIPT),
    'regulator.js': asset(path.join(dir, 'regulator.js'), SCRIPT),
    // the desk's incidents panel and live alerts, and the graphql-ws client they subscribe with
    'desk-incidents.js': asset(path.join(dir, 'desk-incidents.js'), SCRIPT),
    'live-notices.js': asset(path.join(dir, 'live-notices.js'), SCRIPT),
    'gate-recalls.js': asset(path.join(dir, 'gate-recalls.js'), SCRIPT),
    'graphql-ws.js': wsClient.client,
    'graphql-ws-common.js': wsClient.common,
    'canteen.js': asset(path.join(dir, 'canteen.js'), SCRIPT),
    'recall-notice.js': asset(path.join(dir, 'recall-notice.js'), SCRIPT),
    // the camera fallback where the browser has no BarcodeDetector; served by us, never from a CDN
    'jsQR.js': asset(require.resolve('jsqr/dist/jsQR.js'), SCRIPT),
  };
}

/** `GET /static/:name`: the stylesheet and scripts, with an etag (304 on a match) and gzip when asked for. */
export async function registerStaticRoutes(fastify: FastifyInstance): Promise<void> {
  const assets = assetTable();

  fastify.get<{ Params: { name: string } }>('/static/:name', async (request, reply) => {
    const a = Object.prototype.hasOwnProperty.call(assets, request.params.name) ? assets[request.params.name] : undefined;
    if (!a) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    reply.header('etag', a.etag).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff');
    // a field page's service worker lives with the other assets but looks after its page (/gate, /inspect)
    const worker = /^([a-z]+)-sw\.js$/.exec(request.params.name);
    if (worker) reply.header('service-worker-allowed', `/${worker[1]}`).header('cache-control', 'no-cache');
    reply.header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === a.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.type(a.type).header('content-encoding', 'gzip').send(a.gzip);
    return reply.type(a.type).send(a.body);
  });
}
