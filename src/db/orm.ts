import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from './migrations';

export interface OrmOptions {
  clientUrl: string;
  /** Tests only: lets fixtures use the global EntityManager. */
  allowGlobalContext?: boolean;
  /** Receives every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  poolMax?: number;
  /** Client-side limits (tests shorten them); defaults in POOL_TIMEOUTS. */
  timeouts?: Partial<PoolTimeouts>;
}

/**
 * Every connection: the server ends a statement after 15 s and a transaction left idle (a stalled export, a crashed
 * request) after 60 s; the client gives up on an answer after 20 s even when the server or network is gone silent, and
 * TCP keepalive finds a dead peer.
 */
export const POOL_TIMEOUTS: Readonly<PoolTimeouts> = Object.freeze({ statementMs: 15_000, queryMs: 20_000, idleInTransactionMs: 60_000, keepAliveDelayMs: 10_000 });

export interface PoolTimeouts {
  statementMs: number;
  queryMs: number;
  idleInTransactionMs: number;
  keepAliveDelayMs: number;
}

export function ormConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    allowGlobalContext: options.allowGlobalContext ?? false,
    forceUtcTimezone: true,
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: 5000, idleTimeoutMillis: 10000 },
    driverOptions: { connection: connectionOptions({ ...POOL_TIMEOUTS, ...options.timeouts }) },
    migrations: {
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      tableName: 'mikro_orm_migrations',
    },
    debug: options.onQuery ? ['query'] : false,
    logger: options.onQuery ?? (() => undefined),
  };
}

function connectionOptions(t: PoolTimeouts) {
  return {
    statement_timeout: t.statementMs,
    query_timeout: t.queryMs,
    idle_in_transaction_session_timeout: t.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: t.keepAliveDelayMs,
    connectionTimeoutMillis: 3000,
  };
}

/** Connects and applies every pending migration. */
export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(options));
  await orm.getMigrator().up();
  return orm;
}

/** Connects without migrating: the server's own role, when the owner ran the migrations. */
export function connectOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}
