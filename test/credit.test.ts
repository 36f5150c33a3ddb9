import { appendCreditEvent, chainHash, canonicalFromStored, GENESIS_HASH, refreshLapsedCredit, type NewCreditEvent } from '../src/credit/ledger.service';
import { CreditSource, Role } from '../src/entities/enums';
import { expiryOf } from '../src/credit/score';
import { openOrm } from '../src/db/orm';
import { Migration20261129203000_credit_score_fold } from '../src/db/migrations/Migration20261129203000_credit_score_fold';
import { operatorsWithLapses } from '../src/tables/credit-event.table';
import { createApp } from '../src/server';
import { useTestApp } from './support/use-test-app';
import { makeBatch, makeMarket, makeOperator, ok, token } from './support/factories';

const { t, f } = useTestApp();

/** Appends as the gate, tests and recalls do: inside a transaction of their own. */
function append(input: Omit<NewCreditEvent, 'source' | 'reason'> & { source?: CreditSource; reason?: string }) {
  return t.orm.em.fork().transactional((em) =>
    appendCreditEvent({ em }, { source: CreditSource.SYSTEM, reason: `${input.ruleCode} for the test`, ...input }),
  );
}

const at = (s: string) => new Date(s);

const AS_OF = `query($id: ID!, $at: DateTimeISO!) { creditAsOf(operatorId: $id, at: $at) { score grade forcedUntil } }`;
const CREDIT = `query($id: ID!) { operator(id: $id) { credit { score grade forcedUntil } } }`;

async function asOf(operatorId: string, when: string) {
  return ok(await t.gql(AS_OF, { id: operatorId, at: when }, f.regulator)).creditAsOf;
}

describe('score and grade', () => {
  it('applies points, lets deductions expire and clamps at 100, at every moment of a sequence', async () => {
    const op = await makeOperator(t, f.admin);
    const id = Number(op.id);
    await append({ operatorId: id, ruleCode: 'NO_CERTIFICATE', occurredAt: at('2025-01-10T00:00:00Z') }); // −5 until 2026-01-10
    await append({ operatorId: id, ruleCode: 'RAPID_TEST_FAILED', occurredAt: at('2025-03-01T00:00:00Z') }); // −20 until 2027-03-01
    await append({ operatorId: id, ruleCode: 'TRAINING_COMPLETED', occurredAt: at('2025-06-01T00:00:00Z') }); // +1 until 2027-06-01

    expect(await asOf(op.id, '2025-01-09T23:59:59Z')).toEqual({ score: 100, grade: 'A', forcedUntil: null });
    expect(await asOf(op.id, '2025-02-01T00:00:00Z')).toEqual({ score: 95, grade: 'A', forcedUntil: null });
    expect(await asOf(op.id, '2025-03-02T00:00:00Z')).toEqual({ score: 75, grade: 'B', forcedUntil: null });
    expect(await asOf(op.id, '2025-06-02T00:00:00Z')).toEqual({ score: 76, grade: 'B', forcedUntil: null });
    expect(await asOf(op.id, '2026-01-10T00:00:00Z')).toEqual({ score: 81, grade: 'B', forcedUntil: null });
    expect(await asOf(op.id, '2027-03-01T00:00:00Z')).toEqual({ score: 100, grade: 'A', forcedUntil: null });
    // stored now (deduction of 2025-01-10 has expired, the rapid test has not)
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 81, grade: 'B', forcedUntil: null });
  });

  it('drops to C, then D below 60, and clamps at 0', async () => {
    const op = await makeOperator(t, f.admin);
    const id = Number(op.id);
    await append({ operatorId: id, ruleCode: 'RAPID_TEST_FAILED', occurredAt: at('2026-10-01T00:00:00Z') });
    await append({ operatorId: id, ruleCode: 'CERTIFICATE_QUANTITY_EXCEEDED', occurredAt: at('2026-10-02T00:00:00Z') });
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 70, grade: 'C', forcedUntil: null });
    await append({ operatorId: id, ruleCode: 'NO_CERTIFICATE', occurredAt: at('2026-10-03T00:00:00Z') });
    await append({ operatorId: id, ruleCode: 'NO_CERTIFICATE', occurredAt: at('2026-10-04T00:00:00Z') });
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 60, grade: 'C', forcedUntil: null });
    await append({ operatorId: id, ruleCode: 'NO_CERTIFICATE', occurredAt: at('2026-10-05T00:00:00Z') });
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 55, grade: 'D', forcedUntil: null });
    for (const day of ['06', '07']) await append({ operatorId: id, ruleCode: 'RAPID_TEST_FAILED', occurredAt: at(`2026-10-${day}T00:00:00Z`) });
    await append({ operatorId: id, ruleCode: 'RECALL_SOURCE', occurredAt: at('2026-10-08T00:00:00Z') });
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 0, grade: 'D', forcedUntil: null });
    expect((await t.sql('select credit_score, credit_grade from operator where id = $1', [id]))[0]).toEqual({ credit_score: 0, credit_grade: 'D' });
  });

  it('holds a forcing violation at D for 12 months although the score alone would be C', async () => {
    const op = await makeOperator(t, f.admin);
    await append({ operatorId: Number(op.id), ruleCode: 'CERTIFICATE_REVOKED_OR_FORGED', occurredAt: at('2026-06-01T00:00:00Z') });
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 70, grade: 'D', forcedUntil: '2027-06-01T00:00:00.000Z' });
    expect(await asOf(op.id, '2027-05-31T23:59:59Z')).toEqual({ score: 70, grade: 'D', forcedUntil: '2027-06-01T00:00:00.000Z' });
    expect(await asOf(op.id, '2027-06-01T00:00:00Z')).toEqual({ score: 70, grade: 'C', forcedUntil: null });
    expect(await asOf(op.id, '2028-06-01T00:00:00Z')).toEqual({ score: 100, grade: 'A', forcedUntil: null });
  });

  it('stores grades that time alone changed when asked to, and only those', async () => {
    const op = await makeOperator(t, f.admin);
    const other = await makeOperator(t, f.admin);
    await append({ operatorId: Number(op.id), ruleCode: 'LAB_TEST_FAILED', occurredAt: at('2026-01-01T00:00:00Z') }); // −30 to 2028-01-01, D to 2027-01-01
    await append({ operatorId: Number(other.id), ruleCode: 'TRAINING_COMPLETED', occurredAt: at('2026-01-01T00:00:00Z') });
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 70, grade: 'D', forcedUntil: '2027-01-01T00:00:00.000Z' });
    // a run that starts after the forcing ended does not look at it again
    expect(await refreshLapsedCredit({ em: t.orm.em.fork() }, at('2027-01-02T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toBe(0);
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit.grade).toBe('D');
    expect(await refreshLapsedCredit({ em: t.orm.em.fork() }, at('2027-01-02T00:00:00Z'))).toBe(1);
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 70, grade: 'C', forcedUntil: null });
    expect(await refreshLapsedCredit({ em: t.orm.em.fork() }, at('2027-01-02T00:00:00Z'))).toBe(0);
    expect(await refreshLapsedCredit({ em: t.orm.em.fork() }, at('2028-01-01T00:00:00Z'), at('2027-01-02T00:00:00Z'))).toBe(1);
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 100, grade: 'A', forcedUntil: null });
  });

  it('counts an event recorded ahead of its time once it comes due', async () => {
    const op = await makeOperator(t, f.admin);
    const now = Date.now();
    await append({ operatorId: Number(op.id), ruleCode: 'RAPID_TEST_FAILED', occurredAt: new Date(now + 3600_000) });
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 100, grade: 'A', forcedUntil: null });
    expect(await refreshLapsedCredit({ em: t.orm.em.fork() }, new Date(now + 2 * 3600_000), new Date(now))).toBe(1);
    expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 80, grade: 'B', forcedUntil: null });
  });
});

