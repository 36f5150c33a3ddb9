import { assertInspects, isRegulator, isTownWide, villageScope } from '../auth/access';
import { withTransaction, type Context, type Db } from '../context';
import { BanquetKind, BanquetTier, IncidentKind, IncidentPlaceKind, Meal } from '../entities/enums';
import { badInput, notFound, forbidden, unauthenticated } from '../errors';
import { parseScannedCode } from '../gate/code';
import { MAX_SUSPECTS, reportIncident } from '../incident/incident.service';
import { addDays, localDate } from '../local-time';
import { dateText } from '../tables/sql-date';
import { chefsOfBanquet, insertBanquetChefs } from '../tables/banquet-chef.table';
import { setIncidentRef, upsertBanquetIncidentRequest } from '../tables/banquet-incident-request.table';
import { ingredientsOfBanquet, insertBanquetIngredients } from '../tables/banquet-ingredient.table';
import {
  banquetByNumber, banquetFields, banquetsHeldBetween, insertBanquet, listBanquets, setBanquetGuidance, setBanquetOutcome, type BanquetRow,
} from '../tables/banquet.table';
import { fieldInspectionTable } from '../tables/field-inspection.table';
import { knownPhotos } from '../tables/field-photo.table';
import { PHOTO_NAME } from '../supervision/photo.service';
import { batchById, batchByGtinLot, batchIdByPublicCode } from '../tables/batch.table';
import { ruralChefByCard } from '../tables/rural-chef.table';
import * as v from '../validation';
import type { BanquetChefModel, BanquetIncidentRequestModel, BanquetIngredientModel, BanquetModel, BanquetWarning } from './banquet.model';
import { CHEF_WARNINGS, GUIDED_BY, INGREDIENT_WARNINGS, REMINDER_DAYS_BEFORE, guidanceTier, type IngredientFacts } from './banquet.rules';

export interface BanquetIngredientData {
  name: string;
  /** What was scanned from the ingredient's QR code (public code, trace URL, GS1 Digital Link) or typed. */
  code?: string | null;
}

export interface BanquetChefData {
  name: string;
  /** The chef's registration-card number, linking the registered rural chef. */
  cardNo?: string | null;
}

/** A filing as the host sends it: the banquet's own fields, and its chefs and ingredients as named or scanned. */
export interface FileBanquetData
  extends Pick<BanquetModel, 'hostName' | 'hostPhone' | 'village' | 'kind' | 'heldOn' | 'meal' | 'guests' | 'venue' | 'menu'> {
  tablesCount?: number | null;
  chefs: BanquetChefData[];
  ingredients: BanquetIngredientData[];
}

const MAX_ITEMS = 60;
const MAX_GUESTS = 100_000;

function oneOf<T extends string>(field: string, value: T, values: Record<string, T>): T {
  if (!Object.values(values).includes(value)) throw badInput(field, `must be one of ${Object.values(values).join(', ')}`);
  return value;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function calendarDate(field: string, value: string): string {
  const text = v.text(field, value, 10);
  const d = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d\d-\d\d$/.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) throw badInput(field, 'must be a date YYYY-MM-DD');
  return text;
}


function positiveInt(field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw badInput(field, `must be a whole number from 1 to ${max}`);
  return value;
}

/** The lot a scanned or typed code names, or null. */
async function batchIdOfCode(tx: Db, raw: string): Promise<number | null> {
  const scanned = parseScannedCode(raw);
  switch (scanned.kind) {
    case 'PUBLIC_CODE':
      return batchIdByPublicCode(tx, scanned.code);
    case 'DIGITAL_LINK':
      return (await batchByGtinLot(tx, scanned.gtin, scanned.lot))?.id ?? null;
    case 'TEXT':
      return batchIdByPublicCode(tx, scanned.text);
    default:
      return null;
  }
}

const warn = (rule: { code: string; zh: string; en: string }, subject: string): BanquetWarning => ({ code: rule.code, zh: rule.zh, en: rule.en, subject });

/**
 * Files a banquet: anyone may (the host on a phone, no sign-in). Each ingredient code is linked to its lot; a recalled
 * or failed lot, an unknown code, an unregistered chef or one whose health certificate ends before the banquet is a
 * warning in the answer at once, kept with the filing. The guidance tier follows from the guests by the rule table.
 */
