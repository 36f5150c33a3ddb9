import 'reflect-metadata';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { benchToken, copyDatabase, DATASET_DB, databaseUrl, dropDatabase, withAdmin } from './lib/db';
import { peakRssMiB, resetPeakRss, rssMiB, startTs, type Server } from './lib/servers';

/**
 * `npm run bench:exchange`: the data exchange at county scale, on a copy of the benchmark data set (so the indexes of
 * the current migrations are there and the imports have somewhere to go; the copy is dropped at the end):
 * - the FSMA 204 spreadsheet, CSV and XLSX, of a 30-day range and of one product over its whole history;
 * - the registry export;
 * - a 100,000-line lot import (half of the lots with a certificate), dry run and real run, and the same file again.
 * Each is one request to our server in its own process; seconds are wall time to the last byte, peak RSS is the
 * server's resident peak during that request (reset before it, Linux VmHWM).
 */

const PORT = Number(process.env.BENCH_EXCHANGE_PORT ?? '4731');
const COPY_DB = `${DATASET_DB}_exchange`;
const RANGE = { from: '2026-10-22T00:00:00Z', to: '2026-11-21T00:00:00Z' };
const PRODUCT = '菠菜 Spinach';
const IMPORT_LINES = 100_000;
const TMP = join(__dirname, 'results', 'exchange-tmp');

const say = (line: string) => console.log(`[bench:exchange] ${line}`);

interface Row {
  case: string;
  rows: number | null;
  seconds: number;
  megabytes: number;
  peakRssMiB: number;
  baseRssMiB: number;
  note?: string;
}

async function main(): Promise<void> {
  const started = new Date();
  const loadAtStart = loadavg().map((x) => x.toFixed(2)).join(' ');
  say(`copying ${DATASET_DB} to ${COPY_DB}`);
  const copyStart = Date.now();
  await withAdmin((c) => copyDatabase(c, DATASET_DB, COPY_DB));
  const copySeconds = (Date.now() - copyStart) / 1000;
  const url = databaseUrl(COPY_DB);
  mkdirSync(TMP, { recursive: true });
  const rows: Row[] = [];
  let server: Server | null = null;
  try {
    // the server applies the pending migrations (the spreadsheet's time indexes) to the copy as it starts
    const startAt = Date.now();
    server = await startTs('ours', 'bench/servers/ours.ts', PORT, url);
    say(`server up in ${((Date.now() - startAt) / 1000).toFixed(1)} s`);
    const regulator = benchToken('regulator');
    const admin = benchToken('admin');
    const pid = server.child.pid!;

    const range = `from=${RANGE.from}&to=${RANGE.to}`;
    const product = `product=${encodeURIComponent(PRODUCT)}`;
    for (const [name, path] of [
      ['FSMA 204 CSV, 30-day range', `/exports/fsma204/events.csv?${range}`],
      ['FSMA 204 XLSX, 30-day range', `/exports/fsma204/events.xlsx?${range}`],
      [`FSMA 204 CSV, one product (${PRODUCT}), whole history`, `/exports/fsma204/events.csv?${product}`],
      [`FSMA 204 XLSX, one product (${PRODUCT}), whole history`, `/exports/fsma204/events.xlsx?${product}`],
      ['registry export CSV', '/exports/registry.csv'],
    ] as const) {
      rows.push(await download(name, `${server.url}${path}`, regulator, pid));
    }

    const owners = await ownerCodes(url);
    const file = join(TMP, 'lots.csv');
    writeFileSync(file, lotsCsv(owners, IMPORT_LINES));
    for (const [name, query] of [
      [`import ${IMPORT_LINES.toLocaleString('en')} lots, dry run`, '?dryRun=true'],
      [`import ${IMPORT_LINES.toLocaleString('en')} lots`, ''],
      [`import the same ${IMPORT_LINES.toLocaleString('en')} lots again (all existing)`, ''],
    ] as const) {
      rows.push(await upload(name, `${server.url}/imports/lots${query}`, file, admin, pid));
    }
    const [{ lots, certificates }] = await sql<{ lots: number; certificates: number }>(url,
      `select (select count(*)::int from batch where lot_code like 'IMP-%') as lots,
              (select count(*)::int from origin_certificate c join batch b on b.id = c.batch_id where b.lot_code like 'IMP-%') as certificates`);
    say(`imported lots in the copy: ${lots}, their certificates: ${certificates}`);
    if (lots !== IMPORT_LINES || certificates !== IMPORT_LINES / 2) throw new Error(`the import left ${lots} lots and ${certificates} certificates`);
  } finally {
    await server?.stop();
    rmSync(TMP, { recursive: true, force: true });
    if (!process.env.BENCH_KEEP_COPY) await withAdmin((c) => dropDatabase(c, COPY_DB));
  }

  const env = {
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres: tryRun('psql', [databaseUrl(DATASET_DB), '-Atc', 'show server_version']),
    commit: tryRun('git', ['-C', join(__dirname, '..'), 'rev-parse', '--short', 'HEAD']),
    loadAverage: `${loadAtStart} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`,
    copySeconds: copySeconds.toFixed(1),
  };
  const report = render(started, env, rows);
  console.log(`\n${report}`);
  const dir = join(__dirname, 'results');
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(dir, `exchange-${stamp}.md`), report);
  writeFileSync(join(dir, `exchange-${stamp}.json`), JSON.stringify({ started, env, rows }, null, 2));
  say(`written bench/results/exchange-${stamp}.md and .json`);
}