/** An addition as it was recorded before additions expired: no expiry of its own (written behind the ledger). */
async function legacyAddition(operatorId: number, occurredAt: string): Promise<void> {
  await t.sql(
    `insert into credit_event (operator_id, seq, rule_code, points, reason, source, occurred_at, expires_at, prev_hash, hash)
     values ($1, 1, 'TRAINING_COMPLETED', 1, 'recorded before additions expired', 'REGULATOR', $2, null, repeat('0', 64), md5(random()::text) || md5(random()::text))`,
    [operatorId, occurredAt],
  );
  await t.sql(`update operator set credit_chain_seq = 1, credit_chain_head = (select hash from credit_event where operator_id = $1) where id = $1`, [operatorId]);
}

describe('expiring additions', () => {
  it('the refresh finds operators whose additions expire, recorded with an expiry or (earlier) without one', async () => {
    const recorded = await makeOperator(t, f.admin);
    const legacy = await makeOperator(t, f.admin);
    await append({ operatorId: Number(recorded.id), ruleCode: 'TRAINING_COMPLETED', occurredAt: at('2025-01-01T00:00:00Z') });
    expect(await t.sql('select expires_at from credit_event where operator_id = $1', [Number(recorded.id)])).toEqual([{ expires_at: at('2027-01-01T00:00:00Z') }]);
    // 29 February + 24 months runs into 1 March, in SQL as in JavaScript
    await legacyAddition(Number(legacy.id), '2024-02-29T12:00:00Z');
    expect(expiryOf({ points: 1, occurredAt: at('2024-02-29T12:00:00Z'), expiresAt: null })).toEqual(at('2026-03-01T12:00:00Z'));
    const lapses = (from: string, to: string) => operatorsWithLapses({ em: t.orm.em.fork() }, at(from), at(to));
    expect(await lapses('2026-12-31T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual([Number(recorded.id)]);
    expect(await lapses('2026-03-01T11:59:59Z', '2026-03-01T12:00:00Z')).toEqual([Number(legacy.id)]);
    expect(await lapses('2026-03-01T12:00:00Z', '2026-12-31T00:00:00Z')).toEqual([]);
    // each addition came after no deduction that still counts, so its expiry leaves the score where it was
    expect(await refreshLapsedCredit({ em: t.orm.em.fork() }, at('2027-01-02T00:00:00Z'))).toBe(0);
  });

  it('the migration recomputes every stored score, grade and forced D from the events by the new rule; a second run writes nothing', async () => {
    const banked = await makeOperator(t, f.admin, { name: 'Banked' });
    const forced = await makeOperator(t, f.admin, { name: 'Forced' });
    const quiet = await makeOperator(t, f.admin, { name: 'Quiet' });
    const legacy = await makeOperator(t, f.admin, { name: 'Legacy addition' });
    for (const day of ['01', '02', '03']) await append({ operatorId: Number(banked.id), ruleCode: 'TRAINING_COMPLETED', occurredAt: at(`2026-01-${day}T00:00:00Z`) });
    await append({ operatorId: Number(banked.id), ruleCode: 'RAPID_TEST_FAILED', occurredAt: at('2026-06-01T00:00:00Z') });
    await append({ operatorId: Number(forced.id), ruleCode: 'LAB_TEST_FAILED', occurredAt: at('2026-06-01T00:00:00Z') });
    await legacyAddition(Number(legacy.id), '2024-06-01T00:00:00Z');
    await append({ operatorId: Number(legacy.id), ruleCode: 'NO_CERTIFICATE', occurredAt: at('2026-10-01T00:00:00Z') });
    // what the old rule stored: banked points absorbed the deduction, an addition never expired
    await t.sql(`update operator set credit_score = 83, credit_grade = 'B' where id = $1`, [Number(banked.id)]);
    await t.sql(`update operator set credit_score = 70, credit_grade = 'C', forced_d_until = null where id = $1`, [Number(forced.id)]);
    await t.sql(`update operator set credit_score = 90, credit_grade = 'A' where id = $1`, [Number(quiet.id)]);
    await t.sql(`update operator set credit_score = 96, credit_grade = 'A' where id = $1`, [Number(legacy.id)]);

    const migrate = async () => {
      const migration = new Migration20261129203000_credit_score_fold(t.orm.em.getDriver(), t.orm.config);
      await migration.up();
      for (const sql of migration.getQueries()) await t.sql(String(sql));
    };
    const stored = () => t.sql(`select id, credit_score as score, credit_grade as grade, forced_d_until as "forcedUntil", xmin::text as version from operator order by id`);
    await migrate();
    const after = await stored();
    expect(after.map(({ version, ...state }) => state)).toEqual([
      { id: Number(banked.id), score: 80, grade: 'B', forcedUntil: null },
      { id: Number(forced.id), score: 70, grade: 'D', forcedUntil: at('2027-06-01T00:00:00Z') },
      { id: Number(quiet.id), score: 100, grade: 'A', forcedUntil: null },
      { id: Number(legacy.id), score: 95, grade: 'A', forcedUntil: null },
    ]);
    // the same as the application computes from the events
    for (const row of after) {
      const now = ok(await t.gql(AS_OF, { id: String(row.id), at: new Date().toISOString() }, f.regulator)).creditAsOf;
      expect({ id: row.id, ...now }).toEqual({ id: row.id, score: row.score, grade: row.grade, forcedUntil: row.forcedUntil?.toISOString() ?? null });
    }
    await migrate();
    expect(await stored()).toEqual(after);
  });
});

const RECORD = `mutation($input: RecordCreditEventInput!) {
  recordCreditEvent(input: $input) {
    event { seq ruleCode ruleEn points reason source recordedById occurredAt expiresAt forcesDUntil reversed }
    credit { score grade forcedUntil }
  }
}`;

describe('recordCreditEvent', () => {
  it('records an inspection violation with chosen points and expiry, and a training', async () => {
    const op = await makeOperator(t, f.admin);
    const [{ id: regulatorId }] = await t.sql(`select id from account where role = 'REGULATOR'`);
    const res = await t.gql(RECORD, {
      input: { operatorId: op.id, rule: 'INSPECTION_VIOLATION', points: -12, expiresMonths: 18, reason: 'Pesticide log missing', occurredAt: '2026-11-02T03:00:00Z' },
    }, f.regulator);
    expect(ok(res).recordCreditEvent).toEqual({
      event: {
        seq: 1, ruleCode: 'INSPECTION_VIOLATION', ruleEn: 'Violation found by a regulator', points: -12, reason: 'Pesticide log missing',
        source: 'REGULATOR', recordedById: String(regulatorId), occurredAt: '2026-11-02T03:00:00.000Z', expiresAt: '2028-05-02T03:00:00.000Z',
        forcesDUntil: null, reversed: false,
      },
      credit: { score: 88, grade: 'B', forcedUntil: null },
    });
    const training = await t.gql(RECORD, { input: { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason: 'Town food-safety course' } }, f.regulator);
    expect(ok(training).recordCreditEvent.credit).toEqual({ score: 89, grade: 'B', forcedUntil: null });
    // an addition expires after 24 months, as deductions do
    const { occurredAt, expiresAt } = ok(training).recordCreditEvent.event;
    const due = new Date(occurredAt);
    due.setUTCMonth(due.getUTCMonth() + 24);
    expect(expiresAt).toBe(due.toISOString());
  });

  it.each([
    [{ rule: 'INSPECTION_VIOLATION', reason: 'x' }, 'points', 'points: must be an integer from -30 to -5 for INSPECTION_VIOLATION'],
    [{ rule: 'INSPECTION_VIOLATION', points: -31, reason: 'x' }, 'points', 'points: must be an integer from -30 to -5 for INSPECTION_VIOLATION'],
    [{ rule: 'INSPECTION_VIOLATION', points: -4, reason: 'x' }, 'points', 'points: must be an integer from -30 to -5 for INSPECTION_VIOLATION'],
    [{ rule: 'INSPECTION_VIOLATION', points: -10, expiresMonths: 25, reason: 'x' }, 'expiresMonths', 'expiresMonths: must be from 12 to 24 for INSPECTION_VIOLATION'],
    [{ rule: 'INSPECTION_VIOLATION', points: -10, reason: '   ' }, 'reason', 'reason: must not be empty'],
    [{ rule: 'INSPECTION_VIOLATION', points: -10, reason: 'x'.repeat(1001) }, 'reason', 'reason: must be at most 1000 characters'],
    [{ rule: 'TRAINING_COMPLETED', points: 5, reason: 'x' }, 'points', 'points: must be 1 for TRAINING_COMPLETED'],
    [{ rule: 'NO_CERTIFICATE', reason: 'x' }, 'rule', 'rule: must be one of INSPECTION_VIOLATION, TRAINING_COMPLETED, INSPECTION_CLEAN'],
    [{ rule: 'constructor', reason: 'x' }, 'rule', 'rule: must be one of INSPECTION_VIOLATION, TRAINING_COMPLETED, INSPECTION_CLEAN'],
    [{ rule: 'TRAINING_COMPLETED', reason: 'x', occurredAt: '2099-01-01T00:00:00Z' }, 'occurredAt', 'occurredAt: must not be in the future'],
    [{ rule: 'TRAINING_COMPLETED', reason: 'x', operatorId: '0' }, 'operatorId', 'operatorId: is not a valid id'],
  ])('refuses %j naming the field and writes nothing', async (over, field, message) => {
    const op = await makeOperator(t, f.admin);
    const res = await t.gql(RECORD, { input: { operatorId: op.id, ...over } }, f.regulator);
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0].message).toBe(message);
    expect(await t.sql('select count(*)::int as n from credit_event')).toEqual([{ n: 0 }]);
    expect(await t.sql('select credit_score, credit_grade from operator')).toEqual([{ credit_score: 100, credit_grade: 'A' }]);
  });

  it('is for regulators only, and names a missing operator', async () => {
    const op = await makeOperator(t, f.admin);
    const input = { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason: 'x' };
    const own = await t.gql(RECORD, { input }, await token(t, Role.OPERATOR, { operatorId: op.id }));
    expect(own.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const market = await makeMarket(t, f.admin);
    const gate = await t.gql(RECORD, { input }, await token(t, Role.GATE_STAFF, { marketId: market.id }));
    expect(gate.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const missing = await t.gql(RECORD, { input: { ...input, operatorId: '999' } }, f.regulator);
    expect(missing.errors?.[0]).toMatchObject({ message: 'Operator 999 not found', extensions: { code: 'NOT_FOUND' } });
    expect(await t.sql('select count(*)::int as n from credit_event')).toEqual([{ n: 0 }]);
  });
});

describe('the ledger', () => {
  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    const op = await makeOperator(t, f.admin);
    await append({ operatorId: Number(op.id), ruleCode: 'NO_CERTIFICATE' });
    await expect(t.sql('update credit_event set points = 0')).rejects.toThrow('credit_event is append-only: UPDATE refused');
    await expect(t.sql('delete from credit_event')).rejects.toThrow('credit_event is append-only: DELETE refused');
    await expect(t.sql('truncate credit_event cascade')).rejects.toThrow('credit_event is append-only: TRUNCATE refused');
    expect(await t.sql('select seq, points from credit_event')).toEqual([{ seq: 1, points: -5 }]);
  });

  it('serialises 200 parallel events for one operator, from two servers, into one unbroken chain with the exact score', async () => {
    // a second server process on the same database: its own pool, its own in-process queue; only the row lock is shared
    const orm2 = await openOrm({ clientUrl: t.url, allowGlobalContext: true });
    const app2 = await createApp(orm2, t.config);
    try {
      const op = await makeOperator(t, f.admin);
      const requests = Array.from({ length: 200 }, (_, i) => {
        // one second apart, so the order the score is folded in does not depend on which request is served first
        const occurredAt = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
        const input = i % 10 === 0
          ? { operatorId: op.id, rule: 'INSPECTION_VIOLATION', points: -10, reason: `Finding ${i}`, occurredAt }
          : { operatorId: op.id, rule: 'TRAINING_COMPLETED', reason: `Course ${i}`, occurredAt };
        if (i % 2 === 0) return t.gql(RECORD, { input }, f.regulator);
        return app2.fastify.inject({
          method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${f.regulator}` },
          payload: JSON.stringify({ query: RECORD, variables: { input } }),
        }).then((res) => res.json() as { errors?: unknown[] });
      });
      const results = await Promise.all(requests);
      expect(results.filter((r) => r.errors).map((r) => r.errors)).toEqual([]);
      // in time order each −10 is followed by nine +1, none above the ceiling: 100 − 20 × (10 − 9)
      expect(ok(await t.gql(CREDIT, { id: op.id }, f.regulator)).operator.credit).toEqual({ score: 80, grade: 'B', forcedUntil: null });
      const seqs = await t.sql<{ seq: number }>('select seq from credit_event where operator_id = $1 order by seq', [Number(op.id)]);
      expect(seqs.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const verified = ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok operatorsChecked eventsChecked firstBroken { seq } brokenOperatorIds } }`, { id: op.id }, f.regulator));
      expect(verified.verifyCreditChain).toEqual({ ok: true, operatorsChecked: 1, eventsChecked: 200, firstBroken: null, brokenOperatorIds: [] });
      const [links] = await t.sql(`select count(*)::int as n from credit_event e join credit_event p on p.operator_id = e.operator_id and p.seq = e.seq - 1 and p.hash = e.prev_hash`);
      expect(links).toEqual({ n: 199 });
    } finally {
      await app2.fastify.close();
      await orm2.close(true);
    }
  });

  it('finds a row altered behind the application\'s back, and a rewrite that recomputed its hash', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    for (const rule of ['NO_CERTIFICATE', 'RAPID_TEST_FAILED', 'TRAINING_COMPLETED']) {
      await append({ operatorId: Number(a.id), ruleCode: rule, occurredAt: at('2026-11-01T00:00:00Z') });
      await append({ operatorId: Number(b.id), ruleCode: rule, occurredAt: at('2026-11-01T00:00:00Z') });
    }
    const VERIFY_ALL = `{ verifyCreditArchive { ok operatorsChecked eventsChecked firstBroken { operatorId eventId seq problem expected found } brokenOperatorIds } }`;
    expect(ok(await t.gql(VERIFY_ALL, {}, f.regulator)).verifyCreditArchive).toEqual({
      ok: true, operatorsChecked: 2, eventsChecked: 6, firstBroken: null, brokenOperatorIds: [],
    });

    // a superuser softens B's rapid-test failure with the triggers disabled
    const [row] = await t.sql('select id, hash from credit_event where operator_id = $1 and seq = 2', [Number(b.id)]);
    await t.sql(`set session_replication_role = replica; update credit_event set points = -1 where id = ${row.id}; set session_replication_role = origin;`);
    const [stored] = await t.sql('select * from credit_event where id = $1', [row.id]);
    const recomputed = chainHash(stored.prev_hash, canonicalFromStored(stored));
    expect(recomputed).not.toBe(row.hash);
    const broken = ok(await t.gql(VERIFY_ALL, {}, f.regulator)).verifyCreditArchive;
    expect(broken).toEqual({
      ok: false, operatorsChecked: 2, eventsChecked: 6,
      firstBroken: { operatorId: b.id, eventId: String(row.id), seq: 2, problem: 'HASH_MISMATCH', expected: recomputed, found: row.hash },
      brokenOperatorIds: [b.id],
    });
    const one = ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok firstBroken { seq problem } } }`, { id: b.id }, f.regulator));
    expect(one.verifyCreditChain).toEqual({ ok: false, firstBroken: { seq: 2, problem: 'HASH_MISMATCH' } });

    // on A, the row is altered and its own hash recomputed: the next link no longer matches
    const [a2] = await t.sql('select * from credit_event where operator_id = $1 and seq = 2', [Number(a.id)]);
    const forgedHash = chainHash(a2.prev_hash, { ...canonicalFromStored(a2), points: 0 });
    await t.sql(`set session_replication_role = replica; update credit_event set points = 0, hash = '${forgedHash}' where id = ${a2.id}; set session_replication_role = origin;`);
    const [a3] = await t.sql('select id, prev_hash from credit_event where operator_id = $1 and seq = 3', [Number(a.id)]);
    const both = ok(await t.gql(VERIFY_ALL, {}, f.regulator)).verifyCreditArchive;
    expect(both.firstBroken).toEqual({ operatorId: a.id, eventId: String(a3.id), seq: 3, problem: 'PREVIOUS_HASH_MISMATCH', expected: forgedHash, found: a3.prev_hash });
    expect(both.brokenOperatorIds).toEqual([a.id, b.id]);
  });

  it('finds a deleted row as a gap in the chain', async () => {
    const a = await makeOperator(t, f.admin);
    for (const rule of ['NO_CERTIFICATE', 'RAPID_TEST_FAILED']) await append({ operatorId: Number(a.id), ruleCode: rule });
    await t.sql(`set session_replication_role = replica; delete from credit_event where seq = 1; set session_replication_role = origin;`);
    const [second] = await t.sql('select id from credit_event where seq = 2');
    const res = ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok firstBroken { eventId seq problem expected found } } }`, { id: a.id }, f.regulator));
    expect(res.verifyCreditChain).toEqual({ ok: false, firstBroken: { eventId: String(second.id), seq: 2, problem: 'SEQUENCE_GAP', expected: '1', found: '2' } });
  });

  it('finds the newest events removed, by the head each operator recorded', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    const kept = await append({ operatorId: Number(a.id), ruleCode: 'NO_CERTIFICATE' });
    const removed = await append({ operatorId: Number(a.id), ruleCode: 'RAPID_TEST_FAILED' });
    const gone = await append({ operatorId: Number(b.id), ruleCode: 'LAB_TEST_FAILED' });
    expect(await t.sql('select id, credit_chain_seq, credit_chain_head from operator order by id')).toEqual([
      { id: Number(a.id), credit_chain_seq: 2, credit_chain_head: removed.hash },
      { id: Number(b.id), credit_chain_seq: 1, credit_chain_head: gone.hash },
    ]);
    await t.sql(`set session_replication_role = replica; delete from credit_event where id in (${removed.id}, ${gone.id}); set session_replication_role = origin;`);
    const res = ok(await t.gql(`{ verifyCreditArchive { ok operatorsChecked eventsChecked firstBroken { operatorId eventId seq problem expected found } brokenOperatorIds } }`, {}, f.regulator));
    expect(res.verifyCreditArchive).toEqual({
      ok: false, operatorsChecked: 2, eventsChecked: 1,
      firstBroken: { operatorId: a.id, eventId: null, seq: 2, problem: 'HEAD_MISMATCH', expected: `2:${removed.hash}`, found: `1:${kept.hash}` },
      brokenOperatorIds: [a.id, b.id],
    });
    const one = ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok firstBroken { seq problem expected found } } }`, { id: b.id }, f.regulator));
    expect(one.verifyCreditChain).toEqual({ ok: false, firstBroken: { seq: 1, problem: 'HEAD_MISMATCH', expected: `1:${gone.hash}`, found: `0:${'0'.repeat(64)}` } });
  });

  it('starts every chain at the genesis hash', async () => {
    const a = await makeOperator(t, f.admin);
    await append({ operatorId: Number(a.id), ruleCode: 'TRAINING_COMPLETED' });
    expect(await t.sql('select prev_hash from credit_event')).toEqual([{ prev_hash: GENESIS_HASH }]);
  });
});

const FILE = `mutation($input: FileCreditAppealInput!) { fileCreditAppeal(input: $input) { id eventId operatorId kind reason status reversalEventId } }`;
const DECIDE = `mutation($input: DecideCreditAppealInput!) {
  decideCreditAppeal(input: $input) { id status decisionNote decidedById reversalEventId event { id reversed reversedById } reversalEvent { ruleCode points reversesId source sourceRef } }
}`;
const EVENTS = `query($id: ID!, $after: String) { operator(id: $id) { credit { score grade events(first: 10, after: $after) { edges { node { seq ruleCode points reversed reversesId sourceRef } } pageInfo { hasNextPage endCursor } } } } }`;

describe('appeals and repair', () => {
  it('round trip: the operator appeals, the regulator upholds, a reversal restores the score and the original stays', async () => {
    const op = await makeOperator(t, f.admin);
    const opToken = await token(t, Role.OPERATOR, { operatorId: op.id });
    const deduction = await append({ operatorId: Number(op.id), ruleCode: 'RAPID_TEST_FAILED', source: CreditSource.INSPECTION, sourceRef: '17' });
    expect(ok(await t.gql(CREDIT, { id: op.id }, opToken)).operator.credit).toEqual({ score: 80, grade: 'B', forcedUntil: null });

    const filed = ok(await t.gql(FILE, { input: { eventId: String(deduction.id), kind: 'APPEAL', reason: 'The test strip was expired' } }, opToken)).fileCreditAppeal;
    expect(filed).toEqual({ id: '1', eventId: String(deduction.id), operatorId: op.id, kind: 'APPEAL', reason: 'The test strip was expired', status: 'PENDING', reversalEventId: null });
    const twice = await t.gql(FILE, { input: { eventId: String(deduction.id), kind: 'APPEAL', reason: 'Again' } }, opToken);
    expect(twice.errors?.[0]).toMatchObject({ message: `Credit event ${deduction.id} already has a pending appeal (1)`, extensions: { code: 'CONFLICT' } });

    const [{ id: regulatorId }] = await t.sql(`select id from account where role = 'REGULATOR'`);
    const decided = ok(await t.gql(DECIDE, { input: { appealId: '1', decision: 'UPHELD', note: 'Strip batch confirmed expired' } }, f.regulator)).decideCreditAppeal;
    const [reversal] = await t.sql(`select id from credit_event where rule_code = 'REVERSAL'`);
    expect(decided).toEqual({
      id: '1', status: 'UPHELD', decisionNote: 'Strip batch confirmed expired', decidedById: String(regulatorId), reversalEventId: String(reversal.id),
      event: { id: String(deduction.id), reversed: true, reversedById: String(reversal.id) },
      reversalEvent: { ruleCode: 'REVERSAL', points: 0, reversesId: String(deduction.id), source: 'APPEAL', sourceRef: 'appeal:1' },
    });
    const credit = ok(await t.gql(EVENTS, { id: op.id }, opToken)).operator.credit;
    expect(credit.score).toBe(100);
    expect(credit.grade).toBe('A');
    expect(credit.events.edges.map((e: any) => e.node)).toEqual([
      { seq: 3, ruleCode: 'REVERSAL', points: 0, reversed: false, reversesId: String(deduction.id), sourceRef: 'appeal:1' },
      { seq: 2, ruleCode: 'APPEAL_FILED', points: 0, reversed: false, reversesId: null, sourceRef: 'appeal:1' },
      { seq: 1, ruleCode: 'RAPID_TEST_FAILED', points: -20, reversed: true, reversesId: null, sourceRef: '17' },
    ]);

    const again = await t.gql(DECIDE, { input: { appealId: '1', decision: 'REJECTED', note: 'x' } }, f.regulator);
    expect(again.errors?.[0]).toMatchObject({ message: 'Credit appeal 1 was already decided (UPHELD)', extensions: { code: 'CONFLICT' } });
    const reversed = await t.gql(FILE, { input: { eventId: String(deduction.id), kind: 'REPAIR', reason: 'x' } }, opToken);
    expect(reversed.errors?.[0]).toMatchObject({ message: `Credit event ${deduction.id} is already reversed`, extensions: { code: 'CONFLICT' } });
    expect(ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok eventsChecked } }`, { id: op.id }, f.regulator)).verifyCreditChain)
      .toEqual({ ok: true, eventsChecked: 3 });
  });

  it('a rejected repair request is archived and leaves the score as it was', async () => {
    const op = await makeOperator(t, f.admin);
    const opToken = await token(t, Role.OPERATOR, { operatorId: op.id });
    const deduction = await append({ operatorId: Number(op.id), ruleCode: 'CERTIFICATE_QUANTITY_EXCEEDED' });
    ok(await t.gql(FILE, { input: { eventId: String(deduction.id), kind: 'REPAIR', reason: 'Scales recalibrated, certificate book fixed' } }, opToken));
    const decided = ok(await t.gql(DECIDE, { input: { appealId: '1', decision: 'REJECTED', note: 'No evidence of recalibration' } }, f.regulator)).decideCreditAppeal;
    expect(decided).toMatchObject({ status: 'REJECTED', reversalEventId: null, reversalEvent: null, event: { reversed: false, reversedById: null } });
    const credit = ok(await t.gql(EVENTS, { id: op.id }, f.regulator)).operator.credit;
    expect(credit.score).toBe(90);
    expect(credit.events.edges.map((e: any) => [e.node.seq, e.node.ruleCode, e.node.sourceRef])).toEqual([
      [3, 'APPEAL_REJECTED', 'appeal:1'], [2, 'APPEAL_FILED', 'appeal:1'], [1, 'CERTIFICATE_QUANTITY_EXCEEDED', null],
    ]);
    const list = ok(await t.gql(`{ creditAppeals(filter: { status: REJECTED }) { edges { node { id kind status decisionNote } } } }`, {}, opToken));
    expect(list.creditAppeals.edges.map((e: any) => e.node)).toEqual([{ id: '1', kind: 'REPAIR', status: 'REJECTED', decisionNote: 'No evidence of recalibration' }]);
  });

  it('lets an operator appeal only its own deductions', async () => {
    const op = await makeOperator(t, f.admin);
    const other = await makeOperator(t, f.admin);
    const deduction = await append({ operatorId: Number(op.id), ruleCode: 'NO_CERTIFICATE' });
    const bonus = await append({ operatorId: Number(op.id), ruleCode: 'TRAINING_COMPLETED' });
    const stranger = await t.gql(FILE, { input: { eventId: String(deduction.id), kind: 'APPEAL', reason: 'x' } }, await token(t, Role.OPERATOR, { operatorId: other.id }));
    expect(stranger.errors?.[0]).toMatchObject({ message: 'Only the operator itself may appeal its events', extensions: { code: 'FORBIDDEN' } });
    const regulator = await t.gql(FILE, { input: { eventId: String(deduction.id), kind: 'APPEAL', reason: 'x' } }, f.regulator);
    expect(regulator.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const opToken = await token(t, Role.OPERATOR, { operatorId: op.id });
    const positive = await t.gql(FILE, { input: { eventId: String(bonus.id), kind: 'APPEAL', reason: 'x' } }, opToken);
    expect(positive.errors?.[0]).toMatchObject({ message: 'eventId: only a deduction can be appealed or repaired', extensions: { code: 'BAD_USER_INPUT', field: 'eventId' } });
    const empty = await t.gql(FILE, { input: { eventId: String(deduction.id), kind: 'APPEAL', reason: ' ' } }, opToken);
    expect(empty.errors?.[0]).toMatchObject({ message: 'reason: must not be empty', extensions: { code: 'BAD_USER_INPUT', field: 'reason' } });
    expect(await t.sql('select count(*)::int as n from credit_appeal')).toEqual([{ n: 0 }]);
    expect(await t.sql('select count(*)::int as n from credit_event')).toEqual([{ n: 2 }]);
  });
});

