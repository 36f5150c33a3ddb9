import { assertInspects, isTownWide, villageScope } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { Role, SiteKind, SiteStatus } from '../entities/enums';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../errors';
import { clientKey } from '../gate/client-key';
import { outcomeCounts } from '../tables/field-inspection.table';
import {
  insertSiteOnce, listSites, lockSite, resolveSiteRow, siteById, siteCounts, storeSiteAnswer, toSite,
} from '../tables/hazard-site.table';
import { campaignById, insertCampaign, listCampaigns } from '../tables/inspection-campaign.table';
import { operatorById } from '../tables/operator.table';
import { insertSiteInspectionOnce, siteInspectionsOf, siteVisitCounts, storeSiteInspectionAnswer, toSiteInspection } from '../tables/site-inspection.table';
import * as v from '../validation';
import { assertFieldRole, assertPhotosStored, decodeCursor, encodeCursor, photoList, requestHash } from './inspection.service';
import type { CampaignModel, CampaignReportModel, HazardSiteModel, SiteInspectionModel } from './supervision.model';

export interface RegisterSiteData {
  kind: SiteKind;
  location: string;
  village: string;
  notes?: string | null;
  photos?: string[] | null;
  clientKey: string;
}

/** Dates come back from a stored JSON answer as strings; the model speaks Date. */
function reviveSite(s: HazardSiteModel): HazardSiteModel {
  return { ...s, createdAt: new Date(s.createdAt), resolvedAt: s.resolvedAt === null ? null : new Date(s.resolvedAt) };
}

/**
 * Registers a place found making or storing food without registration, exactly once per client key (a resend
 * answers the first registration). A village assistant registers sites in its own village only.
 */
export async function registerSite(ctx: Context, input: RegisterSiteData): Promise<HazardSiteModel> {
  assertFieldRole(ctx);
  const key = clientKey('clientKey', input.clientKey);
  if (!Object.values(SiteKind).includes(input.kind)) throw badInput('kind', `must be one of ${Object.values(SiteKind).join(', ')}`);
  const location = v.text('location', input.location, 300);
  const village = v.text('village', input.village, 100);
  const notes = v.text('notes', input.notes, 4000, { optional: true, multiline: true });
  const photos = photoList('photos', input.photos);
  assertInspects(ctx.viewer, village);
  await assertPhotosStored(ctx, 'photos', photos);
  const hash = requestHash([input.kind, location, village, notes, photos]);
  return withTransaction(ctx, async (tx) => {
    const once = await insertSiteOnce(tx, {
      kind: input.kind, location, village, notes, photos, created_by_id: tx.viewer.accountId!, client_key: key, request_hash: hash,
    });
    if (once.answer) return reviveSite(once.answer);
    const site = toSite(once.row!);
    await storeSiteAnswer(tx, site.id, site);
    return site;
  });
}

async function visibleSite(ctx: Context, id: number): Promise<HazardSiteModel> {
  const site = await siteById(ctx, id);
  if (!site) throw notFound('Site', id);
  assertInspects(ctx.viewer, site.village);
  return site;
}

export interface RecordSiteInspectionData {
  siteId: string | number;
  activityFound: boolean;
  findings?: string | null;
  photos?: string[] | null;
  inspectedAt?: Date | null;
  clientKey: string;
}

/** A visit to an open hazard site, once per client key; a village assistant visits its own village's sites. */
export async function recordSiteInspection(ctx: Context, input: RecordSiteInspectionData, now = new Date()): Promise<SiteInspectionModel> {
  assertFieldRole(ctx);
  const key = clientKey('clientKey', input.clientKey);
  const siteId = v.id('siteId', input.siteId);
  if (typeof input.activityFound !== 'boolean') throw badInput('activityFound', 'must be true or false');
  const inspectedAt = input.inspectedAt == null ? now : v.pastDate('inspectedAt', input.inspectedAt, now);
  const findings = v.text('findings', input.findings, 4000, { optional: true, multiline: true });
  const photos = photoList('photos', input.photos);
  const site = await visibleSite(ctx, siteId);
  await assertPhotosStored(ctx, 'photos', photos);
  const hash = requestHash([siteId, input.activityFound, findings, photos, input.inspectedAt?.toISOString() ?? null]);
  return withTransaction(ctx, async (tx) => {
    const once = await insertSiteInspectionOnce(tx, {
      site_id: siteId, village: site.village, inspector_id: tx.viewer.accountId!, inspected_at: inspectedAt, activity_found: input.activityFound,
      findings, photos, client_key: key, request_hash: hash,
    });
    if (once.answer) return { ...once.answer, inspectedAt: new Date(once.answer.inspectedAt) };
    // a visit is recorded only while the site is open; the first request with the key decides
    const locked = await lockSite(tx, siteId);
    if (locked!.status !== SiteStatus.OPEN) throw conflict(`Site ${siteId} is ${locked!.status}`);
    const answer = toSiteInspection(once.row!);
    await storeSiteInspectionAnswer(tx, answer.id, answer);
    return answer;
  });
}

/**
 * Ends an open site: with `operatorId` it registered as that operator (REGISTERED); without, it is CLOSED and the
 * note says why. Decided once: a resolved site is a CONFLICT.
 */