export async function fileBanquet(ctx: Context, input: FileBanquetData): Promise<BanquetModel> {
  const hostName = v.text('hostName', input.hostName, 100);
  const hostPhone = v.text('hostPhone', input.hostPhone, 32);
  if (!/^\+?[0-9][0-9 -]{4,30}$/.test(hostPhone)) throw badInput('hostPhone', 'must be a phone number');
  const village = v.text('village', input.village, 100);
  const kind = oneOf('kind', input.kind, BanquetKind);
  const meal = oneOf('meal', input.meal, Meal);
  const heldOn = calendarDate('heldOn', input.heldOn);
  const today = localDate(new Date(), ctx.config.timeZone);
  if (heldOn < addDays(today, -30) || heldOn > addDays(today, 366)) throw badInput('heldOn', 'must be within a year from today (or filed late by at most 30 days)');
  const guests = positiveInt('guests', input.guests, MAX_GUESTS);
  const tablesCount = input.tablesCount == null ? null : positiveInt('tablesCount', input.tablesCount, 10_000);
  const venue = v.text('venue', input.venue, 300);
  const menu = v.text('menu', input.menu, 2000, { multiline: true });
  if (!Array.isArray(input.chefs) || input.chefs.length < 1 || input.chefs.length > 20) throw badInput('chefs', 'name from 1 to 20 chefs');
  if (!Array.isArray(input.ingredients) || input.ingredients.length < 1 || input.ingredients.length > MAX_ITEMS) {
    throw badInput('ingredients', `list from 1 to ${MAX_ITEMS} ingredients bought`);
  }
  const chefInputs = input.chefs.map((c, i) => ({
    name: v.text(`chefs[${i}].name`, c.name, 100), cardNo: v.text(`chefs[${i}].cardNo`, c.cardNo, 32, { optional: true })?.toUpperCase() ?? null,
  }));
  const ingredientInputs = input.ingredients.map((g, i) => ({
    name: v.text(`ingredients[${i}].name`, g.name, 200), code: v.text(`ingredients[${i}].code`, g.code, 500, { optional: true }),
  }));

  return withTransaction(ctx, async (tx) => {
    const warnings: BanquetWarning[] = [];
    const chefs: BanquetChefModel[] = [];
    for (const c of chefInputs) {
      const chef = c.cardNo ? await ruralChefByCard(tx, c.cardNo) : null;
      const facts = { registered: !!chef, certificateExpired: !!chef && chef.healthCertificateExpiresOn < heldOn };
      for (const rule of CHEF_WARNINGS) if (rule.applies(facts)) warnings.push(warn(rule, c.name));
      chefs.push({ name: c.name, chefId: chef?.operatorId ?? null });
    }
    const ingredients: BanquetIngredientModel[] = [];
    for (const g of ingredientInputs) {
      const batchId = g.code ? await batchIdOfCode(tx, g.code) : null;
      const batch = batchId === null ? null : await batchById(tx, batchId);
      const facts: IngredientFacts = {
        codeGiven: !!g.code, found: !!batch, batchStatus: batch?.status ?? null, nonConformant: batch?.non_conformant ?? false, recalled: false,
      };
      for (const rule of INGREDIENT_WARNINGS) if (rule.applies(facts)) warnings.push(warn(rule, g.name));
      ingredients.push({ name: g.name, codeScanned: g.code, batchId: batch?.id ?? null, publicCode: batch?.public_code ?? null });
    }
    const row = await insertBanquet(tx, {
      host_name: hostName, host_phone: hostPhone, village, kind, held_on: heldOn, meal, guests, tables_count: tablesCount, venue, menu,
      tier: guidanceTier(guests), warnings,
    });
    await insertBanquetChefs(tx, row.id, chefs);
    await insertBanquetIngredients(tx, row.id, ingredients);
    return { ...banquetFields(row), chefs, ingredients };
  });
}

async function assemble(tx: Db, row: BanquetRow): Promise<BanquetModel> {
  return { ...banquetFields(row), chefs: await chefsOfBanquet(tx, row.id), ingredients: await ingredientsOfBanquet(tx, row.id) };
}

function assertTownOffice(ctx: Context): void {
  if (!isRegulator(ctx.viewer)) throw forbidden('Only the town office may record outcomes of banquets');
}

/** Sees banquets: town-wide roles any village's, a village assistant its own village's; the village it is held to. */
function banquetScope(ctx: Context): string | null {
  if (!ctx.viewer.role) throw unauthenticated();
  if (isTownWide(ctx.viewer)) return null;
  const own = villageScope(ctx.viewer);
  if (own === null || own === '') throw forbidden('This account may not see banquets');
  return own;
}

