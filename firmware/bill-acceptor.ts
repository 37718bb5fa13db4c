import type { Clock } from '../shared/clock';
import type { Timers, TimerHandle } from './timers';

/**
 * Pulse bill acceptor (ITL NV10 class, docs/protocols.md): an open-collector credit line that
 * pulls LOW for ≈50 ms per pulse with ≈100 ms HIGH between pulses; 1 pulse = NT$100; a train
 * ends after ≈300 ms of idle. Two layers:
 * - `PulseCounter`: pure logic on explicit times (no clock, no timers): which level changes were
 *   real edges and which were line noise, when a train has ended;
 * - `BillAcceptor`: the same on an injected clock and timers, numbering the notes.
 *
 * Firmata level reports carry no timestamps: a report is known only to have happened after the
 * last moment the host is known to have read everything (`since`) and before it was read. When
 * the process runs freely that window is a few ms; after a stall it spans the stall, and several
 * reports arrive at once. The counter decides on the order of changes and these windows only.
 *
 * Noise: an open-collector line picks up spikes a few ms wide at any moment (inside a pulse, between
 * pulses, between notes); the acceptor itself drops a pulse now and then, or holds one LOW too long.
 * A spike is told from a pulse by its width; a pulse count that is no programmed note (a pulse went
 * missing) is never credited as some other amount.
 */

export type Level = 0 | 1;

export interface PulseTiming {
  /** NT dollars per pulse. */
  readonly amountPerPulse: number;
  /** A noise spike (or a burst of contact bounce) lasts at most this long: an excursion and back. */
  readonly spikeMaxMs: number;
  /**
   * Changes are judged once the line has held one level this long (with everything read
   * meanwhile): longer than any spike, so a spike is never judged half-read.
   */
  readonly settleMs: number;
  /** A real LOW (pulse) lasts at least this long; a real HIGH between pulses at least this long. */
  readonly minLowMs: number;
  readonly minHighMs: number;
  /** A pulse held LOW longer than this is still counted, but the note is flagged (no pulse the acceptor means to send). */
  readonly maxLowMs: number;
  /** HIGH this long after the last pulse ends the train. */
  readonly trainEndIdleMs: number;
  /** LOW this long is not a pulse any more but a stuck line (jam or short): reported once. */
  readonly stuckLowMs: number;
}

/**
 * A pulse is ≥ 30 ms LOW and ≥ 80 ms HIGH between pulses even with ±20 ms jitter; a spike is 1-5 ms
 * wide (6 allows for the board's loop); the minimum phases keep a few ms for host timing, so that
 * a spike read as wide as it can be (its window on both sides, ≈ 20 ms running freely) is still
 * no pulse. A stretched pulse (the acceptor holding the line up to 2.5 × its 50 ms, ±jitter) is
 * within `maxLowMs`. Idle: 300 ms per the acceptor's programming, more than twice the longest HIGH
 * gap inside a train.
 */
export const nv10PulseTiming: PulseTiming = {
  amountPerPulse: 100,
  spikeMaxMs: 6,
  settleMs: 15,
  minLowMs: 25,
  minHighMs: 70,
  maxLowMs: 400,
  trainEndIdleMs: 300,
  stuckLowMs: 2000,
};

/**
 * The notes the acceptor is programmed for (docs/protocols.md: 1, 5 and 10 pulses). At least four
 * pulses apart, so one pulse lost never turns one note into another: the count is no note at all.
 * Any other count is refused (credited NT$0) and flagged for a supervisor.
 */
export const programmedNotes: readonly number[] = [100, 500, 1000];

export type PulseCounterOutput =
  | {
      readonly kind: 'train-complete';
      /** Pulses certainly seen: the fewest the reports can mean. */
      readonly pulses: number;
      /** The most pulses the reports can mean: more than `pulses` when a stall made them ambiguous. */
      readonly maxPulses: number;
      /** When the last pulse ended (its rising edge was read). */
      readonly lastPulseEndAt: number;
      /** A pulse was certainly held LOW longer than `maxLowMs`. */
      readonly longPulse: boolean;
    }
  | { readonly kind: 'line-stuck-low'; readonly since: number };

