/**
 * What the gate reads of a scanned load, in one statement: the lot the code names and its certificates (locked
 * against changes of their quantities and status until the transaction ends, so every scan of one lot reads what the
 * previous one left), and the public rows of the lot's owner and of every issuer of its certificates.
 */
import type { Db } from '../context';
import type { NamedStatement } from '../db/public-reads';
import { GateDecision, type OperatorStatus } from '../entities/enums';
import type { GateAnswer, GateReasonModel } from './gate.model';
import { SCANNED_COLUMNS, type ScannedBatchRow } from '../tables/batch.table';
import type { NewEntry } from '../tables/market-entry.table';
import { originCertificateTable, type OriginCertificateRow } from '../tables/origin-certificate.table';
import { PUBLIC_OPERATOR_COLUMNS, type PublicOperatorRow } from '../tables/operator.table';
import { executePrepared } from '../tables/prepared';
import type { HandoverDocument } from '../trace/lineage.model';
import type { ScannedCode } from './code';

export interface ScanFacts {
  batch: ScannedBatchRow | null;
  /** The certificate whose number was scanned, if one was. */
  scannedCertificateId: number | null;
  certificates: OriginCertificateRow[];
  operators: PublicOperatorRow[];
}

/** The lot a scanned code names, as `(id, certificate_id)` rows; a bare text is a certificate number first, then a public code. */
const TARGETS: Record<Exclude<ScannedCode['kind'], 'UNRECOGNISED'>, string> = {
  PUBLIC_CODE: 'select b.id, null::int as certificate_id from batch b where b.public_code = ?',
  DIGITAL_LINK: 'select b.id, null::int as certificate_id from batch b where b.gtin = ? and b.lot_code = ? order by b.id limit 1',
  TEXT: `select id, certificate_id from (
      select c.batch_id as id, c.id as certificate_id, 0 as preference from origin_certificate c where c.number = ?
      union all
      select b.id, null::int, 1 from batch b where b.public_code = ?) x
    order by preference limit 1`,
};

/**
 * After a CTE `target` (the lot a code names): the lot, locked, and its certificates, locked after it (they are
 * found through it), so each is read as the last scan of this lot left it. `onlyIf` is a further condition on the lot.
 */
function lockedLotCtes(onlyIf = ''): string {
  return `lot as (select ${SCANNED_COLUMNS} from batch where id = (select id from target limit 1)${onlyIf} for no key update),
certificates as (select ${originCertificateTable.list} from origin_certificate where batch_id = (select id from lot) order by id for no key update)`;
}

/** The facts read beside the lot: the scanned certificate, the lot's certificates, their issuers and the lot's owner. */
const FACT_COLUMNS = `(select certificate_id from target limit 1) as certificate_id,
  coalesce((select json_agg(c order by c.id) from certificates c), '[]'::json) as certificates,
  coalesce((select json_agg(o order by o.id) from (
    select ${PUBLIC_OPERATOR_COLUMNS} from operator
     -- one array of ids, so the look-up is by the primary key (an OR of the two lists is a scan of every operator)
     where id = any(array(select owner_id from lot union select issuer_id from certificates))) o), '[]'::json) as operators`;

function factsSql(target: string): string {
  return `with target as (${target}),
${lockedLotCtes()}
select row_to_json(lot) as batch, ${FACT_COLUMNS}
from lot`;
}

/** A scanned code's parts, bound in order to its target's placeholders. */
function targetParams(scanned: ScannedCode): string[] {
  if (scanned.kind === 'PUBLIC_CODE') return [scanned.code];
  if (scanned.kind === 'DIGITAL_LINK') return [scanned.gtin, scanned.lot];
  if (scanned.kind === 'TEXT') return [scanned.text.toUpperCase(), scanned.text];
  return [];
}

const FACTS_SQL = Object.fromEntries(Object.entries(TARGETS).map(([kind, target]) => [kind, factsSql(target)])) as Record<keyof typeof TARGETS, string>;

/**
 * A scanned code read as naming a lot only (receiving checks at canteens, banquet ingredients): a bare text is a
 * public code, never a certificate number.
 */
export function asLotCode(scanned: ScannedCode): ScannedCode {
  return scanned.kind === 'TEXT' ? { kind: 'PUBLIC_CODE', code: scanned.text } : scanned;
}

