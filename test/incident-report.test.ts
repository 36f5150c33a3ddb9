import { DEFAULT_LIMITS } from '../src/config';
import { makeBatch, makeOperator, ok } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp({ config: { limits: { ...DEFAULT_LIMITS, reportsPerWindow: 3 } } });

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (fields: Record<string, string>, ip = '203.0.113.9', lang = 'en') =>
  t.app.fastify.inject({ method: 'POST', url: `/report?lang=${lang}`, remoteAddress: ip, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });

const VALID = { kind: 'FOOD_POISONING', occurredAt: '2026-11-29T12:30', village: 'Qingshan', placeRef: 'Wang family banquet', peopleIll: '4', description: 'Stomach ache after the banquet', contact: '13800000001' };

beforeEach(async () => {
  await t.sql('truncate notification_outbox cascade');
});

describe('/report', () => {
  it('shows the form in Chinese and English, with no script and the page headers', async () => {
    const zh = await t.app.fastify.inject({ method: 'GET', url: '/report' });
    expect([zh.statusCode, zh.headers['content-language'], zh.headers['cache-control']]).toEqual([200, 'zh-CN', 'no-cache']);
    expect(zh.body).toContain('<h1>食品安全投诉举报</h1>');
    expect(zh.body).toContain('<form class="card" method="post" action="/report?lang=zh" id="report-form">');
    expect(zh.body).not.toContain('<script');
    const en = await t.app.fastify.inject({ method: 'GET', url: '/report?lang=en' });
    expect(en.body).toContain('<h1>Report a food-safety problem</h1>');
  });

  it("records an anonymous report with its suspect traced; the office's read of the contact is audited", async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Green Valley Farm' });
    const lot = await makeBatch(t, f.admin, farm.id, { lotCode: 'GV-2' });
    const res = await post({ ...VALID, suspectCode: lot.publicCode });
    expect(res.statusCode).toBe(201);
    expect(res.body).toContain('<p class="card" id="report-number">Your report number is 1. The food-safety office will look into it.</p>');
    const [row] = await t.sql(`select kind, place_kind, village, place_ref, people_ill, reported_by_id, reporter_name, contact, drill, occurred_at, finding->'commonSources' as sources from incident`);
    expect(row).toEqual({
      kind: 'FOOD_POISONING', place_kind: 'VILLAGE', village: 'Qingshan', place_ref: 'Wang family banquet', people_ill: 4, reported_by_id: null, reporter_name: null,
      contact: '13800000001', drill: false, occurred_at: new Date('2026-11-29T04:30:00.000Z'), // 12:30 China Standard Time
      sources: [{ batchId: Number(lot.id), publicCode: lot.publicCode, productName: 'Bok choy', lotCode: 'GV-2', ownerId: Number(farm.id), ownerName: 'Green Valley Farm' }],
    });
    expect(await t.sql(`select kind, audience from notification_outbox`)).toEqual([{ kind: 'INCIDENT_REPORTED', audience: { roles: ['REGULATOR', 'ADMIN'] } }]);

    const [{ last }] = await t.sql(`select coalesce(max(id), 0) as last from audit_event`);
    expect(ok(await t.gql(`{ incident(id: 1) { contact reportedById } }`, {}, f.regulator)).incident).toEqual({ contact: '13800000001', reportedById: null });
    expect(await t.sql(`select kind, operation, personal_data from audit_event where id > $1`, [last])).toEqual([
      { kind: 'READ', operation: 'incident', personal_data: [{ type: 'Incident', field: 'contact', id: 1 }] },
    ]);
  });

  it('keeps what was typed and names the field to fix; writes nothing', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ kind: 'FAILED_TEST' }, 'kind'],
      [{ occurredAt: 'yesterday' }, 'occurredAt'],
      [{ occurredAt: '2999-01-01T10:00' }, 'occurredAt: must not be in the future'],
      [{ peopleIll: 'many' }, 'peopleIll'],
      [{ description: ' ' }, 'description: must not be empty'],
      [{ village: '' }, 'village: is required when the place is a village'],
    ];
    for (const [over, message] of cases) {
      const res = await post({ ...VALID, ...over }, `198.51.100.${cases.findIndex(([o]) => o === over)}`);
      expect([res.statusCode, /<p class="banner warn" role="alert" id="report-error">Please check: ([^<]*)<\/p>/.exec(res.body)?.[1]]).toEqual([400, message]);
      expect(res.body).toContain('value="Wang family banquet"');
    }
    expect(await t.sql('select count(*)::int as n from incident')).toEqual([{ n: 0 }]);
  });

  it('sends are limited per address by their own budget; reading the form is not', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(VALID, '192.0.2.50')).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect((await post(VALID, '192.0.2.51')).statusCode).toBe(201);
    expect((await t.app.fastify.inject({ method: 'GET', url: '/report', remoteAddress: '192.0.2.50' })).statusCode).toBe(200);
    expect(await t.sql('select count(*)::int as n from incident')).toEqual([{ n: 4 }]);
  });
});
