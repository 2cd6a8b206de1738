/** Structured logging (pino): one JSON line per event, credentials redacted. */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination` defaults to stdout; tests pass their own to read what the hub logs. */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: 'maillage', ...base },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.password', '*.token', '*.key'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
