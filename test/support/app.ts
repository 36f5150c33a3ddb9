import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { loadConfig, type Config } from '../../src/config';
import { ensureDatabase } from '../../src/db/embedded';
import { SEED_CHECKLISTS } from '../../src/db/migrations/checklists-v1';
import { connectOrm, openOrm } from '../../src/db/orm';
import { grantAppRole, withCredentials } from '../../src/db/roles';
import { createApp, type App, type AppOptions } from '../../src/server';

export interface GqlResult<T = any> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown }; path?: unknown[] }[];
}

export interface TestApp {
  orm: MikroORM;
  app: App;
  config: Config;
  url: string;
  /** Every SQL statement the ORM sent, in order. */
  statements: string[];
  /** POSTs a GraphQL operation through the real HTTP stack (inject). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** Runs `fn` and returns how many SQL statements it sent. */
  countStatements(fn: () => Promise<unknown>): Promise<number>;
  /** Empties every table (schema kept). */
  reset(): Promise<void>;
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

let databaseUrlPromise: Promise<string> | null = null;

/** This jest worker's own database, migrated once. */
export function workerDatabaseUrl(suffix = ''): Promise<string> {
  const build = async () => {
    const admin = process.env.FOODTRACE_TEST_ADMIN_URL;
    if (!admin) throw new Error('FOODTRACE_TEST_ADMIN_URL is not set (jest globalSetup did not run)');
    const name = `ft_test_${process.env.FOODTRACE_TEST_RUN ?? process.pid}_${process.env.JEST_WORKER_ID ?? '0'}${suffix}`;
    await ensureDatabase(admin, name);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return url.toString();
  };
  if (suffix) return build();
  databaseUrlPromise ??= build();
  return databaseUrlPromise;
}

/** The role test apps connect as with `appRole`: cluster-wide, so one name and password for every worker. */
export const TEST_APP_ROLE = 'foodtrace_app_test';
const TEST_APP_PASSWORD = 'foodtrace-app-test';

const TABLES = [
  // the outbox is not tied to an account: events a previous test left undelivered would reach this test's accounts
  'notification_outbox',
  'plan_progress', 'plan_item', 'training_attendee', 'training',
  // shared rate-limit budgets (RATE_LIMIT_STORE=postgres): each test starts with full ones
  'rate_counter',
  'exchange_identifier', 'epcis_event', 'epcis_capture', 'rectification_order', 'field_inspection', 'field_photo', 'checkpoint', 'credit_appeal', 'recall',
  'credit_event', 'inspection', 'market_entry', 'origin_certificate', 'batch_link', 'batch', 'account', 'market', 'operator',
];

/**
 * A test app on this worker's database. With `appRole` the database's owner (the admin) migrates and grants, and the
 * app connects as TEST_APP_ROLE, as the server does in production; `t.sql` always runs as the owner.
 */
export async function createTestApp(
  overrides: Partial<Config> = {}, options: AppOptions & { poolMax?: number; appRole?: boolean; viewerCache?: boolean } = {},
): Promise<TestApp> {
  const url = await workerDatabaseUrl();
  const statements: string[] = [];
  let orm: MikroORM;
  const ormOptions = { allowGlobalContext: true, onQuery: (sql: string) => statements.push(sql), poolMax: options.poolMax };
  if (options.appRole) {
    await (await openOrm({ clientUrl: url, poolMax: 1 })).close(true);
    await grantAppRole(url, TEST_APP_ROLE, TEST_APP_PASSWORD);
    orm = await connectOrm({ clientUrl: withCredentials(url, TEST_APP_ROLE, TEST_APP_PASSWORD), ...ormOptions });
  } else {
    orm = await openOrm({ clientUrl: url, ...ormOptions });
  }
  const config: Config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://foodtrace.test' }), ...overrides };
  // tests change accounts behind the server's back (SQL): each request reads its token, unless a test is about the cache
  if (!options.viewerCache) config.limits = { ...config.limits, viewerCacheMs: 0 };
  // the public lookups' pool speaks to PostgreSQL on its own: its statements are counted too
  // every document compiled at its first run, so the whole suite runs on the compiled executor
  const app = await createApp(orm, config, {
    onPublicQuery: (name) => statements.push(`[public] ${name}`), compiledExecutor: { compileAfter: 1, maxCompiled: 500 }, ...options,
  });
  await app.fastify.ready();
  const admin = new Client({ connectionString: url });
  await admin.connect();

  const t: TestApp = {
    orm,
    app,
    config,
    url,
    statements,
    async gql(query, variables = {}, token = null) {
      const res = await app.fastify.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        payload: JSON.stringify({ query, variables }),
      });
      const body = res.json();
      return { status: res.statusCode, data: body.data ?? null, errors: body.errors };
    },
    async countStatements(fn) {
      const before = statements.length;
      await fn();
      // transaction control, including the bounds of a public lookup, is not a query
      return statements.slice(before).filter((s) => !/^\s*\[query\]\s*(begin|commit|rollback|start transaction|set local statement_timeout)/i.test(strip(s))).length;
    },
    async reset() {
      // the seeded checklists (version 1 of the seeded kinds) stay; a version or a kind a test added goes, so the next test sees the seed
      await admin.query(`set session_replication_role = replica; truncate ${TABLES.join(', ')} restart identity cascade; alter sequence registration_card_seq restart; alter sequence received_lot_serial restart`);
      await admin.query('delete from checklist_template where version > 1 or operator_kind <> all($1::text[])', [SEED_CHECKLISTS.map((c) => c.kind)]);
      await admin.query('set session_replication_role = origin');
      // and the queue's jobs for them, where a test app started the queue
      await admin.query(`do $$ begin if to_regclass('pgboss.job') is not null then truncate pgboss.job; end if; end $$`);
      statements.length = 0;
    },
    async sql(text, params = []) {
      return (await admin.query(text, params)).rows;
    },
    async close() {
      await admin.end();
      await app.fastify.close();
      await orm.close(true);
    },
  };
  await t.reset();
  return t;
}

function strip(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
