import type { Db } from '../context';
import { insertAuditEvents } from '../tables/audit-event.table';
import type { NewAuditEvent } from './audit.model';

interface Queued {
  event: NewAuditEvent;
  settle: (err?: unknown) => void;
}

/**
 * The audit rows of the API's requests, written as a group commit: a row that finds no write in flight is written at
 * once; rows that come while one is in flight wait for it and then go together, in one multi-row INSERT and one
 * commit. Every request still waits until its own row is committed (an answer never goes out ahead of its audit
 * row), so nothing is lost that was not lost before; under load, one round trip and one commit carry many rows.
 */
export class AuditWriter {
  private readonly queue: Queued[] = [];
  private writing = false;

  /** `db` hands out a fresh context per write, outside any request's transaction. */
  constructor(private readonly db: () => Db, private readonly maxRows = 200) {}

  write(event: NewAuditEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, settle: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, this.maxRows);
        // a failed write fails the rows it carried, each request logs its own; the next group is tried afresh
        const err = await insertAuditEvents(this.db(), group.map((q) => q.event)).then(() => undefined, (e: unknown) => e ?? new Error('audit write failed'));
        for (const q of group) q.settle(err);
      }
    } finally {
      this.writing = false;
    }
  }
}
