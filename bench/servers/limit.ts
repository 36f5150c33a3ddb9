import { createServer } from 'node:http';
import { Pool } from 'pg';
import { DETAILS_SQL, pgPlaceholders, UPSTREAM_SQL_PG } from '../../src/trace/trace.sql';

/**
 * The limit: our own trace SQL through `pg`, answered as JSON by a bare `http` server.
 * No GraphQL, no ORM, no validation beyond the code's shape: what is left is the database and serialisation.
 */
const DETAILS_PG = pgPlaceholders(DETAILS_SQL);
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://limit');
  const code = url.searchParams.get('code') ?? '';
  if (url.pathname !== '/trace' || !/^[A-Za-z0-9_-]{1,32}$/.test(code)) {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    const { rows: nodes } = await pool.query(UPSTREAM_SQL_PG, [code, 100, 2000]);
    if (!nodes.length) {
      res.writeHead(404).end();
      return;
    }
    const ids = `{${nodes.map((n) => n.id).join(',')}}`;
    const { rows: details } = await pool.query(DETAILS_PG, [ids, ids, ids, ids]);
    const body = JSON.stringify({ nodes, details });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  })().catch(() => {
    res.writeHead(500).end();
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ ready: Number(process.env.PORT) }));
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
