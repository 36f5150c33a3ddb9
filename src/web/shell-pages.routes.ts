import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { renderCanteenPage } from './canteen.page';
import { renderGatePage } from './gate.page';
import { renderInspectPage } from './inspect.page';
import { langOf, sendPage } from './page-reply';
import { renderRegulatorPage } from './regulator.page';

/** Page shells whose data comes from GraphQL under the signed-in token: the gate scanner, the field inspection page and the regulator's desk. */
export async function registerShellPageRoutes(fastify: FastifyInstance, config: Pick<Config, 'timeZone'>): Promise<void> {
  fastify.get('/gate', async (request, reply) => {
    const lang = langOf(request);
    return sendPage(reply, 200, lang, renderGatePage(lang));
  });

  fastify.get('/inspect', async (request, reply) => {
    const lang = langOf(request);
    return sendPage(reply, 200, lang, renderInspectPage(lang));
  });

  fastify.get('/regulator', async (request, reply) => {
    const lang = langOf(request);
    return sendPage(reply, 200, lang, renderRegulatorPage(lang, config.timeZone));
  });

  fastify.get('/canteen', async (request, reply) => {
    const lang = langOf(request);
    return sendPage(reply, 200, lang, renderCanteenPage(lang, config.timeZone));
  });
}
