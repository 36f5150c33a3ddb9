import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { connectOrm } from './orm';

/** Where a public lookup reads. */
export type ReadTarget = 'replica' | 'primary';

/** The replica's connection and its lag bound, from READ_DATABASE_URL and READ_MAX_LAG_MS. */
export interface ReplicaSettings {
  url: string;
  maxLagMs: number;
  /** How often the replica's replay position is compared with the primary's. */
  probeMs: number;
  poolMax: number;
}

export function replicaSettings(config: { readDatabaseUrl: string | null; readMaxLagMs: number }): ReplicaSettings | null {
  if (!config.readDatabaseUrl) return null;
  return { url: config.readDatabaseUrl, maxLagMs: config.readMaxLagMs, probeMs: Math.max(50, Math.min(250, Math.floor(config.readMaxLagMs / 4))), poolMax: 10 };
}

/** What a request tells of its client: the primary's WAL position after its last write (the read-your-writes marker). */
export interface ReadRequest {
  writtenAt: string | null;
}

/** The cookie (and header) carrying the primary's WAL position after a client's write. */
export const WRITTEN_AT_COOKIE = 'ft_written';
export const WRITTEN_AT_HEADER = 'x-foodtrace-written';
/** The marker outlives any lag the replica is allowed, so a client never reads a replica older than its own write. */
export const WRITTEN_AT_MAX_AGE_S = 60;

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** A WAL position (`16/B374D848`) as a number; null for anything else. */
export function lsnValue(text: string | null | undefined): bigint | null {
  if (!text || !LSN.test(text)) return null;
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

const MAX_SAMPLES = 1000;

interface Sample {
  at: number;
  lsn: bigint;
}

export interface ReplicaStatus {
  /** The replica answers and is a standby in recovery. */
  standby: boolean;
  /** Its last replayed WAL position. */
  replayLsn: string | null;
  /** At most this old is what it serves (ms); null when unknown. */
  stalenessMs: number | null;
}

/**
 * Chooses between a streaming replica and the primary for public lookups. A probe compares the replica's replayed
 * WAL position with the primary's positions sampled over time: the replica holds everything the primary had at the
 * newest sample it has replayed past, so its staleness is at most the age of that sample (a bound that stays true
 * when the primary is idle, unlike `pg_last_xact_replay_timestamp`). The replica is read while that bound is within
 * READ_MAX_LAG_MS and it has replayed past the client's own last write; otherwise the primary answers. A probe that
 * fails or stalls leaves the bound growing, so an unreachable replica is left alone within the lag bound.
 */
export class ReadRoute {
  private samples: Sample[] = [];
  private replay: bigint | null = null;
  private coveredAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probing: Promise<void> | null = null;

  constructor(
    private readonly primary: MikroORM,
    private readonly replica: MikroORM,
    readonly settings: ReplicaSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Probes at once, then every `probeMs`. */
  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), this.settings.probeMs);
    this.timer.unref();
  }

  /** 'replica' when it is within the lag bound and has replayed past `request.writtenAt`; else 'primary'. */
  readTarget(request: ReadRequest): ReadTarget {
    if (this.replay === null || this.coveredAt === null) return 'primary';
    if (this.now() - this.coveredAt > this.settings.maxLagMs) return 'primary';
    const written = lsnValue(request.writtenAt);
    if (written !== null && written > this.replay) return 'primary';
    return 'replica';
  }

  /** An EntityManager of the replica, for a request `readTarget` sent there. */
  replicaEm(): EntityManager {
    return this.replica.em.fork();
  }

  /** The primary's WAL position now: everything committed so far is at or before it. */
  async primaryPosition(): Promise<string> {
    const [row] = await this.primary.em.fork().getConnection().execute<{ lsn: string }[]>(`select pg_current_wal_lsn()::text as lsn`);
    return row.lsn;
  }

  status(): ReplicaStatus {
    return {
      standby: this.replay !== null,
      replayLsn: this.replay === null ? null : `${(this.replay >> 32n).toString(16).toUpperCase()}/${(this.replay & 0xffffffffn).toString(16).toUpperCase()}`,
      stalenessMs: this.coveredAt === null ? null : this.now() - this.coveredAt,
    };
  }

  /** One comparison; a probe still running is not doubled. */
  probe(): Promise<void> {
    this.probing ??= this.probeOnce().finally(() => (this.probing = null));
    return this.probing;
  }

  private async probeOnce(): Promise<void> {
    try {
      const at = this.now();
      const primary = lsnValue(await this.primaryPosition());
      if (primary !== null) this.samples.push({ at, lsn: primary });
      // a replica that stays behind must not grow the list: dropping the oldest only makes the bound stricter
      if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
      const [row] = await this.replica.em.fork().getConnection().execute<{ lsn: string | null; standby: boolean }[]>(
        `select pg_last_wal_replay_lsn()::text as lsn, pg_is_in_recovery() as standby`,
      );
      // a server that is not a standby (a promoted replica, a wrong URL) is never read as one
      const replay = row.standby ? lsnValue(row.lsn) : null;
      this.replay = replay;
      if (replay === null) {
        this.coveredAt = null;
        return;
      }
      const covered = this.samples.filter((s) => s.lsn <= replay);
      if (covered.length) this.coveredAt = Math.max(this.coveredAt ?? 0, covered[covered.length - 1].at);
      // samples older than the newest covered one can never matter again
      this.samples = this.samples.filter((s) => s.lsn > replay);
    } catch {
      // a failed probe changes nothing: the staleness bound keeps growing until a probe succeeds
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.probing;
    await this.replica.close(true);
  }
}

/** Connects to the replica (no migrations: a standby is read-only) and starts probing it against `primary`. */
export async function openReadRoute(primary: MikroORM, settings: ReplicaSettings): Promise<ReadRoute> {
  const replica = await connectOrm({ clientUrl: settings.url, poolMax: settings.poolMax });
  const route = new ReadRoute(primary, replica, settings);
  await route.start();
  return route;
}
