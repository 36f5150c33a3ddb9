/**
 * A table as the code sees it: its name and each column with its PostgreSQL type (`udt_name`). Every SQL
 * statement on a table is written in that table's module, from these names, so a column is named in one place;
 * `test/architecture/tables.test.ts` holds each module against the database the migrations build.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

/** What a table module needs of the request's context: its EntityManager, inside whatever transaction is open. */
export interface Db {
  em: EntityManager;
}

export type ColumnType =
  | 'int4' | 'int8' | 'numeric' | 'bool' | 'text' | 'varchar' | 'bpchar' | 'timestamptz' | 'date' | 'jsonb' | 'bytea' | '_text';

export interface Table<Row> {
  name: string;
  columns: { readonly [K in keyof Row & string]: ColumnType };
  /** `a, b, c`: every column, for select and returning lists. */
  list: string;
  /** `t.a, t.b, t.c`: every column under a table alias. */
  listAs(alias: string): string;
  /** The row with this id, every column; null when there is none. */
  byId(ctx: Db, id: number): Promise<Row | null>;
  /** The rows with these ids, every column, in no particular order; missing ids are left out. */
  byIds(ctx: Db, ids: readonly number[]): Promise<Row[]>;
}

/** Declares a table; `columns` names every column of `Row`, and only those. */
export function defineTable<Row>(name: string, columns: { readonly [K in keyof Row & string]-?: ColumnType }): Table<Row> {
  const names = Object.keys(columns);
  const list = names.join(', ');
  return {
    name,
    columns,
    list,
    listAs: (alias) => names.map((c) => `${alias}.${c}`).join(', '),
    async byId(ctx, id) {
      const [row] = await ctx.em.execute<Row[]>(`select ${list} from ${name} where id = ?`, [id]);
      return row ?? null;
    },
    async byIds(ctx, ids) {
      if (!ids.length) return [];
      return ctx.em.execute<Row[]>(`select ${list} from ${name} where id = any(?::int[])`, [`{${ids.join(',')}}`]);
    },
  };
}