/** One export, read to its last byte as it streams; CSV rows counted as they pass, an XLSX's from the saved file. */
async function download(name: string, url: string, token: string, pid: number): Promise<Row> {
  say(name);
  const baseRssMiB = rssMiB(pid);
  resetPeakRss(pid);
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  const xlsx = (res.headers.get('content-type') ?? '').includes('spreadsheetml');
  let bytes = 0;
  let lines = 0;
  const file = join(TMP, 'download');
  const out = xlsx ? createWriteStream(file) : null;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    if (out) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    } else {
      for (const b of chunk) if (b === 0x0a) lines++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak = peakRssMiB(pid);
  if (out) await new Promise<void>((r) => out.end(r));
  const rows = out ? await xlsxRows(file) : lines - 1;
  const row = { case: name, rows, seconds, megabytes: bytes / 2 ** 20, peakRssMiB: peak, baseRssMiB, note: res.headers.get('transfer-encoding') === 'chunked' ? 'chunked' : undefined };
  say(`  ${rows} rows, ${seconds.toFixed(2)} s, ${row.megabytes.toFixed(1)} MiB, server peak RSS ${peak.toFixed(0)} MiB (before ${baseRssMiB.toFixed(0)} MiB)`);
  return row;
}

/** Data rows of the first sheet, read with the streaming reader (the harness's memory is not what is measured). */
async function xlsxRows(file: string): Promise<number> {
  let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  for await (const sheet of reader) {
    for await (const _row of sheet as AsyncIterable<unknown>) n++;
    break;
  }
  return n - 1;
}

async function upload(name: string, url: string, file: string, token: string, pid: number): Promise<Row> {
  say(name);
  const baseRssMiB = rssMiB(pid);
  resetPeakRss(pid);
  const t0 = process.hrtime.bigint();
  const body = Readable.toWeb(createReadStream(file)) as unknown as BodyInit;
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body, duplex: 'half' } as RequestInit);
  const report = (await res.json()) as { rows: number; created: number; existing: number; refused: number; committed: boolean; error?: unknown };
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak = peakRssMiB(pid);
  if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(report).slice(0, 500)}`);
  const note = `created ${report.created}, existing ${report.existing}, refused ${report.refused}, committed ${report.committed}`;
  let bytes = 0;
  await pipeline(createReadStream(file), async function* (chunks: AsyncIterable<Buffer>) {
    for await (const c of chunks) bytes += c.length;
  });
  say(`  ${report.rows} rows, ${seconds.toFixed(2)} s, server peak RSS ${peak.toFixed(0)} MiB (before ${baseRssMiB.toFixed(0)} MiB): ${note}`);
  return { case: name, rows: report.rows, seconds, megabytes: bytes / 2 ** 20, peakRssMiB: peak, baseRssMiB, note };
}

/** Credit codes of active operators of the data set: the import's owners. */
async function ownerCodes(url: string): Promise<string[]> {
  const rows = await sql<{ code: string }>(url, `select credit_code as code from operator where credit_code is not null and status = 'ACTIVE' order by id limit 2000`);
  if (!rows.length) throw new Error('no operator with a credit code in the data set');
  return rows.map((r) => r.code);
}

/** `n` lot lines over the owners; every other lot carries a self-test certificate for part of it. */
function lotsCsv(owners: string[], n: number): string {
  const lines = ['owner,productName,category,lotCode,quantity,unit,producedAt,originPlace,certificateBases,certificateQuantity'];
  for (let i = 0; i < n; i++) {
    const certified = i % 2 === 0;
    lines.push(`${owners[i % owners.length]},Spinach,VEGETABLE,IMP-${i},${20 + (i % 50)},KG,2026-11-${String(1 + (i % 20)).padStart(2, '0')},Field ${i % 37},${certified ? 'SELF_TEST,15' : ','}`);
  }
  return `${lines.join('\n')}\n`;
}

function render(started: Date, env: Record<string, string>, rows: Row[]): string {
  const out = [
    `# Exchange benchmark ${started.toISOString()}`,
    '',
    ...Object.entries(env).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '| case | rows | seconds | MiB sent | server peak RSS MiB (before) | note |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.case} | ${r.rows?.toLocaleString('en') ?? ''} | ${r.seconds.toFixed(2)} | ${r.megabytes.toFixed(1)} | ${r.peakRssMiB.toFixed(0)} (${r.baseRssMiB.toFixed(0)}) | ${r.note ?? ''} |`),
    '',
  ];
  return out.join('\n');
}

function tryRun(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

main().catch((e) => {
  console.error('[bench:exchange] failed:', e);
  process.exit(1);
});
