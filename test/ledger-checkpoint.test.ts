import { createHash, generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTransaction } from '../src/context';
import { CreditSource } from '../src/entities/enums';
import { appendCreditEvent, canonicalFromStored, canonicalLink, chainHash, GENESIS_HASH, type CanonicalEvent } from '../src/credit/ledger.service';
import { checkpointSignatureValid, merkleRoot, rootFromAuditPath } from '../src/credit/checkpoint.merkle';
import { computeCredit } from '../src/credit/score';
import { verifyLedgerExport } from '../src/verify-ledger';
import { useTestApp } from './support/use-test-app';
import { makeOperator, ok } from './support/factories';

const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const { t, f } = useTestApp({
  app: { appRole: true },
  config: { ledgerSigningKey: signingKey, dataDir: mkdtempSync(join(tmpdir(), 'ledger-')) },
});

const VERIFY = `{ verifyCreditArchive { ok operatorsChecked eventsChecked firstBroken { operatorId eventId seq problem expected found } brokenOperatorIds checkpointId checkpointProblem } }`;
const CHECKPOINT = `mutation { createLedgerCheckpoint { id size root signedAt signature keyId } }`;

/** Appends through the app's own connection (the server role), in a transaction as the services do. */
async function record(operatorId: string, ruleCode: string, reason: string) {
  const made = await withTransaction({ em: t.orm.em.fork() }, (tx) => appendCreditEvent(tx, { operatorId: Number(operatorId), ruleCode, reason, source: CreditSource.REGULATOR }));
  return { event: { id: String(made.id), seq: made.seq, hash: made.hash } };
}

