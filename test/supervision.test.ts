import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createAccount } from '../src/auth/account.service';
import { Role } from '../src/entities/enums';
import { chargeOverdueOrders } from '../src/supervision/inspection.service';
import { makeOperator, ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp({ config: { dataDir: mkdtempSync(join(tmpdir(), 'foodtrace-photos-')) } });

const RECORD = `mutation($input: RecordInspectionInput!) { recordInspection(input: $input) {
  id operatorId village templateVersion outcome points creditEventId rectificationOrderId photos answers { code answer note severity } } }`;

/** The seeded first version (templates outlive the per-test reset: a test may have added a later one). */
async function workshopTemplate(): Promise<{ id: string; version: number; items: { code: string; severity: string }[] }> {
  const [{ id }] = await t.sql(`select id from checklist_template where operator_kind = 'SMALL_WORKSHOP' and version = 1`);
  return ok(await t.gql(`query($id: ID!) { checklist(id: $id) { id version items { code severity } } }`, { id: String(id) }, f.regulator)).checklist;
}

function allYes(items: { code: string }[], over: Record<string, string> = {}) {
  return items.map((i) => ({ code: i.code, answer: over[i.code] ?? 'YES', ...(over[i.code] === 'NO' ? { note: 'seen on site' } : {}) }));
}

async function workshop(village = 'Qingshan') {
  return makeOperator(t, f.admin, { kind: 'SMALL_WORKSHOP', name: `Tofu workshop ${village}`, creditCode: null, village });
}

async function upload(tok: string | null, data: Buffer, filename = 'p.jpg', contentType = 'image/jpeg') {
  const boundary = '----foodtraceBoundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="photo"; filename="${filename}"\r\ncontent-type: ${contentType}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.fastify.inject({
    method: 'POST', url: '/inspect/photos', payload: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
  });
}

describe('accounts of field staff', () => {
  it('a village assistant needs its village, and no other role takes one', async () => {
    const db = { em: t.orm.em.fork() };
    await expect(createAccount(db, { name: 'Assistant', role: Role.VILLAGE_ASSISTANT })).rejects.toThrow('village: is required for VILLAGE_ASSISTANT');
    await expect(createAccount(db, { name: 'Inspector', role: Role.INSPECTOR, village: 'Qingshan' })).rejects.toThrow('village: is only for VILLAGE_ASSISTANT');
    const { account } = await createAccount(db, { name: 'Assistant', role: Role.VILLAGE_ASSISTANT, village: 'Qingshan' });
    expect(account).toMatchObject({ role: 'VILLAGE_ASSISTANT', village: 'Qingshan', marketId: null, operatorId: null });
    await expect(t.sql(`update account set village = null where id = $1`, [account.id])).rejects.toThrow(/account_village_check/);
  });
});

describe('checklists', () => {
  it('are seeded for each kind with items in zh and en, and a template never changes: a new version is a new row', async () => {
    const all = ok(await t.gql(`query { checklists { operatorKind version items { code zh en severity } } }`, {}, f.regulator)).checklists;
    expect(all.map((c: { operatorKind: string }) => c.operatorKind).sort()).toEqual(
      ['CANTEEN', 'COOPERATIVE', 'DAIRY_FARM', 'FARM', 'MARKET_VENDOR', 'PROCESSOR', 'SMALL_WORKSHOP', 'STREET_VENDOR', 'WHOLESALER']);
    const canteen = all.find((c: { operatorKind: string }) => c.operatorKind === 'CANTEEN');
    expect(canteen.items.find((i: { code: string }) => i.code === 'SAMPLES')).toEqual({
      code: 'SAMPLES', severity: 'CRITICAL', zh: '每餐每样留样不少于125克，密封冷藏48小时以上并记录',
      en: 'Every dish of every meal sampled, at least 125 g, sealed, refrigerated at least 48 hours, recorded',
    });
    await expect(t.sql(`update checklist_template set name_en = 'x' where operator_kind = 'CANTEEN'`)).rejects.toThrow(/never changed/);
  });
});

