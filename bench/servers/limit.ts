import { createServer } from 'node:http';
import { DEFAULT_LIMITS } from '../../src/config';
import { PublicReads } from '../../src/db/public-reads';
import { publicTraceRows } from '../../src/trace/trace.sql';
import { PUBLIC_TRACE_BOUNDS } from '../../src/trace/trace.service';

/**
 * The limit: our own trace statement on our own public-lookup connections (prepared once per connection, read-only,
 * the same statement timeout), its rows answered as JSON by a bare `http` server. No GraphQL, no framework, no
 * validation beyond the code's shape: what is left is the database, the driver and serialisation.
 */
const reads = new PublicReads(process.env.DATABASE_URL!, DEFAULT_LIMITS.publicStatementTimeoutMs);

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://limit');
  const code = url.searchParams.get('code') ?? '';
  if (url.pathname !== '/trace' || !/^[A-Za-z0-9_-]{1,32}$/.test(code)) {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    const nodes = await publicTraceRows(reads, code, PUBLIC_TRACE_BOUNDS);
    if (!nodes.length) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.stringify({ nodes });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  })().catch(() => {
    res.writeHead(500).end();
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ ready: Number(process.env.PORT) }));
process.on('SIGTERM', () => {
  server.close();
  void reads.end().then(() => process.exit(0));
});
