/**
 * The bill acceptor's credit line as the board's input pin sees it: the NV10's pulse train
 * (docs/protocols.md: ≈50 ms LOW / ≈100 ms HIGH per NT$100 pulse) and the ways a real line goes
 * wrong. Pure: a plan of level changes in time, played by the simulator (simulator.ts) in real time
 * and by tests and the benchmark on virtual time. Written from the device, not from the counter.
 *
 * Faults (named, each drawn from the caller's seeded random source):
 * - `spikes`: noise pulses 1-5 ms wide at random moments, in the quiet time before the note and
 *   inside its train, each against the level of the moment (a LOW spike while HIGH, a HIGH one
 *   inside a pulse). An open-collector output with a pull-up picks them up from motors and
 *   switching supplies; it does not bounce mechanically.
 * - `missing-pulse`: one pulse of the train is lost (the line stays HIGH for its slot: ≈250 ms
 *   HIGH in all, under the 300 ms that ends a train as long as jitter stays within ±15 ms).
 * - `stretched-pulse`: the acceptor holds a pulse LOW 1.5-2.5 times its length (one or more
 *   pulses of the train); the HIGH after it keeps its own length.
 */

export const acceptorTiming = {
  pulseLowMs: 50,
  pulseHighMs: 100,
  /** Quiet time between two notes: validating and stacking a note takes at least this long. */
  betweenNotesMs: 600,
} as const;

export type LineFault = 'spikes' | 'missing-pulse' | 'stretched-pulse';
export const lineFaults: readonly LineFault[] = ['spikes', 'missing-pulse', 'stretched-pulse'];

export const spikeWidthMs = { min: 1, max: 5 } as const;
export const stretchFactor = { min: 1.5, max: 2.5 } as const;

export interface NoteLineOptions {
  /** Each LOW and HIGH phase is lengthened or shortened by up to this much (uniform). */
  readonly jitterMs?: number;
  readonly faults?: readonly LineFault[];
  /** Quiet time before the first pulse, in which spikes can come too (the gap after the last note). */
  readonly leadMs?: number;
}

export interface LineChange {
  /** ms from the start of the lead. */
  readonly at: number;
  readonly low: boolean;
}

export interface NoteLine {
  /** Level changes in time order, alternating, starting from HIGH; the line ends HIGH. */
  readonly changes: readonly LineChange[];
  /** When the first pulse starts (= leadMs): changes before it are spikes in the quiet time. */
  readonly trainStartsAt: number;
  /** Pulses the acceptor actually sent. */
  readonly pulsesSent: number;
  /** When the last pulse sent ended (ms from the start of the lead); undefined without pulses. */
  readonly lastPulseEndAt: number | undefined;
  /** When the line is quiet again for good (the last change). */
  readonly endsAt: number;
}

interface Phase {
  readonly from: number;
  readonly to: number;
}

/** The level changes of one note's pulse train and the chosen faults, starting after `leadMs` of quiet. */
export function planNoteLine(pulses: number, random: () => number, options: NoteLineOptions = {}): NoteLine {
  const faults = new Set(options.faults ?? []);
  const jitter = (): number => (options.jitterMs ?? 0) * (2 * random() - 1);
  const lead = options.leadMs ?? 0;
  const missing = faults.has('missing-pulse') && pulses > 0 ? Math.floor(random() * pulses) : -1;
  const stretched = new Set<number>();
  if (faults.has('stretched-pulse') && pulses > 0) {
    stretched.add(Math.floor(random() * pulses));
    for (let i = 0; i < pulses; i++) if (random() < 0.3) stretched.add(i);
  }
  // The acceptor's own output: LOW phases, one per pulse sent.
  const lows: Phase[] = [];
  let t = lead;
  for (let i = 0; i < pulses; i++) {
    // A left-out pulse keeps its slot (the acceptor's timing goes on), at its plain length.
    const stretch = stretched.has(i) && i !== missing ? stretchFactor.min + random() * (stretchFactor.max - stretchFactor.min) : 1;
    const low = Math.max(1, acceptorTiming.pulseLowMs + jitter()) * stretch;
    if (i !== missing) lows.push({ from: t, to: t + low });
    t += low;
    if (i < pulses - 1) t += Math.max(1, acceptorTiming.pulseHighMs + jitter());
  }
  const trainEnd = t;
  const spikes: Phase[] = [];
  if (faults.has('spikes')) {
    // About one in the quiet time before the note, one or two inside its train.
    const place = (count: number, from: number, to: number): void => {
      for (let n = 0; n < count && to - from > spikeWidthMs.max; n++) {
        const width = spikeWidthMs.min + random() * (spikeWidthMs.max - spikeWidthMs.min);
        const at = from + random() * (to - from - width);
        // Spikes are separate events: one that would overlap another is left out.
        if (spikes.every((s) => at > s.to + 1 || at + width < s.from - 1)) spikes.push({ from: at, to: at + width });
      }
    };
    place(Math.floor(random() * 2), 0, lead);
    place(1 + Math.floor(random() * 2), lead, trainEnd);
  }
  return { ...overlay(lows, spikes), trainStartsAt: lead, pulsesSent: lows.length, lastPulseEndAt: lows.at(-1)?.to };
}

/**
 * The line level: a spike forces the opposite of the acceptor's level at its start, for its width
 * (so one that overlaps an edge moves that edge); otherwise the acceptor's level.
 */
function overlay(lows: readonly Phase[], spikes: readonly Phase[]): { changes: LineChange[]; endsAt: number } {
  const acceptorLow = (at: number): boolean => lows.some((phase) => at >= phase.from && at < phase.to);
  const forced = spikes.map((spike) => ({ ...spike, low: !acceptorLow(spike.from) }));
  const level = (at: number): boolean => {
    const spike = forced.find((s) => at >= s.from && at < s.to);
    return spike ? spike.low : acceptorLow(at);
  };
  const moments = [...new Set([...lows, ...forced].flatMap((phase) => [phase.from, phase.to]))].sort((a, b) => a - b);
  const changes: LineChange[] = [];
  let low = false;
  for (const at of moments) {
    const now = level(at);
    if (now === low) continue;
    changes.push({ at, low: now });
    low = now;
  }
  return { changes, endsAt: changes.at(-1)?.at ?? 0 };
}