describe('recordInspection', () => {
  it('a pass writes INSPECTION_CLEAN; faults give PUT_RIGHT or SERIOUS with points by severity, an order and the deduction in one go', async () => {
    const op = await workshop();
    const tpl = await workshopTemplate();
    const inspector = await token(t, Role.INSPECTOR);
    const pass = ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items), clientKey: 'k-pass' } }, inspector)).recordInspection;
    expect(pass).toMatchObject({ outcome: 'PASS', points: 0, rectificationOrderId: null, village: 'Qingshan', templateVersion: tpl.version });
    const minor = ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items, { CLEAN: 'NO', LABEL: 'NO', LAYOUT: 'NO' }), clientKey: 'k-minor' } }, inspector)).recordInspection;
    // MINOR 2 + MINOR 2 + MAJOR 5 = 9
    expect(minor).toMatchObject({ outcome: 'PUT_RIGHT', points: -9, rectificationOrderId: expect.any(String) });
    const serious = ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items, { NO_BANNED: 'NO', NO_EXPIRED: 'NO' }), clientKey: 'k-serious' } }, inspector)).recordInspection;
    expect(serious).toMatchObject({ outcome: 'SERIOUS', points: -30 });
    const events = await t.sql(`select rule_code, points, source, source_ref from credit_event where operator_id = $1 order by seq`, [Number(op.id)]);
    expect(events).toEqual([
      { rule_code: 'INSPECTION_CLEAN', points: 0, source: 'INSPECTION', source_ref: `field-inspection:${pass.id}` },
      { rule_code: 'INSPECTION_VIOLATION', points: -9, source: 'INSPECTION', source_ref: `field-inspection:${minor.id}` },
      { rule_code: 'INSPECTION_VIOLATION', points: -30, source: 'INSPECTION', source_ref: `field-inspection:${serious.id}` },
    ]);
    expect(await t.sql(`select credit_score from operator where id = $1`, [Number(op.id)])).toEqual([{ credit_score: 61 }]);
    const [order] = await t.sql(`select items, status from rectification_order where id = $1`, [Number(minor.rectificationOrderId)]);
    expect(order.status).toBe('OPEN');
    expect(order.items.map((i: { code: string }) => i.code)).toEqual(['LAYOUT', 'LABEL', 'CLEAN']);
  });

  it('a resend with the same client key records once and answers the same; the key with other answers is a CONFLICT', async () => {
    const op = await workshop();
    const tpl = await workshopTemplate();
    const inspector = await token(t, Role.INSPECTOR);
    const input = { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items, { CLEAN: 'NO' }), clientKey: 'phone-1:42', inspectedAt: '2026-11-20T02:00:00.000Z' };
    const first = await t.gql(RECORD, { input }, inspector);
    const [again, twice] = await Promise.all([t.gql(RECORD, { input }, inspector), t.gql(RECORD, { input }, inspector)]);
    expect(again.data).toEqual(first.data);
    expect(twice.data).toEqual(first.data);
    expect(await t.sql(`select count(*)::int as n from field_inspection`)).toEqual([{ n: 1 }]);
    expect(await t.sql(`select count(*)::int as n from credit_event`)).toEqual([{ n: 1 }]);
    expect(await t.sql(`select count(*)::int as n from rectification_order`)).toEqual([{ n: 1 }]);
    const other = await t.gql(RECORD, { input: { ...input, answers: allYes(tpl.items) } }, inspector);
    expect(other.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['CONFLICT', 'clientKey phone-1:42 was already used for a different inspection']]);
  });

  it('a village assistant inspects in its own village only and sees only its village', async () => {
    const home = await workshop('Qingshan');
    const away = await workshop('Baiyun');
    const tpl = await workshopTemplate();
    const assistant = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan' });
    ok(await t.gql(RECORD, { input: { operatorId: home.id, templateId: tpl.id, answers: allYes(tpl.items), clientKey: 'va-1' } }, assistant));
    const refused = await t.gql(RECORD, { input: { operatorId: away.id, templateId: tpl.id, answers: allYes(tpl.items), clientKey: 'va-2' } }, assistant);
    expect(refused).toEqual({ status: 200, data: null, errors: [expect.objectContaining({ message: 'This account may act only in its own village', extensions: { code: 'FORBIDDEN' } })] });
    expect(await t.sql(`select count(*)::int as n from field_inspection where client_key = 'va-2'`)).toEqual([{ n: 0 }]);
    ok(await t.gql(RECORD, { input: { operatorId: away.id, templateId: tpl.id, answers: allYes(tpl.items), clientKey: 'insp-1' } }, f.regulator));
    const list = `query($f: FieldInspectionFilter) { inspections(filter: $f, first: 10) { nodes { operatorId village } pageInfo { hasNextPage } } }`;
    expect(ok(await t.gql(list, {}, assistant)).inspections.nodes).toEqual([{ operatorId: home.id, village: 'Qingshan' }]);
    const other = await t.gql(list, { f: { village: 'Baiyun' } }, assistant);
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(ok(await t.gql(list, {}, f.regulator)).inspections.nodes.map((n: { village: string }) => n.village)).toEqual(['Baiyun', 'Qingshan']);
  });

  it('refuses answers that do not fit the checklist, and a checklist for another kind, writing nothing', async () => {
    const op = await workshop();
    const tpl = await workshopTemplate();
    const inspector = await token(t, Role.INSPECTOR);
    const missing = await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items).slice(1), clientKey: 'bad-1' } }, inspector);
    expect(missing.errors?.[0].message).toBe('answers: answer every item; missing LICENCE');
    const [canteen] = await t.sql(`select id from checklist_template where operator_kind = 'CANTEEN'`);
    const wrongKind = await t.gql(RECORD, { input: { operatorId: op.id, templateId: String(canteen.id), answers: [], clientKey: 'bad-2' } }, inspector);
    expect(wrongKind.errors?.[0].message).toBe(`templateId: checklist ${canteen.id} is for CANTEEN, the operator is SMALL_WORKSHOP`);
    expect(await t.sql(`select count(*)::int as n from field_inspection`)).toEqual([{ n: 0 }]);
  });

  it('keeps a past inspection as it was when a new checklist version is added', async () => {
    const op = await workshop();
    const tpl = await workshopTemplate();
    const inspector = await token(t, Role.INSPECTOR);
    const first = ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items), clientKey: 'v-1' } }, inspector)).recordInspection;
    await t.sql(`insert into checklist_template (operator_kind, version, name_zh, name_en, items)
                 select 'SMALL_WORKSHOP', max(version) + 1, '新版', 'New', '[{"code":"LICENCE","severity":"CRITICAL","zh":"新","en":"Changed wording"}]'
                   from checklist_template where operator_kind = 'SMALL_WORKSHOP'`);
    const latest = ok(await t.gql(`query { checklists(kind: SMALL_WORKSHOP) { version items { code } } }`, {}, f.regulator)).checklists;
    expect(latest).toEqual([{ version: expect.any(Number), items: [{ code: 'LICENCE' }] }]);
    expect(latest[0].version).toBeGreaterThan(tpl.version);
    const listed = ok(await t.gql(`query { inspections(first: 5) { nodes { id templateVersion answers { code en severity } } } }`, {}, f.regulator)).inspections.nodes;
    expect(listed).toEqual([{ id: first.id, templateVersion: tpl.version, answers: expect.arrayContaining([{ code: 'LICENCE', en: 'Valid licence or registration card, displayed', severity: 'MAJOR' }]) }]);
  });
});

