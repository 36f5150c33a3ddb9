import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { OUTBOX_CHANNEL } from '../tables/notification-outbox.table';
import { NOTIFICATION_CHANNEL } from '../tables/notification.table';
import { WEBHOOK_REPLAY_CHANNEL } from '../tables/webhook-delivery.table';
import { deliverOutboxEvent, markDispatched, pendingOutbox, undeliveredOutbox } from './delivery';
import { markDead, pendingWebhooks, postWebhook } from './webhook';
import type { NotificationHub } from './live';
import { listenToChannels, parseLiveNotice } from './listen';

/** The queue each outbox event goes through; its failures land in the dead-letter queue after the retries. */
export const FANOUT_QUEUE = 'notify-fanout';
export const FANOUT_DEAD_LETTER = 'notify-fanout-dead';
/** Each webhook delivery is one job of this queue; after its retries it lands in the dead-letter queue, marked DEAD. */
export const WEBHOOK_QUEUE = 'notify-webhook';
export const WEBHOOK_DEAD_LETTER = 'notify-webhook-dead';
/** pg-boss keeps its tables in this schema of the same database. */
export const QUEUE_SCHEMA = 'pgboss';

export interface QueueLog {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Another area's work on the same pg-boss, started and stopped with the notifications: its queue is created by the
 * owner with theirs, and it hears the announcements of its channel on the same listener.
 */
export interface QueueWorker {
  queue: string;
  /** A pg_notify channel whose announcements this worker hears. */
  channel: string;
  /** Starts work on the started boss, and sends what was left waiting. */
  start(boss: PgBoss): Promise<void>;
  /** A commit announced on the channel, or a periodic sweep (payload undefined): send what waits. */
  announced(payload: string | undefined): void;
}

export interface NotificationQueueOptions {
  orm: MikroORM;
  /** The server's own role: the worker and the listener connect as it. */
  connectionString: string;
  /** The database owner: installs pg-boss's schema and queues and grants the server's role its rows. Default: the same role. */
  ownerConnectionString?: string | null;
  hub?: NotificationHub | null;
  log: QueueLog;
  /** The queues exist already (installNotificationQueue ran, e.g. in a cluster's primary): nothing is installed. */
  installed?: boolean;
  /** How often undispatched outbox rows are looked for, besides the announcement of each commit. */
  sweepMs?: number;
  /** How often an idle worker asks the queue for jobs (pg-boss's minimum is 0.5 s). */
  pollingSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A job still active after this long is taken as lost and retried. */
  expireSeconds?: number;
  /** Attempts after the first before a webhook delivery is dead-lettered. */
  webhookRetryLimit?: number;
  /** First retry delay of a webhook delivery, doubled each time. */
  webhookRetryDelaySeconds?: number;
  /** How long a subscriber may take to answer. */
  webhookTimeoutMs?: number;
  /** Other areas' jobs on the same boss (the EPCIS capture queue). */
  workers?: QueueWorker[];
}

export interface NotificationQueue {
  boss: PgBoss;
  /** Hands every outbox row not yet handed over to the queue; how many. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** The job id of an outbox event: the same event sent twice while its job is kept is one job. */
export function jobIdFor(outboxId: number): string {
  return `00000000-0000-4000-8000-${outboxId.toString(16).padStart(12, '0')}`;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** As the owner: pg-boss's schema at its version, the queues, and the server's role allowed to use them. */
async function install(ownerUrl: string, appRole: string | null, queueOptions: Omit<PgBoss.Queue, "name">, others: string[]): Promise<void> {
  const owner = new PgBoss({ connectionString: ownerUrl, schema: QUEUE_SCHEMA, supervise: false, schedule: false, migrate: true, max: 1 });
  owner.on('error', () => undefined);
  await owner.start();
  try {
    await owner.createQueue(FANOUT_DEAD_LETTER, { name: FANOUT_DEAD_LETTER, retentionMinutes: 60 * 24 * 14 });
    await owner.createQueue(FANOUT_QUEUE, { name: FANOUT_QUEUE, deadLetter: FANOUT_DEAD_LETTER, ...queueOptions });
    await owner.createQueue(WEBHOOK_DEAD_LETTER, { name: WEBHOOK_DEAD_LETTER, retentionMinutes: 60 * 24 * 14 });
    await owner.createQueue(WEBHOOK_QUEUE, { name: WEBHOOK_QUEUE, deadLetter: WEBHOOK_DEAD_LETTER, ...queueOptions });
    for (const name of others) await owner.createQueue(name, { name, ...queueOptions });
  } finally {
    await owner.stop({ graceful: false, wait: true, close: true });
  }
  if (!appRole) return;
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const role = ident(appRole);
    await client.query(`grant usage on schema ${QUEUE_SCHEMA} to ${role}`);
    await client.query(`grant select, insert, update, delete on all tables in schema ${QUEUE_SCHEMA} to ${role}`);
    await client.query(`grant execute on all functions in schema ${QUEUE_SCHEMA} to ${role}`);
  } finally {
    await client.end();
  }
}

type InstallOptions = Pick<NotificationQueueOptions, 'connectionString' | 'ownerConnectionString' | 'retryLimit' | 'retryDelaySeconds' | 'expireSeconds'> & {
  /** The queues of the workers the processes will run besides delivery (EPCIS capture …). */
  queues?: string[];
};

/**
 * As the owner: pg-boss's schema and the queues, and the server's role allowed to use them. Once per start of the
 * deployment: the primary of a cluster runs it before forking, and its workers start with `installed`.
 */
export async function installNotificationQueue(options: InstallOptions): Promise<void> {
  const ownerUrl = options.ownerConnectionString ?? options.connectionString;
  const appUser = decodeURIComponent(new URL(options.connectionString).username);
  const ownerUser = decodeURIComponent(new URL(ownerUrl).username);
  const queueOptions = {
    retryLimit: options.retryLimit ?? 8,
    retryDelay: options.retryDelaySeconds ?? 2,
    retryBackoff: true,
    expireInSeconds: options.expireSeconds ?? 300,
  };
  await install(ownerUrl, appUser !== ownerUser ? appUser : null, queueOptions, options.queues ?? []);
}

/**
 * Starts delivery: pg-boss on the same PostgreSQL works the fan-out queue (retries with backoff, a dead-letter queue
 * after the limit, a lost job retried once it expires); a listener hands each committed outbox row to the queue at
 * once (and a sweep catches any the announcement missed) and forwards each new inbox row to this process's live
 * connections. On start, events whose delivery was cut short are sent again; delivery is idempotent per account.
 */
export async function startNotificationQueue(options: NotificationQueueOptions): Promise<NotificationQueue> {
  const { orm, log } = options;
  const workers = options.workers ?? [];
  if (!options.installed) await installNotificationQueue({ ...options, queues: workers.map((w) => w.queue) });

  const boss = new PgBoss({ connectionString: options.connectionString, schema: QUEUE_SCHEMA, migrate: false, schedule: false, supervise: true, max: 3 });
  boss.on('error', (err: Error) => log.error({ err: { message: err.message } }, 'notification queue error'));
  await boss.start();

  let sweeping: Promise<number> | null = null;
  let again = false;
  const sweepOnce = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const ids = await pendingOutbox(orm, 100);
      for (const id of ids) await boss.send(FANOUT_QUEUE, { outboxId: id }, { id: jobIdFor(id) });
      await markDispatched(orm, ids);
      total += ids.length;
      if (ids.length < 100) return total;
    }
  };
  // one sweep at a time; an announcement during a sweep asks for one more
  const sweep = (): Promise<number> => {
    if (sweeping) {
      again = true;
      return sweeping;
    }
    sweeping = sweepOnce().finally(() => {
      sweeping = null;
      if (again) {
        again = false;
        void sweep().catch((err: Error) => log.warn({ err: { message: err.message } }, 'outbox sweep failed'));
      }
    });
    return sweeping;
  };

