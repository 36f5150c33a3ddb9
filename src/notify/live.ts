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
