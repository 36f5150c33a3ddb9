import type { Viewer } from './viewer.model';

/** Every cache of this process, so a revocation empties them all at once. */
const caches = new Set<WeakRef<ViewerCache>>();

/** Entries kept at most; past it the cache starts again empty (a flood of distinct tokens cannot grow it). */
const MAX_ENTRIES = 10_000;

/**
 * Token hash → viewer, kept for a few seconds so a busy gate phone's scans do not each look its token up. An entry
 * lives until the TTL or the token's own expiry, whichever is first. Revoking or rotating a token empties every cache
 * of this process at once; another process (several app processes behind one port) may honour a revoked token for at
 * most the TTL. A TTL of 0 turns the cache off.
 */
export class ViewerCache {
  private readonly entries = new Map<string, { viewer: Viewer; until: number }>();

  constructor(private readonly ttlMs: number) {
    if (ttlMs > 0) caches.add(new WeakRef(this));
  }

  get(tokenHash: string, now = Date.now()): Viewer | null {
    const hit = this.entries.get(tokenHash);
    if (!hit) return null;
    if (hit.until > now) return hit.viewer;
    this.entries.delete(tokenHash);
    return null;
  }

  set(tokenHash: string, viewer: Viewer, expiresAt: Date | null, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenHash, { viewer, until: Math.min(now + this.ttlMs, expiresAt?.getTime() ?? Infinity) });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Empties every viewer cache of this process (a token was revoked or replaced). */
export function forgetCachedViewers(): void {
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.clear();
    else caches.delete(ref);
  }
}