  // retries per job, not per queue: a queue keeps the options it was first created with
  const webhookJob = {
    retryLimit: options.webhookRetryLimit ?? 8,
    retryDelay: options.webhookRetryDelaySeconds ?? 10,
    retryBackoff: true,
    deadLetter: WEBHOOK_DEAD_LETTER,
    expireInSeconds: Math.ceil((options.webhookTimeoutMs ?? 10_000) / 1000) + 60,
  };
  // a second job for one delivery posts nothing more: the post locks the delivery and skips a delivered one
  const sendWebhook = (deliveryId: number) => boss.send(WEBHOOK_QUEUE, { deliveryId }, webhookJob);
  const polling = { pollingIntervalSeconds: options.pollingSeconds ?? 0.5 };

  await boss.work<{ outboxId: number }>(FANOUT_QUEUE, { batchSize: 5, ...polling }, async (jobs) => {
    for (const job of jobs) {
      const done = await deliverOutboxEvent(orm, job.data.outboxId);
      for (const id of done.webhooks) await sendWebhook(id);
    }
  });
  // one post per job, so one subscriber's failure retries only its own delivery
  await boss.work<{ deliveryId: number }>(WEBHOOK_QUEUE, { batchSize: 1, ...polling }, async ([job]) => {
    await postWebhook(orm, job.data.deliveryId, options.webhookTimeoutMs ?? 10_000);
  });
  await boss.work<{ deliveryId: number }>(WEBHOOK_DEAD_LETTER, { batchSize: 5, ...polling }, async (jobs) => {
    for (const job of jobs) await markDead(orm, job.data.deliveryId);
  });

  // delivery cut short by a stop: its job may still count as active until it expires, so it is sent again now
  for (const id of await undeliveredOutbox(orm, 1000)) await boss.send(FANOUT_QUEUE, { outboxId: id });
  for (const id of await pendingWebhooks(orm, 1000)) await sendWebhook(id);
  await sweep();
  for (const w of workers) await w.start(boss);

  // each new inbox row is announced once, when its transaction commits: every process's listener hears it
  const channels = [OUTBOX_CHANNEL, NOTIFICATION_CHANNEL, WEBHOOK_REPLAY_CHANNEL, ...workers.map((w) => w.channel)];
  const listener = await listenToChannels(options.connectionString, channels, (channel, payload) => {
    if (channel === OUTBOX_CHANNEL) void sweep().catch((err: Error) => log.warn({ err: { message: err.message } }, 'outbox sweep failed'));
    else if (channel === WEBHOOK_REPLAY_CHANNEL && payload) {
      void sendWebhook(Number(payload)).catch((err: Error) => log.warn({ err: { message: err.message } }, 'webhook replay not queued'));
    } else if (channel === NOTIFICATION_CHANNEL && options.hub) {
      const notice = parseLiveNotice(payload);
      if (notice) options.hub.publish(notice);
      else log.warn({ payload: payload.slice(0, 200) }, 'bad notification announcement');
    } else {
      workers.find((w) => w.channel === channel)?.announced(payload);
    }
  }, log);

  const timer = setInterval(() => {
    void sweep().catch((err: Error) => log.warn({ err: { message: err.message } }, 'outbox sweep failed'));
    for (const w of workers) w.announced(undefined);
  }, options.sweepMs ?? 5000);
  timer.unref();

  return {
    boss,
    sweep,
    async stop() {
      clearInterval(timer);
      await sweeping?.catch(() => undefined);
      await listener.stop();
      await boss.stop({ graceful: true, wait: true, close: true, timeout: 10_000 });
    },
  };
}
