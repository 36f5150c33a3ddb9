/** Where a scheduled task says what it did and what failed. */
export interface ScheduleLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Runs `task` at once and then every `everyMs` until the returned function is called; the timer never holds the
 * process open. The task reports its own failures (each says what the next run makes good).
 */
export function runEvery(everyMs: number, task: () => Promise<void>): () => void {
  void task();
  const timer = setInterval(() => void task(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
