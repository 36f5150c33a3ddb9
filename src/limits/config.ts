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
