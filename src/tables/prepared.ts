import type { Knex } from '@mikro-orm/postgresql';
import type { ClientBase, QueryResultRow } from 'pg';
import type { NamedStatement } from '../db/public-reads';
import type { Db } from './table';

/** What MikroORM's connection offers to log a statement it did not send itself (protected in its types). */
interface LoggingConnection {
  executeQuery<T>(query: string, cb: () => Promise<T>, context?: { query: string; params: unknown[] }): Promise<T>;
}

/**
 * Runs a named statement (`$1…` placeholders) on the connection of the caller's transaction: PostgreSQL plans it once
 * per connection and from then on only binds and executes it, where `em.execute` sends every statement as new text.
 * It is part of the transaction like any other statement, logged like one (tests count it), and fails like one.
 */
export async function executePrepared<T extends QueryResultRow>(tx: Db, statement: NamedStatement, values: unknown[]): Promise<T[]> {
  const trx = tx.em.getTransactionContext<Knex.Transaction>();
  if (!trx) throw new Error(`${statement.name} runs inside a transaction`);
  // a transaction's knex client hands out the one connection the transaction holds
  const connection = (await trx.client.acquireConnection()) as ClientBase;
  const logged = tx.em.getConnection() as unknown as LoggingConnection;
  try {
    const result = await logged.executeQuery(statement.text, () => connection.query<T>({ name: statement.name, text: statement.text, values }), {
      query: statement.text, params: values,
    });
    return result.rows;
  } catch (e) {
    // the driver's error becomes the ORM's typed one (a unique violation, a lost connection), as from `em.execute`
    throw tx.em.getDriver().convertException(e as Error);
  }
}
