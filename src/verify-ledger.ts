/**
 * `npm run verify-ledger -- <export.jsonl> <checkpoint.json> [public-key.pem]`: checks an exported credit ledger
 * without the database. Every chain is recomputed from its events as stored, each against its operator's recorded
 * head and stored credit; the checkpoint's signature (with the given key, else the export's) and Merkle root are
 * checked, and every head it signed must still be in the chains. Exit code 0 when all holds, 1 otherwise, 2 on
 * unusable input.
 */
import { readFileSync } from 'node:fs';
import { LedgerChecker, CREDIT_UPKEEP_MS } from './credit/checkpoint.check';
import type { CheckpointWithHeads } from './credit/checkpoint.model';
import type { RecordedHead, StoredLink } from './credit/credit.model';
import type { Grade } from './entities/enums';
import { toCanonical, type CreditEventRow } from './tables/credit-event.table';

export interface OfflineReport {
  ok: boolean;
  lines: string[];
}

/** Verifies an export's text against a checkpoint's text; pure, for the command and its tests. */
export function verifyLedgerExport(exportText: string, checkpointText: string, publicKeyPem: string | null = null): OfflineReport {
  const records = exportText.split('\n').filter((l) => l.trim()).map((l, i) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      throw new Error(`export line ${i + 1} is not JSON`);
    }
  });
  const header = records[0];
  if (header?.type !== 'ledger') throw new Error('the export does not start with a ledger header');
  const checkpoint = JSON.parse(checkpointText) as CheckpointWithHeads;
  if (!Array.isArray(checkpoint.heads) || typeof checkpoint.root !== 'string') throw new Error('the checkpoint has no heads or root');
  const key = publicKeyPem ?? (header.publicKey as string);
  const heads: RecordedHead[] = records.filter((r) => r.type === 'operator').map((r) => ({
    operatorId: r.operatorId as number, seq: r.seq as number, hash: r.hash as string | null, score: r.score as number,
    grade: r.grade as Grade, forcedUntil: r.forcedUntil ? new Date(r.forcedUntil as string) : null,
  }));
  const checker = new LedgerChecker({
    heads, checkpoint, publicKeyPem: key, asOf: new Date(header.exportedAt as string), graceMs: CREDIT_UPKEEP_MS + 5 * 60_000,
  });
  let events = 0;
  for (const r of records) {
    if (r.type !== 'event') continue;
    const row = r as unknown as CreditEventRow;
    const link: StoredLink = { id: row.id, canonical: toCanonical(row), prevHash: row.prev_hash, hash: row.hash, hashVersion: row.hash_version };
    checker.add(link);
    events += 1;
  }
  const report = checker.finish();
  const lines = [
    `export of ${String(header.exportedAt)}: ${heads.length} operators, ${events} events`,
    `checkpoint ${checkpoint.id}: ${checkpoint.size} heads, root ${checkpoint.root}, signed ${checkpoint.signedAt}, key ${checkpoint.keyId}` +
      (publicKeyPem ? ' (key given)' : ' (key taken from the export; pin it to trust it)'),
    `checked ${report.operatorsChecked} chains, ${report.eventsChecked} events`,
  ];
  if (report.checkpointProblem) lines.push(`CHECKPOINT: ${report.checkpointProblem}`);
  if (report.firstBroken) {
    const b = report.firstBroken;
    lines.push(`FIRST BROKEN: operator ${b.operatorId} seq ${b.seq}${b.eventId !== null ? ` event ${b.eventId}` : ''}: ${b.problem}, expected ${b.expected}, found ${b.found}`);
    lines.push(`BROKEN OPERATORS: ${report.brokenOperatorIds.join(', ')}`);
  }
  lines.push(report.ok ? 'OK: every chain, head, stored credit and the checkpoint hold' : 'FAILED');
  return { ok: report.ok, lines };
}

if (require.main === module) {
  const [exportFile, checkpointFile, keyFile] = process.argv.slice(2);
  if (!exportFile || !checkpointFile) {
    console.error('usage: npm run verify-ledger -- <export.jsonl> <checkpoint.json> [public-key.pem]');
    process.exit(2);
  }
  try {
    const report = verifyLedgerExport(readFileSync(exportFile, 'utf8'), readFileSync(checkpointFile, 'utf8'), keyFile ? readFileSync(keyFile, 'utf8') : null);
    for (const line of report.lines) console.log(line);
    process.exit(report.ok ? 0 : 1);
  } catch (e) {
    console.error(`verify-ledger: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
}