export async function scanFacts(tx: Db, scanned: ScannedCode): Promise<ScanFacts> {
  if (scanned.kind === 'UNRECOGNISED') return { batch: null, scannedCertificateId: null, certificates: [], operators: [] };
  const [row] = await tx.em.execute<{ batch: ScannedBatchRow; certificate_id: number | null; certificates: OriginCertificateRow[]; operators: PublicOperatorRow[] }[]>(
    FACTS_SQL[scanned.kind], targetParams(scanned),
  );
  if (!row) return { batch: null, scannedCertificateId: null, certificates: [], operators: [] };
  return { batch: row.batch, scannedCertificateId: row.certificate_id, certificates: row.certificates, operators: row.operators };
}

/** The lot a scanned code names, with `$11`, `$12` for the code's parts (after the entry's ten); an unreadable code names none. */
const SCAN_TARGETS: Record<ScannedCode['kind'], string> = {
  ...(Object.fromEntries(Object.entries(TARGETS).map(([kind, sql]) => {
    let n = 10;
    return [kind, sql.replace(/\?/g, () => `$${++n}`)];
  })) as typeof TARGETS),
  UNRECOGNISED: 'select null::int as id, null::int as certificate_id where false',
};

/**
 * A scan recorded and its facts read in one statement. The entry is inserted under its unique scanId (a retry waits
 * here for the first scan's transaction and inserts nothing); only a scan recorded now goes on to lock the lot and its
 * certificates, so a retry costs no lock. The vendor is read in the same statement, and no entry is written for one
 * that does not exist.
 */
function recordScanSql(target: string): string {
  return `with vendor as (select status from operator where id = $1),
entry as (
  insert into market_entry (vendor_id, market_id, staff_id, scan_id, request_hash, code_scanned, declared_quantity, unit, handover, decision)
  select $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10 from vendor
  on conflict (scan_id) do nothing
  returning id, created_at),
target as (${target}),
${lockedLotCtes(' and exists (select 1 from entry)')}
select (select status from vendor) as vendor_status, e.id as entry_id, e.created_at, (select row_to_json(l) from lot l) as batch, ${FACT_COLUMNS}
from (select 1) one left join entry e on true`;
}

export const RECORD_SCAN = Object.fromEntries(
  (Object.keys(SCAN_TARGETS) as ScannedCode['kind'][]).map((kind) => [kind, { name: `gate_record_scan_${kind.toLowerCase()}`, text: recordScanSql(SCAN_TARGETS[kind]) }]),
) as Record<ScannedCode['kind'], NamedStatement>;

export interface RecordedScan {
  /** Null when the vendor does not exist (nothing was written). */
  vendorStatus: OperatorStatus | null;
  /** The entry inserted now; null when the scanId was already taken (a retry, or a reuse for another load). */
  entry: { id: number; createdAt: Date } | null;
  /** What the gate knows of the load; empty unless the entry was inserted now. */
  facts: ScanFacts;
}

/** Records a scan under its scanId and, when it is new, reads its facts with the lot and its certificates locked. */
export async function recordScan(tx: Db, entry: NewEntry, scanned: ScannedCode): Promise<RecordedScan> {
  const [row] = await executePrepared<{
    vendor_status: OperatorStatus | null; entry_id: number | null; created_at: Date | null; batch: ScannedBatchRow | null; certificate_id: number | null;
    certificates: OriginCertificateRow[]; operators: PublicOperatorRow[];
  }>(tx, RECORD_SCAN[scanned.kind], [
    entry.vendor_id, entry.market_id, entry.staff_id, entry.scan_id, entry.request_hash, entry.code_scanned, entry.declared_quantity, entry.unit,
    entry.handover && JSON.stringify(entry.handover),
    // a placeholder: the decision statement replaces it before commit, so no reader ever sees it
    GateDecision.REJECTED,
    ...targetParams(scanned),
  ]);
  return {
    vendorStatus: row.vendor_status,
    entry: row.entry_id === null ? null : { id: row.entry_id, createdAt: new Date(row.created_at!) },
    facts: row.batch
      ? { batch: row.batch, scannedCertificateId: row.certificate_id, certificates: row.certificates, operators: row.operators }
      : { batch: null, scannedCertificateId: null, certificates: [], operators: [] },
  };
}

/**
 * The decision of a scan and everything it writes, in one statement: the conditional claim on the certificate, the
 * quantity taken from the lot, the lot the vendor receives (its code's serial from a sequence, so no scan waits for
 * another's number), the TRANSFER link with the hand-over document, and the entry's decision and stored answer.
 * Every write after the claim reads the claim's result: when the claim fails (the certificate no longer covers the
 * quantity), the statement writes nothing at all and says so. When the received lot's code is already taken (a lot
 * registered by hand under it) the claim and the take stand but nothing after them is written, and the statement
 * hands back the lot as taken so the caller can finish the transfer.
 */
