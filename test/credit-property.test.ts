import { appendCreditEvent, creditAsOf } from '../src/credit/ledger.service';
import { toDate } from '../src/tables/sql-time';
import { CreditSource, Role } from '../src/entities/enums';
import { useTestApp } from './support/use-test-app';
import { token } from './support/factories';

const { t } = useTestApp({ each: 'none' });

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** DESIGN.md's rule table, written out here independently of src/credit/rules.ts. */
const MODEL_RULES: Record<string, { points: number | [number, number]; expires: number | null | [number, number]; forces: number | null }> = {
  NO_CERTIFICATE: { points: -5, expires: 12, forces: null },
  CERTIFICATE_QUANTITY_EXCEEDED: { points: -10, expires: 12, forces: null },
  CERTIFICATE_REVOKED_OR_FORGED: { points: -30, expires: 24, forces: 12 },
  RAPID_TEST_FAILED: { points: -20, expires: 24, forces: null },
  LAB_TEST_FAILED: { points: -30, expires: 24, forces: 12 },
  RECALL_SOURCE: { points: -20, expires: 24, forces: null },
  INSPECTION_VIOLATION: { points: [-30, -5], expires: [12, 24], forces: null },
  CLEAN_QUARTER: { points: 2, expires: 24, forces: null },
  TRAINING_COMPLETED: { points: 1, expires: 24, forces: null },
  INSPECTION_CLEAN: { points: 0, expires: null, forces: null },
};
const CODES = Object.keys(MODEL_RULES);

interface ModelEvent {
  id: number;
  points: number;
  at: number;
  expiresAt: number | null;
  forcedUntil: number | null;
  reverses: number | null;
}

function plusMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/**
 * The score as DESIGN.md states it, evaluated at `now`: from 100, the points of the events that have happened, are not
 * reversed and have not expired (additions expire too), applied in time order (ties in the order recorded), clamped
 * to 0–100 after each one.
 */
function model(events: ModelEvent[], now: number): { score: number; grade: string; forcedUntil: string | null } {
  const reversed = new Set(events.filter((e) => e.reverses !== null && e.at <= now).map((e) => e.reverses));
  const inTimeOrder = events.map((e, recorded) => ({ e, recorded })).sort((a, b) => a.e.at - b.e.at || a.recorded - b.recorded).map((x) => x.e);
  let score = 100;
  let forced: number | null = null;
  for (const e of inTimeOrder) {
    if (e.reverses !== null || e.at > now || reversed.has(e.id)) continue;
    const expired = e.expiresAt !== null && e.expiresAt <= now;
    if (!expired) score = Math.min(100, Math.max(0, score + e.points));
    if (e.forcedUntil !== null && e.forcedUntil > now && (forced === null || e.forcedUntil > forced)) forced = e.forcedUntil;
  }
  const grade = forced !== null ? 'D' : score >= 90 ? 'A' : score >= 75 ? 'B' : score >= 60 ? 'C' : 'D';
  return { score, grade, forcedUntil: forced === null ? null : new Date(forced).toISOString() };
}

const CASES = 200;
const SEED = 20261129;

it(`the stored score and grade always equal a recomputation, over ${CASES} random event sequences (seed ${SEED})`, async () => {
  const rnd = prng(SEED);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const start = Date.UTC(2023, 0, 1);
  const ops = await t.sql<{ id: number }>(
    `insert into operator (kind, name, registration_card_no, public_code)
     select 'FARM', 'Property farm ' || g, 'PT' || g, 'pt' || g from generate_series(1, ${CASES}) g returning id`,
  );
  let appended = 0;
  let compared = 0;

  const runCase = async (operatorId: number, plan: { code: string; reverse: boolean; at: number; points?: number; expires?: number; reverseIndex: number }[], probes: number[]) => {
    const events: ModelEvent[] = [];
    for (const step of plan) {
      const open = events.filter((e) => e.reverses === null && !events.some((r) => r.reverses === e.id));
      let input: Parameters<typeof appendCreditEvent>[1];
      let m: Omit<ModelEvent, 'id'>;
      if (step.reverse && open.length) {
        const target = open[step.reverseIndex % open.length];
        input = { operatorId, ruleCode: 'REVERSAL', reversesId: target.id, reason: 'upheld', source: CreditSource.APPEAL, occurredAt: new Date(step.at) };
        m = { points: 0, at: step.at, expiresAt: null, forcedUntil: null, reverses: target.id };
      } else {
        const rule = MODEL_RULES[step.code];
        const points = typeof rule.points === 'number' ? rule.points : step.points!;
        const expires = rule.expires === null ? null : typeof rule.expires === 'number' ? rule.expires : step.expires!;
        input = {
          operatorId, ruleCode: step.code, reason: `${step.code} in a random sequence`, source: CreditSource.SYSTEM, occurredAt: new Date(step.at),
          ...(typeof rule.points === 'number' ? {} : { points, expiresMonths: expires! }),
        };
        m = {
          points, at: step.at, expiresAt: points !== 0 && expires !== null ? plusMonths(step.at, expires) : null,
          forcedUntil: rule.forces === null ? null : plusMonths(step.at, rule.forces), reverses: null,
        };
      }
      const { id } = await t.orm.em.fork().transactional((em) => appendCreditEvent({ em }, input));
      events.push({ id, ...m });
      appended += 1;
      const [stored] = await t.orm.em.fork().execute('select credit_score, credit_grade, forced_d_until from operator where id = ?', [operatorId]);
      const expected = model(events, Date.now());
      expect({ operatorId, score: stored.credit_score, grade: stored.credit_grade, forcedUntil: toDate(stored.forced_d_until)?.toISOString() ?? null })
        .toEqual({ operatorId, ...expected });
      compared += 1;
    }
    for (const probe of probes) {
      const state = await creditAsOf({ em: t.orm.em.fork() }, operatorId, new Date(probe));
      expect({ operatorId, probe, score: state.score, grade: state.grade, forcedUntil: state.forcedUntil?.toISOString() ?? null })
        .toEqual({ operatorId, probe, ...model(events, probe) });
      compared += 1;
    }
  };

  // plans are drawn up front, so the sequence of random numbers does not depend on the order cases finish in
  const now = Date.now();
  const cases = ops.map(({ id }) => {
    const n = int(1, 6);
    const plan = Array.from({ length: n }, () => ({
      code: pick(CODES), reverse: rnd() < 0.2, at: int(start, now - 1), points: int(-30, -5), expires: int(12, 24), reverseIndex: int(0, 100),
    }));
    const probes = [int(start, now + 3 * 365 * 86400_000), int(start, now + 3 * 365 * 86400_000)];
    return () => runCase(id, plan, probes);
  });
  // a few cases at a time: different operators do not contend, so this also exercises concurrent appends
  const queue = [...cases];
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await next();
  }));

  expect(compared).toBe(appended + 2 * CASES);
  const [count] = await t.sql('select count(*)::int as n from credit_event');
  expect(count.n).toBe(appended);
  const verify = await t.gql(`{ verifyCreditArchive { ok operatorsChecked eventsChecked } }`, {}, await token(t, Role.REGULATOR));
  expect(verify.data.verifyCreditArchive).toEqual({ ok: true, operatorsChecked: CASES, eventsChecked: appended });
});

