import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * Paths pino blanks out in every log line. Secrets (exchange keys, private keys, master keys,
 * auth tokens) must never reach a log, whatever object they travel in.
 */
export const REDACT_PATHS: string[] = [
  'apiKey', 'secret', 'password', 'privateKey', 'masterKey', 'token', 'authorization',
  '*.apiKey', '*.secret', '*.password', '*.privateKey', '*.masterKey', '*.token', '*.authorization',
  '*.*.apiKey', '*.*.secret', '*.*.password', '*.*.privateKey', '*.*.masterKey', '*.*.token',
  'headers.authorization', 'req.headers.authorization', 'req.headers["x-api-key"]',
  // the HTTP API's operator token, a key store's credentials object, venue key headers
  'apiToken', '*.apiToken', '*.*.apiToken', 'credentials', '*.credentials',
  'headers["x-mbx-apikey"]', 'headers["x-bapi-api-key"]', 'headers["x-bapi-sign"]',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; stdout when absent. Tests pass a capture stream. */
  destination?: DestinationStream;
}

/** Creates the structured logger every module receives; secrets are redacted. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env['LOG_LEVEL'] ?? 'info',
    name: opts.name ?? 'rangekeeper',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  return opts.destination === undefined ? pino(options) : pino(options, opts.destination);
}

export type { Logger };
