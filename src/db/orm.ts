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
    driverOptions: { connection: { statement_timeout: 15000, connectionTimeoutMillis: 3000 } },
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
