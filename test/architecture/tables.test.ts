import { TABLES } from '../../src/tables';
import { createTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('the table modules and the entities match the database the migrations build', () => {
  it('the ORM finds nothing to change between the entities and the migrated schema', async () => {
    const diff = await t.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: false });
    expect(diff.trim()).toBe('');
  });

  it('every table module names each column of its table, with its type, and no column that is not there', async () => {
    const rows = await t.sql<{ table_name: string; column_name: string; udt_name: string }>(
      `select table_name, column_name, udt_name from information_schema.columns where table_schema = 'public'`,
    );
    for (const table of TABLES) {
      const actual = Object.fromEntries(rows.filter((r) => r.table_name === table.name).map((r) => [r.column_name, r.udt_name]));
      expect({ table: table.name, columns: actual }).toEqual({ table: table.name, columns: { ...table.columns } });
    }
  });

  it('covers every table the migrations create', async () => {
    const tables = await t.sql<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'mikro_orm_migrations' order by 1`,
    );
    expect(TABLES.map((x) => x.name).sort()).toEqual(tables.map((x) => x.table_name));
  });
});
