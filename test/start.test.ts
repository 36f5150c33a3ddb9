import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm start` on a machine with nothing but Node: embedded database, demo town, clean stop. */
describe('starting the server on an embedded database', () => {
  it('serves the seeded town over GraphQL and stops cleanly on SIGINT, PostgreSQL last, leaving none behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foodtrace-start-'));
    const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv;
    delete env.DATABASE_URL;
    delete env.PUBLIC_URL;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: join(__dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      await waitFor(() => /Try a trace/.test(out) || child.exitCode !== null, 60_000, () => out);
      const regulator = /REGULATOR\s+(ft_\S+)/.exec(out)![1];
      const port = Number(/Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
      expect(out).toMatch(/Try a trace: http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]{16}/);
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${regulator}` },
        body: JSON.stringify({ query: '{ operators(first: 100, filter: { kind: DAIRY_FARM }) { edges { node { name kind } } } }' }),
      });
      expect(await res.json()).toEqual({ data: { operators: { edges: [{ node: { name: '青山牧场 Qingshan Dairy', kind: 'DAIRY_FARM' } }] } } });
    } finally {
      child.kill('SIGINT');
      const code = await exited;
      if (code !== 0) console.log(out);
      expect(code).toBe(0);
      // the server's own stop ran to its end: PostgreSQL was stopped last, under no connection still in use
      expect(out).toContain('SIGINT: finishing requests in flight, then stopping');
      expect(out.split('\n').filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
      expect(postgresProcessesFor(dataDir)).toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

function postgresProcessesFor(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(dir) && /postgres/.test(line));
}

async function waitFor(check: () => boolean, ms: number, log: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; output so far:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
