import type { FastifyInstance } from 'fastify';
import { registerCreditExportRoutes } from './credit-export.routes';
import { registerEpcisRoutes } from './epcis.routes';
import { registerPageRoutes } from './pages.routes';
import { registerQrRoutes } from './qr.routes';
import type { WebDeps } from './request-context';

/** Every non-GraphQL route: pages, QR images, resolvers for printed links. */
export async function registerRoutes(fastify: FastifyInstance, deps: WebDeps): Promise<void> {
  await registerPageRoutes(fastify, deps);
  await registerCreditExportRoutes(fastify, deps);
  await registerQrRoutes(fastify, deps);
  await registerEpcisRoutes(fastify, deps);
}