export async function getBanquet(ctx: Context, number: string): Promise<BanquetModel> {
  banquetScope(ctx);
  const n = v.text('number', number, 20).toUpperCase();
  return withTransaction(ctx, async (tx) => {
    const row = await banquetByNumber(tx, n);
    if (!row) throw notFound('Banquet', n);
    assertInspects(tx.viewer, row.village);
    return assemble(tx, row);
  });
}

export interface BanquetFilterData {
  village?: string | null;
  from?: string | null;
  to?: string | null;
  tier?: BanquetTier | null;
}

function encodeBanquetCursor(on: string, id: number): string {
  return Buffer.from(`${on}|${id}`, 'utf8').toString('base64url');
}

function decodeBanquetCursor(raw: string | null | undefined): { on: string; id: number } | null {
  if (raw == null || raw === '') return null;
  const m = /^(\d{4}-\d\d-\d\d)\|(\d{1,10})$/.exec(Buffer.from(String(raw).slice(0, 100), 'base64url').toString('utf8'));
  if (!m) throw badInput('after', 'is not a cursor this list gave');
  return { on: calendarDate('after', m[1]), id: v.id('after', m[2]) };
}

/**
 * Filed banquets, latest date first, keyset-paged: what the village assistant (its village only; a filter naming
 * another village is refused) and the town (any village) are sent.
 */
export async function banquets(
  ctx: Context, filter: BanquetFilterData, first?: number | null, after?: string | null,
): Promise<{ items: BanquetModel[]; endCursor: string | null; hasNextPage: boolean }> {
  const own = banquetScope(ctx);
  const limit = v.pageSize('first', first);
  let village = v.text('filter.village', filter.village, 100, { optional: true });
  if (own !== null) {
    if (village !== null && village !== own) throw forbidden('This account may act only in its own village');
    village = own;
  }
  const from = filter.from == null ? null : calendarDate('filter.from', filter.from);
  const to = filter.to == null ? null : calendarDate('filter.to', filter.to);
  if (from && to && from > to) throw badInput('filter.to', 'must not be before filter.from');
  if (filter.tier != null && !Object.values(BanquetTier).includes(filter.tier)) throw badInput('filter.tier', `must be one of ${Object.values(BanquetTier).join(', ')}`);
  const cursor = decodeBanquetCursor(after);
  return withTransaction(ctx, async (tx) => {
    const rows = await listBanquets(tx, { village, from, to, tier: filter.tier ?? null }, cursor, limit + 1);
    const items = await Promise.all(rows.slice(0, limit).map((r) => assemble(tx, r)));
    const last = items[items.length - 1];
    return { items, endCursor: last ? encodeBanquetCursor(last.heldOn, last.id) : null, hasNextPage: rows.length > limit };
  });
}

export interface BanquetGuidanceData {
  number: string;
  note: string;
  /** A field inspection of one of the banquet's registered chefs, whose checklist answers and photos the guidance cites. */
  inspectionId?: string | number | null;
  /** Photos of the on-site check: sha-256 names an upload answered. */
  photos?: string[] | null;
}

const MAX_GUIDANCE_PHOTOS = 20;

/**
 * The on-site check or the guidance given. Who may record it follows the banquet's tier (`GUIDED_BY`) and the
 * viewer's scope: a village assistant guides the host-filed banquets of its own village. The guidance may cite a
 * field inspection of one of the banquet's registered chefs that the viewer may see, and photos on record.
 */
export async function recordBanquetGuidance(ctx: Context, input: BanquetGuidanceData): Promise<BanquetModel> {
  banquetScope(ctx);
  const n = v.text('number', input.number, 20).toUpperCase();
  const note = v.text('note', input.note, 2000, { multiline: true });
  const inspectionId = input.inspectionId == null ? null : v.id('inspectionId', input.inspectionId);
  const raw = input.photos ?? [];
  if (!Array.isArray(raw) || raw.length > MAX_GUIDANCE_PHOTOS) throw badInput('photos', `at most ${MAX_GUIDANCE_PHOTOS} photos`);
  raw.forEach((p, i) => {
    if (typeof p !== 'string' || !PHOTO_NAME.test(p)) throw badInput(`photos[${i}]`, 'must be the sha-256 name an upload answered');
  });
  const photos = [...new Set(raw)];
  return withTransaction(ctx, async (tx) => {
    const found = await banquetByNumber(tx, n, true);
    if (!found) throw notFound('Banquet', n);
    assertInspects(tx.viewer, found.village);
    if (!GUIDED_BY[found.tier].includes(tx.viewer.role!)) {
      throw forbidden(`A ${found.tier} banquet is guided by ${GUIDED_BY[found.tier].join(' or ')}`);
    }
    if (inspectionId !== null) {
      const inspection = await fieldInspectionTable.byId(tx, inspectionId);
      if (!inspection) throw notFound('Inspection', inspectionId);
      assertInspects(tx.viewer, inspection.village);
      const chefIds = (await chefsOfBanquet(tx, found.id)).map((c) => c.chefId);
      if (!chefIds.includes(inspection.operator_id)) throw badInput('inspectionId', `inspection ${inspectionId} is not of a chef of banquet ${n}`);
    }
    const known = await knownPhotos(tx, photos);
    const missing = photos.find((p) => !known.has(p));
    if (missing) throw badInput('photos', `photo ${missing} was not uploaded`);
    return assemble(tx, await setBanquetGuidance(tx, found.id, { note, byId: tx.viewer.accountId, inspectionId, photos }));
  });
}

