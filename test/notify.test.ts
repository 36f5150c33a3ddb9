import WebSocket from 'ws';
import { Role } from '../src/entities/enums';
import { deliverOutboxEvent } from '../src/notify/delivery';
import { FANOUT_QUEUE, startNotificationQueue, type NotificationQueue } from '../src/notify/queue';
import { makeBatch, makeMarket, makeOperator, ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const live = useTestApp({ listen: true });
const { t, f } = live;

const RECALL = `mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`;
const INBOX = `query($first: Int, $after: String, $unreadOnly: Boolean) { notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
  unread edges { node { id eventId kind subject payload readAt } } pageInfo { hasNextPage endCursor } } }`;
const READ = `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`;
const quiet = { error: () => undefined, warn: () => undefined };

let queue: NotificationQueue | null = null;
const start = async (over: Partial<Parameters<typeof startNotificationQueue>[0]> = {}) => {
  queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, hub: t.app.notificationHub, log: quiet, sweepMs: 200, retryDelaySeconds: 1, ...over });
  return queue;
};
afterEach(async () => {
  await queue?.stop();
  queue = null;
});
beforeEach(async () => {
  // outbox ids are not restarted: a job id names its event for as long as the queue keeps the job
  await t.sql('truncate notification_outbox cascade');
});

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const inboxCount = async () => (await t.sql(`select count(*)::int as n from notification`))[0].n as number;

/** A farm lot sold at a market: the farm, the market's gate clerk and a bystander farm, each with an account. */
async function scene() {
  const farm = await makeOperator(t, f.admin, { name: 'Green Valley Farm' });
  const other = await makeOperator(t, f.admin, { name: 'Other Farm' });
  const market = await makeMarket(t, f.admin, 'East Market');
  const farmer = await token(t, Role.OPERATOR, { operatorId: farm.id });
  const bystander = await token(t, Role.OPERATOR, { operatorId: other.id });
  const clerk = await token(t, Role.GATE_STAFF, { marketId: market.id });
  const batch = await makeBatch(t, f.admin, farm.id, { lotCode: 'GV-9' });
  return { farm, other, market, farmer, bystander, clerk, batch };
}

function openSocket(protocols?: string[]): Promise<{ ws: WebSocket; messages: Record<string, unknown>[]; closed: Promise<number> }> {
  const ws = new WebSocket(`${live.base.replace('http', 'ws')}/notifications/live`, protocols);
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, messages, closed }));
    ws.on('error', reject);
  });
}