/** A level change as read: it happened somewhere in [lo, hi]. */
interface Change {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Counts pulses from level changes, each known to have happened within a time window. Changes
 * are collected until the line has held one level for `settleMs` (as far as the host has read:
 * `advance(readThrough)`), then judged together: every way to split them into real edges and
 * noise spikes that fits the device (a spike: two changes in a row at most `spikeMaxMs` apart,
 * anywhere; pulse phases at least `minLowMs`/`minHighMs`) is considered; the fewest pulses are
 * credited and the most are reported too, so that a note made ambiguous by a stall is flagged
 * rather than guessed.
 */
export class PulseCounter {
  private level: Level;
  private readonly changes: Change[] = [];
  private pulses = 0;
  private maxPulses = 0;
  private longPulse = false;
  private lastRiseAt = 0;
  private lowSince = 0;
  private stuckReported = false;

  constructor(
    private readonly timing: PulseTiming,
    initial: Level = 1,
    at = 0,
  ) {
    this.level = initial;
    this.lowSince = at;
  }

  /**
   * A reported change to `level`, read at `at`, happened no earlier than `since` (the host had
   * read everything up to then). Reports that repeat the current level are ignored.
   */
  input(level: Level, at: number, since = at): void {
    const current = this.changes.length % 2 === 0 ? this.level : flip(this.level);
    if (level === current) return;
    this.changes.push({ lo: Math.min(since, at), hi: at });
  }

  /** Everything that happened up to `readThrough` has been read: judge, end a train, notice a stuck line. */
  advance(readThrough: number): PulseCounterOutput[] {
    const out: PulseCounterOutput[] = [];
    const last = this.changes.at(-1);
    if (last !== undefined) {
      if (readThrough < last.hi + this.timing.settleMs) return out;
      this.judge();
    }
    if (this.level === 1 && this.maxPulses > 0 && readThrough - this.lastRiseAt >= this.timing.trainEndIdleMs) {
      out.push(this.complete());
    } else if (this.level === 0 && !this.stuckReported && readThrough - this.lowSince >= this.timing.stuckLowMs) {
      this.stuckReported = true;
      out.push({ kind: 'line-stuck-low', since: this.lowSince });
    }
    return out;
  }

  /**
   * The line went away mid-train (board unplugged): report the pulses already counted (the
   * acceptor pulses for notes it has taken). Then start over, idle at `level`.
   */
  flush(level: Level, at: number): PulseCounterOutput | undefined {
    if (this.changes.length > 0) this.judge();
    const partial = this.maxPulses > 0 ? this.complete() : undefined;
    this.level = level;
    this.lowSince = at;
    this.stuckReported = false;
    return partial;
  }

  get pendingPulses(): number {
    return this.pulses;
  }

  /** Nothing to judge or to end: the line HIGH, no change unjudged, no train under way. */
  get idle(): boolean {
    return this.changes.length === 0 && this.level === 1 && this.maxPulses === 0;
  }

  private judge(): void {
    const changes = this.changes.splice(0);
    const first = changes[0];
    const last = changes.at(-1);
    if (first === undefined || last === undefined) return;
    const { fewest, most } = realEdges(this.level, changes, this.timing) ?? { fewest: changes.length % 2, most: changes.length };
    this.pulses += falls(this.level, fewest);
    this.maxPulses += falls(this.level, most);
    const final = changes.length % 2 === 0 ? this.level : flip(this.level);
    if (final === 1 && most > 0) this.lastRiseAt = last.hi;
    // Held LOW too long for certain: from the latest the fall can have been to the earliest the rise can.
    let lowFrom = this.level === 0 ? this.lowSince : undefined;
    for (const change of changes) {
      if (lowFrom !== undefined && change.lo - lowFrom > this.timing.maxLowMs) this.longPulse = true;
      lowFrom = lowFrom === undefined ? change.hi : undefined;
    }
    if (final === 0 && this.level === 1) {
      this.lowSince = first.hi;
      this.stuckReported = false;
    }
    this.level = final;
  }

