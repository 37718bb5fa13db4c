import type { Clock } from '../shared/clock';
import type { Timers, TimerHandle } from './timers';

/**
 * Pulse bill acceptor (ITL NV10 class, docs/protocols.md): an open-collector credit line that
 * pulls LOW for ≈50 ms per pulse with ≈100 ms HIGH between pulses; 1 pulse = NT$100; a train
 * ends after ≈300 ms of idle. Two layers:
 * - `PulseCounter`: pure logic on explicit timestamps (no clock, no timers): debounce, count
 *   falling edges, end the train on idle;
 * - `BillAcceptor`: the same on an injected clock and timers, numbering the notes.
 */

export type Level = 0 | 1;

export interface PulseTiming {
  /** NT dollars per pulse. */
  readonly amountPerPulse: number;
  /** A level counts only once it has held this long: longer than contact bounce, well under a pulse. */
  readonly debounceMs: number;
  /** HIGH this long after the last pulse ends the train. */
  readonly trainEndIdleMs: number;
  /** LOW this long is not a pulse any more but a stuck line (jam or short): reported once. */
  readonly stuckLowMs: number;
}

/**
 * Debounce: a pulse is ≥ 30 ms LOW and ≥ 80 ms HIGH between pulses even with ±20 ms jitter, while
 * contact bounce settles within a few ms. Idle: 300 ms per the acceptor's programming, more than
 * twice the longest HIGH gap inside a train.
 */
export const nv10PulseTiming: PulseTiming = {
  amountPerPulse: 100,
  debounceMs: 12,
  trainEndIdleMs: 300,
  stuckLowMs: 2000,
};

/** Notes the acceptor is programmed for; any other pulse count is still credited, but flagged. */
export const knownDenominations: readonly number[] = [100, 200, 500, 1000, 2000];

/** Scales every duration, for simulations that run faster than real time. */
export function scaleTiming(timing: PulseTiming, factor: number): PulseTiming {
  return {
    amountPerPulse: timing.amountPerPulse,
    debounceMs: timing.debounceMs * factor,
    trainEndIdleMs: timing.trainEndIdleMs * factor,
    stuckLowMs: timing.stuckLowMs * factor,
  };
}

export type PulseCounterOutput =
  | {
      readonly kind: 'train-complete';
      readonly amount: number;
      readonly pulses: number;
      /** When the last pulse ended (its rising edge). */
      readonly lastPulseEndAt: number;
    }
  | { readonly kind: 'line-stuck-low'; readonly since: number };

/**
 * Debounce by stability: a raw change becomes the accepted level only if no further change comes
 * within `debounceMs` (then it takes effect at the time of the raw change). Each accepted
 * HIGH→LOW is one pulse; an accepted HIGH lasting `trainEndIdleMs` ends the train.
 */
export class PulseCounter {
  private accepted: Level;
  private raw: Level;
  private rawSince: number;
  private pulses = 0;
  private lastRiseAt = 0;
  private stuckReported = false;

  constructor(
    private readonly timing: PulseTiming,
    initial: Level = 1,
    at = 0,
  ) {
    this.accepted = initial;
    this.raw = initial;
    this.rawSince = at;
  }

  /** A reported line level at time `at` (timestamps never go backwards). */
  input(level: Level, at: number): PulseCounterOutput[] {
    const out = this.advance(at);
    if (level !== this.raw) {
      this.raw = level;
      this.rawSince = at;
    }
    return out;
  }

  /** Lets time pass up to `now`: confirms stable levels and ends an idle train. */
  advance(now: number): PulseCounterOutput[] {
    const out: PulseCounterOutput[] = [];
    if (this.raw !== this.accepted && now - this.rawSince >= this.timing.debounceMs) {
      this.accepted = this.raw;
      if (this.accepted === 0) {
        this.pulses++;
        this.stuckReported = false;
      } else {
        this.lastRiseAt = this.rawSince;
      }
    }
    if (this.raw === this.accepted) {
      if (this.accepted === 1 && this.pulses > 0 && now - this.lastRiseAt >= this.timing.trainEndIdleMs) {
        out.push(this.complete());
      } else if (this.accepted === 0 && !this.stuckReported && now - this.rawSince >= this.timing.stuckLowMs) {
        this.stuckReported = true;
        out.push({ kind: 'line-stuck-low', since: this.rawSince });
      }
    }
    return out;
  }

