import type { Clock } from '../shared/clock';
import type { Timers, TimerHandle } from './timers';

/**
 * Pulse bill acceptor (ITL NV10 class, docs/protocols.md): an open-collector credit line that
 * pulls LOW for ≈50 ms per pulse with ≈100 ms HIGH between pulses; 1 pulse = NT$100; a train
 * ends after ≈300 ms of idle. Two layers:
 * - `PulseCounter`: pure logic on explicit timestamps (no clock, no timers): count falling
 *   edges, ignore contact bounce, end the train on idle;
 * - `BillAcceptor`: the same on an injected clock and timers, numbering the notes.
 */

export type Level = 0 | 1;

export interface PulseTiming {
  /** NT dollars per pulse. */
  readonly amountPerPulse: number;
  /**
   * After an accepted edge, further changes are contact bounce for this long: longer than any
   * bounce, shorter than the shortest pulse phase.
   */
  readonly bounceLockoutMs: number;
  /** HIGH this long after the last pulse ends the train. */
  readonly trainEndIdleMs: number;
  /** LOW this long is not a pulse any more but a stuck line (jam or short): reported once. */
  readonly stuckLowMs: number;
}

/**
 * A pulse is ≥ 30 ms LOW and ≥ 80 ms HIGH between pulses even with ±20 ms jitter, while contact
 * bounce settles within a few ms: a 15 ms lockout fits between. Idle: 300 ms per the acceptor's
 * programming, more than twice the longest HIGH gap inside a train.
 */
export const nv10PulseTiming: PulseTiming = {
  amountPerPulse: 100,
  bounceLockoutMs: 15,
  trainEndIdleMs: 300,
  stuckLowMs: 2000,
};

/** Notes the acceptor is programmed for; any other pulse count is still credited, but flagged. */
export const knownDenominations: readonly number[] = [100, 200, 500, 1000, 2000];

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
 * Debounce by lockout: an edge is accepted the moment it arrives, and changes during the next
 * `bounceLockoutMs` are bounce; when the lockout ends, the line's level then is taken as is.
 * Why not "a level must hold N ms": levels arrive timestamped by the host, and a busy host or a
 * USB-serial adapter delivers several reports at once, squeezing a real 50 ms pulse to 0 ms; with
 * a lockout a squeezed pulse still counts, since its falling edge is taken at once.
 * Each accepted HIGH→LOW is one pulse; HIGH for `trainEndIdleMs` after the last one ends the train.
 */
