import type { Db } from './table';
import type { RuralChefModel } from '../banquet/banquet.model';
import { dateText } from './sql-date';
import { defineTable } from './table';

export interface RuralChefRow {
  operator_id: number;
  health_certificate_no: string;
  health_certificate_expires_on: Date | string;
  trainings_attended: number;
  last_trained_on: Date | string | null;
  expiry_reminded_for: Date | string | null;
}

export const ruralChefTable = defineTable<RuralChefRow>('rural_chef', {
  operator_id: 'int4',
  health_certificate_no: 'varchar',
  health_certificate_expires_on: 'date',
  trainings_attended: 'int4',
  last_trained_on: 'date',
  expiry_reminded_for: 'date',
});

interface ChefViewRow extends RuralChefRow {
  name: string;
  village: string | null;
  registration_card_no: string | null;
  banquets_cooked: string | number;
}

function toChef(r: ChefViewRow): RuralChefModel {
  return {
    operatorId: r.operator_id, name: r.name, village: r.village, registrationCardNo: r.registration_card_no, healthCertificateNo: r.health_certificate_no,
    healthCertificateExpiresOn: dateText(r.health_certificate_expires_on)!, trainingsAttended: r.trainings_attended, lastTrainedOn: dateText(r.last_trained_on),
    banquetsCooked: Number(r.banquets_cooked),
  };
}

// the chef's operator name and card, and the banquets it was filed to cook
const CHEF_VIEW = `select ${ruralChefTable.listAs('c')}, o.name, o.village, o.registration_card_no,
  (select count(*) from banquet_chef bc where bc.chef_id = c.operator_id) as banquets_cooked
  from rural_chef c join operator o on o.id = c.operator_id`;

export async function insertRuralChef(ctx: Db, c: { operatorId: number; healthCertificateNo: string; expiresOn: string; trainingsAttended: number; lastTrainedOn: string | null }): Promise<void> {
  await ctx.em.execute(
    `insert into rural_chef (operator_id, health_certificate_no, health_certificate_expires_on, trainings_attended, last_trained_on) values (?, ?, ?, ?, ?)`,
    [c.operatorId, c.healthCertificateNo, c.expiresOn, c.trainingsAttended, c.lastTrainedOn],
  );
}

export async function ruralChefById(ctx: Db, operatorId: number): Promise<RuralChefModel | null> {
  const [row] = await ctx.em.execute<ChefViewRow[]>(`${CHEF_VIEW} where c.operator_id = ?`, [operatorId]);
  return row ? toChef(row) : null;
}

/** The registered chef a host names by the chef's registration-card number; null when none. */
export async function ruralChefByCard(ctx: Db, cardNo: string): Promise<RuralChefModel | null> {
  const [row] = await ctx.em.execute<ChefViewRow[]>(`${CHEF_VIEW} where o.registration_card_no = ?`, [cardNo]);
  return row ? toChef(row) : null;
}

/** Chefs whose health certificate ends on or before `until` (already expired ones included), soonest first. */
export async function chefsExpiringBy(ctx: Db, until: string, limit: number): Promise<RuralChefModel[]> {
  const rows = await ctx.em.execute<ChefViewRow[]>(
    `${CHEF_VIEW} where c.health_certificate_expires_on <= ? order by c.health_certificate_expires_on, c.operator_id limit ${limit}`,
    [until],
  );
  return rows.map(toChef);
}

export async function recordChefTraining(ctx: Db, operatorId: number, on: string): Promise<boolean> {
  const rows = await ctx.em.execute<{ operator_id: number }[]>(
    `update rural_chef set trainings_attended = trainings_attended + 1, last_trained_on = greatest(coalesce(last_trained_on, ?::date), ?::date)
      where operator_id = ? returning operator_id`,
    [on, on, operatorId],
  );
  return rows.length > 0;
}

/** Marks the chefs whose health certificate ends by `until` (a local date) and was not yet reminded for that end; returns them. */
export async function claimChefExpiryReminders(ctx: Db, until: string): Promise<RuralChefRow[]> {
  return ctx.em.execute<RuralChefRow[]>(
    `update rural_chef set expiry_reminded_for = health_certificate_expires_on
      where health_certificate_expires_on <= ?::date and expiry_reminded_for is distinct from health_certificate_expires_on
      returning ${ruralChefTable.list}`,
    [until],
  );
}