describe('photos', () => {
  it('stores a real JPEG without its location, content-addressed, with a thumbnail, shown only to those allowed', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c08040' } })
      .withExif({ IFD0: { Copyright: 'camera 1234' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 10/1 0/1' } }).jpeg().toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const res = await upload(inspector, jpeg);
    expect(res.statusCode).toBe(201);
    const photo = res.json();
    expect(photo).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), mediaType: 'image/jpeg', width: 640, height: 480, bytes: expect.any(Number) });
    const full = await t.app.fastify.inject({ url: `/inspect/photos/${photo.sha256}.jpg`, headers: { authorization: `Bearer ${inspector}` } });
    expect(full.statusCode).toBe(200);
    expect(require('node:crypto').createHash('sha256').update(full.rawPayload).digest('hex')).toBe(photo.sha256);
    const meta = await sharp(full.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['jpeg', 640, 480, undefined]);
    const thumb = await t.app.fastify.inject({ url: `/inspect/photos/${photo.sha256}.thumb.jpg`, headers: { authorization: `Bearer ${inspector}` } });
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(320);
    expect((await t.app.fastify.inject({ url: `/inspect/photos/${photo.sha256}.jpg` })).statusCode).toBe(401);
    const other = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Baiyun' });
    expect((await t.app.fastify.inject({ url: `/inspect/photos/${photo.sha256}.jpg`, headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(403);

    // the inspection names it; a village assistant of that village may then see it
    const op = await workshop('Baiyun');
    const tpl = await workshopTemplate();
    const done = ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items), photos: [photo.sha256], clientKey: 'ph-1' } }, inspector)).recordInspection;
    expect(done.photos).toEqual([photo.sha256]);
    expect((await t.app.fastify.inject({ url: `/inspect/photos/${photo.sha256}.jpg`, headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(200);
  });

  it('refuses a file of the wrong type, a broken image, one too large, and a name never uploaded; nothing is recorded', async () => {
    const inspector = await token(t, Role.INSPECTOR);
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    const wrong = await upload(inspector, gif, 'x.jpg');
    expect([wrong.statusCode, wrong.json().error]).toEqual([400, { code: 'BAD_USER_INPUT', message: 'photo: must be a JPEG, PNG or WebP image', field: 'photo' }]);
    const broken = await upload(inspector, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]));
    expect([broken.statusCode, broken.json().error.message]).toEqual([400, 'photo: is not a readable JPEG image']);
    const big = await upload(inspector, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(8 * 1024 * 1024, 1)]));
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'BAD_USER_INPUT']);
    expect(await t.sql(`select count(*)::int as n from field_photo`)).toEqual([{ n: 0 }]);
    const op = await workshop();
    const tpl = await workshopTemplate();
    const res = await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items), photos: ['a'.repeat(64)], clientKey: 'ph-2' } }, inspector);
    expect(res.errors?.[0].message).toBe(`photos: photo ${'a'.repeat(64)} was not uploaded`);
    const gate = await upload(await token(t, Role.REGULATOR), gif);
    expect(gate.statusCode).toBe(400);
    expect((await upload(null, gif)).statusCode).toBe(401);
  });
});

