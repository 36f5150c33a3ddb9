import type { LiveNotice } from './notify.model';

type Listener = (notice: LiveNotice) => void;

/**
 * The live connections of this process, by account. The queue's listener publishes each new inbox row once, after
 * its transaction committed (PostgreSQL NOTIFY); every connection of the row's account receives it.
 */
export class NotificationHub {
  private readonly byAccount = new Map<number, Set<Listener>>();

  /** Calls `listener` for each new notification of the account until the returned function is called. */
  subscribe(accountId: number, listener: Listener): () => void {
    let set = this.byAccount.get(accountId);
    if (!set) this.byAccount.set(accountId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (!set.size) this.byAccount.delete(accountId);
    };
  }

  publish(notice: LiveNotice): void {
    for (const listener of this.byAccount.get(notice.accountId) ?? []) listener(notice);
  }

  /** Live connections now open. */
  get size(): number {
    let n = 0;
    for (const set of this.byAccount.values()) n += set.size;
    return n;
  }
}

/** The hub a live GraphQL connection's context reads from; set by the socket that built the context. */
const hubs = new WeakMap<object, NotificationHub>();

export function attachHub(ctx: object, hub: NotificationHub): void {
  hubs.set(ctx, hub);
}

/**
 * The account's new notifications as an async iterable, from the hub attached to `ctx`. Notices that arrive while
 * the consumer is busy are queued, none dropped; `return()` (the subscription completed or the socket closed)
 * unsubscribes. Null when the context has no hub (a request over HTTP cannot subscribe).
 */
export function liveNoticesOf(ctx: object, accountId: number): AsyncIterableIterator<LiveNotice> | null {
  const hub = hubs.get(ctx);
  if (!hub) return null;
  const queued: LiveNotice[] = [];
  let waiting: ((r: IteratorResult<LiveNotice>) => void) | null = null;
  let done = false;
  const unsubscribe = hub.subscribe(accountId, (notice) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w({ value: notice, done: false });
    } else queued.push(notice);
  });
  const finish = (): Promise<IteratorResult<LiveNotice>> => {
    done = true;
    unsubscribe();
    queued.length = 0;
    if (waiting) waiting({ value: undefined, done: true });
    waiting = null;
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next() {
      if (queued.length) return Promise.resolve({ value: queued.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw: finish,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