export async function resolveSite(ctx: Context, input: { siteId: string | number; operatorId?: string | number | null; note?: string | null }): Promise<HazardSiteModel> {
  assertFieldRole(ctx);
  const siteId = v.id('siteId', input.siteId);
  const operatorId = input.operatorId == null ? null : v.id('operatorId', input.operatorId);
  const note = v.text('note', input.note, 4000, { optional: true, multiline: true });
  if (operatorId === null && note === null) throw badInput('note', 'say why the site is closed');
  await visibleSite(ctx, siteId);
  if (operatorId !== null) {
    const operator = await operatorById(ctx, operatorId);
    if (!operator) throw notFound('Operator', operatorId);
  }
  return withTransaction(ctx, async (tx) => {
    const site = await lockSite(tx, siteId);
    if (site!.status !== SiteStatus.OPEN) throw conflict(`Site ${siteId} is already ${site!.status}`);
    return resolveSiteRow(tx, siteId, {
      status: operatorId === null ? SiteStatus.CLOSED : SiteStatus.REGISTERED, operatorId, note, byId: tx.viewer.accountId,
    });
  });
}

export interface SiteFilterData {
  status?: SiteStatus | null;
  village?: string | null;
  kind?: SiteKind | null;
}

/** Hazard sites, newest first, keyset-paged; a village assistant sees its own village's. */
export async function sites(ctx: Context, filter: SiteFilterData, first?: number | null, after?: string | null): Promise<{ items: HazardSiteModel[]; endCursor: string | null; hasNextPage: boolean }> {
  if (!ctx.viewer.role) throw unauthenticated();
  const limit = v.pageSize('first', first);
  let village = v.text('filter.village', filter.village, 100, { optional: true });
  if (!isTownWide(ctx.viewer)) {
    const own = villageScope(ctx.viewer);
    if (own === null) throw forbidden('This account may not see hazard sites');
    if (village !== null && village !== own) throw forbidden('This account may act only in its own village');
    village = own;
  }
  const rows = await listSites(ctx, { status: filter.status ?? null, village, kind: filter.kind ?? null }, decodeCursor('after', after), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, endCursor: last ? encodeCursor(last.createdAt, last.id) : null, hasNextPage: rows.length > limit };
}

/** One site with its visits, newest first. */
export async function site(ctx: Context, id: string | number): Promise<{ site: HazardSiteModel; visits: SiteInspectionModel[] }> {
  if (!ctx.viewer.role) throw unauthenticated();
  const s = await visibleSite(ctx, v.id('id', id));
  return { site: s, visits: await siteInspectionsOf(ctx, s.id) };
}

/** Opens a campaign: a named period, town-wide or in one village. */
export async function createCampaign(ctx: Context, input: { name: string; village?: string | null; startsAt: Date; endsAt: Date }): Promise<CampaignModel> {
  if (!ctx.viewer.role) throw unauthenticated();
  if (ctx.viewer.role !== Role.REGULATOR && ctx.viewer.role !== Role.ADMIN) throw forbidden('Requires role REGULATOR or ADMIN');
  const name = v.text('name', input.name, 200);
  const village = v.text('village', input.village, 100, { optional: true });
  for (const f of ['startsAt', 'endsAt'] as const) {
    if (!(input[f] instanceof Date) || Number.isNaN(input[f].getTime())) throw badInput(f, 'must be a valid date');
    // a campaign is planned work: within this century
    const year = input[f].getUTCFullYear();
    if (year < 2000 || year > 2100) throw badInput(f, 'must be between 2000 and 2100');
  }
  if (input.endsAt.getTime() <= input.startsAt.getTime()) throw badInput('endsAt', 'must be after startsAt');
  return insertCampaign(ctx, { name, village, starts_at: input.startsAt, ends_at: input.endsAt, created_by_id: ctx.viewer.accountId! });
}

export async function campaigns(ctx: Context): Promise<CampaignModel[]> {
  if (!ctx.viewer.role) throw unauthenticated();
  return listCampaigns(ctx);
}

/** What the campaign's period holds, in its village or town-wide: read from the recorded inspections and sites. */
export async function campaignReport(ctx: Context, campaign: CampaignModel): Promise<CampaignReportModel> {
  const [outcomes, found, visits] = await Promise.all([
    outcomeCounts(ctx, campaign.startsAt, campaign.endsAt, campaign.village),
    siteCounts(ctx, campaign.startsAt, campaign.endsAt, campaign.village),
    siteVisitCounts(ctx, campaign.startsAt, campaign.endsAt, campaign.village),
  ]);
  return {
    inspections: outcomes.PASS + outcomes.PUT_RIGHT + outcomes.SERIOUS, passed: outcomes.PASS, putRight: outcomes.PUT_RIGHT, serious: outcomes.SERIOUS,
    sitesFound: found.found, siteVisits: visits.visits, siteVisitsWithActivity: visits.withActivity, sitesRegistered: found.registered, sitesClosed: found.closed,
  };
}

export async function campaign(ctx: Context, id: string | number): Promise<CampaignModel> {
  if (!ctx.viewer.role) throw unauthenticated();
  const c = await campaignById(ctx, v.id('id', id));
  if (!c) throw notFound('Campaign', id);
  return c;
}