describe('rectification', () => {
  const RECHECK = `mutation($input: RecordRecheckInput!) { recordRecheck(input: $input) { id status overdueEventId recheckNote } }`;

  it('the operator answers its order, a re-check closes it; an overdue order is listed and charged once', async () => {
    const op = await workshop();
    const tpl = await workshopTemplate();
    const inspector = await token(t, Role.INSPECTOR);
    const owner = await token(t, Role.OPERATOR, { operatorId: op.id });
    const onTime = ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items, { CLEAN: 'NO' }), clientKey: 'r-1' } }, inspector)).recordInspection;
    const late = ok(await t.gql(RECORD, {
      input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items, { LABEL: 'NO' }), inspectedAt: '2026-10-01T00:00:00.000Z', clientKey: 'r-2' },
    }, inspector)).recordInspection;

    const answered = ok(await t.gql(`mutation($input: AnswerRectificationInput!) { answerRectification(input: $input) { id operatorNote } }`,
      { input: { orderId: onTime.rectificationOrderId, note: 'Floor cleaned, bins covered' } }, owner)).answerRectification;
    expect(answered.operatorNote).toBe('Floor cleaned, bins covered');

    const overdue = ok(await t.gql(`query { rectificationOrders(filter: { overdue: true }) { nodes { id status } } }`, {}, f.regulator)).rectificationOrders.nodes;
    expect(overdue).toEqual([{ id: late.rectificationOrderId, status: 'OPEN' }]);
    const ctx = { em: t.orm.em.fork(), viewer: { accountId: null, name: null, role: Role.REGULATOR, marketId: null, operatorId: null }, config: t.config } as never;
    const [once, twice] = await Promise.all([chargeOverdueOrders(ctx), chargeOverdueOrders(ctx)]);
    expect([...once, ...twice]).toEqual([Number(late.rectificationOrderId)]);
    expect(await chargeOverdueOrders(ctx)).toEqual([]);
    expect(await t.sql(`select count(*)::int as n from credit_event where rule_code = 'RECTIFICATION_OVERDUE'`)).toEqual([{ n: 1 }]);

    const closed = ok(await t.gql(RECHECK, { input: { orderId: onTime.rectificationOrderId, resolved: true, note: 'Clean now', clientKey: 'rc-1' } }, inspector)).recordRecheck;
    expect(closed).toEqual({ id: onTime.rectificationOrderId, status: 'CLOSED', overdueEventId: null, recheckNote: 'Clean now' });
    expect(ok(await t.gql(RECHECK, { input: { orderId: onTime.rectificationOrderId, resolved: true, note: 'Clean now', clientKey: 'rc-1' } }, inspector)).recordRecheck).toEqual(closed);
    const again = await t.gql(RECHECK, { input: { orderId: onTime.rectificationOrderId, resolved: false, clientKey: 'rc-2' } }, inspector);
    expect(again.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);

    const escalated = ok(await t.gql(RECHECK, { input: { orderId: late.rectificationOrderId, resolved: false, clientKey: 'rc-3' } }, inspector)).recordRecheck;
    expect(escalated.status).toBe('ESCALATED');
    // charged when it fell overdue, not again at the re-check
    expect(await t.sql(`select count(*)::int as n from credit_event where rule_code = 'RECTIFICATION_OVERDUE'`)).toEqual([{ n: 1 }]);
  });
});

