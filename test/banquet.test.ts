import { guidanceTier } from '../src/banquet/banquet.rules';
import { Role } from '../src/entities/enums';
import { localDate } from '../src/local-time';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeOperator, ok, token } from './support/factories';

const { t, f } = useTestApp();

const FILE = `mutation($input: FileBanquetInput!) { fileBanquet(input: $input) {
  id number hostName hostPhone village kind heldOn meal guests tier status warnings { code subject }
  chefs { name chefId } ingredients { name codeScanned batchId publicCode } } }`;
const OUTCOME = `mutation($input: BanquetOutcomeInput!) { recordBanquetOutcome(input: $input) {
  banquet { status peopleIll } incidentRequest { peopleIll suspectBatchIds note } } }`;
const CHEF = `mutation($input: RegisterChefInput!) { registerChef(input: $input) { operatorId name registrationCardNo healthCertificateExpiresOn banquetsCooked } }`;

const days = (n: number) => new Date(Date.parse(`${localDate(new Date(), 'Asia/Shanghai')}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function filing(over: Record<string, unknown> = {}) {
  return {
    hostName: 'Zhang San', hostPhone: '13900001111', village: 'Qingshan', kind: 'WEDDING', heldOn: days(5), meal: 'LUNCH', guests: 150,
    venue: 'Village hall', menu: 'Braised pork; steamed fish', chefs: [{ name: 'Chef Liu' }], ingredients: [{ name: 'Rice' }], ...over,
  };
}

describe('banquet filing', () => {
  it('the guidance tier follows the rule table at its edges', () => {
    expect([1, 100, 101, 200, 201].map(guidanceTier)).toEqual(['HOST_FILES', 'HOST_FILES', 'TOWN_ON_SITE', 'TOWN_ON_SITE', 'COUNTY_ON_SITE']);
  });

  it('anyone files without signing in; a recalled or failed ingredient and an expired or unregistered chef warn at once; the host contact is hidden from the public', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Pig Farm' });
    const good = await makeBatch(t, f.admin, farm.id, { productName: 'Pork' });
    const recalled = await makeBatch(t, f.admin, farm.id, { productName: 'Fish' });
    const failed = await makeBatch(t, f.admin, farm.id, { productName: 'Greens' });
    ok(await t.gql(`mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`, { input: { batchId: recalled.id, reason: 'Residue' } }, f.regulator));
    await t.sql('update batch set non_conformant = true where id = $1', [failed.id]);
    const chef = ok(await t.gql(CHEF, { input: { name: 'Chef Wang', healthCertificateNo: 'JK-001', healthCertificateExpiresOn: days(2) } }, f.regulator)).registerChef;
    expect(chef.registrationCardNo).toMatch(/^BA\d{10}$/);

    const b = ok(await t.gql(FILE, {
      input: filing({
        chefs: [{ name: 'Chef Wang', cardNo: chef.registrationCardNo }, { name: 'Chef Liu' }],
        ingredients: [
          { name: 'Pork', code: `https://other.example/t/${good.publicCode}` },
          { name: 'Fish', code: recalled.publicCode },
          { name: 'Greens', code: failed.publicCode },
          { name: 'Rice' },
          { name: 'Tofu', code: 'NOSUCH' },
        ],
      }),
    }, null)).fileBanquet;
    expect(b.number).toMatch(/^YH\d{10}$/);
    expect(b).toMatchObject({ hostName: '', hostPhone: '', tier: 'TOWN_ON_SITE', status: 'FILED', guests: 150 });
    expect(b.warnings).toEqual([
      { code: 'CHEF_CERTIFICATE_EXPIRED', subject: 'Chef Wang' },
      { code: 'CHEF_NOT_REGISTERED', subject: 'Chef Liu' },
      { code: 'INGREDIENT_RECALLED', subject: 'Fish' },
      { code: 'INGREDIENT_NON_CONFORMANT', subject: 'Greens' },
      { code: 'INGREDIENT_UNKNOWN_CODE', subject: 'Tofu' },
    ]);
    expect(b.chefs).toEqual([{ name: 'Chef Wang', chefId: chef.operatorId }, { name: 'Chef Liu', chefId: null }]);
    expect(b.ingredients.map((i: { batchId: string | null }) => i.batchId)).toEqual([good.id, recalled.id, failed.id, null, null]);

    // the town office reads the host; the read is audited as personal data
    const seen = ok(await t.gql(`query($n: String!) { banquet(number: $n) { hostName hostPhone warnings { code } } }`, { n: b.number }, f.regulator)).banquet;
    expect(seen).toMatchObject({ hostName: 'Zhang San', hostPhone: '13900001111' });
    const [chefNow] = [ok(await t.gql(`query($id: ID!) { ruralChef(operatorId: $id) { banquetsCooked } }`, { id: chef.operatorId }, f.regulator)).ruralChef];
    expect(chefNow.banquetsCooked).toBe(1);
    const expiring = ok(await t.gql(`{ expiringChefCertificates { name healthCertificateExpiresOn } }`, {}, f.regulator)).expiringChefCertificates;
    expect(expiring).toEqual(expect.arrayContaining([{ name: 'Chef Wang', healthCertificateExpiresOn: days(2) }]));

    // guidance, then an outcome with people ill opens the incident request with the banquet's lots as suspects
    const guided = ok(await t.gql(`mutation($input: BanquetGuidanceInput!) { recordBanquetGuidance(input: $input) { status guidanceNote } }`,
      { input: { number: b.number, note: 'Kitchen checked; fish removed' } }, f.regulator)).recordBanquetGuidance;
    expect(guided).toEqual({ status: 'GUIDED', guidanceNote: 'Kitchen checked; fish removed' });
    const out = ok(await t.gql(OUTCOME, { input: { number: b.number, peopleIll: 7, note: 'vomiting' } }, f.regulator)).recordBanquetOutcome;
    expect(out).toEqual({
      banquet: { status: 'SERVED', peopleIll: 7 },
      incidentRequest: { peopleIll: 7, suspectBatchIds: [good.id, recalled.id, failed.id].sort((a, c) => Number(a) - Number(c)), note: 'vomiting' },
    });
    // the incident opened itself: food poisoning at the banquet, its lots traced as suspects
    const [{ incident_ref: incidentRef }] = await t.sql(`select incident_ref from banquet_incident_request`);
    const incident = ok(await t.gql(
      `query($id: ID!) { incident(id: $id) { kind placeKind placeRef village peopleIll status finding { suspects { batchId } } } }`, { id: incidentRef }, f.regulator,
    )).incident;
    expect(incident).toEqual({
      kind: 'FOOD_POISONING', placeKind: 'BANQUET', placeRef: b.number, village: b.village, peopleIll: 7, status: 'REPORTED',
      finding: { suspects: [good.id, recalled.id, failed.id].sort((a, c) => Number(a) - Number(c)).map((batchId) => ({ batchId })) },
    });
    const lower = await t.gql(OUTCOME, { input: { number: b.number, peopleIll: 3 } }, f.regulator);
    expect(lower.errors?.[0].message).toBe('peopleIll: was already recorded as 7; a count is only raised');
  });

  it('an outcome without illness opens nothing; reminders list banquets due within three days', async () => {
    const soon = ok(await t.gql(FILE, { input: filing({ heldOn: days(2), guests: 80 }) }, null)).fileBanquet;
    const later = ok(await t.gql(FILE, { input: filing({ heldOn: days(10), guests: 300 }) }, null)).fileBanquet;
    expect([soon.tier, later.tier]).toEqual(['HOST_FILES', 'COUNTY_ON_SITE']);
    const due = ok(await t.gql(`{ upcomingBanquets { number } }`, {}, f.regulator)).upcomingBanquets.map((x: { number: string }) => x.number);
    expect(due).toContain(soon.number);
    expect(due).not.toContain(later.number);
    const out = ok(await t.gql(OUTCOME, { input: { number: soon.number, peopleIll: 0 } }, f.regulator)).recordBanquetOutcome;
    expect(out).toEqual({ banquet: { status: 'SERVED', peopleIll: 0 }, incidentRequest: null });
  });

  it('refuses bad filings with clear errors and keeps guidance to the town office', async () => {
    const bad = async (over: Record<string, unknown>) => (await t.gql(FILE, { input: filing(over) }, null)).errors?.[0].message;
    expect(await bad({ heldOn: '2026-02-30' })).toBe('heldOn: must be a date YYYY-MM-DD');
    expect(await bad({ guests: 0 })).toBe('guests: must be a whole number from 1 to 100000');
    expect(await bad({ hostPhone: 'call me' })).toBe('hostPhone: must be a phone number');
    expect(await bad({ chefs: [] })).toBe('chefs: name from 1 to 20 chefs');
    expect(await bad({ ingredients: [] })).toBe('ingredients: list from 1 to 60 ingredients bought');
    const operator = await token(t, Role.OPERATOR, { operatorId: (await makeOperator(t, f.admin)).id });
    const denied = await t.gql(`mutation($input: BanquetGuidanceInput!) { recordBanquetGuidance(input: $input) { status } }`, { input: { number: 'YH2026000001', note: 'x' } }, operator);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const missing = await t.gql(OUTCOME, { input: { number: 'YH2026999999', peopleIll: 1 } }, f.regulator);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
