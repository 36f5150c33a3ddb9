import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.js');

/** Runs the layering check in `cwd`; its exit code and the violations it printed. */
async function layering(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(CLI, ['src', '--config', CONFIG, '--output-type', 'err'], { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

/** A throw-away tree with the given files under it (and a tsconfig, as the check reads one). */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ft-layering-'));
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node' } }));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('layering: imports point down', () => {
  const made: string[] = [];
  afterAll(async () => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

  it('holds for the tree as it is', async () => {
    const result = await layering(ROOT);
    expect(result.out).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  }, 60_000);

  it('fails on a domain module importing a resolver, a GraphQL class, or a module of a higher domain', async () => {
    const dir = await tree({
      'src/resolvers/batch.resolver.ts': 'export const resolver = 1;\n',
      'src/schema/batch.type.ts': 'export class BatchType {}\n',
      'src/gate/gate.service.ts': 'export const scan = 1;\n',
      'src/trace/trace.service.ts': [
        "import { resolver } from '../resolvers/batch.resolver';",
        "import { BatchType } from '../schema/batch.type';",
        "import { scan } from '../gate/gate.service';",
        'export const all = [resolver, BatchType, scan];',
        '',
      ].join('\n'),
    });
    made.push(dir);
    const result = await layering(dir);
    expect(result.code).not.toBe(0);
    const violations = result.out.split('\n').filter((l) => /^\s*error /.test(l)).map((l) => l.trim()).sort();
    expect(violations).toEqual([
      'error domain-speaks-its-own-types: src/trace/trace.service.ts → src/schema/batch.type.ts',
      'error imports-point-down:trace: src/trace/trace.service.ts → src/gate/gate.service.ts',
      'error imports-point-down:trace: src/trace/trace.service.ts → src/resolvers/batch.resolver.ts',
    ]);
  }, 60_000);

  it('keeps a *.model.ts file at the bottom: it may not import a service', async () => {
    const dir = await tree({
      'src/credit/ledger.service.ts': 'export const append = 1;\n',
      'src/credit/credit.model.ts': "import { append } from './ledger.service';\nexport type Credit = { n: typeof append };\n",
      'src/schema/credit.type.ts': "import type { Credit } from '../credit/credit.model';\nexport type CreditType = Credit;\n",
    });
    made.push(dir);
    const result = await layering(dir);
    const violations = result.out.split('\n').filter((l) => /^\s*error /.test(l)).map((l) => l.trim());
    expect(violations).toEqual(['error models-are-the-bottom: src/credit/credit.model.ts → src/credit/ledger.service.ts']);
    expect(result.code).not.toBe(0);
  }, 60_000);
});
