import type { Clock } from '../../shared/clock';
import type { LogSink } from '../../shared/log';
import { limitRepeats, type RepeatLimitedLog } from '../../shared/repeat-limiter';

/**
 * Tells a line that keeps producing bad frames (a loose cable, a wrong baud rate, interference) from
 * the odd bad frame (a document pulled away mid-read): after `noisyLineBadFrames` bad frames with no
 * quiet spell between them the line is noisy, and it stays so until no bad frame has come for
 * `lineQuietMs`. The driver reports it; the kiosk shows the device as faulted ("line noise").
 */

/** Bad frames, each within `lineQuietMs` of the one before, that make a line noisy. */
export const noisyLineBadFrames = 10;
/** A line with no bad frame for this long is quiet (and a noisy one is clear again). */
export const lineQuietMs = 3000;

export interface LineNoiseOptions {
  readonly quietMs?: number;
  readonly badFrames?: number;
  /** The line became noisy (true) or quiet again (false). */
  readonly onChange: (noisy: boolean) => void;
  /** Every quiet spell after bad frames, noisy or not (e.g. to write the counts held back by a log limiter). */
  readonly onQuiet?: () => void;
}

export class LineNoiseMonitor {
  private readonly quietMs: number;
  private readonly threshold: number;
  private run = 0;
  private isNoisy = false;
  private quietTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LineNoiseOptions) {
    this.quietMs = options.quietMs ?? lineQuietMs;
    this.threshold = options.badFrames ?? noisyLineBadFrames;
  }

  get noisy(): boolean {
    return this.isNoisy;
  }

  badFrame(): void {
    this.run++;
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.quiet(), this.quietMs);
    this.quietTimer.unref();
    if (!this.isNoisy && this.run >= this.threshold) {
      this.isNoisy = true;
      this.options.onChange(true);
    }
  }

  /** The line is gone (unplugged, closed): whatever it was, it is not noisy now. Reports nothing. */
  reset(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    this.run = 0;
    this.isNoisy = false;
  }

  private quiet(): void {
    this.quietTimer = undefined;
    this.run = 0;
    this.options.onQuiet?.();
    if (!this.isNoisy) return;
    this.isNoisy = false;
    this.options.onChange(false);
  }
}

export interface WatchedLineOptions {
  readonly log: LogSink;
  readonly clock: Clock;
  readonly quietMs?: number | undefined;
  readonly repeatLogIntervalMs?: number | undefined;
  /** The log event of the line's state, e.g. `printer-line-noise`. */
  readonly eventId: string;
  /** The line in the log's words, e.g. `the printer line`. */
  readonly line: string;
  /** What keeps coming on a noisy line, e.g. `bytes that are no reply`. */
  readonly noise: string;
  /** Counts to log with a change of state (bad frames so far...). */
  readonly details?: () => Readonly<Record<string, number>>;
  readonly onChange: (noisy: boolean) => void;
}

/**
 * What every serial driver keeps for its line: a log that writes a repeated event once per interval
 * (with a count), and the noise monitor, whose quiet spells write out the counts held back.
 */
export function watchLine(options: WatchedLineOptions): { readonly repeatLog: RepeatLimitedLog; readonly noise: LineNoiseMonitor } {
  const repeatLog = limitRepeats(options.log, {
    clock: options.clock,
    ...(options.repeatLogIntervalMs === undefined ? {} : { intervalMs: options.repeatLogIntervalMs }),
  });
  const noise = new LineNoiseMonitor({
    ...(options.quietMs === undefined ? {} : { quietMs: options.quietMs }),
    onQuiet: () => repeatLog.flush(),
    onChange: (noisy) => {
      options.log({
        eventId: options.eventId,
        disposition: noisy ? 'failure' : 'success',
        message: noisy ? `${options.line} keeps sending ${options.noise} (line noise)` : `${options.line} is quiet again`,
        ...options.details?.(),
      });
      options.onChange(noisy);
    },
  });
  return { repeatLog, noise };
}