export const DECIDE_SCAN: NamedStatement = {
  name: 'gate_decide_scan',
  text: `with claim as (
  update origin_certificate set quantity_admitted = quantity_admitted + $2::numeric
   where id = $1 and status = 'VALID' and quantity_admitted + $2::numeric <= quantity
  returning id),
cleared as (select 1 where $1::int is null or exists (select 1 from claim)),
taken as (
  update batch set remaining = remaining - $2::numeric, status = case when remaining - $2::numeric = 0 then 'CONSUMED' else status end
   where id = $3 and $4::int is not null and exists (select 1 from cleared) and status = 'ACTIVE' and remaining >= $2::numeric
  returning id, owner_id, product_name, category, lot_code, unit, produced_at, origin_place, gtin),
received as (
  insert into batch (owner_id, product_name, category, lot_code, quantity, remaining, unit, produced_at, origin_place, gtin, public_code)
  select $4, product_name, category, left(lot_code, 50) || '/T' || nextval('received_lot_serial'), $2::numeric, $2::numeric, unit, produced_at,
         origin_place, gtin, $5
    from taken
  on conflict (owner_id, lot_code) do nothing
  returning id, lot_code),
link as (
  insert into batch_link (parent_id, child_id, kind, quantity, document_type, document_number, shipped_at, ship_from, ship_to)
  select $3, id, 'TRANSFER', $2::numeric, $6, $7, $8::timestamptz, $9, $10 from received
  returning id),
decided as (
  update market_entry e set batch_id = $3, certificate_id = $12, decision = $13, reasons = $14::jsonb,
         received_batch_id = coalesce(r.id, $15), decided_at = $17::timestamptz,
         -- the received lot's id and code exist only now; the rest of the answer was composed by the caller
         response = case when r.id is null then $16::jsonb
                         else jsonb_set($16::jsonb, '{receivedBatch}', ($16::jsonb -> 'receivedBatch') || jsonb_build_object('id', r.id, 'lotCode', r.lot_code)) end
    from (select 1) one left join received r on true
   where e.id = $11 and exists (select 1 from cleared) and ($4::int is null or r.id is not null)
  returning e.response)
select exists (select 1 from cleared) as claimed, (select row_to_json(t) from taken t) as taken, (select response from decided) as answer`,
};

export interface ScanWrites {
  entryId: number;
  lotId: number | null;
  /** The certificate claimed for the load; null when the decision claims none. */
  claimCertificateId: number | null;
  quantity: number;
  /** The vendor that receives a new lot (TRANSFER); null when the load is not handed over now. */
  transferTo: { vendorId: number; publicCode: string; handover: HandoverDocument | null } | null;
  decision: GateDecision;
  reasons: GateReasonModel[];
  certificateId: number | null;
  /** The answer, its received lot without id and code when a transfer makes it. */
  answer: GateAnswer;
  /** The received lot when it is known already (a producer's own lot). */
  receivedBatchId: number | null;
  decidedAt: Date | null;
}

export type DecidedScan =
  | { kind: 'DECIDED'; answer: GateAnswer }
  | { kind: 'CLAIM_FAILED' }
  /** The quantity was claimed and taken, the received lot's code was taken: the caller inserts the lot, its link and the decision. */
  | { kind: 'CODE_TAKEN'; taken: TakenLot };

export type TakenLot = Pick<ScannedBatchRow, 'id' | 'owner_id' | 'product_name' | 'category' | 'lot_code' | 'unit'>
  & { produced_at: string; origin_place: string | null; gtin: string | null };

export async function decideScan(tx: Db, w: ScanWrites): Promise<DecidedScan> {
  const d = w.transferTo?.handover ?? null;
  const [row] = await executePrepared<{ claimed: boolean; taken: TakenLot | null; answer: GateAnswer | null }>(tx, DECIDE_SCAN, [
    w.claimCertificateId, w.quantity, w.lotId, w.transferTo?.vendorId ?? null, w.transferTo?.publicCode ?? null,
    d?.documentType ?? null, d?.documentNumber ?? null, d?.shippedAt ?? null, d?.shipFrom ?? null, d?.shipTo ?? null,
    w.entryId, w.certificateId, w.decision, JSON.stringify(w.reasons), w.receivedBatchId, JSON.stringify(w.answer), w.decidedAt,
  ]);
  if (!row.claimed) return { kind: 'CLAIM_FAILED' };
  if (row.answer) return { kind: 'DECIDED', answer: row.answer };
  if (w.transferTo && row.taken) return { kind: 'CODE_TAKEN', taken: row.taken };
  // the lot is locked since the scan read it holding the quantity, so the take cannot fail
  throw new Error(`market entry ${w.entryId}: the lot's quantity could not be taken`);
}

