import type { MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import { ANONYMOUS } from '../auth/viewer.model';
import type { Config } from '../config';
import { buildContext } from '../context';
import type { QueueLog, QueueWorker } from '../notify/queue';
import { CAPTURE_CHANNEL, runningCaptureIds } from '../tables/epcis-capture.table';
import { failCapture, runCapture } from './capture.service';

/** Each accepted EPCIS document is one job of this queue. */
export const CAPTURE_QUEUE = 'epcis-capture';

/** Attempts after the first; the last failure finishes the job FAILED, so no job stays RUNNING for ever. */
const RETRY_LIMIT = 2;

/** The job id of a capture: sending a waiting capture again, while its job is kept, adds no second job. */
export function captureJobId(captureId: number): string {
  return `00000000-0000-4000-8001-${captureId.toString(16).padStart(12, '0')}`;
}

export interface CaptureWorkerOptions {
  orm: MikroORM;
  config: Config;
  log: QueueLog;
  /** How often an idle worker asks the queue for jobs (pg-boss's minimum is 0.5 s). */
  pollingSeconds?: number;
}

/**
 * EPCIS capture on the notification queue's pg-boss: each committed capture job is announced and sent at once;
 * the sweep and the start send any job still RUNNING (after a restart, or an announcement missed), under its own
 * job id, so one capture is one job. A job runs one capture in one transaction; a job cut short by a stop is
 * retried, and its capture runs whole or not at all.
 */
export function captureWorker(options: CaptureWorkerOptions): QueueWorker {
  const { orm, config, log } = options;
  let boss: PgBoss | null = null;
  const send = async (ids: number[]) => {
    for (const id of ids) await boss!.send(CAPTURE_QUEUE, { captureId: id }, { id: captureJobId(id), retryLimit: RETRY_LIMIT, retryDelay: 1 });
  };
  const sendWaiting = () => runningCaptureIds({ em: orm.em.fork() }, 1000).then(send);
  const warn = (err: Error) => log.warn({ err: { message: err.message } }, 'capture job not queued');
  return {
    queue: CAPTURE_QUEUE,
    channel: CAPTURE_CHANNEL,
    async start(started) {
      boss = started;
      await boss.work<{ captureId: number }>(
        CAPTURE_QUEUE,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingSeconds ?? 0.5 },
        async ([job]) => {
          const ctx = buildContext(orm, config, ANONYMOUS);
          try {
            await runCapture(ctx, job.data.captureId);
          } catch (err) {
            log.error({ err: { message: (err as Error).message }, captureId: job.data.captureId, attempt: job.retryCount }, 'capture job failed');
            if (job.retryCount < RETRY_LIMIT) throw err;
            await failCapture(ctx, job.data.captureId, 'INTERNAL');
          }
        },
      );
      await sendWaiting();
    },
    announced(payload) {
      if (!boss) return;
      const id = Number(payload);
      void (payload !== undefined && Number.isSafeInteger(id) ? send([id]) : sendWaiting()).catch(warn);
    },
  };
}
