import { recordAuditEvent } from '../audit/audit.service';
import { withTransaction, type Context } from '../context';
import { csvCell } from '../credit/archive.service';
import { AuditKind, Role } from '../entities/enums';
import { forbidden, unauthenticated } from '../errors';
import { operatorTable, type OperatorRow } from '../tables/operator.table';
import { openCursors } from './cursor';

/** The registry (备案登记) columns other departments take in: who, where, how to reach them, standing. */
export const REGISTRY_COLUMNS = [
  'id', 'kind', 'name', 'credit_code', 'registration_card_no', 'village', 'address', 'contact_person', 'contact_phone', 'status', 'grade',
  'registered_at',
] as const;

function line(o: OperatorRow): string {
  return [
    csvCell(o.id), csvCell(o.kind), csvCell(o.name, true), csvCell(o.credit_code), csvCell(o.registration_card_no), csvCell(o.village, true),
    csvCell(o.address, true), csvCell(o.contact_person, true), csvCell(o.contact_phone, true), csvCell(o.status), csvCell(o.credit_grade),
    csvCell(new Date(o.created_at)),
  ].join(',') + '\r\n';
}

/**
 * The whole operator registry as CSV, by id, read `chunkRows` at a time through a server-side cursor in one snapshot
 * (memory stays flat however large the county). It carries contact data: ADMIN and REGULATOR only, and the export
 * is written to the audit trail before the first byte.
 */
export async function registryCsv(ctx: Context, chunkRows = 2000): Promise<AsyncGenerator<string>> {
  if (!ctx.viewer.accountId) throw unauthenticated();
  if (ctx.viewer.role !== Role.ADMIN && ctx.viewer.role !== Role.REGULATOR) throw forbidden('Requires role ADMIN or REGULATOR');
  await withTransaction(ctx, (tx) => recordAuditEvent(tx, {
    accountId: ctx.viewer.accountId, role: ctx.viewer.role, kind: AuditKind.READ, operation: 'GET /exports/registry.csv', variables: {},
    outcome: 'OK', personalData: [{ type: 'Operator', field: 'contactPerson', id: null }, { type: 'Operator', field: 'contactPhone', id: null }],
    clientIp: ctx.clientIp,
  }));
  async function* chunks(): AsyncGenerator<string> {
    // the byte-order mark makes spreadsheet programs read the Chinese text as UTF-8
    yield `\uFEFF${REGISTRY_COLUMNS.join(',')}\r\n`;
    const cursors = await openCursors(ctx, [{ name: 'registry_export', sql: `select ${operatorTable.list} from operator order by id`, params: [] }]);
    try {
      for (;;) {
        const rows = await cursors.fetch<OperatorRow>('registry_export', chunkRows);
        if (rows.length) yield rows.map(line).join('');
        if (rows.length < chunkRows) return;
      }
    } finally {
      await cursors.close();
    }
  }
  return chunks();
}
