/**
 * Structured log events (JSON lines). `eventId` comes from a catalogue (kebab-case, prefixed by
 * area: `printer-`, `nfc-`, `scanner-`, `board-`, `store-`, `issuance-`...); long actions log an
 * `-init` and a `-complete` event. Never put personal data (ID numbers, names, birth dates,
 * photos) in an event: the controller's sink redacts what it recognises, but callers must not rely on it.
 */
export type Disposition = 'success' | 'failure' | 'na';

export interface LogEvent {
  readonly eventId: string;
  readonly disposition: Disposition;
  readonly message: string;
  readonly [detail: string]: string | number | boolean | null | undefined;
}

export type LogSink = (event: LogEvent) => void;

/** A sink that drops everything: the default for devices used without a logger. */
export const silentLog: LogSink = () => {};
