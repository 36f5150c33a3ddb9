import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRegulator } from '../auth/access';
import type { Viewer } from '../auth/viewer.model';
import { ensureSamplingSecret, type Config } from '../config';
import type { Context, Db } from '../context';
import { Role } from '../entities/enums';
import { forbidden, unauthenticated } from '../errors';
import { accountById } from '../tables/account.table';
import { assessmentYear } from './scorecard.service';

/** How long a link opens the self-assessment: time to open and print it, short enough that a forwarded link soon dies. */
export const ASSESSMENT_LINK_TTL_MS = 15 * 60_000;

/** `accountId.expiresAt(unix seconds).signature`: the `key` parameter of a link. */
const KEY = /^([1-9]\d{0,9})\.(\d{10})\.([A-Za-z0-9_-]{43})$/;

/**
 * The links' own key, derived from the server secret (SAMPLING_SECRET or the one kept under the data dir), so every
 * process of the server, and every restart, checks the same links, and a signature of one use never passes for another.
 */
function linkKey(config: Config): Buffer {
  return createHmac('sha256', ensureSamplingSecret(config)).update('foodtrace assessment link v1').digest();
}

function signature(config: Config, year: number, accountId: number, expires: number): Buffer {
  return createHmac('sha256', linkKey(config)).update(`${year}.${accountId}.${expires}`).digest();
}

/**
 * A short-lived address of the year's self-assessment (page and PDF) for a regulator's browser, which cannot send its
 * bearer token with a plain link. The link speaks for the account that asked, for this one year, until it expires;
 * revoking the account or taking its role ends it at once. REGULATOR and ADMIN.
 */
export function assessmentLink(ctx: Pick<Context, 'viewer' | 'config'>, yearInput: number | string, lang: 'zh' | 'en', now = new Date()): { url: string; expiresAt: Date } {
  if (!isRegulator(ctx.viewer) || ctx.viewer.accountId === null) throw forbidden('Requires role ADMIN or REGULATOR');
  const year = assessmentYear('year', yearInput);
  const expires = Math.floor((now.getTime() + ASSESSMENT_LINK_TTL_MS) / 1000);
  const key = `${ctx.viewer.accountId}.${expires}.${signature(ctx.config, year, ctx.viewer.accountId, expires).toString('base64url')}`;
  return { url: `/assessment/${year}?${new URLSearchParams({ lang, key })}`, expiresAt: new Date(expires * 1000) };
}

/**
 * The viewer a link's `key` speaks for: its account, while the signature matches the year, the link has not expired,
 * and the account is still a live regulator or admin whose token has not expired. Anything else is UNAUTHENTICATED.
 */
export async function viewerOfAssessmentLink(ctx: Db & Pick<Context, 'config'>, year: number, key: string, now = new Date()): Promise<Viewer> {
  const m = KEY.exec(key);
  const refused = () => unauthenticated('This link to the self-assessment is not valid or has expired; open it again from the regulator desk');
  if (!m) throw refused();
  const [accountId, expires] = [Number(m[1]), Number(m[2])];
  const given = Buffer.from(m[3], 'base64url');
  if (!timingSafeEqual(given, signature(ctx.config, year, accountId, expires)) || expires * 1000 <= now.getTime()) throw refused();
  const account = await accountById(ctx, accountId);
  if (!account || account.revokedAt || (account.expiresAt && account.expiresAt <= now) || (account.role !== Role.REGULATOR && account.role !== Role.ADMIN)) throw refused();
  return { accountId: account.id, name: account.name, role: account.role, marketId: account.marketId, operatorId: account.operatorId, village: account.village };
}
