import type { Config } from '../../src/config';
import type { AppOptions } from '../../src/server';
import { createTestApp, type TestApp } from './app';
import { fixture, type Fixture } from './factories';

export interface UseTestAppOptions {
  /** Config fields that differ from the test defaults. */
  config?: Partial<Config>;
  app?: AppOptions & { poolMax?: number; appRole?: boolean };
  /** Serve on a real port of 127.0.0.1, for clients other than inject. */
  listen?: boolean;
  /**
   * Before each test: `fixture` (default) empties every table and mints fresh admin and regulator
   * tokens; `reset` only empties the tables; `none` leaves the data to the file.
   */
  each?: 'fixture' | 'reset' | 'none';
}

export interface LiveTestApp {
  /** The file's app; usable from the first hook on. */
  t: TestApp;
  /** The current test's admin and regulator tokens (with `each: 'fixture'`). */
  f: Fixture;
  /** Where the app listens (with `listen: true`), e.g. http://127.0.0.1:40123. */
  base: string;
}

/**
 * One app per test file: opened before the first test and closed after the last, with the chosen
 * per-test reset. `t` and `f` are the same objects for the whole file, so they can be destructured
 * at the top; their contents are filled in by the hooks.
 */
export function useTestApp(options: UseTestAppOptions = {}): LiveTestApp {
  const live: LiveTestApp = { t: {} as TestApp, f: {} as Fixture, base: '' };
  let opened: TestApp | undefined;
  beforeAll(async () => {
    opened = await createTestApp(options.config, options.app);
    Object.assign(live.t, opened);
    if (options.listen) live.base = await opened.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => opened?.close());
  const each = options.each ?? 'fixture';
  if (each !== 'none') {
    beforeEach(async () => {
      await live.t.reset();
      if (each === 'fixture') Object.assign(live.f, await fixture(live.t));
    });
  }
  return live;
}

/** Empties every table and mints fresh admin and regulator tokens into `f`, for files that reset per group. */
export async function refill(t: TestApp, f: Fixture): Promise<void> {
  await t.reset();
  Object.assign(f, await fixture(t));
}
