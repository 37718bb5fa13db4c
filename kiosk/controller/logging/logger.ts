import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Clock } from '../../../shared/clock';
import type { LogHealthView } from '../../../shared/contract/kiosk-api';
import type { LogEvent, LogSink } from '../../../shared/log';
import { createFileDestination } from './file-destination';
import { redactField, redactText } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** A file path (appended to) or a stream; default: standard output. */
  readonly destination?: string | NodeJS.WritableStream;
  /** Lowest level written; default `info`. Events with a `failure` disposition are `warn`. */
  readonly level?: LogLevel;
  /** For the file's retry interval. */
  readonly clock?: Clock;
  /** A file's rotation (default `logFileMaxBytes`, `logFilesKept`). */
  readonly rotation?: { readonly maxBytes: number; readonly filesKept: number };
}

/**
 * A `LogSink` writing JSON lines through pino, redacting personal data; `pino` is there for library
 * hooks. A failing file never throws into the caller: `health()` says the log is in memory only.
 */
export type Logger = LogSink & {
  readonly pino: PinoLogger;
  flush(): void;
  health(): LogHealthView;
  onHealthChange(listener: (health: LogHealthView) => void): () => void;
  /** Closes the file (a later line opens it again). */
  close(): void;
};

const alwaysWriting: LogHealthView = { state: 'writing' };

const reservedFields = new Set(['eventId', 'disposition', 'message', 'level', 'time', 'msg']);

export function createLogger(options: LoggerOptions = {}): Logger {
  const file = typeof options.destination === 'string'
    ? createFileDestination({ path: options.destination, ...(options.clock ? { clock: options.clock } : {}), ...options.rotation })
    : undefined;
  const destination: DestinationStream | NodeJS.WritableStream =
    file ?? (typeof options.destination === 'object' ? options.destination : pino.destination({ dest: 1, sync: true }));
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: null,
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination as DestinationStream,
  );
  const sink: LogSink = (event: LogEvent) => {
    const fields: Record<string, unknown> = { eventId: redactText(event.eventId), disposition: event.disposition };
    for (const [field, value] of Object.entries(event)) {
      if (reservedFields.has(field) || value === undefined) continue;
      fields[field] = redactField(field, value);
    }
    const message = redactText(String(event.message));
    if (event.disposition === 'failure') logger.warn(fields, message);
    else logger.info(fields, message);
  };
  return Object.assign(sink, {
    pino: logger,
    flush: () => logger.flush(),
    health: () => file?.health() ?? alwaysWriting,
    onHealthChange: (listener: (health: LogHealthView) => void) => file?.onChange(listener) ?? (() => {}),
    close: () => file?.close(),
  });
}
