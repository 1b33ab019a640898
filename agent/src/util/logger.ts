/** JSON logs (pino). Secrets never reach a log: known secret fields are redacted at the logger. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wedsync-agent' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['*.apiKey', '*.licenseKey', '*.routingKey', '*.token', '*.bearerToken', '*.authorization', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
