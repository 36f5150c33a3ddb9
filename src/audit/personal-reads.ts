import type { PersonalRead } from './audit.model';

/**
 * The personal-data reads of each request, noted as fields resolve and written with the request's one audit row.
 * Keyed by the request's context object, so nothing outlives the request.
 */
const reads = new WeakMap<object, PersonalRead[]>();

export function notePersonalRead(ctx: object, read: PersonalRead): void {
  const list = reads.get(ctx);
  if (list) list.push(read);
  else reads.set(ctx, [read]);
}

/** The reads noted for this request, each field of each record once. */
export function takePersonalReads(ctx: object): PersonalRead[] {
  const list = reads.get(ctx) ?? [];
  reads.delete(ctx);
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = `${r.type}.${r.field}#${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
