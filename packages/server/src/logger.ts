import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Message content and tokens are never logged: routes log ids only, and
 * `authorization` headers are redacted should a header object ever reach a log line.
 *
 * @example
 * const logger = createLogger('info');
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'async-chat-server' },
      redact: {
        paths: ['*.authorization', '*.headers.authorization', 'req.headers.authorization', 'accessToken', 'refreshToken'],
        remove: true,
      },
    },
    destination,
  );
}
