/** Structured JSON logging (pino) to stderr, so stdout stays clean for command output. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'paperboy' } }, pino.destination(2));
}