/**
 * Where an illness after a banquet becomes an incident. The incident area connects here: until it does, the
 * request is kept in `banquet_incident_request` with the banquet's ingredient lots as suspects.
 */
export async function openIncidentForBanquet(
  tx: Context, banquet: { id: number; number: string; village: string; held_on: Date | string }, peopleIll: number, note: string | null,
): Promise<BanquetIncidentRequestModel> {
  const lots = [...new Set((await ingredientsOfBanquet(tx, banquet.id)).map((i) => i.batchId).filter((id): id is number => id !== null))].sort((a, b) => a - b);
  const request = await upsertBanquetIncidentRequest(tx, { banquetId: banquet.id, peopleIll, suspectBatchIds: lots, note });
  // one incident per banquet: a raised count later is recorded on the request, the incident already runs
  if (request.incidentRef !== null) return request;
  const now = new Date();
  const heldOn = new Date(`${dateText(banquet.held_on)}T12:00:00Z`);
  const incident = await reportIncident(tx, {
    kind: IncidentKind.FOOD_POISONING,
    placeKind: IncidentPlaceKind.BANQUET,
    village: banquet.village,
    placeRef: banquet.number,
    occurredAt: heldOn < now ? heldOn : now,
    peopleIll,
    description: `宴席 ${banquet.number} 有 ${peopleIll} 人发病 / ${peopleIll} ill after banquet ${banquet.number}${note ? `: ${note}` : ''}`,
    // the traced suspects are the banquet's lots, as many as one report traces
    suspectBatchIds: lots.slice(0, MAX_SUSPECTS),
  }, now);
  return setIncidentRef(tx, banquet.id, String(incident.id));
}

/** The banquet was served; people ill open an incident with the banquet's lots as suspects. */
export async function recordBanquetOutcome(
  ctx: Context, input: { number: string; peopleIll: number; note?: string | null },
): Promise<{ banquet: BanquetModel; incidentRequest: BanquetIncidentRequestModel | null }> {
  assertTownOffice(ctx);
  const n = v.text('number', input.number, 20).toUpperCase();
  if (!Number.isInteger(input.peopleIll) || input.peopleIll < 0 || input.peopleIll > MAX_GUESTS) throw badInput('peopleIll', `must be a whole number from 0 to ${MAX_GUESTS}`);
  const note = v.text('note', input.note, 2000, { optional: true, multiline: true });
  return withTransaction(ctx, async (tx) => {
    const found = await banquetByNumber(tx, n, true);
    if (!found) throw notFound('Banquet', n);
    if (found.status === 'SERVED' && found.people_ill !== null && found.people_ill > input.peopleIll) {
      throw badInput('peopleIll', `was already recorded as ${found.people_ill}; a count is only raised`);
    }
    const row = await setBanquetOutcome(tx, found.id, input.peopleIll, note);
    const incidentRequest = input.peopleIll > 0 ? await openIncidentForBanquet(tx, row, input.peopleIll, note) : null;
    return { banquet: await assemble(tx, row), incidentRequest };
  });
}

/** Banquets due from today to `days` ahead and not yet served: the village assistant's reminders (its village's only). */
export async function upcomingBanquets(ctx: Context, days = REMINDER_DAYS_BEFORE): Promise<BanquetModel[]> {
  const own = banquetScope(ctx);
  if (!Number.isInteger(days) || days < 0 || days > 60) throw badInput('days', 'must be a whole number from 0 to 60');
  const today = localDate(new Date(), ctx.config.timeZone);
  return withTransaction(ctx, async (tx) => {
    const rows = await banquetsHeldBetween(tx, today, addDays(today, days), 200, own);
    return Promise.all(rows.map((r) => assemble(tx, r)));
  });
}
