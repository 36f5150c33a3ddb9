import { Role } from '../src/entities/enums';
import { localDate } from '../src/local-time';
import { useTestApp } from './support/use-test-app';
import { ok, token } from './support/factories';

const { t, f } = useTestApp();

const FILE = `mutation($input: FileBanquetInput!) { fileBanquet(input: $input) { number tier } }`;
const LIST = `query($filter: BanquetFilter, $first: Int, $after: String) { banquets(filter: $filter, first: $first, after: $after) {
  nodes { number village heldOn tier hostPhone } pageInfo { hasNextPage endCursor } } }`;
const GUIDE = `mutation($input: BanquetGuidanceInput!) { recordBanquetGuidance(input: $input) { status guidanceNote guidanceInspectionId guidancePhotos } }`;
const CHEF = `mutation($input: RegisterChefInput!) { registerChef(input: $input) { operatorId registrationCardNo } }`;

const days = (n: number) => new Date(Date.parse(`${localDate(new Date(), 'Asia/Shanghai')}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function file(village: string, guests: number, heldOn: string, over: Record<string, unknown> = {}): Promise<string> {
  return ok(await t.gql(FILE, {
    input: {
      hostName: 'Zhang San', hostPhone: '13900001111', village, kind: 'BIRTHDAY', heldOn, meal: 'DINNER', guests, venue: 'Courtyard', menu: 'Noodles',
      chefs: [{ name: 'Chef Liu' }], ingredients: [{ name: 'Flour' }], ...over,
    },
  }, null)).fileBanquet.number;
}

describe("banquets go to the village's assistant", () => {
  it("the village assistant sees its village's banquets only, paged by date; the inspector sees the town; filters by date and tier", async () => {
    const qs = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan-V' });
    const inspector = await token(t, Role.INSPECTOR);
    const a = await file('Qingshan-V', 80, days(3));
    const b = await file('Qingshan-V', 150, days(4));
    const c = await file('Qingshan-V', 60, days(9));
    const other = await file('Baiyun-V', 80, days(3));

    const page1 = ok(await t.gql(LIST, { first: 2 }, qs)).banquets;
    expect(page1.nodes.map((n: { number: string }) => n.number)).toEqual([c, b]);
    expect(page1.nodes[0]).toMatchObject({ village: 'Qingshan-V', hostPhone: '13900001111', tier: 'HOST_FILES' });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = ok(await t.gql(LIST, { first: 2, after: page1.pageInfo.endCursor }, qs)).banquets;
    expect(page2.nodes.map((n: { number: string }) => n.number)).toEqual([a]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const foreign = await t.gql(LIST, { filter: { village: 'Baiyun-V' } }, qs);
    expect(foreign.errors?.[0]).toMatchObject({ message: 'This account may act only in its own village', extensions: { code: 'FORBIDDEN' } });
    const oneBanquet = await t.gql(`query($n: String!) { banquet(number: $n) { number } }`, { n: other }, qs);
    expect(oneBanquet.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const town = ok(await t.gql(LIST, { filter: { village: 'Baiyun-V' } }, inspector)).banquets;
    expect(town.nodes.map((n: { number: string }) => n.number)).toEqual([other]);
    const window = ok(await t.gql(LIST, { filter: { from: days(4), to: days(9), tier: 'HOST_FILES' } }, qs)).banquets;
    expect(window.nodes.map((n: { number: string }) => n.number)).toEqual([c]);
    const due = ok(await t.gql(`{ upcomingBanquets(days: 5) { number } }`, {}, qs)).upcomingBanquets.map((x: { number: string }) => x.number);
    expect(due).toEqual([a, b]);

    const bad = await t.gql(LIST, { filter: { from: '2026-02-30' } }, qs);
    expect(bad.errors?.[0]).toMatchObject({ message: 'filter.from: must be a date YYYY-MM-DD', extensions: { code: 'BAD_USER_INPUT' } });
    const cursor = await t.gql(LIST, { after: 'not-a-cursor' }, qs);
    expect(cursor.errors?.[0]).toMatchObject({ message: 'after: is not a cursor this list gave', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it("guidance follows the tier and the village; it may cite an inspection of the banquet's chef and photos on record", async () => {
    const qs = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan-G' });
    const by = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Baiyun-G' });
    const inspector = await token(t, Role.INSPECTOR);
    const chef = ok(await t.gql(CHEF, { input: { name: 'Chef Wang', village: 'Qingshan-G', healthCertificateNo: 'JK-9', healthCertificateExpiresOn: days(200) } }, f.regulator)).registerChef;
    const small = await file('Qingshan-G', 80, days(2), { chefs: [{ name: 'Chef Wang', cardNo: chef.registrationCardNo }] });
    const middle = await file('Qingshan-G', 150, days(2));
    const large = await file('Qingshan-G', 300, days(2));

    expect((await t.gql(GUIDE, { input: { number: small, note: 'x' } }, by)).errors?.[0]).toMatchObject({
      message: 'This account may act only in its own village', extensions: { code: 'FORBIDDEN' },
    });
    expect((await t.gql(GUIDE, { input: { number: middle, note: 'x' } }, qs)).errors?.[0]).toMatchObject({
      message: 'A TOWN_ON_SITE banquet is guided by INSPECTOR or REGULATOR or ADMIN', extensions: { code: 'FORBIDDEN' },
    });
    expect((await t.gql(GUIDE, { input: { number: large, note: 'x' } }, inspector)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(ok(await t.gql(GUIDE, { input: { number: middle, note: 'Kitchen checked' } }, inspector)).recordBanquetGuidance.status).toBe('GUIDED');
    expect(ok(await t.gql(GUIDE, { input: { number: large, note: 'County visit' } }, f.regulator)).recordBanquetGuidance.status).toBe('GUIDED');

    // a checklist for rural chefs, and an inspection of the banquet's chef on it
    const [tpl] = await t.sql(
      `insert into checklist_template (operator_kind, version, name_zh, name_en, items) values ('RURAL_CHEF', 1, '乡村厨师检查表', 'Rural chef checklist', $1::jsonb) returning id`,
      [JSON.stringify([{ code: 'HEALTH_CERT', severity: 'MAJOR', zh: '健康证有效', en: 'Health certificate valid' }])],
    );
    const photo = 'a'.repeat(64);
    await t.sql(`insert into field_photo (sha256, media_type, width, height, bytes) values ($1, 'image/jpeg', 10, 10, 100)`, [photo]);
    const insp = ok(await t.gql(`mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id outcome } }`, {
      input: { operatorId: chef.operatorId, templateId: String(tpl.id), answers: [{ code: 'HEALTH_CERT', answer: 'YES' }], photos: [photo], clientKey: 'bq-insp-1' },
    }, qs)).recordInspection;

    const guided = ok(await t.gql(GUIDE, { input: { number: small, note: 'Chef checked on site', inspectionId: insp.id, photos: [photo, photo] } }, qs)).recordBanquetGuidance;
    expect(guided).toEqual({ status: 'GUIDED', guidanceNote: 'Chef checked on site', guidanceInspectionId: insp.id, guidancePhotos: [photo] });

    const notChef = await t.gql(GUIDE, { input: { number: middle, note: 'x', inspectionId: insp.id } }, inspector);
    expect(notChef.errors?.[0]).toMatchObject({ message: `inspectionId: inspection ${insp.id} is not of a chef of banquet ${middle}`, extensions: { code: 'BAD_USER_INPUT' } });
    const missing = await t.gql(GUIDE, { input: { number: small, note: 'x', photos: ['b'.repeat(64)] } }, qs);
    expect(missing.errors?.[0]).toMatchObject({ message: `photos: photo ${'b'.repeat(64)} was not uploaded`, extensions: { code: 'BAD_USER_INPUT' } });
    const badName = await t.gql(GUIDE, { input: { number: small, note: 'x', photos: ['../etc'] } }, qs);
    expect(badName.errors?.[0]).toMatchObject({ message: 'photos[0]: must be the sha-256 name an upload answered', extensions: { code: 'BAD_USER_INPUT' } });
    const noInspection = await t.gql(GUIDE, { input: { number: small, note: 'x', inspectionId: '99999999' } }, qs);
    expect(noInspection.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
