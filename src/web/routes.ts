import type { FastifyInstance } from 'fastify';
import { registerAssessmentRoutes } from './assessment.routes';
import { registerBanquetRoutes } from './banquet.routes';
import { registerCreditExportRoutes } from './credit-export.routes';
import { registerDeskRoutes } from './desk.routes';
import { registerEpcisRoutes } from './epcis.routes';
import { registerExchangeRoutes } from './exchange.routes';
import { registerLedgerRoutes } from './ledger.routes';
import { registerPublicPageRoutes } from './public-pages.routes';
import { registerQrRoutes } from './qr.routes';
import { registerReportRoutes } from './report.routes';
import type { WebDeps } from './request-context';
import { registerShellPageRoutes } from './shell-pages.routes';
import { registerStaticRoutes } from './static.routes';
import { registerSupervisionRoutes } from './supervision.routes';

/** Every non-GraphQL route: static assets, pages, QR images, resolvers for printed links, regulators' exports. */
export async function registerRoutes(fastify: FastifyInstance, deps: WebDeps): Promise<void> {
  await registerStaticRoutes(fastify);
  await registerPublicPageRoutes(fastify);
  await registerShellPageRoutes(fastify, deps.config);
  await registerCreditExportRoutes(fastify, deps);
  await registerQrRoutes(fastify, deps);
  await registerEpcisRoutes(fastify, deps);
  await registerExchangeRoutes(fastify, deps);
  await registerLedgerRoutes(fastify, deps);
  await registerSupervisionRoutes(fastify, deps);
  await registerBanquetRoutes(fastify);
  await registerReportRoutes(fastify, deps);
  await registerAssessmentRoutes(fastify, deps);
  await registerDeskRoutes(fastify);
}
