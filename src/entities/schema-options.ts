/**
 * Options for a relation whose constraint the migrations declare as a plain `references`: it carries PostgreSQL's
 * default name `<table>_<column>_fkey` and takes no action on update or delete.
 */
export function foreignKey(table: string, column: string) {
  return { foreignKeyName: `${table}_${column}_fkey`, updateRule: 'no action', deleteRule: 'no action' } as const;
}

/** A timestamp the database fills with `now()` when the row is inserted without one. */
export function insertedAt() {
  return { type: 'Date', columnType: 'timestamptz', defaultRaw: 'now()' } as const;
}
