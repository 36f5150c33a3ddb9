import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { renderCanteenPage } from './canteen.page';
import { renderGatePage } from './gate.page';
import { renderInspectPage } from './inspect.page';
import { langOf, sendBadRequestPage, sendPage } from './page-reply';
import { renderRecallNoticePage } from './recall-notice.page';
import { renderRegulatorPage } from './regulator.page';

/**
 * Page shells whose data comes from GraphQL under the signed-in token: the gate scanner, the field inspection page, the
 * regulator's desk, the canteen page and a recall's notice to those it reached.
 */
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

  fastify.get<{ Params: { id: string } }>('/recall/:id', async (request, reply) => {
    const lang = langOf(request);
    const id = /^[1-9]\d{0,9}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    if (!(id <= 2_147_483_647)) return sendBadRequestPage(reply, lang);
    return sendPage(reply, 200, lang, renderRecallNoticePage(lang, id, config.timeZone));
  });

  fastify.get('/canteen', async (request, reply) => {
    const lang = langOf(request);
    return sendPage(reply, 200, lang, renderCanteenPage(lang, config.timeZone));
  });
}
