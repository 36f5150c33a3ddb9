import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { connectOrm, openOrm } from './db/orm';
import { grantAppRole, withCredentials } from './db/roles';
import { openReadRoute, replicaSettings, type ReadRoute } from './db/read-route';

export interface Database {
  orm: MikroORM;
  embedded: EmbeddedDatabase | null;
  /** The server's own role (the notification queue connects as it). */
  appUrl: string;
  /** The owner that migrates, when it is another role. */
  ownerUrl: string | null;
  /** The streaming replica public lookups read while it keeps up (READ_DATABASE_URL); null without one. */
  readRoute: ReadRoute | null;
  close(): Promise<void>;
}

/** Set by a cluster's primary for its workers: the schema is migrated and DATABASE_URL names the server's role. */
export const SCHEMA_READY_ENV = 'FOODTRACE_SCHEMA_READY';

/** The role the server connects as under the embedded PostgreSQL: it may append to the ledger, never rewrite it. */
export const APP_ROLE = 'foodtrace_app';

/** The app role's password, generated once and kept under the data dir (mode 0600). */
function appRolePassword(dataDir: string): string {
  const file = resolve(dataDir, 'db-app-password');
  if (!existsSync(file)) {
    mkdirSync(resolve(dataDir), { recursive: true });
    writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The server's database, migrations applied by the owner role, the server connected as its own role:
 * - embedded (no DATABASE_URL): the superuser it creates owns and migrates; the server connects as `foodtrace_app`;
 * - DATABASE_URL with DATABASE_OWNER_URL: the owner migrates and grants, the server connects as DATABASE_URL's role;
 * - DATABASE_URL alone: that role migrates and is the server's role (no separation; SECURITY.md).
 */
export async function openDatabase(config: Config, log: (line: string) => void): Promise<Database> {
  if (config.databaseUrl && process.env[SCHEMA_READY_ENV] === '1') {
    // a cluster worker: the primary migrated, granted and started any embedded PostgreSQL
    const orm = await connectOrm({ clientUrl: config.databaseUrl });
    const readRoute = await openReplica(orm, config);
    return {
      orm, embedded: null, appUrl: config.databaseUrl, ownerUrl: null, readRoute,
      async close() {
        await readRoute?.close();
        await orm.close(true);
      },
    };
  }
  let embedded: EmbeddedDatabase | null = null;
  let ownerUrl = config.databaseOwnerUrl;
  let appUrl = config.databaseUrl;
  let appPassword: string | null = null;
  if (!appUrl) {
    log(`DATABASE_URL is not set: starting an embedded PostgreSQL under ${config.dataDir}/pg`);
    // the server stops PostgreSQL itself, last, on Ctrl-C or SIGTERM
    embedded = await startEmbeddedPostgres(config.dataDir, undefined, undefined, { ownStop: true });
    ownerUrl = embedded.url;
    appPassword = appRolePassword(config.dataDir);
    appUrl = withCredentials(embedded.url, APP_ROLE, appPassword);
  }
  try {
    let orm: MikroORM;
    if (ownerUrl) {
      const owner = await openOrm({ clientUrl: ownerUrl, poolMax: 1 });
      await owner.close(true);
      await grantAppRole(ownerUrl, decodeURIComponent(new URL(appUrl).username), appPassword);
      orm = await connectOrm({ clientUrl: appUrl });
    } else {
      log('DATABASE_OWNER_URL is not set: migrations run as DATABASE_URL, which can then rewrite the ledger (see SECURITY.md)');
      orm = await openOrm({ clientUrl: appUrl });
    }
    const readRoute = await openReplica(orm, config);
    return {
      orm,
      embedded,
      appUrl,
      ownerUrl: ownerUrl ?? null,
      readRoute,
      async close() {
        await readRoute?.close();
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

/** The replica of READ_DATABASE_URL, probed against the primary; null without one. */
async function openReplica(orm: MikroORM, config: Config): Promise<ReadRoute | null> {
  const settings = replicaSettings(config);
  return settings ? openReadRoute(orm, settings) : null;
}
