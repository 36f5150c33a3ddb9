import { Client } from 'pg';

/** Tables the server may only read and append to: no UPDATE, DELETE or TRUNCATE for its role. */
export const APPEND_ONLY_TABLES = ['credit_event', 'checkpoint', 'audit_event'] as const;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * As the owner (`ownerUrl`, who ran the migrations and owns every table): makes `appRole` able to read and write
 * what the server needs and nothing more. It may insert into the append-only tables but not update, delete or
 * truncate them; it owns nothing, so it can neither ALTER a table nor disable its triggers. With `password` the role
 * is created (or its password set) as a plain login role. Run after every migration, so new tables are covered.
 */
export async function grantAppRole(ownerUrl: string, appRole: string, password: string | null): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    if (password !== null) {
      // roles are cluster-wide: two starts may race to create the same one
      for (let attempt = 0; ; attempt++) {
        try {
          const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [appRole]);
          if (!rowCount) await client.query(`create role ${ident(appRole)} login password ${literal(password)}`);
          break;
        } catch (e) {
          const code = (e as { code?: string }).code;
          if ((code !== '42710' && code !== '23505') || attempt > 2) throw e;
        }
      }
      await client.query(`alter role ${ident(appRole)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${literal(password)}`);
    }
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    const role = ident(appRole);
    await client.query('begin');
    await client.query(`grant connect, temporary on database ${ident(rows[0].db)} to ${role}`);
    await client.query(`grant usage on schema public to ${role}`);
    await client.query(`revoke all on all tables in schema public from ${role}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
    await client.query(`revoke insert, update, delete on mikro_orm_migrations from ${role}`);
    await client.query(`revoke update, delete, truncate on ${APPEND_ONLY_TABLES.join(', ')} from ${role}`);
    await client.query(`grant usage, select on all sequences in schema public to ${role}`);
    // audit rows past their retention leave only through this function, which runs as its owner
    await client.query('revoke execute on function purge_audit_events(timestamptz) from public');
    await client.query(`grant execute on function purge_audit_events(timestamptz) to ${role}`);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}

/** `url` with another user and password. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}
