import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/db/embedded';

export { freePort };

/** Debian's PostgreSQL binaries, newest first; null when none is installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const version of readdirSync(root).sort((a, b) => Number(b) - Number(a))) {
    const bin = join(root, version, 'bin');
    if (['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((b) => existsSync(join(bin, b)))) return bin;
  }
  return null;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asServerUser(bin: string, command: string, args: string[]): string {
  const root = process.getuid?.() === 0;
  return execFileSync(root ? 'runuser' : join(bin, command), root ? ['-u', 'postgres', '--', join(bin, command), ...args] : args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface PgPair {
  dir: string;
  primaryPort: number;
  replicaPort: number;
  /** The superuser's URL of `database` on the primary / the replica (trust authentication on 127.0.0.1). */
  primaryUrl(database: string): string;
  replicaUrl(database: string): string;
  stop(): void;
}

export interface PgPairOptions {
  /** Settings both servers start with (`-c name=value …`), after the defaults; e.g. a larger `shared_buffers`. */
  settings?: string;
  /** Fills the primary before the base backup, so the replica starts with the data instead of replaying it. */
  load?: (primaryUrl: (database: string) => string) => Promise<void>;
}

/**
 * A new PostgreSQL cluster on a spare port in a temporary directory, and a streaming replica of it made with
 * `pg_basebackup -R` on a second port. Durability is off (`fsync`, full-page writes): the pair lives as long as a
 * test or a benchmark. The base backup asks for an immediate checkpoint: after a bulk load the default spread one
 * takes most of `checkpoint_timeout`.
 */
export async function startPrimaryAndReplica(bin: string, options: PgPairOptions = {}): Promise<PgPair> {
  const dir = mkdtempSync(join(tmpdir(), 'foodtrace-cluster-'));
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const primaryPort = await freePort();
  const replicaPort = await freePort();
  const primary = join(dir, 'primary');
  const replica = join(dir, 'replica');
  const serverOptions = (port: number) =>
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=32MB ${options.settings ?? ''}`;
  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  asServerUser(bin, 'initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const started: string[] = [];
  const stop = () => {
    for (const data of started.reverse()) {
      try {
        asServerUser(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      } catch {
        // already stopped
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asServerUser(bin, 'pg_ctl', ['start', '-D', primary, '-w', '-l', join(dir, 'primary.log'), '-o', `${serverOptions(primaryPort)} -c wal_level=replica -c max_wal_senders=4`]);
    started.push(primary);
    await options.load?.((database) => url(primaryPort, database));
    asServerUser(bin, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replica, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
    asServerUser(bin, 'pg_ctl', ['start', '-D', replica, '-w', '-l', join(dir, 'replica.log'), '-o', `${serverOptions(replicaPort)} -c hot_standby=on`]);
    started.push(replica);
  } catch (e) {
    stop();
    throw e;
  }
  return { dir, primaryPort, replicaPort, primaryUrl: (db) => url(primaryPort, db), replicaUrl: (db) => url(replicaPort, db), stop };
}
