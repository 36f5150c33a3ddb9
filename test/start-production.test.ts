import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A production start fails closed: no database nobody configured, never the demo town. */
describe('starting in production', () => {
  const start = (extra: Record<string, string>, dataDir: string) => {
    const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...extra } as NodeJS.ProcessEnv;
    delete env.DATABASE_URL;
    delete env.PUBLIC_URL;
    delete env.SAMPLING_SECRET;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: join(__dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const output = { text: '' };
    child.stdout.on('data', (d) => (output.text += d));
    child.stderr.on('data', (d) => (output.text += d));
    return { child, exited, output };
  };

  it('refuses to start without DATABASE_URL, saying how to ask for the embedded database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foodtrace-prod-'));
    try {
      const { exited, output } = start({}, dataDir);
      expect(await exited).toBe(2);
      expect(output.text).toBe(
        'Invalid configuration:\n  - NODE_ENV=production needs DATABASE_URL (postgres://…); set EMBEDDED_DATABASE=1 to run the embedded PostgreSQL under DATA_DIR on purpose\n',
      );
      // nothing was started or written
      expect(existsSync(join(dataDir, 'pg'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('with EMBEDDED_DATABASE=1 runs the embedded database but never loads the demo town or prints a token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foodtrace-prod-'));
    const { child, exited, output } = start({ EMBEDDED_DATABASE: '1' }, dataDir);
    try {
      await waitFor(() => /Listening on/.test(output.text) || child.exitCode !== null, 60_000, () => output.text);
      const port = Number(/Listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output.text)![1]);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // the demo town's market (the first ever registered) is not there
      expect((await fetch(`http://127.0.0.1:${port}/m/1/board`)).status).toBe(404);
      expect(output.text).not.toMatch(/demo town|ft_[A-Za-z0-9_-]{20,}/);
      // the sampling secret was generated once, for the owner's eyes only
      const secretFile = join(dataDir, 'sampling-secret');
      expect(readFileSync(secretFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dataDir) && /postgres/.test(l))).toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

async function waitFor(check: () => boolean, ms: number, log: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; output so far:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
