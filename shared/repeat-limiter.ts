import { systemClock, type Clock } from './clock';
import type { LogEvent, LogSink } from './log';

/**
 * Repeated device events (bad frames, stray bytes) at most once an interval per event id: the first
 * one is written, the repeats within the interval are only counted, and the next line written for
 * that id carries the count (`suppressed`). A noisy serial line then writes a few lines a minute
 * instead of one per garbled byte run. Time comes from the injected clock; there is no timer:
 * whoever knows the line went quiet calls `flush()` to write the counts still held back.
 */
export const repeatLogIntervalMs = 10_000;

export interface RepeatLimitedLog extends LogSink {
  /** Writes one line per event id with repeats held back since its last line. */
  flush(): void;
}

interface Window {
  start: number;
  suppressed: number;
  last: LogEvent;
}

export function limitRepeats(sink: LogSink, options: { readonly clock?: Clock; readonly intervalMs?: number } = {}): RepeatLimitedLog {
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? repeatLogIntervalMs;
  const windows = new Map<string, Window>();

  const log = (event: LogEvent): void => {
    const now = clock.now().getTime();
    const window = windows.get(event.eventId);
    if (window && now - window.start < intervalMs) {
      window.suppressed++;
      window.last = event;
      return;
    }
    const suppressed = window?.suppressed ?? 0;
    windows.set(event.eventId, { start: now, suppressed: 0, last: event });
    sink(suppressed > 0 ? { ...event, suppressed } : event);
  };
  const flush = (): void => {
    for (const window of windows.values()) {
      if (window.suppressed === 0) continue;
      const { last, suppressed } = window;
      window.suppressed = 0;
      sink({ ...last, message: `${last.message} (and ${suppressed} more like it, not written one by one)`, suppressed });
    }
  };
  return Object.assign(log, { flush });
}
