import { badInput } from '../errors';

/** Opaque keyset cursor over an integer id. */
export function encodeCursor(id: number): string {
  return Buffer.from(`c:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(field: string, cursor: string | null | undefined): number | null {
  if (cursor == null || cursor === '') return null;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^c:(\d{1,10})$/.exec(raw);
  if (!m) throw badInput(field, 'is not a valid cursor');
  return Number(m[1]);
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Cuts a page fetched with limit+1 rows. */
export function toPage<T extends { id: number }>(rows: T[], first: number): Page<T> {
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].id) : null };
}