describe('notifications', () => {
  it('a recall reaches the office and the affected operator, once each, live and in the inbox; a bystander is not told', async () => {
    const s = await scene();
    await start();
    const farmerLive = await openSocket();
    farmerLive.ws.send(JSON.stringify({ type: 'auth', token: s.farmer }));
    await until('ready', async () => farmerLive.messages.find((m) => m.type === 'ready'));
    expect(farmerLive.messages).toEqual([{ type: 'ready', accountId: expect.any(Number), unread: 0 }]);

    ok(await t.gql(RECALL, { input: { batchId: s.batch.id, reason: 'Residue above the limit' } }, f.regulator));
    // the farm's account, the admin and the regulator; no gate entries reached the market, and the bystander is not told
    await until('fan-out', async () => (await inboxCount()) === 3);
    const notice = await until('live notice', async () => farmerLive.messages.find((m) => m.type === 'notification'));
    expect(notice).toEqual({ type: 'notification', id: expect.any(Number), eventId: expect.any(Number), kind: 'RECALL_STARTED', subject: '召回 Recall: Bok choy GV-9 — Residue above the limit' });

    const inbox = ok(await t.gql(INBOX, {}, s.farmer)).notifications;
    expect(inbox).toEqual({
      unread: 1,
      edges: [{ node: {
        id: String(notice.id), eventId: String(notice.eventId), kind: 'RECALL_STARTED', subject: '召回 Recall: Bok choy GV-9 — Residue above the limit', readAt: null,
        payload: { recallId: 1, batchId: Number(s.batch.id), batchCode: s.batch.publicCode, productName: 'Bok choy', lotCode: 'GV-9', reason: 'Residue above the limit', batches: 1 },
      } }],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
    expect(ok(await t.gql(INBOX, {}, s.bystander)).notifications).toEqual({ unread: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(ok(await t.gql(INBOX, {}, s.clerk)).notifications.unread).toBe(0);

    // delivering the same event again, directly or by a second job, adds nothing and announces nothing
    expect(await deliverOutboxEvent(t.orm, Number(notice.eventId))).toEqual({ notices: [], webhooks: [] });
    await queue!.boss.send(FANOUT_QUEUE, { outboxId: Number(notice.eventId) });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inboxCount()).toBe(3);
    expect(farmerLive.messages.filter((m) => m.type === 'notification')).toHaveLength(1);

    // reading: only one's own notifications; another account's id is ignored
    const [adminNote] = await t.sql(`select n.id from notification n join account a on a.id = n.account_id where a.role = 'ADMIN'`);
    expect(ok(await t.gql(READ, { ids: [String(notice.id), String(adminNote.id)] }, s.farmer)).markNotificationsRead).toEqual([String(notice.id)]);
    expect(ok(await t.gql(INBOX, { unreadOnly: true }, s.farmer)).notifications).toEqual({ unread: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(ok(await t.gql(INBOX, { unreadOnly: true }, f.admin)).notifications.unread).toBe(1);
    expect((await t.gql(INBOX, {})).errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    farmerLive.ws.close();
  });

  it('a failed test reaches the lot owner and the gate of its market; the subprotocol carries the token', async () => {
    const s = await scene();
    await start();
    const clerkLive = await openSocket(['foodtrace.v1', s.clerk]);
    await until('ready', async () => clerkLive.messages.find((m) => m.type === 'ready'));
    ok(await t.gql(`mutation($input: RecordTestInput!) { recordRapidTest(input: $input) { inspection { id } } }`, {
      input: { batchId: s.batch.id, marketId: s.market.id, tester: 'Zhou', items: [{ item: 'organophosphate', value: 62, unit: '%', result: 'FAIL' }] },
    }, s.clerk));
    const notice = await until('live notice', async () => clerkLive.messages.find((m) => m.type === 'notification'));
    expect(notice).toMatchObject({ kind: 'TEST_FAILED', subject: '检测不合格 Test failed: GV-9 (organophosphate)' });
    await until('fan-out', async () => (await inboxCount()) === 4);
    const who = await t.sql(`select a.role, a.operator_id::text as op, a.market_id::text as market from notification n join account a on a.id = n.account_id order by a.role, a.id`);
    expect(who).toEqual([
      { role: 'ADMIN', op: null, market: null },
      { role: 'GATE_STAFF', op: null, market: s.market.id },
      { role: 'OPERATOR', op: s.farm.id, market: null },
      { role: 'REGULATOR', op: null, market: null },
    ]);
    clerkLive.ws.close();
  });

  it('refuses a live connection without a valid token', async () => {
    const bad = await openSocket();
    bad.ws.send(JSON.stringify({ type: 'auth', token: 'ft_' + 'x'.repeat(43) }));
    expect(await bad.closed).toBe(4401);
    expect(bad.messages).toEqual([{ type: 'error', code: 4401, message: 'a valid bearer token is required' }]);
    const junk = await openSocket();
    junk.ws.send('hello');
    expect(await junk.closed).toBe(4400);
  });

  it('retries a failing delivery with backoff until it succeeds, and delivers once', async () => {
    await t.sql(`insert into notification_outbox (kind, subject, audience) values ('INCIDENT_REPORTED', 'x', '{"operatorIds": ["not a number"]}')`);
    await start();
    const [{ id }] = await t.sql(`select id from notification_outbox`);
    const job = await until('a failed attempt', async () => {
      const [row] = await t.sql(`select retry_count from pgboss.job where name = $1 and data->>'outboxId' = $2`, [FANOUT_QUEUE, String(id)]);
      return row && row.retry_count >= 1 ? row : null;
    });
    expect(job.retry_count).toBeGreaterThanOrEqual(1);
    expect(await inboxCount()).toBe(0);
    await t.sql(`update notification_outbox set audience = '{"roles": ["REGULATOR"]}' where id = $1`, [id]);
    await until('delivery', async () => (await t.sql(`select delivered_at from notification_outbox where id = $1`, [id]))[0].delivered_at);
    expect(await t.sql(`select a.role from notification n join account a on a.id = n.account_id`)).toEqual([{ role: 'REGULATOR' }]);
  });

  it('an event handed over but never delivered before a stop is delivered once at the next start; events written while stopped too', async () => {
    const s = await scene();
    // a recall committed while no queue runs, and an event a stopped queue had handed over without delivering
    ok(await t.gql(RECALL, { input: { batchId: s.batch.id, reason: 'Residue' } }, f.regulator));
    await t.sql(`insert into notification_outbox (kind, subject, audience, dispatched_at) values ('INCIDENT_REPORTED', 'cut short', '{"roles": ["ADMIN"]}', now())`);
    expect(await inboxCount()).toBe(0);
    await start();
    await until('both delivered', async () => (await t.sql(`select count(*)::int as n from notification_outbox where delivered_at is not null`))[0].n === 2);
    expect(await t.sql(`select o.subject, count(*)::int as n from notification n join notification_outbox o on o.id = n.outbox_id group by o.subject order by 1`)).toEqual([
      { subject: 'cut short', n: 1 },
      { subject: '召回 Recall: Bok choy GV-9 — Residue', n: 3 },
    ]);
    // a second start (another restart) delivers nothing twice
    await queue!.stop();
    await start();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await inboxCount()).toBe(4);
  });
});
