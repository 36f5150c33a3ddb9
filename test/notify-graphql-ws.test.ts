import type { ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../src/entities/enums';
import { startNotificationQueue, type NotificationQueue } from '../src/notify/queue';
import { makeBatch, makeOperator, ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const live = useTestApp({ listen: true });
const { t, f } = live;

const RECALL = `mutation($input: InitiateRecallInput!) { initiateRecall(input: $input) { recallId } }`;
const ADDED = `subscription { notificationAdded { id eventId kind subject payload readAt } }`;
const quiet = { error: () => undefined, warn: () => undefined };

let queue: NotificationQueue | null = null;
afterEach(async () => {
  await queue?.stop();
  queue = null;
});
beforeEach(async () => {
  await t.sql('truncate notification_outbox cascade');
});

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Client {
  ws: WebSocket;
  messages: Record<string, any>[];
  closed: Promise<number>;
  send(m: Record<string, unknown>): void;
}

function connect(protocol = 'graphql-transport-ws'): Promise<Client> {
  const ws = new WebSocket(`${live.base.replace('http', 'ws')}/graphql/ws`, protocol);
  const messages: Record<string, any>[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(String(m))));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, messages, closed, send: (m) => ws.send(JSON.stringify(m)) }));
    ws.on('error', reject);
  });
}

async function signedIn(tokenValue: string): Promise<Client> {
  const c = await connect();
  c.send({ type: 'connection_init', payload: { token: tokenValue } });
  await until('ack', () => c.messages.find((m) => m.type === 'connection_ack'));
  return c;
}

/** A graphql-ws client (the library's own) signed in with the token; what it received, and how its socket closed. */
function subscriber(tokenValue: string | null, connectionParams?: Record<string, unknown>) {
  const results: ExecutionResult[] = [];
  const closes: number[] = [];
  const client = createClient({
    url: `${live.base.replace('http', 'ws')}/graphql/ws`,
    webSocketImpl: WebSocket,
    connectionParams: connectionParams ?? { token: tokenValue },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (e) => closes.push((e as { code: number }).code) },
  });
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  const subscribe = (query: string) => {
    const errors: unknown[] = [];
    let completed = false;
    const stop = client.subscribe({ query }, { next: (r) => results.push(r as ExecutionResult), error: (e) => errors.push(e), complete: () => (completed = true) });
    return { stop, errors, done: () => completed };
  };
  return { client, results, closes, connected, subscribe };
}

describe('GraphQL subscriptions over graphql-ws', () => {
  it('a recall started reaches the subscribed regulator once, as the inbox row; another account sees only its own', async () => {
    const farm = await makeOperator(t, f.admin, { name: 'Green Valley Farm' });
    const other = await makeOperator(t, f.admin, { name: 'Other Farm' });
    const bystander = await token(t, Role.OPERATOR, { operatorId: other.id });
    const batch = await makeBatch(t, f.admin, farm.id, { lotCode: 'GV-9' });
    queue = await startNotificationQueue({ orm: t.orm, connectionString: t.url, hub: t.app.notificationHub, log: quiet, sweepMs: 200 });

    const regulator = subscriber(f.regulator);
    await regulator.connected;
    const mine = regulator.subscribe(ADDED);
    const theirs = subscriber(bystander);
    await theirs.connected;
    theirs.subscribe(ADDED);
    await until('subscribed', () => t.app.notificationHub.size === 2);

    const recallId = ok(await t.gql(RECALL, { input: { batchId: batch.id, reason: 'Residue above the limit' } }, f.regulator)).initiateRecall.recallId;
    await until('next', () => regulator.results.length > 0);
    const [row] = await t.sql(`select n.id, n.outbox_id from notification n join account a on a.id = n.account_id where a.role = 'REGULATOR'`);
    expect(regulator.results).toEqual([{
      data: { notificationAdded: {
        id: String(row.id), eventId: String(row.outbox_id), kind: 'RECALL_STARTED', subject: '召回 Recall: Bok choy GV-9 — Residue above the limit', readAt: null,
        payload: { recallId: Number(recallId), batchId: Number(batch.id), batchCode: batch.publicCode, productName: 'Bok choy', lotCode: 'GV-9', reason: 'Residue above the limit', batches: 1 },
      } },
    }]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(regulator.results).toHaveLength(1);
    expect(mine.errors).toEqual([]);
    expect(theirs.results).toEqual([]);

    // the client completes: the server stops sending and lets go of the listener
    mine.stop();
    await until('unsubscribed', () => t.app.notificationHub.size === 1);
    await theirs.client.dispose();
    await until('closed', () => t.app.notificationHub.size === 0);
    await regulator.client.dispose();
  });

  it('signs in with a bearer header on the upgrade too; an unknown token is refused with 4403', async () => {
    const client = createClient({
      url: `${live.base.replace('http', 'ws')}/graphql/ws`,
      webSocketImpl: class extends WebSocket {
        constructor(url: string, protocols: string) {
          super(url, protocols, { headers: { authorization: `Bearer ${f.regulator}` } });
        }
      },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
    });
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe({ query: ADDED }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await until('subscribed', () => t.app.notificationHub.size === 1);
    await client.dispose();

    const stranger = subscriber('ft_' + 'x'.repeat(43));
    await until('refused', () => stranger.closes.length > 0);
    expect(stranger.closes).toEqual([4403]);
    const nobody = subscriber(null, {});
    await until('refused', () => nobody.closes.length > 0);
    expect(nobody.closes).toEqual([4403]);
    await stranger.client.dispose();
    await nobody.client.dispose();
  });

  it('refuses what the protocol refuses, with its close codes', async () => {
    const noProtocol = await connect('something-else');
    expect(await noProtocol.closed).toBe(4406);

    const bad = await connect();
    bad.send({ type: 'connection_init', payload: { token: 'ft_' + 'x'.repeat(43) } });
    expect(await bad.closed).toBe(4403);

    const early = await connect();
    early.send({ id: '1', type: 'subscribe', payload: { query: ADDED } });
    expect(await early.closed).toBe(4401);

    const junk = await connect();
    junk.send({ type: 'hello' });
    expect(await junk.closed).toBe(4400);

    const c = await signedIn(f.regulator);
    c.send({ id: 'q', type: 'subscribe', payload: { query: '{ notifications { unread } }' } });
    c.send({ id: 'v', type: 'subscribe', payload: { query: 'subscription { nope }' } });
    await until('two errors', () => c.messages.filter((m) => m.type === 'error').length === 2);
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([
      { id: 'q', type: 'error', payload: [{ message: 'only subscriptions are served here; send queries and mutations to POST /graphql', extensions: { code: 'BAD_USER_INPUT' } }] },
      { id: 'v', type: 'error', payload: [{ message: 'Cannot query field "nope" on type "Subscription".', locations: [{ line: 1, column: 16 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    ]);
    c.send({ id: 'd', type: 'subscribe', payload: { query: ADDED } });
    c.send({ id: 'd', type: 'subscribe', payload: { query: ADDED } });
    expect(await c.closed).toBe(4409);
    await until('released', () => t.app.notificationHub.size === 0);

    // over HTTP a subscription is not run
    const res = await t.gql(ADDED, {}, f.regulator);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.length).toBe(1);
  });
});
