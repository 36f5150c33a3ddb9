import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assessmentLink, viewerOfAssessmentLink } from '../assessment/assessment-link.service';
import { assessmentPdf } from '../assessment/assessment.pdf';
import { townAssessment } from '../assessment/scorecard.service';
import { workLedger, workLedgerCsv, workLedgerXlsx } from '../assessment/work-ledger.service';
import { buildContext, type Context } from '../context';
import { badInput, unauthenticated } from '../errors';
import { renderAssessmentPage } from './assessment.page';
import { failureOf, sendFailure } from './http-errors';
import { langOf, pagePath, sendPage, sendPageFailure } from './page-reply';
import { regulatorOrRefuse, singleValues } from './regulator-api';
import type { WebDeps } from './request-context';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The request's context for the self-assessment of `year`: the viewer behind a link's `key` when one is given (a
 * browser tab opened from the desk), else the bearer token's; anyone else is answered 401 or 403 here, and gets null.
 */
async function readerOrRefuse(request: FastifyRequest, reply: FastifyReply, deps: WebDeps, year: number | null, key: string | undefined): Promise<Context | null> {
  if (key === undefined) return regulatorOrRefuse(request, reply);
  try {
    if (year === null) throw unauthenticated('A link opens only the year it was made for');
    const viewer = await viewerOfAssessmentLink(request.publicContext(), year, key);
    return buildContext(deps.orm, deps.config, viewer, request.ip);
  } catch (e) {
    sendFailure(reply, failureOf(e, request.log));
    return null;
  }
}

/**
 * The year's self-assessment for regulators — `GET /assessment/:year` (page, zh/en, printable) and
 * `/assessment/:year.pdf`, under a bearer token or a link's `key`; `/assessment/:year.link` (bearer only) makes such a
 * link for the desk — and the month's work ledger, `GET /ledger/work/:yyyy-mm.csv|.xlsx`.
 */
export async function registerAssessmentRoutes(fastify: FastifyInstance, deps: WebDeps): Promise<void> {
  fastify.get<{ Params: { file: string } }>('/assessment/:file', async (request, reply) => {
    const lang = langOf(request);
    const m = /^(\d{4})(\.pdf|\.link)?$/.exec(request.params.file);
    const query = request.query as Record<string, unknown>;
    const key = typeof query.key === 'string' && m?.[2] !== '.link' ? query.key : undefined;
    // like every regulator route, a missing or wrong token (or link) is answered as JSON (401, 403)
    const ctx = await readerOrRefuse(request, reply, deps, m ? Number(m[1]) : null, key);
    if (!ctx) return reply;
    try {
      singleValues(query, ['lang', 'key'], 'parameter');
      if (!m) throw badInput('year', 'must be a year like 2026, or 2026.pdf');
      if (m[2] === '.link') {
        if (query.key !== undefined) throw badInput('key', 'a link cannot make another link; sign in with a bearer token');
        const link = assessmentLink(ctx, m[1], lang);
        return reply.header('cache-control', 'no-store').send({ ...link, pdfUrl: link.url.replace(`/assessment/${m[1]}?`, `/assessment/${m[1]}.pdf?`) });
      }
      const report = await townAssessment(ctx, m[1]);
      if (m[2]) {
        const pdf = await assessmentPdf(report, lang, ctx.config.timeZone);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="self-assessment-${m[1]}.pdf"`)
          .header('cache-control', 'no-store')
          .send(pdf);
      }
      reply.header('vary', 'Accept-Language, Authorization').header('cache-control', 'no-store');
      return sendPage(reply, 200, lang, renderAssessmentPage(report, lang, ctx.config.timeZone, pagePath(request), key));
    } catch (error) {
      const failed = failureOf(error, request.log);
      if (failed.status < 500) return sendFailure(reply, failed);
      return sendPageFailure(request, reply, lang, error, 'self-assessment');
    }
  });

  fastify.get<{ Params: { file: string } }>('/ledger/work/:file', async (request, reply) => {
    const ctx = await regulatorOrRefuse(request, reply);
    if (!ctx) return reply;
    try {
      singleValues(request.query as Record<string, unknown>, [], 'parameter');
      const m = /^(\d{4}-\d{2})\.(csv|xlsx)$/.exec(request.params.file);
      if (!m) throw badInput('file', 'must be a month and a format, like 2026-11.csv or 2026-11.xlsx');
      const ledger = await workLedger(ctx, m[1]);
      reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="work-ledger-${m[1]}.${m[2]}"`);
      if (m[2] === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').send(workLedgerCsv(ledger));
      return reply.header('content-type', XLSX).send(await workLedgerXlsx(ledger));
    } catch (e) {
      return sendFailure(reply, failureOf(e, request.log));
    }
  });
}
