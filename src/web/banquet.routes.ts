import type { FastifyInstance } from 'fastify';
import { fileBanquet } from '../banquet/banquet.service';
import type { BanquetKind, Meal } from '../entities/enums';
import { AppError } from '../errors';
import { wellFormedText } from '../validation';
import { renderBanquetFiled, renderBanquetForm, type BanquetForm } from './banquet.page';
import { langOf, sendPage, sendPageFailure } from './page-reply';

const FIELDS = ['hostName', 'hostPhone', 'village', 'kind', 'heldOn', 'meal', 'guests', 'tablesCount', 'venue', 'menu', 'chefs', 'ingredients'];
const MAX_FORM_BYTES = 64 * 1024;

/** `name, rest` per non-blank line: the part before the first comma, and what follows it (or null). */
function lines(text: string): { name: string; rest: string | null }[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
    const at = l.search(/[,，]/);
    return at < 0 ? { name: l, rest: null } : { name: l.slice(0, at).trim(), rest: l.slice(at + 1).trim() || null };
  });
}

const whole = (s: string | undefined) => (s && /^\d{1,9}$/.test(s.trim()) ? Number(s.trim()) : s?.trim() ? NaN : null);

/**
 * The public banquet filing: `GET /banquet` the form, `POST /banquet` (a plain HTML form, so it works without
 * script on any phone) files it and answers with the filing number and the warnings. Both draw from the public
 * budget of the address (`limits/rate-limits.ts`).
 */
export async function registerBanquetRoutes(fastify: FastifyInstance): Promise<void> {
  await fastify.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_request, body, done) => {
      try {
        const form: BanquetForm = {};
        for (const [k, v] of new URLSearchParams(body as string)) if (FIELDS.includes(k) && !(k in form)) form[k] = wellFormedText(k, v);
        done(null, form);
      } catch {
        done(Object.assign(new Error('The form holds text that cannot be read'), { statusCode: 400 }), undefined);
      }
    });

    scope.get('/banquet', async (request, reply) => sendPage(reply, 200, langOf(request), renderBanquetForm(langOf(request))));

    scope.post('/banquet', async (request, reply) => {
      const lang = langOf(request);
      const form = (request.body && typeof request.body === 'object' ? request.body : {}) as BanquetForm;
      try {
        const guests = whole(form.guests);
        const tablesCount = whole(form.tablesCount);
        const banquet = await fileBanquet(request.publicContext(), {
          hostName: form.hostName ?? '', hostPhone: form.hostPhone ?? '', village: form.village ?? '', kind: (form.kind ?? '') as BanquetKind,
          heldOn: form.heldOn ?? '', meal: (form.meal ?? '') as Meal, guests: guests ?? NaN, tablesCount, venue: form.venue ?? '', menu: form.menu ?? '',
          chefs: lines(form.chefs ?? '').map((c) => ({ name: c.name, cardNo: c.rest })),
          ingredients: lines(form.ingredients ?? '').map((i) => ({ name: i.name, code: i.rest })),
        });
        return sendPage(reply, 201, lang, renderBanquetFiled(lang, banquet));
      } catch (error) {
        if (error instanceof AppError && error.extensions.code === 'BAD_USER_INPUT') return sendPage(reply, 400, lang, renderBanquetForm(lang, form, error.message));
        return sendPageFailure(request, reply, lang, error, 'banquet filing');
      }
    });
  });
}