  /** When `advance` next has something to do, if anything. */
  nextDeadline(): number | undefined {
    if (this.raw !== this.accepted) return this.rawSince + this.timing.debounceMs;
    if (this.accepted === 1 && this.pulses > 0) return this.lastRiseAt + this.timing.trainEndIdleMs;
    if (this.accepted === 0 && !this.stuckReported) return this.rawSince + this.timing.stuckLowMs;
    return undefined;
  }

  /**
   * The line went away mid-train (board unplugged): credit the pulses already counted, since the
   * acceptor pulses for notes it has taken. Then start over from `level`.
   */
  flush(level: Level, at: number): PulseCounterOutput | undefined {
    const partial = this.pulses > 0 ? this.complete() : undefined;
    this.accepted = level;
    this.raw = level;
    this.rawSince = at;
    this.stuckReported = false;
    return partial;
  }

  get pendingPulses(): number {
    return this.pulses;
  }

  private complete(): PulseCounterOutput {
    const pulses = this.pulses;
    this.pulses = 0;
    return { kind: 'train-complete', amount: pulses * this.timing.amountPerPulse, pulses, lastPulseEndAt: this.lastRiseAt };
  }
}

export interface NoteAccepted {
  readonly amount: number;
  /** 1, 2, 3... per board connection object: each note exactly once. */
  readonly sequence: number;
  readonly pulses: number;
  /** Epoch ms of the end of the note's last pulse. */
  readonly lastPulseEndAt: number;
  /** The train was cut short (board lost mid-note) or its amount is not a programmed note. */
  readonly irregular: boolean;
}

export interface BillAcceptorOptions {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly timing?: PulseTiming;
  readonly onNote: (note: NoteAccepted) => void;
  readonly onStuck?: (since: number) => void;
  /** First sequence number (a controller that persists them continues where it stopped). */
  readonly firstSequence?: number;
}

/** The pulse counter on a clock: feed it line levels, it calls `onNote` once per note. */
export class BillAcceptor {
  private counter: PulseCounter;
  private timer: TimerHandle | undefined;
  private nextSequence: number;
  private readonly timing: PulseTiming;

  constructor(private readonly options: BillAcceptorOptions) {
    this.timing = options.timing ?? nv10PulseTiming;
    this.counter = new PulseCounter(this.timing, 1, this.now());
    this.nextSequence = options.firstSequence ?? 1;
  }

  /** The line level as reported by the board. */
  input(level: Level): void {
    this.handle(this.counter.input(level, this.now()), false);
    this.reschedule();
  }

  /** The board (re)connected and reports the line at `level`: a fresh start, nothing counted. */
  reset(level: Level): void {
    const partial = this.counter.flush(level, this.now());
    if (partial) this.handle([partial], true);
    this.reschedule();
  }

  /** The board went away: credit a train cut short. */
  disconnect(): void {
    this.reset(1);
    this.cancel();
  }

  close(): void {
    this.cancel();
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private handle(outputs: readonly PulseCounterOutput[], cutShort: boolean): void {
    for (const output of outputs) {
      if (output.kind === 'line-stuck-low') {
        this.options.onStuck?.(output.since);
        continue;
      }
      const note: NoteAccepted = {
        amount: output.amount,
        sequence: this.nextSequence++,
        pulses: output.pulses,
        lastPulseEndAt: output.lastPulseEndAt,
        irregular: cutShort || !knownDenominations.includes(output.amount),
      };
      this.options.onNote(note);
    }
  }

  private reschedule(): void {
    this.cancel();
    const deadline = this.counter.nextDeadline();
    if (deadline === undefined) return;
    this.timer = this.options.timers.set(() => {
      this.timer = undefined;
      this.handle(this.counter.advance(this.now()), false);
      this.reschedule();
    }, deadline - this.now());
  }

  private cancel(): void {
    if (this.timer) this.options.timers.clear(this.timer);
    this.timer = undefined;
  }
}
