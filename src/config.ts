import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** Every environment variable the server reads, checked once at start. */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | null;
  /** Runs migrations and grants when set; DATABASE_URL's role then only reads and appends (SECURITY.md). */
  databaseOwnerUrl: string | null;
  /** The ledger's Ed25519 signing key (PEM or base64 PKCS#8); null: `DATA_DIR/ledger-key.pem`, generated once. */
  ledgerSigningKey: string | null;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  /** The county's time zone (IANA name): market days, local dates and event offsets follow it. */
  timeZone: string;
  /** Body size, rate and statement-time limits. */
  limits: Limits;
  /**
   * Which proxies may speak for the client address (fastify `trustProxy`): false (default: `X-Forwarded-For` is
   * ignored), true (any), a hop count, or addresses and CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** Lifetime of a new token in days when its creator gives none; null: tokens do not expire unless told. */
  tokenDefaultTtlDays: number | null;
  /**
   * The server secret of the rapid-test draw (HMAC-SHA256 of the scan id). From SAMPLING_SECRET; when null the
   * server uses one generated once and kept under the data dir (`ensureSamplingSecret`).
   */
  samplingSecret: string | null;
  /** EMBEDDED_DATABASE=1: production may run on the embedded PostgreSQL under the data dir. */
  embeddedDatabase: boolean;
  /** `/readyz` asks the database at most once per this many milliseconds and answers from that check between. */
  readyCheckIntervalMs: number;
  /** The complaint telephone number the markets' public boards show (market rules); 12315 is the regulator's national line. */
  complaintPhone: string;
  /** WEB_CONCURRENCY: how many app processes share the port (node's cluster module); 1 runs the server in this process. */
  webConcurrency: number;
  /**
   * Where rate-limit budgets and sign-in failure counts live: `memory` (this process alone) or `postgres` (an UNLOGGED
   * table every process shares). RATE_LIMIT_STORE; by default `postgres` when WEB_CONCURRENCY is above 1.
   */
  rateLimitStore: 'memory' | 'postgres';
  /** READ_DATABASE_URL: a streaming replica public lookups read from while it keeps up; null: everything reads the primary. */
  readDatabaseUrl: string | null;
  /** READ_MAX_LAG_MS: a replica further behind the primary than this is not read from. */
  readMaxLagMs: number;
}

export class ConfigError extends Error {}

