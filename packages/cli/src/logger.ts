import pino, { type Logger } from 'pino';
import type { LogLevel } from './config/fields.ts';

/** The process logger: JSON lines on stdout. Each part logs through a child bound to its `part`. */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    // Passwords never reach the log, whatever a caller passes in.
    redact: { paths: ['password', '*.password', 'accounts[*].password'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
