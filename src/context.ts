import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config';
import type { Viewer } from './auth/viewer';
import { createLoaders, type Loaders } from './loaders';

/** Everything one request may touch; nothing else reaches the database. */
export interface Context {
  em: EntityManager;
  viewer: Viewer;
  loaders: Loaders;
  config: Config;
  clientIp: string | null;
}

export function buildContext(orm: MikroORM, config: Config, viewer: Viewer, clientIp: string | null = null): Context {
  const em = orm.em.fork(); // own identity map per request
  return { em, viewer, loaders: createLoaders(em), config, clientIp };
}