  private complete(): PulseCounterOutput {
    const output: PulseCounterOutput = {
      kind: 'train-complete',
      pulses: this.pulses,
      maxPulses: this.maxPulses,
      lastPulseEndAt: this.lastRiseAt,
      longPulse: this.longPulse,
    };
    this.pulses = 0;
    this.maxPulses = 0;
    this.longPulse = false;
    return output;
  }
}

function flip(level: Level): Level {
  return level === 0 ? 1 : 0;
}

/** HIGH→LOW edges among `edges` alternating real edges starting from `level`. */
function falls(level: Level, edges: number): number {
  return level === 1 ? Math.ceil(edges / 2) : Math.floor(edges / 2);
}

/**
 * The fewest and most real edges `changes` (alternating, starting away from `level`) can hold:
 * each change is a real edge or half of a spike (two changes in a row, at most `spikeMaxMs`
 * apart), with times inside their windows, in order; real edges a whole phase apart. Undefined
 * when nothing fits the device (a glitch too wide for a spike and too narrow for a pulse).
 * Dynamic programme over (last real edge, edges so far) → earliest time that edge can have; the
 * spikes between two real edges are placed as early as they can be.
 */
function realEdges(level: Level, changes: readonly Change[], timing: PulseTiming): { fewest: number; most: number } | undefined {
  const k = changes.length;
  const earliest: Array<Map<number, number>> = changes.map(() => new Map());
  let fewest = Number.POSITIVE_INFINITY;
  let most = -1;
  // From real edge `j` (-1: the start of the batch, no phase to wait) at `at`, with `count` edges so far.
  const from = (j: number, count: number, at: number): void => {
    // The line after edge j: LOW after a fall (even j from HIGH), so the next real edge waits a LOW phase.
    const lineAfter = j % 2 === 0 ? flip(level) : level;
    const phase = j < 0 ? 0 : lineAfter === 0 ? timing.minLowMs : timing.minHighMs;
    let cursor = at;
    for (let next = j + 1; next <= k; next += 2) {
      if (next === k) {
        fewest = Math.min(fewest, count);
        most = Math.max(most, count);
        return;
      }
      const edge = changes[next];
      if (!edge) return;
      const reach = Math.max(edge.lo, cursor, at + phase);
      const map = earliest[next];
      const known = map?.get(count + 1);
      if (reach <= edge.hi && map && (known === undefined || reach < known)) map.set(count + 1, reach);
      // Or changes next and next+1 are a spike: as early as the order allows, no wider than a spike.
      const back = changes[next + 1];
      if (!back) return;
      const out = Math.max(edge.lo, cursor, back.lo - timing.spikeMaxMs);
      if (out > edge.hi) return;
      cursor = Math.max(back.lo, out);
      if (cursor > back.hi) return;
    }
  };
  from(-1, 0, Number.NEGATIVE_INFINITY);
  for (let j = 0; j < k; j++) {
    for (const [count, at] of earliest[j] ?? []) from(j, count, at);
  }
  return most < 0 ? undefined : { fewest, most };
}

export interface NoteAccepted {
  /**
   * NT dollars credited: the train's pulses when the reports allow one count only and it is a
   * programmed note; else 0 (a pulse went missing, a stall left a pulse or a spike undecided, the
   * board was lost mid-train): the note is refused here and settled by a supervisor from
   * `maxAmount`, never credited as another amount.
   */
  readonly amount: number;
  /** 1, 2, 3... per board connection object: each note exactly once. */
  readonly sequence: number;
  readonly pulses: number;
  /**
   * What the note can have been, for the supervisor: the most pulses the reports can mean, raised
   * to the next programmed note when they are none (a missing pulse); for a train cut short, the
   * largest note. Above `amount` whenever the note is refused (then `irregular`): check the cash box.
   */
  readonly maxAmount: number;
  /** Epoch ms of the end of the note's last pulse (as read). */
  readonly lastPulseEndAt: number;
  /**
   * The train was cut short (board lost mid-note), its count is not a programmed note or is
   * ambiguous, or a pulse was held LOW far too long.
   */
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
  /** The notes the acceptor is programmed for (default `programmedNotes`). */
  readonly notes?: readonly number[];
}

/**
 * The heartbeat that tells how far the host has read. A tick proves that every report which had
 * arrived when the tick before it ran has been read (Node reads input between two timer runs), late
 * or not: so no lateness threshold is needed, and a stall shows as ticks that come late together.
 */
export const heartbeatMs = 3;
/**
 * A report the board sent before a tick may still be on its way through the USB-serial adapter,
 * the kernel and the read thread when the next tick runs: it is allowed this much more.
 */
export const readLatencyMs = 8;
/**
 * While the acceptor has been inhibited (it takes no notes) for `inhibitSettleMs` and no train is
 * under way, the heartbeat runs this much slower. No note can come then; a stray report is read
 * as after a stall this long (bounded and flagged, never over-credited), and it puts the
 * heartbeat back to `heartbeatMs`.
 */
export const inhibitedHeartbeatMs = 100;
/** A note the acceptor had already taken when the inhibit came is paid out well within this long. */
export const inhibitSettleMs = 10_000;

/**
 * The pulse counter on a clock: feed it line levels, it calls `onNote` once per note.
 *
 * `readThrough` is what the host knows it has read: the time of the previous heartbeat tick, or
 * of an earlier input. A report read now happened after it (with no stall, a few ms before now;
 * after a stall, anywhere in the stall), and the counter only decides (a change is a spike, a
 * train has ended) up to it. So a stall right after an edge cannot make a late-read spike a
 * pulse, and a stall across the idle deadline cannot end a train while its next pulse sits unread.
 */
export class BillAcceptor {
  private counter: PulseCounter;
  private heartbeat: TimerHandle | undefined;
  private nextSequence: number;
  private readonly timing: PulseTiming;
  private readThrough: number;
  /** The last heartbeat tick: it becomes `readThrough` at the next one. */
  private lastTickAt: number;
  /** Inputs read at this instant are one batch; the next instant may count on them as read. */
  private lastInputAt = Number.NEGATIVE_INFINITY;
  /** Since when the inhibit line is driven (undefined: notes are taken). */
  private inhibitedSince: number | undefined;
  /** The heartbeat runs at `inhibitedHeartbeatMs`. */
  private slow = false;

