import { Pool, type PoolConfig, type QueryResultRow } from 'pg';
import { POOL_TIMEOUTS } from './orm';

/** A statement with a name: each connection prepares it once and from then on only binds and executes it. */
export interface NamedStatement {
  name: string;
  text: string;
}

/**
 * The connections of public lookups (trace, consumer pages): a pool of its own whose sessions are read-only and
 * bounded by the public statement timeout from the moment they connect, so a lookup is one round trip — no
 * `begin`, `set local` or `commit` around it — and its statements are prepared once per connection.
 * A statement cancelled by the timeout fails with PostgreSQL's 57014, which clients read as TIMEOUT.
 */
export class PublicReads {
  private readonly pool: Pool;

  /** `onQuery` sees each statement's name (tests count round trips with it). */
  constructor(connectionString: string, statementTimeoutMs: number, private readonly onQuery?: (name: string) => void, max = 10) {
    const timeout = Math.max(1, Math.trunc(statementTimeoutMs));
    const config: PoolConfig = {
      connectionString,
      max,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 3000,
      // a dropped connection or a silent server ends the wait instead of holding the request
      query_timeout: timeout + POOL_TIMEOUTS.queryMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: POOL_TIMEOUTS.keepAliveDelayMs,
      // session settings sent in the startup packet: no statement of ours can write, none runs longer than the bound
      options: `-c default_transaction_read_only=on -c statement_timeout=${timeout}`,
      allowExitOnIdle: true,
    };
    this.pool = new Pool(config);
    // an idle connection the server dropped is replaced on the next checkout; it must not crash the process
    this.pool.on('error', () => undefined);
  }

  /** Runs a named statement with `$1…` placeholders. */
  async query<T extends QueryResultRow>(statement: NamedStatement, values: unknown[]): Promise<T[]> {
    this.onQuery?.(statement.name);
    const result = await this.pool.query<T>({ name: statement.name, text: statement.text, values });
    return result.rows;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