const ARCHIVE = `query($filter: CreditArchiveFilter, $first: Int, $after: String) {
  creditArchive(filter: $filter, first: $first, after: $after) { edges { node { id ruleCode operatorId operator { name } } } pageInfo { hasNextPage endCursor } }
}`;

describe('creditArchive', () => {
  it('filters by the operator and the event, newest first, and pages by keyset', async () => {
    const east = await makeOperator(t, f.admin, { village: 'East', kind: 'DAIRY_FARM', name: 'East Dairy' });
    const west = await makeOperator(t, f.admin, { village: 'West', name: 'West Farm' });
    const ids: Record<string, number> = {};
    const add = async (key: string, operatorId: string, ruleCode: string, when: string) => {
      ids[key] = (await append({ operatorId: Number(operatorId), ruleCode, occurredAt: at(when) })).id;
    };
    await add('e1', east.id, 'NO_CERTIFICATE', '2026-11-01T00:00:00Z');
    await add('w1', west.id, 'RAPID_TEST_FAILED', '2026-11-02T00:00:00Z');
    await add('e2', east.id, 'TRAINING_COMPLETED', '2026-11-03T00:00:00Z');
    await add('w2', west.id, 'NO_CERTIFICATE', '2026-11-03T00:00:00Z'); // same time as e2: id breaks the tie
    await add('e3', east.id, 'NO_CERTIFICATE', '2026-11-04T00:00:00Z');
    // east: 100 − 5 + 1 − 5 = 91 A; west: 100 − 20 − 5 = 75 B

    const all: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = ok(await t.gql(ARCHIVE, { first: 2, after }, f.regulator)).creditArchive;
      all.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(all).toEqual([ids.e3, ids.w2, ids.e2, ids.w1, ids.e1].map(String));

    const nodeIds = async (filter: Record<string, unknown>) =>
      ok(await t.gql(ARCHIVE, { filter, first: 100 }, f.regulator)).creditArchive.edges.map((e: any) => Number(e.node.id));
    expect(await nodeIds({ village: 'West' })).toEqual([ids.w2, ids.w1]);
    expect(await nodeIds({ village: 'Nowhere' })).toEqual([]);
    expect(await nodeIds({ grade: 'A' })).toEqual([ids.e3, ids.e2, ids.e1]);
    expect(await nodeIds({ kind: 'DAIRY_FARM', rule: 'NO_CERTIFICATE' })).toEqual([ids.e3, ids.e1]);
    expect(await nodeIds({ scoreMin: 75, scoreMax: 80 })).toEqual([ids.w2, ids.w1]);
    expect(await nodeIds({ from: '2026-11-02T00:00:00Z', to: '2026-11-04T00:00:00Z' })).toEqual([ids.w2, ids.e2, ids.w1]);
    expect(await nodeIds({ rule: 'NO_CERTIFICATE', from: '2026-11-03T00:00:00Z' })).toEqual([ids.e3, ids.w2]);
    const first = ok(await t.gql(ARCHIVE, { first: 1 }, f.regulator)).creditArchive.edges[0].node;
    expect(first).toEqual({ id: String(ids.e3), ruleCode: 'NO_CERTIFICATE', operatorId: east.id, operator: { name: 'East Dairy' } });
  });

  it.each([
    [{ scoreMin: 101 }, 'filter.scoreMin', 'filter.scoreMin: must be an integer from 0 to 100'],
    [{ scoreMin: 80, scoreMax: 70 }, 'filter.scoreMax', 'filter.scoreMax: must not be below scoreMin'],
    [{ rule: 'NOT_A_RULE' }, 'filter.rule', 'filter.rule: unknown rule NOT_A_RULE'],
    [{ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 'filter.to', 'filter.to: must be after from'],
  ])('refuses the filter %j naming the field', async (filter, field, message) => {
    const res = await t.gql(ARCHIVE, { filter }, f.regulator);
    expect(res.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', field } });
  });

  it('refuses a forged cursor and callers who are not regulators', async () => {
    const bad = await t.gql(ARCHIVE, { after: 'bm9wZQ' }, f.regulator);
    expect(bad.errors?.[0]).toMatchObject({ message: 'after: is not a valid cursor', extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    const op = await makeOperator(t, f.admin);
    const denied = await t.gql(ARCHIVE, {}, await token(t, Role.OPERATOR, { operatorId: op.id }));
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('loads the events of a page of operators in one statement', async () => {
    const ops = [];
    for (let i = 0; i < 4; i++) ops.push(await makeOperator(t, f.admin));
    for (const op of ops) {
      await append({ operatorId: Number(op.id), ruleCode: 'NO_CERTIFICATE' });
      await append({ operatorId: Number(op.id), ruleCode: 'TRAINING_COMPLETED' });
    }
    const Q = `{ operators(first: 10) { edges { node { id credit { events(first: 1) { edges { node { seq ruleCode } } pageInfo { hasNextPage } } } } } } }`;
    let res: any;
    const eventStatements = async () => {
      const before = t.statements.length;
      res = ok(await t.gql(Q, {}, f.regulator));
      return t.statements.slice(before).filter((s) => /credit_event/.test(s)).length;
    };
    expect(await eventStatements()).toBe(1);
    expect(res.operators.edges.map((e: any) => e.node.credit.events)).toEqual(
      ops.map(() => ({ edges: [{ node: { seq: 2, ruleCode: 'TRAINING_COMPLETED' } }], pageInfo: { hasNextPage: true } })),
    );
  });

  it('pages one operator\'s events by chain position and keeps them from other operators', async () => {
    const op = await makeOperator(t, f.admin);
    for (let i = 0; i < 12; i++) await append({ operatorId: Number(op.id), ruleCode: 'TRAINING_COMPLETED' });
    const p1 = ok(await t.gql(EVENTS, { id: op.id }, f.regulator)).operator.credit.events;
    expect(p1.edges.map((e: any) => e.node.seq)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = ok(await t.gql(EVENTS, { id: op.id, after: p1.pageInfo.endCursor }, f.regulator)).operator.credit.events;
    expect(p2.edges.map((e: any) => e.node.seq)).toEqual([2, 1]);
    expect(p2.pageInfo).toEqual({ hasNextPage: false, endCursor: p2.pageInfo.endCursor });
    const other = await makeOperator(t, f.admin);
    const denied = await t.gql(EVENTS, { id: op.id }, await token(t, Role.OPERATOR, { operatorId: other.id }));
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('supervision', () => {
  async function entry(marketId: string, staffToken: string, batchId: string | null, vendorId: string, createdAt: string) {
    const [{ id: staffId }] = await t.sql(`select id from account where role = 'GATE_STAFF' order by id desc limit 1`);
    void staffToken;
    await t.sql(
      `insert into market_entry (market_id, staff_id, scan_id, request_hash, code_scanned, batch_id, vendor_id, declared_quantity, unit, decision, created_at)
       values ($1, $2, md5(random()::text), repeat('0', 64), 'x', $3, $4, 10, 'KG', 'ACCEPTED', $5)`,
      [Number(marketId), staffId, batchId && Number(batchId), Number(vendorId), createdAt],
    );
  }

  it('closeQuarter awards operators with entries and no standing deduction, once', async () => {
    const market = await makeMarket(t, f.admin);
    const staff = await token(t, Role.GATE_STAFF, { marketId: market.id });
    const supplier = await makeOperator(t, f.admin, { name: 'Supplier' });
    const dirty = await makeOperator(t, f.admin, { name: 'Dirty vendor', kind: 'MARKET_VENDOR' });
    const appealed = await makeOperator(t, f.admin, { name: 'Appealed vendor', kind: 'MARKET_VENDOR' });
    const idle = await makeOperator(t, f.admin, { name: 'Idle' });
    const early = await makeOperator(t, f.admin, { name: 'Early vendor', kind: 'MARKET_VENDOR' });
    const batch = await makeBatch(t, f.admin, supplier.id);
    await entry(market.id, staff, batch.id, dirty.id, '2026-08-01T02:00:00Z');
    await entry(market.id, staff, null, appealed.id, '2026-09-30T15:59:59Z'); // 23:59:59 town time, last second of Q3
    await entry(market.id, staff, null, early.id, '2026-06-30T15:59:59Z'); // still Q2 in town time
    await append({ operatorId: Number(supplier.id), ruleCode: 'NO_CERTIFICATE', occurredAt: at('2026-05-01T00:00:00Z') }); // Q2: does not count
    await append({ operatorId: Number(dirty.id), ruleCode: 'NO_CERTIFICATE', occurredAt: at('2026-08-01T02:00:00Z') });
    const wrong = await append({ operatorId: Number(appealed.id), ruleCode: 'NO_CERTIFICATE', occurredAt: at('2026-08-02T00:00:00Z') });
    await append({ operatorId: Number(appealed.id), ruleCode: 'REVERSAL', reversesId: wrong.id });
    void idle;

    const CLOSE = `mutation($q: String!) { closeQuarter(quarter: $q) { quarter eligible awardedOperatorIds alreadyAwarded } }`;
    expect(ok(await t.gql(CLOSE, { q: '2026-Q3' }, f.regulator)).closeQuarter).toEqual({
      quarter: '2026-Q3', eligible: 2, awardedOperatorIds: [supplier.id, appealed.id], alreadyAwarded: 0,
    });
    expect(ok(await t.gql(CLOSE, { q: '2026-Q3' }, f.regulator)).closeQuarter).toEqual({
      quarter: '2026-Q3', eligible: 2, awardedOperatorIds: [], alreadyAwarded: 2,
    });
    const awards = await t.sql(`select operator_id, points, source_ref, occurred_at from credit_event where rule_code = 'CLEAN_QUARTER' order by operator_id`);
    expect(awards).toEqual([
      { operator_id: Number(supplier.id), points: 2, source_ref: '2026-Q3', occurred_at: at('2026-09-30T15:59:59.999Z') },
      { operator_id: Number(appealed.id), points: 2, source_ref: '2026-Q3', occurred_at: at('2026-09-30T15:59:59.999Z') },
    ]);
    expect(ok(await t.gql(CREDIT, { id: supplier.id }, f.regulator)).operator.credit).toEqual({ score: 97, grade: 'A', forcedUntil: null });
    const notYet = await t.gql(CLOSE, { q: '2099-Q1' }, f.regulator);
    expect(notYet.errors?.[0]).toMatchObject({ message: 'quarter: has not ended yet', extensions: { code: 'BAD_USER_INPUT', field: 'quarter' } });
    const bad = await t.gql(CLOSE, { q: '2026-Q5' }, f.regulator);
    expect(bad.errors?.[0]).toMatchObject({ message: 'quarter: must be a quarter like 2026-Q3', extensions: { code: 'BAD_USER_INPUT', field: 'quarter' } });
  });

  it('inspectionPlan lists the operators due in a month, most at risk first', async () => {
    const never = await makeOperator(t, f.admin, { name: 'Never inspected, A' });
    const forced = await makeOperator(t, f.admin, { name: 'Forced D' });
    const b = await makeOperator(t, f.admin, { name: 'B, inspected in March' });
    const recentA = await makeOperator(t, f.admin, { name: 'A, inspected in February' });
    const c = await makeOperator(t, f.admin, { name: 'C, never inspected' });
    const revoked = await makeOperator(t, f.admin, { name: 'Revoked' });
    await t.sql(`update operator set status = 'REVOKED' where id = $1`, [Number(revoked.id)]);
    await append({ operatorId: Number(forced.id), ruleCode: 'INSPECTION_CLEAN', occurredAt: at('2026-09-15T00:00:00Z') });
    await append({ operatorId: Number(forced.id), ruleCode: 'LAB_TEST_FAILED', occurredAt: at('2026-09-20T00:00:00Z') });
    await append({ operatorId: Number(b.id), ruleCode: 'RAPID_TEST_FAILED', occurredAt: at('2026-03-01T00:00:00Z') });
    await append({ operatorId: Number(b.id), ruleCode: 'INSPECTION_CLEAN', occurredAt: at('2026-03-01T00:00:00Z') });
    await append({ operatorId: Number(recentA.id), ruleCode: 'INSPECTION_CLEAN', occurredAt: at('2026-02-01T00:00:00Z') });
    for (const rule of ['RAPID_TEST_FAILED', 'CERTIFICATE_QUANTITY_EXCEEDED', 'NO_CERTIFICATE']) {
      await append({ operatorId: Number(c.id), ruleCode: rule, occurredAt: at('2026-10-01T00:00:00Z') });
    }
    // an inspection during the planned month does not move the plan for that month
    await append({ operatorId: Number(never.id), ruleCode: 'INSPECTION_CLEAN', occurredAt: at('2026-12-05T00:00:00Z') });

    const Q = `query($m: String!) { inspectionPlan(month: $m) { operatorId operator { name } grade score inspectionsPerYear lastInspectedAt dueSince } }`;
    const plan = ok(await t.gql(Q, { m: '2026-12' }, f.regulator)).inspectionPlan;
    expect(plan).toEqual([
      { operatorId: forced.id, operator: { name: 'Forced D' }, grade: 'D', score: 70, inspectionsPerYear: 4, lastInspectedAt: '2026-09-15T00:00:00.000Z', dueSince: '2026-12-15T00:00:00.000Z' },
      { operatorId: c.id, operator: { name: 'C, never inspected' }, grade: 'C', score: 65, inspectionsPerYear: 3, lastInspectedAt: null, dueSince: null },
      { operatorId: b.id, operator: { name: 'B, inspected in March' }, grade: 'B', score: 80, inspectionsPerYear: 2, lastInspectedAt: '2026-03-01T00:00:00.000Z', dueSince: '2026-09-01T00:00:00.000Z' },
      { operatorId: never.id, operator: { name: 'Never inspected, A' }, grade: 'A', score: 100, inspectionsPerYear: 1, lastInspectedAt: null, dueSince: null },
    ]);
    const bad = await t.gql(Q, { m: '2026-13' }, f.regulator);
    expect(bad.errors?.[0]).toMatchObject({ message: 'month: must be a month like 2026-12', extensions: { code: 'BAD_USER_INPUT', field: 'month' } });
  });

  it('publishes the rules and the supervision table', async () => {
    const res = ok(await t.gql(`{ gradeSupervision { grade sampleRate inspectionsPerYear } creditRules { code points pointsMin pointsMax expiresMonthsMin expiresMonthsMax forcesDMonths recordable } }`));
    expect(res.gradeSupervision).toEqual([
      { grade: 'A', sampleRate: 0.02, inspectionsPerYear: 1 },
      { grade: 'B', sampleRate: 0.1, inspectionsPerYear: 2 },
      { grade: 'C', sampleRate: 0.3, inspectionsPerYear: 3 },
      { grade: 'D', sampleRate: 1, inspectionsPerYear: 4 },
    ]);
    expect(res.creditRules.find((r: any) => r.code === 'INSPECTION_VIOLATION')).toEqual({
      code: 'INSPECTION_VIOLATION', points: null, pointsMin: -30, pointsMax: -5, expiresMonthsMin: 12, expiresMonthsMax: 24, forcesDMonths: null, recordable: true,
    });
    expect(res.creditRules.find((r: any) => r.code === 'LAB_TEST_FAILED')).toEqual({
      code: 'LAB_TEST_FAILED', points: -30, pointsMin: -30, pointsMax: -30, expiresMonthsMin: 24, expiresMonthsMax: 24, forcesDMonths: 12, recordable: false,
    });
  });
});
