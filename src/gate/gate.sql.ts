/**
 * What the gate reads of a scanned load, in one statement: the lot the code names and its certificates (locked
 * against changes of their quantities and status until the transaction ends, so every scan of one lot reads what the
 * previous one left), and the public rows of the lot's owner and of every issuer of its certificates.
 */
import type { Db } from '../context';
import { SCANNED_COLUMNS, type ScannedBatchRow } from '../tables/batch.table';
import { originCertificateTable, type OriginCertificateRow } from '../tables/origin-certificate.table';
import { PUBLIC_OPERATOR_COLUMNS, type PublicOperatorRow } from '../tables/operator.table';
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

function factsSql(target: string): string {
  return `with target as (${target}),
lot as (select ${SCANNED_COLUMNS} from batch where id = (select id from target limit 1) for no key update),
-- locked after the lot (they are found through it), so each is read as the last scan of this lot left it
certificates as (select ${originCertificateTable.list} from origin_certificate where batch_id = (select id from lot) order by id for no key update)
select row_to_json(lot) as batch, (select certificate_id from target limit 1) as certificate_id,
  coalesce((select json_agg(c order by c.id) from certificates c), '[]'::json) as certificates,
  coalesce((select json_agg(o order by o.id) from (
    select ${PUBLIC_OPERATOR_COLUMNS} from operator
     where id = lot.owner_id or id in (select issuer_id from certificates)) o), '[]'::json) as operators
from lot`;
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
  const params = scanned.kind === 'PUBLIC_CODE' ? [scanned.code] : scanned.kind === 'DIGITAL_LINK' ? [scanned.gtin, scanned.lot] : [scanned.text.toUpperCase(), scanned.text];
  const [row] = await tx.em.execute<{ batch: ScannedBatchRow; certificate_id: number | null; certificates: OriginCertificateRow[]; operators: PublicOperatorRow[] }[]>(
    FACTS_SQL[scanned.kind], params,
  );
  if (!row) return { batch: null, scannedCertificateId: null, certificates: [], operators: [] };
  return { batch: row.batch, scannedCertificateId: row.certificate_id, certificates: row.certificates, operators: row.operators };
}