/** Hand-written sequences where the old rule (every counting point summed, clamped once) gave another number. */
const BANKED: { name: string; steps: [string, string][]; stored: number; oldRule: number; probes?: [string, number][] }[] = [
  {
    name: 'additions at the ceiling are not saved up for a later deduction',
    steps: [['TRAINING_COMPLETED', '2026-01-01'], ['TRAINING_COMPLETED', '2026-01-02'], ['CLEAN_QUARTER', '2026-03-31'], ['NO_CERTIFICATE', '2026-06-01']],
    stored: 95, oldRule: 99,
  },
  {
    name: 'the fold follows the time of the events, not the order they were recorded in',
    steps: [['NO_CERTIFICATE', '2026-06-01'], ['CLEAN_QUARTER', '2026-03-31'], ['TRAINING_COMPLETED', '2026-01-02'], ['TRAINING_COMPLETED', '2026-01-01']],
    stored: 95, oldRule: 99,
  },
  {
    name: 'points below 0 are not owed: an addition after the floor counts from 0',
    steps: [...['01', '02', '03', '04', '05', '06'].map((d): [string, string] => ['RAPID_TEST_FAILED', `2026-01-${d}`]), ['CLEAN_QUARTER', '2026-03-31']],
    stored: 2, oldRule: 0,
  },
  {
    name: 'three additions, then a rapid test failure: 80 until it expires, and additions expire after 24 months',
    steps: [['TRAINING_COMPLETED', '2025-01-01'], ['TRAINING_COMPLETED', '2025-01-02'], ['TRAINING_COMPLETED', '2025-01-03'], ['RAPID_TEST_FAILED', '2025-06-01']],
    stored: 80, oldRule: 83,
    probes: [['2025-05-31T00:00:00Z', 100], ['2025-06-01T00:00:00Z', 80], ['2027-05-31T23:59:59Z', 80], ['2027-06-01T00:00:00Z', 100]],
  },
];

it.each(BANKED)('$name', async ({ steps, stored, oldRule, probes }) => {
  const [{ id: operatorId }] = await t.sql<{ id: number }>(
    `insert into operator (kind, name, registration_card_no, public_code) values ('FARM', 'Banked', 'BK' || nextval('registration_card_seq'), 'bk' || currval('registration_card_seq')) returning id`,
  );
  const events: ModelEvent[] = [];
  for (const [code, day] of steps) {
    const at = Date.parse(`${day}T00:00:00Z`);
    const rule = MODEL_RULES[code];
    const { id } = await t.orm.em.fork().transactional((em) => appendCreditEvent({ em }, {
      operatorId, ruleCode: code, reason: `${code} by hand`, source: CreditSource.SYSTEM, occurredAt: new Date(at),
    }));
    events.push({
      id, points: rule.points as number, at, expiresAt: plusMonths(at, rule.expires as number),
      forcedUntil: rule.forces === null ? null : plusMonths(at, rule.forces), reverses: null,
    });
  }
  const now = Date.now();
  const [row] = await t.sql('select credit_score from operator where id = $1', [operatorId]);
  expect({ stored: row.credit_score, model: model(events, now).score }).toEqual({ stored, model: stored });
  // what the old rule gave: every counting point summed, clamped once
  const summed = events.filter((e) => e.at <= now && e.expiresAt! > now).reduce((sum, e) => sum + e.points, 100);
  expect(Math.min(100, Math.max(0, summed))).toBe(oldRule);
  for (const [when, score] of probes ?? []) {
    const state = await creditAsOf({ em: t.orm.em.fork() }, operatorId, new Date(when));
    expect({ when, score: state.score }).toEqual({ when, score });
    expect(model(events, Date.parse(when)).score).toBe(score);
  }
});
