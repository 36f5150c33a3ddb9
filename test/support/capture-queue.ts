import type { LightMyRequestResponse } from 'fastify';
import { captureWorker } from '../../src/exchange/capture.queue';
import { startNotificationQueue, type NotificationQueue } from '../../src/notify/queue';
import type { TestApp } from './app';

const quiet = { error: () => undefined, warn: () => undefined };

/** Starts the queue that runs capture jobs (the server's pg-boss, with the capture worker) for the file's tests. */
export function useCaptureQueue(t: TestApp): { queue: () => NotificationQueue } {
  let queue: NotificationQueue | null = null;
  beforeAll(async () => {
    queue = await startNotificationQueue({
      orm: t.orm, connectionString: t.url, log: quiet, sweepMs: 200,
      workers: [captureWorker({ orm: t.orm, config: t.config, log: quiet })],
    });
  });
  afterAll(async () => queue?.stop());
  return { queue: () => queue! };
}

/** Polls the capture job a 202 answer located until it has run; the job as `GET /epcis/capture/{id}` tells it. */
export async function untilCaptured(t: TestApp, accepted: LightMyRequestResponse, token: string, ms = 60_000): Promise<LightMyRequestResponse> {
  if (accepted.statusCode !== 202) return accepted;
  const end = Date.now() + ms;
  for (;;) {
    const job = await t.app.fastify.inject({ method: 'GET', url: accepted.headers.location as string, headers: { authorization: `Bearer ${token}` } });
    if (job.statusCode !== 200 || !job.json().running) return job;
    if (Date.now() > end) throw new Error(`capture ${accepted.headers.location} still running after ${ms} ms`);
    // a poll draws from the lookup budget (300 a minute by default)
    await new Promise((r) => setTimeout(r, 250));
  }
}
