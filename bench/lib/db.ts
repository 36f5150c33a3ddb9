import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** The server the benchmark data lives on: DATABASE_URL's server, else the local PostgreSQL. */
export function adminUrl(): string {
  const base = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = '/postgres';
  return url.toString();
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** The loaded data set; never served directly, so it stays as generated. */
export const DATASET_DB = process.env.BENCH_DATABASE ?? 'foodtrace_bench';
/** A per-run copy of the data set: gate scans and the recall write to it, and it is dropped afterwards. */
export const RUN_DB = `${DATASET_DB}_run`;

export async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  await client.query(`drop database if exists ${ident(name)}`);
}

/** A fresh copy of `template` (a file-level copy: seconds, not a reload). */
export async function copyDatabase(client: Client, template: string, name: string): Promise<void> {
  await dropDatabase(client, name);
  await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [template]);
  await client.query(`create database ${ident(name)} template ${ident(template)}`);
}

/**
 * The bench accounts' bearer tokens are derived from their names, so the harness can sign in
 * without the generator handing anything over. They exist only in the benchmark database.
 */
export function benchToken(name: string): string {
  return `ft_${createHash('sha256').update(`foodtrace-bench:${name}`).digest('base64url').slice(0, 43)}`;
}