async function exportText(): Promise<string> {
  const res = await t.app.fastify.inject({ method: 'GET', url: '/ledger/export', headers: { authorization: `Bearer ${f.regulator}` } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
  return res.body;
}

describe('canonical form (docs/LEDGER.md test vectors)', () => {
  const event: CanonicalEvent = {
    operatorId: 7, seq: 1, ruleCode: 'RAPID_TEST_FAILED', points: -20, reason: 'Pesticide residue 菠菜 \u{1F96C}', source: 'INSPECTION', sourceRef: '17',
    recordedById: 3, occurredAt: '2026-11-01T08:30:00.000Z', expiresAt: '2027-11-01T08:30:00.000Z', forcesDUntil: null, reversesId: null,
  };
  it('hashes RFC 8785 JSON of the fields, the version and the previous hash', () => {
    const text = '{"expiresAt":"2027-11-01T08:30:00.000Z","forcesDUntil":null,"hashVersion":2,"occurredAt":"2026-11-01T08:30:00.000Z","operatorId":7,'
      + `"points":-20,"prevHash":"${GENESIS_HASH}","reason":"Pesticide residue 菠菜 🥬","recordedById":3,"reversesId":null,`
      + '"ruleCode":"RAPID_TEST_FAILED","seq":1,"source":"INSPECTION","sourceRef":"17"}';
    expect(canonicalLink(GENESIS_HASH, event)).toBe(text);
    expect(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex')).toBe('3059e5f0e313ca01ec4c2a8685918d5e575dcde47471962d8d2e7a6e4e7f6d57');
    expect(chainHash(GENESIS_HASH, event)).toBe('3059e5f0e313ca01ec4c2a8685918d5e575dcde47471962d8d2e7a6e4e7f6d57');
    const second = { ...event, seq: 2, ruleCode: 'TRAINING_COMPLETED', points: 5, reason: 'Course', source: 'REGULATOR', sourceRef: null, expiresAt: null };
    expect(chainHash('3059e5f0e313ca01ec4c2a8685918d5e575dcde47471962d8d2e7a6e4e7f6d57', second)).toBe('9e0c161c1cf33d751c7c39ced8ca020e16c48ac8e7f1dd80ba4264f18ac76912');
    // rows appended before version 2 are still verified by version 1
    expect(chainHash(GENESIS_HASH, event, 1)).toBe('4f3635ccedec1ae2d7fb1304bc17923b78e05531d96c15ca88778d5f4f448b8e');
  });

  it('builds RFC 6962 Merkle roots', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleRoot([{ operatorId: 1, seq: 2, hash: 'a'.repeat(64) }])).toBe('9aca472125bf4f8001901cd82f7f36f9eb3f8f79cac32dfbd63b842b0bec4042');
    expect(merkleRoot([1, 2, 3].map((i) => ({ operatorId: i, seq: i, hash: String(i).repeat(64) })))).toBe('24b9910a6d7ea7c45cdffb5cba7571f3021a62b20fd1f09f6c9170f449e79749');
  });

  it('hashes what the row holds: an appended event recomputes from its stored columns by version 2', async () => {
    const op = await makeOperator(t, f.admin);
    const made = await record(op.id, 'TRAINING_COMPLETED', 'Attended the course, 第二期');
    const [row] = await t.sql('select * from credit_event where id = $1', [Number(made.event.id)]);
    expect(row.hash_version).toBe(2);
    expect(chainHash(row.prev_hash, canonicalFromStored(row))).toBe(made.event.hash);
  });
});

describe('the server role', () => {
  it('may append but not update, delete, truncate, alter or disable triggers on the ledger', async () => {
    const op = await makeOperator(t, f.admin);
    const made = await record(op.id, 'NO_CERTIFICATE', 'No certificate at the gate');
    ok(await t.gql(CHECKPOINT, {}, f.regulator));
    const [role] = await t.orm.em.fork().execute<{ u: string }[]>('select current_user as u');
    expect(role.u).toBe('foodtrace_app_test');
    const refused = async (sql: string) => {
      try {
        await t.orm.em.fork().execute(sql);
        return 'allowed';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(await refused(`update credit_event set points = 0 where id = ${made.event.id}`)).toBe('42501');
    expect(await refused(`delete from credit_event where id = ${made.event.id}`)).toBe('42501');
    expect(await refused('truncate credit_event')).toBe('42501');
    expect(await refused('alter table credit_event disable trigger credit_event_no_update')).toBe('42501');
    expect(await refused('alter table credit_event disable trigger all')).toBe('42501');
    expect(await refused('update checkpoint set root = root')).toBe('42501');
    expect(await refused('delete from checkpoint')).toBe('42501');
    expect(await refused('truncate checkpoint')).toBe('42501');
    expect(await refused('set session_replication_role = replica')).toBe('42501');
    expect(await t.sql('select points from credit_event')).toEqual([{ points: -5 }]);
  });
});

describe('signed checkpoints', () => {
  it('publishes a signed root over every head, the key and inclusion proofs anyone can check', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    const c = await makeOperator(t, f.admin);
    await record(a.id, 'NO_CERTIFICATE', 'No certificate');
    const headB = await record(b.id, 'TRAINING_COMPLETED', 'Course');
    await record(c.id, 'RAPID_TEST_FAILED', 'Residue');
    const made = ok(await t.gql(CHECKPOINT, {}, f.regulator)).createLedgerCheckpoint;
    expect(made).toMatchObject({ id: '1', size: 3 });

    const latest = await t.app.fastify.inject({ method: 'GET', url: '/ledger/checkpoints/latest' });
    expect(latest.statusCode).toBe(200);
    const published = latest.json();
    expect(published).toMatchObject({ id: 1, size: 3, root: made.root, signedAt: made.signedAt, signature: made.signature, keyId: made.keyId });
    expect((await t.app.fastify.inject({ method: 'GET', url: '/ledger/checkpoints/1' })).json()).toEqual(published);
    expect(published.heads.map((h: { operatorId: number }) => h.operatorId)).toEqual([Number(a.id), Number(b.id), Number(c.id)]);
    expect(merkleRoot(published.heads)).toBe(made.root);

    const pem = (await t.app.fastify.inject({ method: 'GET', url: '/ledger/public-key' })).body;
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(checkpointSignatureValid(published, pem)).toBe(true);
    expect(checkpointSignatureValid({ ...published, root: '0'.repeat(64) }, pem)).toBe(false);

    const proofRes = await t.app.fastify.inject({ method: 'GET', url: `/ledger/proof/${b.id}?checkpoint=1` });
    expect(proofRes.statusCode).toBe(200);
    const proof = proofRes.json();
    expect(proof).toMatchObject({ checkpointId: 1, operatorId: Number(b.id), seq: 1, hash: headB.event.hash, leafIndex: 1, treeSize: 3, root: made.root });
    expect(proof.auditPath).toHaveLength(2);
    expect(rootFromAuditPath({ operatorId: Number(b.id), seq: 1, hash: headB.event.hash }, 1, 3, proof.auditPath)).toBe(made.root);
    expect(rootFromAuditPath({ operatorId: Number(b.id), seq: 1, hash: 'f'.repeat(64) }, 1, 3, proof.auditPath)).not.toBe(made.root);

    const missing = await t.app.fastify.inject({ method: 'GET', url: '/ledger/checkpoints/99' });
    expect(missing.statusCode).toBe(404);
    const bad = await t.app.fastify.inject({ method: 'GET', url: '/ledger/proof/x?checkpoint=1' });
    expect(bad.statusCode).toBe(400);
    const anonymous = await t.app.fastify.inject({ method: 'GET', url: '/ledger/export' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('verification against heads, stored credit and the latest checkpoint', () => {
  it('reports a chain whose recorded head is position 0, and a stored grade the events do not give', async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    const headA = await record(a.id, 'NO_CERTIFICATE', 'No certificate');
    await record(b.id, 'TRAINING_COMPLETED', 'Course');
    expect(ok(await t.gql(VERIFY, {}, f.regulator)).verifyCreditArchive).toMatchObject({ ok: true, operatorsChecked: 2, eventsChecked: 2 });
    await t.sql('update operator set credit_chain_seq = 0, credit_chain_head = null where id = $1', [Number(a.id)]);
    await t.sql(`update operator set credit_grade = 'D', credit_score = 50 where id = $1`, [Number(b.id)]);
    const res = ok(await t.gql(VERIFY, {}, f.regulator)).verifyCreditArchive;
    expect(res).toMatchObject({
      ok: false,
      firstBroken: { operatorId: a.id, eventId: null, seq: 0, problem: 'HEAD_MISMATCH', expected: `0:${GENESIS_HASH}`, found: `1:${headA.event.hash}` },
      brokenOperatorIds: [a.id, b.id],
    });
    const one = ok(await t.gql(`query($id: ID!) { verifyCreditChain(operatorId: $id) { ok firstBroken { problem expected found } } }`, { id: b.id }, f.regulator));
    expect(one.verifyCreditChain).toEqual({ ok: false, firstBroken: { problem: 'CREDIT_MISMATCH', expected: '100:A:-', found: '50:D:-' } });
  });

  it("reports the owner's consistent rewrite (triggers off, event edited, every hash and the head recomputed), online and offline", async () => {
    const a = await makeOperator(t, f.admin);
    const b = await makeOperator(t, f.admin);
    await record(a.id, 'RAPID_TEST_FAILED', 'Residue above the limit');
    await record(a.id, 'TRAINING_COMPLETED', 'Course');
    await record(b.id, 'NO_CERTIFICATE', 'No certificate');
    const checkpoint = ok(await t.gql(CHECKPOINT, {}, f.regulator)).createLedgerCheckpoint;
    await record(a.id, 'NO_CERTIFICATE', 'Appended after the checkpoint');
    const checkpointJson = (await t.app.fastify.inject({ method: 'GET', url: `/ledger/checkpoints/${checkpoint.id}` })).body;

    expect(ok(await t.gql(VERIFY, {}, f.regulator)).verifyCreditArchive).toMatchObject({ ok: true, checkpointId: checkpoint.id, checkpointProblem: null });
    const clean = verifyLedgerExport(await exportText(), checkpointJson);
    expect(clean.ok).toBe(true);
    // the command itself, on files, with the key fetched from the public URL
    const dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    writeFileSync(join(dir, 'ledger.jsonl'), await exportText());
    writeFileSync(join(dir, 'checkpoint.json'), checkpointJson);
    writeFileSync(join(dir, 'key.pem'), (await t.app.fastify.inject({ method: 'GET', url: '/ledger/public-key' })).body);
    const runVerifier = () => spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/verify-ledger.ts', join(dir, 'ledger.jsonl'), join(dir, 'checkpoint.json'), join(dir, 'key.pem')], { encoding: 'utf8' });
    const passed = runVerifier();
    expect(passed.stdout.trim().split('\n').pop()).toBe('OK: every chain, head, stored credit and the checkpoint hold');
    expect(passed.status).toBe(0);
    expect(clean.lines[clean.lines.length - 1]).toBe('OK: every chain, head, stored credit and the checkpoint hold');

    // the owner softens A's first deduction and makes everything after it consistent again
    const rows = await t.sql('select * from credit_event where operator_id = $1 order by seq', [Number(a.id)]);
    let prev = GENESIS_HASH;
    const statements = ['set session_replication_role = replica'];
    for (const row of rows) {
      const canonical = { ...canonicalFromStored(row), ...(row.seq === 1 ? { points: -1, reason: 'Minor remark' } : {}) };
      const hash = chainHash(prev, canonical);
      statements.push(`update credit_event set points = ${canonical.points}, reason = '${canonical.reason}', prev_hash = '${prev}', hash = '${hash}' where id = ${row.id}`);
      prev = hash;
    }
    const rewritten = rows.map((r: any) => ({
      id: r.id, points: r.seq === 1 ? -1 : r.points, occurredAt: r.occurred_at, expiresAt: r.expires_at, forcesDUntil: r.forces_d_until, reversesId: r.reverses_id,
    }));
    const state = computeCredit(rewritten, new Date());
    statements.push(`update operator set credit_chain_head = '${prev}', credit_score = ${state.score}, credit_grade = '${state.grade}' where id = ${a.id}`);
    statements.push('set session_replication_role = origin');
    await t.sql(statements.join('; '));

    const [first] = await t.sql('select id, hash from credit_event where operator_id = $1 and seq = 2', [Number(a.id)]);
    const signedHead = JSON.parse(checkpointJson).heads.find((h: { operatorId: number }) => h.operatorId === Number(a.id));
    const res = ok(await t.gql(VERIFY, {}, f.regulator)).verifyCreditArchive;
    expect(res).toEqual({
      ok: false, operatorsChecked: 2, eventsChecked: 4,
      firstBroken: { operatorId: a.id, eventId: String(first.id), seq: 2, problem: 'CHECKPOINT_MISMATCH', expected: `2:${signedHead.hash}`, found: `2:${first.hash}` },
      brokenOperatorIds: [a.id], checkpointId: checkpoint.id, checkpointProblem: null,
    });

    const offline = verifyLedgerExport(await exportText(), checkpointJson);
    expect(offline.ok).toBe(false);
    expect(offline.lines).toContain(`FIRST BROKEN: operator ${a.id} seq 2 event ${first.id}: CHECKPOINT_MISMATCH, expected 2:${signedHead.hash}, found 2:${first.hash}`);
    expect(offline.lines[offline.lines.length - 1]).toBe('FAILED');
    writeFileSync(join(dir, 'ledger.jsonl'), await exportText());
    const failed = runVerifier();
    expect(failed.stdout).toContain(`CHECKPOINT_MISMATCH, expected 2:${signedHead.hash}`);
    expect(failed.status).toBe(1);

    // a checkpoint whose leaves were rewritten to match no longer gives its signed root
    const forged = { ...JSON.parse(checkpointJson) };
    forged.heads = forged.heads.map((h: { operatorId: number }) => (h.operatorId === Number(a.id) ? { ...h, hash: first.hash } : h));
    const forgedReport = verifyLedgerExport(await exportText(), JSON.stringify(forged));
    expect(forgedReport.lines).toContain(`CHECKPOINT: the leaves of checkpoint ${checkpoint.id} do not give its signed root`);
  });
});