/** China Standard Time: no daylight saving, +08:00 all year. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];

  const port = parsePort(env.PORT ?? '4000');
  if (port === null) problems.push(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);

  const host = (env.HOST ?? '127.0.0.1').trim();
  if (!host) problems.push('HOST must not be empty');

  const nodeEnv = (env.NODE_ENV ?? 'development') as Config['nodeEnv'];
  if (!NODE_ENVS.includes(nodeEnv)) problems.push(`NODE_ENV must be one of ${NODE_ENVS.join(', ')}, got "${env.NODE_ENV}"`);

  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);

  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }

  const databaseOwnerUrl = env.DATABASE_OWNER_URL?.trim() || null;
  if (databaseOwnerUrl && !/^postgres(ql)?:\/\//.test(databaseOwnerUrl)) problems.push('DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL');
  if (databaseOwnerUrl && !databaseUrl) problems.push('DATABASE_OWNER_URL needs DATABASE_URL (the role the server connects as)');
  const ledgerSigningKey = env.LEDGER_SIGNING_KEY?.trim() || null;

  const publicUrlRaw = (env.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port ?? 4000}`).trim();
  let publicUrl = publicUrlRaw.replace(/\/+$/, '');
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    problems.push(`PUBLIC_URL must be an absolute http(s) URL, got "${env.PUBLIC_URL}"`);
    publicUrl = '';
  }

  const dataDir = (env.DATA_DIR ?? '.data').trim();

  const timeZone = (env.TIME_ZONE ?? DEFAULT_TIME_ZONE).trim();
  if (!isTimeZone(timeZone)) problems.push(`TIME_ZONE must be an IANA time zone such as Asia/Shanghai, got "${env.TIME_ZONE}"`);

  const limits = loadLimits(env, problems);

  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);

  let tokenDefaultTtlDays: number | null = null;
  const ttl = env.TOKEN_DEFAULT_TTL_DAYS?.trim();
  if (ttl) {
    if (!/^\d{1,5}$/.test(ttl) || Number(ttl) < 1 || Number(ttl) > 36_500) {
      problems.push(`TOKEN_DEFAULT_TTL_DAYS must be a whole number of days between 1 and 36500, got "${env.TOKEN_DEFAULT_TTL_DAYS}"`);
    } else tokenDefaultTtlDays = Number(ttl);
  }

  const samplingSecret = env.SAMPLING_SECRET?.trim() || null;
  if (samplingSecret && samplingSecret.length < 32) problems.push('SAMPLING_SECRET must be at least 32 characters (e.g. 32 random bytes in hex)');

  const embeddedRaw = env.EMBEDDED_DATABASE?.trim() ?? '';
  if (!['', '0', '1'].includes(embeddedRaw)) problems.push(`EMBEDDED_DATABASE must be 1 or 0, got "${env.EMBEDDED_DATABASE}"`);
  const embeddedDatabase = embeddedRaw === '1';
  // fail closed: a production server never falls back to a database nobody configured
  if (nodeEnv === 'production' && !databaseUrl && !embeddedDatabase) {
    problems.push(
      'NODE_ENV=production needs DATABASE_URL (postgres://…); set EMBEDDED_DATABASE=1 to run the embedded PostgreSQL under DATA_DIR on purpose',
    );
  }

  let readyCheckIntervalMs = 1000;
  const ready = env.READYZ_INTERVAL_MS?.trim();
  if (ready) {
    if (!/^\d{1,6}$/.test(ready) || Number(ready) > 600_000) problems.push(`READYZ_INTERVAL_MS must be an integer between 0 and 600000, got "${env.READYZ_INTERVAL_MS}"`);
    else readyCheckIntervalMs = Number(ready);
  }

  const complaintPhone = (env.COMPLAINT_PHONE ?? '12315').trim();
  if (!/^[0-9+][0-9 -]{2,23}$/.test(complaintPhone)) problems.push(`COMPLAINT_PHONE must be a telephone number (digits, spaces, dashes, a leading +), got "${env.COMPLAINT_PHONE}"`);

  const scaling = loadScaling(env, problems);

  if (problems.length) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    port: port!, host, publicUrl, databaseUrl, databaseOwnerUrl, ledgerSigningKey, nodeEnv, logLevel, dataDir, timeZone, limits,
    trustProxy, tokenDefaultTtlDays, samplingSecret, embeddedDatabase, readyCheckIntervalMs, complaintPhone, ...scaling,
  };
}

/** Several processes, shared budgets and a read replica (docs/SCALING.md). */
function loadScaling(env: NodeJS.ProcessEnv, problems: string[]): Pick<Config, 'webConcurrency' | 'rateLimitStore' | 'readDatabaseUrl' | 'readMaxLagMs'> {
  let webConcurrency = 1;
  const concurrency = env.WEB_CONCURRENCY?.trim();
  if (concurrency) {
    if (!/^\d{1,2}$/.test(concurrency) || Number(concurrency) < 1 || Number(concurrency) > 64) {
      problems.push(`WEB_CONCURRENCY must be a whole number of processes between 1 and 64, got "${env.WEB_CONCURRENCY}"`);
    } else webConcurrency = Number(concurrency);
  }
  const store = env.RATE_LIMIT_STORE?.trim() || (webConcurrency > 1 ? 'postgres' : 'memory');
  if (store !== 'memory' && store !== 'postgres') problems.push(`RATE_LIMIT_STORE must be memory or postgres, got "${env.RATE_LIMIT_STORE}"`);
  const readDatabaseUrl = env.READ_DATABASE_URL?.trim() || null;
  if (readDatabaseUrl && !/^postgres(ql)?:\/\//.test(readDatabaseUrl)) problems.push('READ_DATABASE_URL must be a postgres:// or postgresql:// URL');
  let readMaxLagMs = 1000;
  const lag = env.READ_MAX_LAG_MS?.trim();
  if (lag) {
    if (!/^\d{1,6}$/.test(lag) || Number(lag) > 600_000) problems.push(`READ_MAX_LAG_MS must be an integer between 0 and 600000, got "${env.READ_MAX_LAG_MS}"`);
    else readMaxLagMs = Number(lag);
  }
  return { webConcurrency, rateLimitStore: store === 'postgres' ? 'postgres' : 'memory', readDatabaseUrl, readMaxLagMs };
}

/** `TRUST_PROXY`: unset or false, true, a hop count, or a comma-separated list of addresses, CIDRs or proxy-addr names. */
function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1) return hops;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (!entries.length || bad.length) {
    problems.push(`TRUST_PROXY must be true, false, a hop count (1-99) or a comma-separated list of addresses or CIDRs, got "${raw}"`);
    return false;
  }
  return entries;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length) return false;
  const family = isIP(address);
  if (!family) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The sampling secret: SAMPLING_SECRET, else the one kept in `<dataDir>/sampling-secret`, generated (32 random bytes,
 * readable by the owner only) the first time, so every restart draws the same samples.
 */