  constructor(private readonly options: BillAcceptorOptions) {
    this.timing = options.timing ?? nv10PulseTiming;
    this.readThrough = this.now();
    this.lastTickAt = this.readThrough;
    this.counter = new PulseCounter(this.timing, 1, this.readThrough);
    this.nextSequence = options.firstSequence ?? 1;
    this.beat();
  }

  /** The line level as reported by the board. */
  input(level: Level): void {
    const now = this.now();
    if (now > this.lastInputAt) this.readThrough = Math.max(this.readThrough, this.lastInputAt);
    this.lastInputAt = now;
    this.counter.input(level, now, this.readThrough - readLatencyMs);
    if (this.slow && this.heartbeat) this.beat();
  }

  /** Whether the acceptor is inhibited: while it is and the line is idle, the heartbeat slows down. */
  setInhibited(inhibited: boolean): void {
    if (inhibited === (this.inhibitedSince !== undefined)) return;
    this.inhibitedSince = inhibited ? this.now() : undefined;
    if (!inhibited && this.slow && this.heartbeat) this.beat();
  }

  /** The board (re)connected and reports the line at `level`: a fresh start, nothing counted. */
  reset(level: Level): void {
    const now = this.now();
    const partial = this.counter.flush(level, now);
    if (partial) this.handle([partial], true);
    this.readThrough = Math.max(this.readThrough, now);
    this.lastTickAt = now;
    // A board that reset may have left the inhibit line undriven: settle again from here.
    if (this.inhibitedSince !== undefined) this.inhibitedSince = now;
    this.beat();
  }

  /** The board went away: credit a train cut short. */
  disconnect(): void {
    this.reset(1);
    this.close();
  }

  close(): void {
    if (this.heartbeat) this.options.timers.clear(this.heartbeat);
    this.heartbeat = undefined;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }

  private beat(): void {
    this.close();
    this.slow = this.inhibitedSince !== undefined && this.now() - this.inhibitedSince >= inhibitSettleMs && this.counter.idle;
    this.heartbeat = this.options.timers.set(() => {
      this.heartbeat = undefined;
      const now = this.now();
      this.readThrough = Math.max(this.readThrough, this.lastTickAt, now > this.lastInputAt ? this.lastInputAt : Number.NEGATIVE_INFINITY);
      this.lastTickAt = now;
      this.handle(this.counter.advance(this.readThrough - readLatencyMs), false);
      this.beat();
    }, this.slow ? inhibitedHeartbeatMs : heartbeatMs);
  }

  private handle(outputs: readonly PulseCounterOutput[], cutShort: boolean): void {
    for (const output of outputs) {
      if (output.kind === 'line-stuck-low') {
        this.options.onStuck?.(output.since);
        continue;
      }
      const notes = this.options.notes ?? programmedNotes;
      const certain = output.pulses * this.timing.amountPerPulse;
      const most = output.maxPulses * this.timing.amountPerPulse;
      // Credited only when the reading is one count for certain, of a whole train, and a note.
      const exact = !cutShort && output.maxPulses === output.pulses && notes.includes(certain);
      // A train cut short may have gone on to the largest note; else the next note up from the most read.
      const notesAbove = notes.filter((value) => value >= most);
      const maxAmount = notesAbove.length === 0 ? most : cutShort ? Math.max(...notesAbove) : Math.min(...notesAbove);
      const note: NoteAccepted = {
        amount: exact ? certain : 0,
        sequence: this.nextSequence++,
        pulses: output.pulses,
        maxAmount,
        lastPulseEndAt: output.lastPulseEndAt,
        irregular: !exact || output.longPulse,
      };
      this.options.onNote(note);
    }
  }
}
