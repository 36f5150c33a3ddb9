import { isRegulator } from '../auth/access';
import { withTransaction, type Context } from '../context';
import { OperatorKind } from '../entities/enums';
import { badInput, forbidden, notFound } from '../errors';
import { addDays, localDate } from '../local-time';
import { registerOperator } from '../registry/operator.service';
import { chefsExpiringBy, insertRuralChef, recordChefTraining, ruralChefById } from '../tables/rural-chef.table';
import * as v from '../validation';
import type { RuralChefModel } from './banquet.model';
import { calendarDate } from './banquet.service';

/** Days ahead in which an expiring health certificate is listed. */
export const CERTIFICATE_NOTICE_DAYS = 30;

export interface RegisterChefData {
  name: string;
  village?: string | null;
  contactPhone?: string | null;
  healthCertificateNo: string;
  healthCertificateExpiresOn: string;
}

function assertTownOffice(ctx: Context): void {
  if (!isRegulator(ctx.viewer)) throw forbidden('Only the town office keeps the rural chef registry');
}

/**
 * Registers a rural chef: an operator of kind RURAL_CHEF with a town registration card (so the chef has the credit
 * archive every operator has, and the card's QR opens the chef's public card), and the chef's health certificate.
 */
export async function registerChef(ctx: Context, input: RegisterChefData): Promise<RuralChefModel> {
  assertTownOffice(ctx);
  const certificateNo = v.text('healthCertificateNo', input.healthCertificateNo, 64);
  const expiresOn = calendarDate('healthCertificateExpiresOn', input.healthCertificateExpiresOn);
  return withTransaction(ctx, async (tx) => {
    const operator = await registerOperator(tx, {
      kind: OperatorKind.RURAL_CHEF, name: input.name, village: input.village, contactPerson: input.name, contactPhone: input.contactPhone,
    });
    await insertRuralChef(tx, { operatorId: operator.id, healthCertificateNo: certificateNo, expiresOn, trainingsAttended: 0, lastTrainedOn: null });
    return (await ruralChefById(tx, operator.id))!;
  });
}

export async function recordChefTrainingAttended(ctx: Context, operatorId: string | number, on: string): Promise<RuralChefModel> {
  assertTownOffice(ctx);
  const id = v.id('operatorId', operatorId);
  const date = calendarDate('on', on);
  return withTransaction(ctx, async (tx) => {
    if (!(await recordChefTraining(tx, id, date))) throw notFound('Rural chef', id);
    return (await ruralChefById(tx, id))!;
  });
}

export async function getChef(ctx: Context, operatorId: string | number): Promise<RuralChefModel> {
  assertTownOffice(ctx);
  const id = v.id('operatorId', operatorId);
  return withTransaction(ctx, async (tx) => {
    const chef = await ruralChefById(tx, id);
    if (!chef) throw notFound('Rural chef', id);
    return chef;
  });
}

/** Chefs whose health certificate has expired or ends within `days`, soonest first. */
export async function expiringChefCertificates(ctx: Context, days = CERTIFICATE_NOTICE_DAYS): Promise<RuralChefModel[]> {
  assertTownOffice(ctx);
  if (!Number.isInteger(days) || days < 0 || days > 366) throw badInput('days', 'must be a whole number from 0 to 366');
  const until = addDays(localDate(new Date(), ctx.config.timeZone), days);
  return withTransaction(ctx, (tx) => chefsExpiringBy(tx, until, 500));
}