export class PulseCounter {
  private accepted: Level;
  private acceptedAt = Number.NEGATIVE_INFINITY;
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
    if (level === this.raw) return out;
    this.raw = level;
    this.rawSince = at;
    if (level !== this.accepted && at >= this.acceptedAt + this.timing.bounceLockoutMs) this.accept(at);
    return out;
  }

  /** Lets time pass up to `now`: ends a lockout, ends an idle train, notices a stuck line. */
  advance(now: number): PulseCounterOutput[] {
    const out: PulseCounterOutput[] = [];
    const lockoutEnd = this.acceptedAt + this.timing.bounceLockoutMs;
    if (this.raw !== this.accepted && now >= lockoutEnd) this.accept(Math.max(this.rawSince, lockoutEnd));
    if (this.raw === this.accepted) {
      if (this.accepted === 1 && this.pulses > 0 && now - this.lastRiseAt >= this.timing.trainEndIdleMs) {
        out.push(this.complete());
      } else if (this.accepted === 0 && !this.stuckReported && now - this.acceptedAt >= this.timing.stuckLowMs) {
        this.stuckReported = true;
        out.push({ kind: 'line-stuck-low', since: this.acceptedAt });
      }
    }
    return out;
  }

  /** When `advance` next has something to do, if anything. */
  nextDeadline(): number | undefined {
    if (this.raw !== this.accepted) return this.acceptedAt + this.timing.bounceLockoutMs;
    if (this.accepted === 1 && this.pulses > 0) return this.lastRiseAt + this.timing.trainEndIdleMs;
    if (this.accepted === 0 && !this.stuckReported) return this.acceptedAt + this.timing.stuckLowMs;
    return undefined;
  }

  /**
   * The line went away mid-train (board unplugged): credit the pulses already counted, since the
   * acceptor pulses for notes it has taken. Then start over, idle at `level`.
   */
  flush(level: Level, at: number): PulseCounterOutput | undefined {
    const partial = this.pulses > 0 ? this.complete() : undefined;
    this.accepted = level;
    this.acceptedAt = Number.NEGATIVE_INFINITY;
    this.raw = level;
    this.rawSince = at;
    this.stuckReported = false;
    return partial;
  }

  get pendingPulses(): number {
    return this.pulses;
  }

  private accept(at: number): void {
    this.accepted = this.raw;
    this.acceptedAt = at;
    if (this.accepted === 0) {
      this.pulses++;
      this.stuckReported = false;
    } else {
      this.lastRiseAt = this.rawSince;
    }
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

/**
 * A deadline timer firing later than this means the process was stalled (GC, a long synchronous
 * job, CPU starvation): reports that arrived meanwhile are still unread.
 */
export const stallToleranceMs = 40;
/** After a stall, how long to read what was buffered before deciding a train has ended. */
export const stallCatchUpMs = 30;

/**
 * The pulse counter on a clock: feed it line levels, it calls `onNote` once per note.
 *
 * Stalls: when a deadline fires late, the time the process lost is taken out of the counter's
 * timeline and the decision waits `stallCatchUpMs` for the reports buffered meanwhile. Otherwise a
 * stall across the idle deadline would end a train while its next pulse sits unread, splitting a
 * note in two (the money would still add up, but not the notes).
 */
export class BillAcceptor {
  private counter: PulseCounter;
  private timer: TimerHandle | undefined;
  private nextSequence: number;
  private readonly timing: PulseTiming;
  /** Stall time taken out of the counter's timeline. */
  private lostMs = 0;
  /** Counter time never goes backwards. */
  private lastCounterTime = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: BillAcceptorOptions) {
    this.timing = options.timing ?? nv10PulseTiming;
    this.counter = new PulseCounter(this.timing, 1, this.counterNow());
    this.nextSequence = options.firstSequence ?? 1;
  }

  /** The line level as reported by the board. */
  input(level: Level): void {
    this.handle(this.counter.input(level, this.counterNow()), false);
    this.reschedule();
  }

  /** The board (re)connected and reports the line at `level`: a fresh start, nothing counted. */
  reset(level: Level): void {
    const partial = this.counter.flush(level, this.counterNow());
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

  private realNow(): number {
    return this.options.clock.now().getTime();
  }

  private counterNow(): number {
    this.lastCounterTime = Math.max(this.lastCounterTime, this.realNow() - this.lostMs);
    return this.lastCounterTime;
  }

  private handle(outputs: readonly PulseCounterOutput[], cutShort: boolean): void {
    for (const output of outputs) {
      if (output.kind === 'line-stuck-low') {
        this.options.onStuck?.(output.since + this.lostMs);
        continue;
      }
      const note: NoteAccepted = {
        amount: output.amount,
        sequence: this.nextSequence++,
        pulses: output.pulses,
        lastPulseEndAt: output.lastPulseEndAt + this.lostMs,
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
      const late = this.realNow() - this.lostMs - deadline;
      if (late > stallToleranceMs) {
        // Resume the timeline just before the deadline, and read the backlog first.
        this.lostMs += late + stallCatchUpMs;
        this.timer = this.options.timers.set(() => {
          this.timer = undefined;
          this.handle(this.counter.advance(this.counterNow()), false);
          this.reschedule();
        }, stallCatchUpMs);
        return;
      }
      this.handle(this.counter.advance(this.counterNow()), false);
      this.reschedule();
    }, deadline - this.counterNow());
  }

  private cancel(): void {
    if (this.timer) this.options.timers.clear(this.timer);
    this.timer = undefined;
  }
}
