import { loggableError } from './log-safe';

/**
 * A promise rejected with nobody listening, or an exception nothing caught, leaves the process in a state nobody
 * reasoned about: it is logged (what log-safe allows of it) and the process ends non-zero for its supervisor to
 * restart it.
 */
export function exitOnUnhandledErrors(log: (line: string) => void, exit: (code: number) => void = (code) => process.exit(code)): void {
  const fail = (kind: string) => (error: unknown) => {
    try {
      log(JSON.stringify({ level: 'fatal', msg: kind, err: loggableError(error) }));
    } finally {
      exit(1);
    }
  };
  process.on('unhandledRejection', fail('unhandled promise rejection; exiting for the supervisor to restart'));
  process.on('uncaughtException', fail('uncaught exception; exiting for the supervisor to restart'));
}
