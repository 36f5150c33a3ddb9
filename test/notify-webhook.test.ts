import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startNotificationQueue, type NotificationQueue } from '../src/notify/queue';
import { ok } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();
const quiet = { error: () => undefined, warn: () => undefined };

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret subscription { id name url kinds active } } }`;
const REPORT = `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { id } }`;
const DELIVERIES = `query($status: WebhookDeliveryStatus) { webhookDeliveries(status: $status) { edges { node { id eventId status attempts lastStatus lastError } } } }`;

/** A receiver: answers each post with the next status of `script` (then 200), keeping what it was sent. */
interface Receiver {
  url: string;
  posts: { headers: IncomingHttpHeaders; body: string; answered: number }[];
  script: number[];
  close(): Promise<void>;
}

async function receiver(script: number[]): Promise<Receiver> {
  const r: Receiver = { url: '', posts: [], script, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const answered = r.script.shift() ?? 200;
      r.posts.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/foodtrace`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}

/** The recipe a subscriber follows (README.md › Webhooks): HMAC-SHA256 of `${timestamp}.${body}` under its secret. */
function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${headers['x-foodtrace-timestamp']}.${body}`).digest('hex')}`);
  const given = Buffer.from(String(headers['x-foodtrace-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let queue: NotificationQueue | null = null;
let hook: Receiver | null = null;
afterEach(async () => {
  await queue?.stop();
  await hook?.close();
  queue = null;
  hook = null;
});
beforeEach(async () => {
  await t.sql('truncate webhook_delivery, webhook_subscription, notification_outbox cascade');
});

const report = (description: string) =>
  t.gql(REPORT, { input: { kind: 'HAZARD', placeKind: 'VILLAGE', village: 'Qingshan', occurredAt: new Date(Date.now() - 60_000).toISOString(), description } }, f.regulator);

describe('webhooks', () => {
  it('posts each event once, signed so the subscriber can verify it, retrying failures with backoff', async () => {
    hook = await receiver([500, 503]);
    const registered = ok(await t.gql(REGISTER, { input: { name: 'County platform', url: hook.url, kinds: ['INCIDENT_REPORTED'] } }, f.admin)).registerWebhook;
    expect(registered.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(registered.subscription).toEqual({ id: expect.any(String), name: 'County platform', url: hook.url, kinds: ['INCIDENT_REPORTED'], active: true });
    queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, log: quiet, sweepMs: 200, webhookRetryDelaySeconds: 1, webhookRetryLimit: 4 });

    ok(await report('Broken cold chain at the market'));
    const delivered = await until('delivered', async () => {
      const [row] = ok(await t.gql(DELIVERIES, { status: 'DELIVERED' }, f.admin)).webhookDeliveries.edges;
      return row?.node;
    });
    expect(delivered).toEqual({ id: expect.any(String), eventId: expect.any(String), status: 'DELIVERED', attempts: 3, lastStatus: 200, lastError: null });
    expect(hook.posts.map((p) => p.answered)).toEqual([500, 503, 200]);
    // the same event, the same id and body each time; a fresh timestamp and signature per attempt
    const bodies = new Set(hook.posts.map((p) => p.body));
    expect(bodies.size).toBe(1);
    const body = JSON.parse(hook.posts[2].body);
    expect(body).toEqual({
      id: Number(delivered.eventId), kind: 'INCIDENT_REPORTED', subject: '隐患 Hazard: Qingshan (#1)', createdAt: expect.any(String),
      payload: { incidentId: 1, kind: 'HAZARD', drill: false, peopleIll: 0, village: 'Qingshan', commonSources: [] },
    });
    for (const p of hook.posts) {
      expect(p.headers['x-foodtrace-event-id']).toBe(delivered.eventId);
      expect(verify(registered.secret, p.headers, p.body)).toBe(true);
      expect(verify(`${registered.secret}x`, p.headers, p.body)).toBe(false);
    }
    // no more posts once delivered
    await new Promise((r) => setTimeout(r, 1500));
    expect(hook.posts).toHaveLength(3);
  }, 60_000);

  it('dead-letters a delivery after its retries and posts it again when replayed by id', async () => {
    hook = await receiver([500, 500, 500, 500]);
    ok(await t.gql(REGISTER, { input: { name: 'Flaky', url: hook.url } }, f.admin));
    queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, log: quiet, sweepMs: 200, webhookRetryDelaySeconds: 1, webhookRetryLimit: 1 });
    ok(await report('Rats in the storeroom'));
    const dead = await until('dead', async () => ok(await t.gql(DELIVERIES, { status: 'DEAD' }, f.admin)).webhookDeliveries.edges[0]?.node);
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 2, lastStatus: 500, lastError: 'HTTP 500' });
    expect(hook.posts).toHaveLength(2);

    hook.script = [];
    const replayed = ok(await t.gql(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { id status } }`, { id: dead.id }, f.admin)).replayWebhookDelivery;
    expect(replayed).toEqual({ id: dead.id, status: 'PENDING' });
    await until('delivered', async () => ok(await t.gql(DELIVERIES, { status: 'DELIVERED' }, f.admin)).webhookDeliveries.edges[0]?.node);
    expect(hook.posts.map((p) => p.answered)).toEqual([500, 500, 200]);
    const replayOfDelivered = ok(await t.gql(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { status } }`, { id: dead.id }, f.admin)).replayWebhookDelivery;
    expect(replayOfDelivered.status).toBe('PENDING');
    await until('delivered again', async () => hook!.posts.length === 4);
  }, 60_000);

  it('sends only the kinds subscribed to, nothing to a stopped subscriber, and refuses bad subscriptions', async () => {
    hook = await receiver([]);
    const { subscription } = ok(await t.gql(REGISTER, { input: { name: 'Recalls only', url: hook.url, kinds: ['RECALL_STARTED'] } }, f.admin)).registerWebhook;
    queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, log: quiet, sweepMs: 200 });
    ok(await report('Not a recall'));
    await until('fanned out', async () => (await t.sql(`select count(*)::int as n from notification_outbox where delivered_at is not null`))[0].n === 1);
    expect(await t.sql('select count(*)::int as n from webhook_delivery')).toEqual([{ n: 0 }]);
    expect(ok(await t.gql(`mutation($id: ID!) { setWebhookActive(id: $id, active: false) { active } }`, { id: subscription.id }, f.admin)).setWebhookActive).toEqual({ active: false });

    const bad = async (input: Record<string, unknown>) => (await t.gql(REGISTER, { input: { name: 'x', url: hook!.url, ...input } }, f.admin)).errors?.map((e) => e.message);
    expect(await bad({ url: 'ftp://example.org/x' })).toEqual(['url: must be an absolute http or https URL']);
    expect(await bad({ url: 'not a url' })).toEqual(['url: must be an absolute http or https URL']);
    expect(await bad({ url: 'https://user:pw@example.org/x' })).toEqual(['url: must not carry credentials']);
    expect((await t.gql(REGISTER, { input: { name: 'x', url: hook.url } }, f.regulator)).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(hook.posts).toEqual([]);
  }, 60_000);
});
