import { spawn, type ChildProcess } from 'node:child_process';

// the primary and its replica are the benchmark's too (bench/run.ts, the scale-out cases)
export { freePort, postgresBin, startPrimaryAndReplica, type PgPair } from '../../bench/lib/pg-pair';

export interface AppProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  /** Resolves when the output matches `pattern` (or rejects with the output after `ms`). */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

/** `node src/main.ts` with `env` added, its output kept. */
export function startApp(root: string, port: number, env: Record<string, string>): AppProcess {
  const childEnv = { ...process.env, ...env, PORT: String(port) } as NodeJS.ProcessEnv;
  delete childEnv.PUBLIC_URL;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    port,
    exited,
    output: () => out,
    async waitFor(pattern, ms) {
      const end = Date.now() + ms;
      for (;;) {
        const found = pattern.exec(out);
        if (found) return found;
        if (Date.now() > end || child.exitCode !== null) throw new Error(`no ${pattern} in the output:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
