import { Role } from '../src/entities/enums';
import { makeOperator, ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const REGISTER = `mutation($input: RegisterSiteInput!) { registerSite(input: $input) { id kind location village status notes operatorId createdAt } }`;
const VISIT = `mutation($input: RecordSiteInspectionInput!) { recordSiteInspection(input: $input) { id siteId village activityFound findings } }`;
const RESOLVE = `mutation($input: ResolveSiteInput!) { resolveSite(input: $input) { id status operatorId resolutionNote } }`;
const SITES = `query($f: HazardSiteFilter, $first: Int, $after: String) { sites(filter: $f, first: $first, after: $after) { nodes { id village status } pageInfo { hasNextPage endCursor } } }`;

const warehouse = (over: Record<string, unknown> = {}) => ({
  kind: 'RENTED_WAREHOUSE', location: '青山村5组 rented warehouse behind the school', village: 'Qingshan', notes: 'Bean sprouts grown in buckets', clientKey: 'site-1', ...over,
});

describe('hazard sites', () => {
  it('are registered once per client key, visited, and registered as an operator; a closed site takes no visit', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    const first = ok(await t.gql(REGISTER, { input: warehouse() }, inspector)).registerSite;
    expect(first).toMatchObject({ kind: 'RENTED_WAREHOUSE', village: 'Qingshan', status: 'OPEN', operatorId: null });
    const again = ok(await t.gql(REGISTER, { input: warehouse() }, inspector)).registerSite;
    expect(again).toEqual(first);
    const other = await t.gql(REGISTER, { input: warehouse({ notes: 'else' }) }, inspector);
    expect(other.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['CONFLICT', 'clientKey site-1 was already used for a different site']]);
    expect(await t.sql(`select count(*)::int as n from hazard_site`)).toEqual([{ n: 1 }]);

    const visit = ok(await t.gql(VISIT, { input: { siteId: first.id, activityFound: true, findings: 'Sprouts with 6-BA', clientKey: 'sv-1' } }, inspector)).recordSiteInspection;
    expect(visit).toEqual({ id: expect.any(String), siteId: first.id, village: 'Qingshan', activityFound: true, findings: 'Sprouts with 6-BA' });
    expect(ok(await t.gql(VISIT, { input: { siteId: first.id, activityFound: true, findings: 'Sprouts with 6-BA', clientKey: 'sv-1' } }, inspector)).recordSiteInspection).toEqual(visit);

    const op = await makeOperator(t, f.admin, { kind: 'SMALL_WORKSHOP', name: 'Sprout workshop', creditCode: null, village: 'Qingshan' });
    const registered = ok(await t.gql(RESOLVE, { input: { siteId: first.id, operatorId: op.id } }, inspector)).resolveSite;
    expect(registered).toEqual({ id: first.id, status: 'REGISTERED', operatorId: op.id, resolutionNote: null });
    const twice = await t.gql(RESOLVE, { input: { siteId: first.id, note: 'gone' } }, inspector);
    expect(twice.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['CONFLICT', `Site ${first.id} is already REGISTERED`]]);
    const late = await t.gql(VISIT, { input: { siteId: first.id, activityFound: false, clientKey: 'sv-2' } }, inspector);
    expect(late.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['CONFLICT', `Site ${first.id} is REGISTERED`]]);
    expect(await t.sql(`select count(*)::int as n from site_inspection`)).toEqual([{ n: 1 }]);

    const detail = ok(await t.gql(`query($id: ID!) { site(id: $id) { site { status } visits { id } } }`, { id: first.id }, f.regulator)).site;
    expect(detail).toEqual({ site: { status: 'REGISTERED' }, visits: [{ id: visit.id }] });
  });

  it('closing needs a reason; bad input is refused and writes nothing', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    const s = ok(await t.gql(REGISTER, { input: warehouse({ kind: 'EMPTY_HOUSE', clientKey: 'site-2' }) }, inspector)).registerSite;
    const noReason = await t.gql(RESOLVE, { input: { siteId: s.id } }, inspector);
    expect(noReason.errors?.[0].message).toBe('note: say why the site is closed');
    const closed = ok(await t.gql(RESOLVE, { input: { siteId: s.id, note: 'Stopped; equipment removed' } }, inspector)).resolveSite;
    expect(closed).toEqual({ id: s.id, status: 'CLOSED', operatorId: null, resolutionNote: 'Stopped; equipment removed' });
    const blank = await t.gql(REGISTER, { input: warehouse({ location: '  ', clientKey: 'site-3' }) }, inspector);
    expect(blank.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const noPhoto = await t.gql(REGISTER, { input: warehouse({ photos: ['b'.repeat(64)], clientKey: 'site-4' }) }, inspector);
    expect(noPhoto.errors?.[0].message).toBe(`photos: photo ${'b'.repeat(64)} was not uploaded`);
    expect(await t.sql(`select count(*)::int as n from hazard_site`)).toEqual([{ n: 1 }]);
  });

  it('a village assistant registers, visits and sees only its own village; the list is keyset-paged', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    const assistant = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan' });
    const away = ok(await t.gql(REGISTER, { input: warehouse({ village: 'Baiyun', clientKey: 'away-1' }) }, inspector)).registerSite;
    const refused = await t.gql(REGISTER, { input: warehouse({ village: 'Baiyun', clientKey: 'va-1' }) }, assistant);
    expect(refused.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['FORBIDDEN', 'This account may act only in its own village']]);
    const visit = await t.gql(VISIT, { input: { siteId: away.id, activityFound: false, clientKey: 'va-2' } }, assistant);
    expect(visit.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const home1 = ok(await t.gql(REGISTER, { input: warehouse({ clientKey: 'home-1' }) }, assistant)).registerSite;
    const home2 = ok(await t.gql(REGISTER, { input: warehouse({ clientKey: 'home-2', kind: 'STREET_STALL' }) }, assistant)).registerSite;
    const page1 = ok(await t.gql(SITES, { first: 1 }, assistant)).sites;
    expect(page1.nodes).toEqual([{ id: home2.id, village: 'Qingshan', status: 'OPEN' }]);
    const page2 = ok(await t.gql(SITES, { first: 1, after: page1.pageInfo.endCursor }, assistant)).sites;
    expect(page2).toEqual({ nodes: [{ id: home1.id, village: 'Qingshan', status: 'OPEN' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
    expect((await t.gql(SITES, { f: { village: 'Baiyun' } }, assistant)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(ok(await t.gql(SITES, { f: { kind: 'STREET_STALL' } }, f.regulator)).sites.nodes.map((n: { id: string }) => n.id)).toEqual([home2.id]);
    expect(ok(await t.gql(SITES, {}, f.regulator)).sites.nodes).toHaveLength(3);
  });
});

describe('campaigns', () => {
  it('report what their period and village hold: inspections by outcome, sites found, visited, registered and closed', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    const [{ id: tpl }] = await t.sql(`select id from checklist_template where operator_kind = 'SMALL_WORKSHOP' and version = 1`);
    const items = ok(await t.gql(`query($id: ID!) { checklist(id: $id) { items { code } } }`, { id: String(tpl) }, f.regulator)).checklist.items;
    const op = await makeOperator(t, f.admin, { kind: 'SMALL_WORKSHOP', name: 'Tofu', creditCode: null, village: 'Qingshan' });
    const answers = (no: string | null) => items.map((i: { code: string }) => ({ code: i.code, answer: i.code === no ? 'NO' : 'YES', note: i.code === no ? 'seen' : null }));
    const RECORD = `mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }`;
    ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: String(tpl), answers: answers(null), clientKey: 'c-1' } }, inspector));
    ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: String(tpl), answers: answers('CLEAN'), clientKey: 'c-2' } }, inspector));
    ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: String(tpl), answers: answers(null), inspectedAt: '2026-01-05T00:00:00.000Z', clientKey: 'c-old' } }, inspector));
    const s1 = ok(await t.gql(REGISTER, { input: warehouse({ clientKey: 'cs-1' }) }, inspector)).registerSite;
    const s2 = ok(await t.gql(REGISTER, { input: warehouse({ clientKey: 'cs-2' }) }, inspector)).registerSite;
    ok(await t.gql(REGISTER, { input: warehouse({ village: 'Baiyun', clientKey: 'cs-3' }) }, inspector));
    ok(await t.gql(VISIT, { input: { siteId: s1.id, activityFound: true, clientKey: 'cv-1' } }, inspector));
    ok(await t.gql(VISIT, { input: { siteId: s2.id, activityFound: false, clientKey: 'cv-2' } }, inspector));
    ok(await t.gql(RESOLVE, { input: { siteId: s1.id, operatorId: op.id } }, inspector));
    ok(await t.gql(RESOLVE, { input: { siteId: s2.id, note: 'Nothing there' } }, inspector));

    const now = Date.now();
    const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id name village report { inspections passed putRight serious sitesFound siteVisits siteVisitsWithActivity sitesRegistered sitesClosed } } }`;
    const period = { startsAt: new Date(now - 86_400_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() };
    const village = ok(await t.gql(CREATE, { input: { name: '青山村黑作坊整治', village: 'Qingshan', ...period } }, f.regulator)).createCampaign;
    expect(village.report).toEqual({ inspections: 2, passed: 1, putRight: 1, serious: 0, sitesFound: 2, siteVisits: 2, siteVisitsWithActivity: 1, sitesRegistered: 1, sitesClosed: 1 });
    const town = ok(await t.gql(CREATE, { input: { name: 'Town-wide', ...period } }, f.regulator)).createCampaign;
    expect(town.report.sitesFound).toBe(3);
    const listed = ok(await t.gql(`query { campaigns { name report { inspections } } }`, {}, inspector)).campaigns;
    expect(listed.map((c: { name: string }) => c.name).sort()).toEqual(['Town-wide', '青山村黑作坊整治']);
    const bad = await t.gql(CREATE, { input: { name: 'x', startsAt: period.endsAt, endsAt: period.startsAt } }, f.regulator);
    expect(bad.errors?.[0].message).toBe('endsAt: must be after startsAt');
    expect((await t.gql(CREATE, { input: { name: 'x', ...period } }, inspector)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('campaign periods', () => {
  it('lie within 2000 to 2100', async () => {
    const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`;
    const res = await t.gql(CREATE, { input: { name: 'x', startsAt: '1999-12-31T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z' } }, f.regulator);
    expect(res.errors?.map((e) => e.message)).toEqual(['startsAt: must be between 2000 and 2100']);
    const far = await t.gql(CREATE, { input: { name: 'x', startsAt: '2026-11-01T00:00:00.000Z', endsAt: '9999-12-31T23:59:59.999Z' } }, f.regulator);
    expect(far.errors?.map((e) => e.message)).toEqual(['endsAt: must be between 2000 and 2100']);
  });
});
