import { sendReminders } from '../src/banquet/reminders';
import { Role } from '../src/entities/enums';
import { localDate } from '../src/local-time';
import { fanOutNotification } from '../src/tables/notification.table';
import { ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const FILE = `mutation($input: FileBanquetInput!) { fileBanquet(input: $input) { number village heldOn } }`;
const CHEF = `mutation($input: RegisterChefInput!) { registerChef(input: $input) { operatorId } }`;
const days = (n: number) => new Date(Date.parse(`${localDate(new Date(), 'Asia/Shanghai')}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function filing(village: string, heldOn: string) {
  return {
    hostName: 'Zhang San', hostPhone: '13900001111', village, kind: 'WEDDING', heldOn, meal: 'LUNCH', guests: 90,
    venue: 'Village hall', menu: 'Rice', chefs: [{ name: 'Chef Liu' }], ingredients: [{ name: 'Rice' }],
  };
}

async function outbox() {
  return t.sql<{ id: number; kind: string; subject: string; payload: Record<string, unknown>; audience: Record<string, unknown> }>(
    `select id, kind::text, subject, payload, audience from notification_outbox where kind in ('BANQUET_DUE', 'CHEF_CERTIFICATE_EXPIRING') order by id`,
  );
}

describe('reminders through the notification outbox', () => {
  it('reminds of each banquet due within three days and each chef certificate ending within 30 days, once, to whom it concerns', async () => {
    const soon = ok(await t.gql(FILE, { input: filing('Qingshan', days(2)) }, null)).fileBanquet;
    ok(await t.gql(FILE, { input: filing('Qingshan', days(10)) }, null));
    const ending = ok(await t.gql(CHEF, { input: { name: 'Chef Wang', healthCertificateNo: 'JK-7', healthCertificateExpiresOn: days(10) } }, f.regulator)).registerChef;
    ok(await t.gql(CHEF, { input: { name: 'Chef Zhao', healthCertificateNo: 'JK-8', healthCertificateExpiresOn: days(90) } }, f.regulator));

    const ctx = { em: t.orm.em.fork(), config: t.config };
    expect(await sendReminders(ctx)).toEqual({ banquets: 1, chefs: 1 });
    // claimed with their notifications: a second run, or another process, sends nothing again
    expect(await sendReminders({ em: t.orm.em.fork(), config: t.config })).toEqual({ banquets: 0, chefs: 0 });

    const rows = await outbox();
    expect(rows.map((r) => [r.kind, r.payload, r.audience])).toEqual([
      ['BANQUET_DUE', { number: soon.number, village: 'Qingshan', heldOn: days(2), guests: 90, tier: 'HOST_FILES' }, { villages: ['Qingshan'], roles: ['REGULATOR', 'ADMIN'] }],
      ['CHEF_CERTIFICATE_EXPIRING', { operatorId: Number(ending.operatorId), healthCertificateNo: 'JK-7', endsOn: days(10) }, { operatorIds: [Number(ending.operatorId)], roles: ['REGULATOR', 'ADMIN'] }],
    ]);
    expect(rows[0].subject).toBe(`宴席 ${soon.number} 将于 ${days(2)} 举办 / Banquet ${soon.number} on ${days(2)} (90 guests)`);
  });

  it("delivers a banquet reminder to the village's assistants and the town office, not to another village's", async () => {
    await token(t, Role.VILLAGE_ASSISTANT, { village: 'Qingshan' });
    await token(t, Role.VILLAGE_ASSISTANT, { village: 'Baiyun' });
    ok(await t.gql(FILE, { input: filing('Qingshan', days(1)) }, null));
    await sendReminders({ em: t.orm.em.fork(), config: t.config });
    const [row] = await outbox();
    const notices = await fanOutNotification({ em: t.orm.em.fork() }, row.id, row.kind as never, row.subject, row.audience);
    const reached = await t.sql<{ role: string; village: string | null }>(
      `select role, village from account where id = any($1::int[]) order by role, village`, [notices.map((n) => n.accountId)],
    );
    expect(reached.filter((a) => a.role === 'VILLAGE_ASSISTANT')).toEqual([{ role: 'VILLAGE_ASSISTANT', village: 'Qingshan' }]);
    expect(reached.some((a) => a.role === 'REGULATOR')).toBe(true);
  });

  it('reminds a chef again when a renewed certificate nears its new end, not before', async () => {
    const chef = ok(await t.gql(CHEF, { input: { name: 'Chef Wang', healthCertificateNo: 'JK-9', healthCertificateExpiresOn: days(5) } }, f.regulator)).registerChef;
    expect((await sendReminders({ em: t.orm.em.fork(), config: t.config })).chefs).toBe(1);
    await t.sql(`update rural_chef set health_certificate_expires_on = $1::date where operator_id = $2`, [days(200), chef.operatorId]);
    expect((await sendReminders({ em: t.orm.em.fork(), config: t.config })).chefs).toBe(0);
    await t.sql(`update rural_chef set health_certificate_expires_on = $1::date where operator_id = $2`, [days(20), chef.operatorId]);
    expect((await sendReminders({ em: t.orm.em.fork(), config: t.config })).chefs).toBe(1);
  });
});
