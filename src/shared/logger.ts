/** Structured logging (pino): one JSON line per event, credentials redacted. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'maillage', ...base },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.key'],
      censor: '[redacted]',
    },
  });
}
