import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { registerCreditExportRoutes } from './credit-export.routes';
import { registerEpcisRoutes } from './epcis.routes';
import { registerPageRoutes } from './pages.routes';
import { registerQrRoutes } from './qr.routes';

export interface WebDeps {
  orm: MikroORM;
  config: Config;
}

/** Every non-GraphQL route: pages, QR images, resolvers for printed links. */
export async function registerRoutes(fastify: FastifyInstance, deps: WebDeps): Promise<void> {
  void fastify;
  void deps;
  await registerPageRoutes(fastify, deps);
  await registerCreditExportRoutes(fastify, deps);
  await registerQrRoutes(fastify, deps);
  await registerEpcisRoutes(fastify, deps);
}
