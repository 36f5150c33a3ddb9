import type { FastifyInstance } from 'fastify';
import type { IncidentKind } from '../entities/enums';
import { IncidentPlaceKind } from '../entities/enums';
import { reportPublicComplaint } from '../incident/incident.service';
import { utcOffset } from '../local-time';
import { failureOf } from './http-errors';
import { langOf, sendPage } from './page-reply';
import { PUBLIC_KINDS, renderReportPage, renderReportThanks, type ReportFormValues } from './report.page';
import type { WebDeps } from './request-context';

const FIELDS: (keyof ReportFormValues)[] = ['kind', 'occurredAt', 'village', 'placeRef', 'peopleIll', 'description', 'suspectCode', 'contact'];

/** `YYYY-MM-DDTHH:MM` as the county's local time; null when it is not that. */
function localDateTime(value: string, timeZone: string): Date | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value)) return null;
  const seconds = value.length === 16 ? `${value}:00` : value;
  const at = new Date(`${seconds}${utcOffset(timeZone, new Date(`${seconds}Z`))}`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * The public complaint form (`GET /report`, zh/en) and its submission (`POST /report`, a plain form post, no script
 * needed): anonymous, drawn from its own per-address budget (`limits/rate-limits.ts`); the contact is kept private.
 */
export async function registerReportRoutes(fastify: FastifyInstance, deps: WebDeps): Promise<void> {
  await fastify.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    scope.get('/report', async (request, reply) => {
      const lang = langOf(request);
      return sendPage(reply, 200, lang, renderReportPage(lang));
    });

    scope.post('/report', async (request, reply) => {
      const lang = langOf(request);
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      const values: ReportFormValues = {};
      for (const k of FIELDS) if (typeof body[k] === 'string') values[k] = body[k] as string;
      const again = (status: number, message: string) => sendPage(reply, status, lang, renderReportPage(lang, values, message));

      if (!PUBLIC_KINDS.includes(values.kind as (typeof PUBLIC_KINDS)[number])) return again(400, 'kind');
      const occurredAt = localDateTime(values.occurredAt ?? '', deps.config.timeZone);
      if (!occurredAt) return again(400, 'occurredAt');
      const peopleIll = /^\d{1,6}$/.test(values.peopleIll?.trim() || '0') ? Number(values.peopleIll?.trim() || '0') : NaN;
      if (!Number.isInteger(peopleIll)) return again(400, 'peopleIll');
      try {
        const done = await reportPublicComplaint(request.publicContext(), {
          kind: values.kind as IncidentKind,
          placeKind: IncidentPlaceKind.VILLAGE,
          village: values.village,
          placeRef: values.placeRef,
          occurredAt,
          peopleIll,
          description: values.description ?? '',
          suspectCodes: values.suspectCode?.trim() ? [values.suspectCode.trim()] : [],
          contact: values.contact,
        });
        return sendPage(reply, 201, lang, renderReportThanks(lang, done.id));
      } catch (e) {
        const failed = failureOf(e, request.log);
        if (failed.status === 400) return again(400, failed.message);
        return sendPage(reply, failed.status, lang, renderReportPage(lang, values, failed.status === 429 ? 'rate' : '—'));
      }
    });
  });
}