describe('operatorsToInspect', () => {
  const FIND = `query($s: String, $first: Int) { operatorsToInspect(search: $s, first: $first) { id name village publicCode } }`;

  it('finds by the card QR text, a card number or part of a name; a village assistant only in its village', async () => {
    const home = await workshop('Qingshan');
    const away = await workshop('Baiyun');
    const inspector = await token(t, Role.INSPECTOR);
    const byQr = ok(await t.gql(FIND, { s: `https://town.example/o/${home.publicCode}` }, inspector)).operatorsToInspect;
    expect(byQr).toEqual([{ id: home.id, name: home.name, village: 'Qingshan', publicCode: home.publicCode }]);
    const [{ registration_card_no: cardNo }] = await t.sql(`select registration_card_no from operator where id = $1`, [Number(away.id)]);
    expect(ok(await t.gql(FIND, { s: cardNo }, inspector)).operatorsToInspect.map((o: { id: string }) => o.id)).toEqual([away.id]);
    expect(ok(await t.gql(FIND, { s: 'tofu WORKSHOP' }, inspector)).operatorsToInspect.map((o: { id: string }) => o.id)).toEqual([away.id, home.id]);
    expect(ok(await t.gql(FIND, { s: '100%_' }, inspector)).operatorsToInspect).toEqual([]);
    const assistant = await token(t, Role.VILLAGE_ASSISTANT, { village: 'Baiyun' });
    expect(ok(await t.gql(FIND, {}, assistant)).operatorsToInspect.map((o: { id: string }) => o.id)).toEqual([away.id]);
    expect(ok(await t.gql(FIND, { s: `/o/${home.publicCode}` }, assistant)).operatorsToInspect).toEqual([]);
    const tooMany = await t.gql(FIND, { first: 501 }, inspector);
    expect(tooMany.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'first: must be between 1 and 500']]);
    const operatorAccount = await token(t, Role.OPERATOR, { operatorId: home.id });
    expect((await t.gql(FIND, {}, operatorAccount)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe('what recorded inspections show', () => {
  it('the public card shows the date and outcome of the latest three inspections, nothing more, on the page and in GraphQL', async () => {
    const op = await workshop();
    const tpl = await workshopTemplate();
    const inspector = await token(t, Role.INSPECTOR);
    const at = (d: string) => `2026-${d}T02:00:00.000Z`;
    for (const [key, day, no] of [['card-1', '08-01', null], ['card-2', '09-01', 'CLEAN'], ['card-3', '10-01', 'NO_BANNED'], ['card-4', '11-01', null]] as const) {
      ok(await t.gql(RECORD, { input: { operatorId: op.id, templateId: tpl.id, answers: allYes(tpl.items, no ? { [no]: 'NO' } : {}), inspectedAt: at(day), clientKey: key } }, inspector));
    }
    const card = ok(await t.gql(`query($c: String!) { operatorCard(code: $c) { name latestInspections { inspectedAt outcome } } }`, { c: op.publicCode }, null)).operatorCard;
    expect(card).toEqual({
      name: op.name,
      latestInspections: [
        { inspectedAt: at('11-01'), outcome: 'PASS' }, { inspectedAt: at('10-01'), outcome: 'SERIOUS' }, { inspectedAt: at('09-01'), outcome: 'PUT_RIGHT' },
      ],
    });
    expect(ok(await t.gql(`query { operatorCard(code: "nosuchcode0001") { name } }`, {}, null)).operatorCard).toBeNull();
    const page = await t.app.fastify.inject({ url: `/o/${op.publicCode}?lang=en` });
    expect(page.statusCode).toBe(200);
    const section = /<section class="card" id="inspections">([\s\S]*?)<\/section>/.exec(page.body)![1];
    expect(section.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())
      .toBe('Latest on-site inspections 1 Nov 2026 · Pass 1 Oct 2026 · Serious 1 Sept 2026 · Put right');
    // no findings, notes or photos of an inspection reach the public page
    expect(page.body).not.toContain('seen on site');
  });

  it('inspectionPlan shows which due operators were inspected in the month and what was found', async () => {
    const done = await workshop('Qingshan');
    const due = await workshop('Baiyun');
    const tpl = await workshopTemplate();
    const inspector = await token(t, Role.INSPECTOR);
    ok(await t.gql(RECORD, { input: { operatorId: done.id, templateId: tpl.id, answers: allYes(tpl.items, { CLEAN: 'NO' }), inspectedAt: '2026-11-10T02:00:00.000Z', clientKey: 'plan-1' } }, inspector));
    const plan = ok(await t.gql(`query { inspectionPlan(month: "2026-11") { operatorId inspectionsInMonth doneAt doneOutcome } }`, {}, f.regulator)).inspectionPlan;
    const mine = plan.filter((p: { operatorId: string }) => [done.id, due.id].includes(p.operatorId))
      .sort((a: { operatorId: string }, b: { operatorId: string }) => Number(a.operatorId) - Number(b.operatorId));
    expect(mine).toEqual([
      { operatorId: done.id, inspectionsInMonth: 1, doneAt: '2026-11-10T02:00:00.000Z', doneOutcome: 'PUT_RIGHT' },
      { operatorId: due.id, inspectionsInMonth: 0, doneAt: null, doneOutcome: null },
    ]);
  });
});
