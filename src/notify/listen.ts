import { Client } from 'pg';
import { NOTIFICATION_CHANNEL } from '../tables/notification.table';
import type { LiveNotice } from './notify.model';

export interface ListenLog {
  warn(obj: object, msg: string): void;
}

export interface Listening {
  stop(): Promise<void>;
}

/** A lost connection is opened again after this long. */
export const RELISTEN_MS = 1000;

/**
 * One connection LISTENing on `channels` of PostgreSQL, handing each announcement to `onMessage`; a lost connection is
 * opened again until `stop`. Announcements are sent by PostgreSQL when the announcing transaction commits, to every
 * listening connection of every process, so one process's write reaches all of them.
 */
export async function listenToChannels(
  connectionString: string,
  channels: readonly string[],
  onMessage: (channel: string, payload: string) => void,
  log: ListenLog,
): Promise<Listening> {
  let stopped = false;
  let client: Client | null = null;
  const listen = async () => {
    const c = new Client({ connectionString });
    c.on('notification', (msg) => onMessage(msg.channel, msg.payload ?? ''));
    c.on('error', (err) => {
      log.warn({ err: { message: err.message } }, 'database listener lost; reconnecting');
      client = null;
      c.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen().catch(() => undefined), RELISTEN_MS).unref();
    });
    await c.connect();
    for (const channel of channels) await c.query(`listen ${channel}`);
    client = c;
  };
  await listen();
  return {
    async stop() {
      stopped = true;
      await (client as Client | null)?.end().catch(() => undefined);
    },
  };
}

/** The notice an inbox row's announcement carries; null for a payload that is not one. */
export function parseLiveNotice(payload: string): LiveNotice | null {
  try {
    const n = JSON.parse(payload) as Partial<LiveNotice>;
    const whole = (v: unknown) => Number.isSafeInteger(v);
    if (!n || !whole(n.id) || !whole(n.eventId) || !whole(n.accountId) || typeof n.kind !== 'string' || typeof n.subject !== 'string') return null;
    return { id: n.id!, eventId: n.eventId!, accountId: n.accountId!, kind: n.kind, subject: n.subject };
  } catch {
    return null;
  }
}

/**
 * Calls `onNotice` with every new inbox row of every account as it is delivered, by whichever process delivered it
 * (each row is announced on NOTIFICATION_CHANNEL when its transaction commits). A live endpoint of any process — the
 * WebSocket at /notifications/live, a GraphQL subscription — feeds its connections from this; `stop` ends it.
 */
export function subscribeLiveNotices(connectionString: string, onNotice: (notice: LiveNotice) => void, log: ListenLog): Promise<Listening> {
  return listenToChannels(connectionString, [NOTIFICATION_CHANNEL], (_channel, payload) => {
    const notice = parseLiveNotice(payload);
    if (notice) onNotice(notice);
    else log.warn({ payload: payload.slice(0, 200) }, 'bad notification announcement');
  }, log);
}
