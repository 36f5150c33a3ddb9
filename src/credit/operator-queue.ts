import type { Db } from '../context';

type Tails = Map<number, Promise<void>>;
const queues = new WeakMap<object, Tails>();

/**
 * Runs `work` after every earlier queued work for the same operator on the same connection pool has finished.
 * The operator row lock alone already serialises appends; without this queue a burst for one operator would park
 * every pooled connection in that lock and starve requests for everyone else. Waiting here holds no connection.
 */
export function queuedForOperator<T>(ctx: Db, operatorId: number, work: () => Promise<T>): Promise<T> {
  const pool = ctx.em.getConnection();
  let tails = queues.get(pool);
  if (!tails) queues.set(pool, (tails = new Map()));
  const previous = tails.get(operatorId) ?? Promise.resolve();
  const run = previous.then(work);
  const tail = run.then(() => undefined, () => undefined);
  tails.set(operatorId, tail);
  void tail.then(() => {
    if (tails!.get(operatorId) === tail) tails!.delete(operatorId);
  });
  return run;
}
