import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { withTransaction } from '../src/context';
import { NotificationKind, Role } from '../src/entities/enums';
import { recordNotification } from '../src/notify/outbox';
import { ok, token } from './support/factories';
import { useTestApp } from './support/use-test-app';

const { t, f } = useTestApp();

const EVENTS = 24;
/** How long the receiver holds each post before it answers 200: slow enough to be killed in the middle of one. */
const RECEIVER_DELAY_MS = 120;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The delivery worker as a child process on this test's database; resolves once it works the queues. */
function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'test/support/delivery-worker.ts'], {
    cwd: join(__dirname, '..'), env: { ...process.env, DATABASE_URL: t.url }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(child); });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${err}`)));
  });
}

const workers: ChildProcess[] = [];
afterEach(() => {
  for (const w of workers.splice(0)) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
});

describe('delivery under restart', () => {
  it('a worker killed in the middle of a webhook post loses nothing: every event reaches the receiver, recorded delivered once per subscriber and once per inbox', async () => {
    // the receiver counts posts by event id; `onPost` lets the test act while a post is held open
    const seen = new Map<string, number>();
    let onPost: ((eventId: string) => void) | null = null;
    const server: Server = createServer((req, res) => {
      const id = String(req.headers['x-foodtrace-event-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      onPost?.(id);
      req.resume();
      setTimeout(() => res.writeHead(200).end(), RECEIVER_DELAY_MS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    try {
      const hook = ok(await t.gql(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { subscription { id } } }`,
        { input: { name: 'County system', url, kinds: ['INCIDENT_REPORTED'] } }, f.admin)).registerWebhook.subscription;
      await token(t, Role.REGULATOR);
      const accounts = (await t.sql(`select count(*)::int as n from account where role in ('REGULATOR', 'ADMIN')`))[0].n as number;
      await withTransaction({ em: t.orm.em.fork() }, async (tx) => {
        for (let i = 1; i <= EVENTS; i++) {
          await recordNotification(tx, { kind: NotificationKind.INCIDENT_REPORTED, subject: `Incident ${i}`, payload: { n: i }, audience: { roles: [Role.REGULATOR, Role.ADMIN] } });
        }
      });
      const eventIds = (await t.sql(`select id::text from notification_outbox order by id`)).map((r) => r.id as string);

      // the sixth post is held open by the receiver while the worker is killed
      const first = await startWorker();
      workers.push(first);
      const inFlight = await new Promise<string>((resolve) => {
        onPost = (id) => {
          if ([...seen.values()].reduce((a, b) => a + b, 0) === 6) {
            onPost = null;
            first.kill('SIGKILL');
            resolve(id);
          }
        };
      });
      await new Promise((r) => first.once('exit', r));
      const delivered = async () => (await t.sql(`select count(*)::int as n from webhook_delivery where status = 'DELIVERED'`))[0].n as number;
      expect(await delivered()).toBeLessThan(EVENTS);

      workers.push(await startWorker());
      await until('every event delivered', async () => (await delivered()) === EVENTS);
      // a late retry of a delivered post would show here
      await new Promise((r) => setTimeout(r, 1500));

      // at least once to the receiver: the post cut short by the kill is sent again (same event id), every other once
      expect([...seen.keys()].sort()).toEqual([...eventIds].sort());
      expect(Object.fromEntries([...seen].filter(([, n]) => n !== 1))).toEqual({ [inFlight]: 2 });
      // exactly once in our records: one delivery per subscriber and event, delivered; one inbox row per account and event
      expect(await t.sql(`select subscription_id, count(*)::int as rows, count(distinct outbox_id)::int as events, bool_and(status = 'DELIVERED') as delivered
                            from webhook_delivery group by subscription_id`)).toEqual([{ subscription_id: Number(hook.id), rows: EVENTS, events: EVENTS, delivered: true }]);
      expect(await t.sql(`select count(*)::int as rows, count(distinct (outbox_id, account_id))::int as pairs from notification`)).toEqual([{ rows: EVENTS * accounts, pairs: EVENTS * accounts }]);
      expect(await t.sql(`select count(*)::int as n from notification_outbox where delivered_at is null`)).toEqual([{ n: 0 }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
