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

  if (problems.length) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return { port: port!, host, publicUrl, databaseUrl, databaseOwnerUrl, ledgerSigningKey, nodeEnv, logLevel, dataDir, timeZone, limits };
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
  /** Unknown or revoked bearer tokens per client address per window; then every request with a token is refused. */
  authFailuresPerWindow: number;
  /** Longest a single SQL statement of a public lookup may run, in milliseconds. */
  publicStatementTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  bodyLimitBytes: 1024 * 1024,
  rateWindowMs: 60_000,
  publicPerWindow: 300,
  gateScansPerWindow: 300,
  writesPerWindow: 300,
  authFailuresPerWindow: 30,
  publicStatementTimeoutMs: 2000,
});

const VARIABLES: Record<keyof Limits, { name: string; min: number; max: number }> = {
  bodyLimitBytes: { name: 'BODY_LIMIT_BYTES', min: 1024, max: 64 * 1024 * 1024 },
  rateWindowMs: { name: 'RATE_LIMIT_WINDOW_MS', min: 1, max: 24 * 3600 * 1000 },
  publicPerWindow: { name: 'RATE_LIMIT_PUBLIC', min: 1, max: 1_000_000 },
  gateScansPerWindow: { name: 'RATE_LIMIT_GATE_SCANS', min: 1, max: 1_000_000 },
  writesPerWindow: { name: 'RATE_LIMIT_WRITES', min: 1, max: 1_000_000 },
  authFailuresPerWindow: { name: 'RATE_LIMIT_AUTH_FAILURES', min: 1, max: 1_000_000 },
  publicStatementTimeoutMs: { name: 'PUBLIC_STATEMENT_TIMEOUT_MS', min: 1, max: 600_000 },
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
