declare module 'pg-copy-streams' {
  import type { Submittable } from 'pg';
  import type { Writable } from 'node:stream';
  /** `COPY … FROM STDIN` as a writable stream to pass to `client.query`. */
  export function from(sql: string): Submittable & Writable;
}