export function ensureSamplingSecret(config: Config): string {
  if (config.samplingSecret) return config.samplingSecret;
  const file = join(config.dataDir, 'sampling-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // another process wrote it first: use theirs
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new ConfigError(`${file} must hold at least 32 characters; delete it to have a new secret generated`);
  config.samplingSecret = secret;
  return secret;
}

function parsePort(raw: string): number | null {
  if (!/^\d{1,5}$/.test(raw.trim())) return null;
  const n = Number(raw);
  return n >= 0 && n <= 65535 ? n : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Limits

/** Every abuse limit the server enforces; each is proven by a test named in SECURITY.md. */
export interface Limits {
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Length of one rate-limit window, in milliseconds. */
  rateWindowMs: number;
  /** Public lookups (`trace`, anonymous queries, `/t/`, `/o/`, `/qr/`, `/01/`) per client address per window. */
  publicPerWindow: number;
  /** `scanAtGate` calls per bearer token per window. */
  gateScansPerWindow: number;
  /** Other mutations per bearer token (or per address when anonymous) per window. */
  writesPerWindow: number;
  /** Unknown, revoked or expired bearer tokens per client address per window; then that address's failures are refused (valid tokens still pass). */
  authFailuresPerWindow: number;
  /** Exports and the heaviest regulator operations (traces, EPCIS lineage, archive checks, recalls) per token per window. */
  heavyPerWindow: number;
  /** Reports sent through the public complaint form (`POST /report`) per client address per window. */
  reportsPerWindow: number;
  /** Longest a single SQL statement of a public lookup may run, in milliseconds. */
  publicStatementTimeoutMs: number;
  /** How long a bearer token's viewer is kept in memory before its account is read again (0: read every request). */
  viewerCacheMs: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  bodyLimitBytes: 1024 * 1024,
  rateWindowMs: 60_000,
  publicPerWindow: 300,
  gateScansPerWindow: 300,
  writesPerWindow: 300,
  authFailuresPerWindow: 30,
  heavyPerWindow: 30,
  reportsPerWindow: 10,
  publicStatementTimeoutMs: 2000,
  viewerCacheMs: 5000,
});

const VARIABLES: Record<keyof Limits, { name: string; min: number; max: number }> = {
  bodyLimitBytes: { name: 'BODY_LIMIT_BYTES', min: 1024, max: 64 * 1024 * 1024 },
  rateWindowMs: { name: 'RATE_LIMIT_WINDOW_MS', min: 1, max: 24 * 3600 * 1000 },
  publicPerWindow: { name: 'RATE_LIMIT_PUBLIC', min: 1, max: 1_000_000 },
  gateScansPerWindow: { name: 'RATE_LIMIT_GATE_SCANS', min: 1, max: 1_000_000 },
  writesPerWindow: { name: 'RATE_LIMIT_WRITES', min: 1, max: 1_000_000 },
  authFailuresPerWindow: { name: 'RATE_LIMIT_AUTH_FAILURES', min: 1, max: 1_000_000 },
  heavyPerWindow: { name: 'RATE_LIMIT_HEAVY', min: 1, max: 1_000_000 },
  reportsPerWindow: { name: 'RATE_LIMIT_REPORTS', min: 1, max: 1_000_000 },
  publicStatementTimeoutMs: { name: 'PUBLIC_STATEMENT_TIMEOUT_MS', min: 1, max: 600_000 },
  viewerCacheMs: { name: 'VIEWER_CACHE_MS', min: 0, max: 60_000 },
};

/** Reads the limits from the environment; each bad value is added to `problems`. */
export function loadLimits(env: NodeJS.ProcessEnv, problems: string[]): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(VARIABLES) as (keyof Limits)[]) {
    const { name, min, max } = VARIABLES[key];
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${env[name]}"`);
      continue;
    }
    limits[key] = n;
  }
  return limits;
}

/** The environment variable that sets each limit (for documentation and messages). */
export const LIMIT_VARIABLES: Readonly<Record<keyof Limits, string>> = Object.freeze(
  Object.fromEntries(Object.entries(VARIABLES).map(([k, v]) => [k, v.name])) as Record<keyof Limits, string>,
);
