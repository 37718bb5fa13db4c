import { connectKioskBoard } from '../../firmware/board';
import type { NoteAccepted } from '../../firmware/bill-acceptor';
import { defaultPinMap } from '../../firmware/pin-map';
import { startBoardSimulatorOnPty, type InsertedNote, type LineFault, type NoteValue } from '../../firmware/simulator';
import { percentile } from '../lib/percentile';

/**
 * The kiosk I/O board in real time, end to end: simulator → pty → firmata-io → johnny-five →
 * pulse counter. Main figure: latency from the end of a note's last pulse to its `note` event
 * (the 300 ms idle gap that ends a train is part of it; target p95 ≤ 400 ms). Also: handshake
 * time, reattach time after the cable is pulled and plugged back, and the counting checks: the
 * latency notes, then 12 random notes queued at once (as a customer feeds them), each counted once
 * with the sum exact, with the worst event-loop stall seen meanwhile. Real time depends on the
 * machine: the counting logic itself is proved on virtual time (test/firmware/bill-acceptor.test.ts).
 */
const notesPerValue = 8;
const randomNotes = 12;
/** How often the event-loop lag is sampled while the random notes play. */
const lagProbeMs = 5;

export async function runBenchmark(): Promise<void> {
  const sim = await startBoardSimulatorOnPty({});
  const connectStart = performance.now();
  const board = connectKioskBoard({ path: sim.hostPath, reopenIntervalMs: 100 });
  try {
    await board.waitUntilConnected();
    const handshakeMs = performance.now() - connectStart;
    board.setStatus('ready');
    board.setCashInhibit(false);
    await waitUntil(() => sim.pinValue(defaultPinMap.billInhibit) === 0, 5000);

    const received: Array<{ note: NoteAccepted; at: number }> = [];
    board.on('note', (note) => received.push({ note, at: Date.now() }));
    const values: NoteValue[] = shuffle(([100, 500, 1000] as const).flatMap((value) => Array<NoteValue>(notesPerValue).fill(value)));
    const inserted: InsertedNote[] = [];
    for (const value of values) inserted.push(await sim.insertNote(value, { jitterMs: 20, faults: ['spikes'] }));
    await waitUntil(() => received.length >= values.length, 5000);

    const latencies = received.map(({ at }, i) => at - (inserted[i]?.lastPulseEndAt ?? Number.NaN));
    const countedOk =
      received.length === values.length && received.every(({ note }, i) => note.amount === values[i] && note.sequence === i + 1 && !note.irregular);

    const random = await countRandomNotes(sim, received, Math.max(...latencies));

    const unplugStart = performance.now();
    const disconnected = new Promise<void>((resolve) => board.once('disconnected', () => resolve()));
    await sim.unplug();
    await disconnected;
    const detectMs = performance.now() - unplugStart;
    const replugStart = performance.now();
    await sim.replug();
    await board.waitUntilConnected();
    const reattachMs = performance.now() - replugStart;

    const figures = {
      notes: values.length,
      countedExactly: countedOk,
      sumInserted: values.reduce((sum, v) => sum + v, 0),
      sumCounted: received.slice(0, values.length).reduce((sum, r) => sum + r.note.amount, 0),
      // Notes a stall made ambiguous: credited at the certain amount and flagged, never guessed.
      flaggedNotes: received.filter(({ note }) => note.irregular).length,
      randomNotes,
      randomCountedExactly: random.exact,
      randomSumInserted: random.sumInserted,
      randomSumCounted: random.sumCounted,
      randomMaxLoopStallMs: Math.round(random.maxLagMs),
      noteLatencyP50Ms: Math.round(percentile(latencies, 50)),
      noteLatencyP95Ms: Math.round(percentile(latencies, 95)),
      noteLatencyMaxMs: Math.round(percentile(latencies, 100)),
      handshakeMs: Math.round(handshakeMs),
      unplugDetectedMs: Math.round(detectMs),
      reattachMs: Math.round(reattachMs),
    };
    process.stdout.write(`${figures.notes} notes (NT$100/500/1000, ±20 ms jitter, contact bounce), real time, over a pty\n`);
    process.stdout.write(
      `counted exactly: ${figures.countedExactly} (inserted NT$${figures.sumInserted}, counted NT$${figures.sumCounted}); notes flagged irregular in all: ${figures.flaggedNotes}\n`,
    );
    process.stdout.write(
      `${randomNotes} random notes queued at once: counted exactly, each once: ${figures.randomCountedExactly} (inserted NT$${figures.randomSumInserted}, counted NT$${figures.randomSumCounted}); worst event-loop stall meanwhile ${figures.randomMaxLoopStallMs} ms\n`,
    );
    process.stdout.write(
      `last pulse → note event: p50 ${figures.noteLatencyP50Ms} ms, p95 ${figures.noteLatencyP95Ms} ms, max ${figures.noteLatencyMaxMs} ms (target p95 ≤ 400 ms incl. the 300 ms idle gap)\n`,
    );
    process.stdout.write(`handshake to ready: ${figures.handshakeMs} ms; cable pulled → disconnected: ${figures.unplugDetectedMs} ms; plugged → reattached: ${figures.reattachMs} ms\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await board.close();
    await sim.close();
  }
}

/**
 * Queues `randomNotes` random notes at once (fixed seed), waits for them, then three times the
 * slowest note's latency more (at least 1 s) for any note counted twice. `received` is the board's
 * note log so far; the new notes must continue its sequence.
 */
async function countRandomNotes(
  sim: { insertNote(amount: NoteValue, options: { jitterMs: number; faults: LineFault[] }): Promise<InsertedNote> },
  received: ReadonlyArray<{ note: NoteAccepted }>,
  slowestLatencyMs: number,
): Promise<{ exact: boolean; sumInserted: number; sumCounted: number; maxLagMs: number }> {
  const before = received.length;
  const firstSequence = (received.at(-1)?.note.sequence ?? 0) + 1;
  let state = 7919;
  const next = (): number => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const values: NoteValue[] = [100, 500, 1000];
  const inserted = Array.from({ length: randomNotes }, () => values[Math.floor(next() * values.length)] ?? 100);
  let maxLagMs = 0;
  let last = performance.now();
  const lagProbe = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - lagProbeMs);
    last = now;
  }, lagProbeMs);
  try {
    await Promise.all(inserted.map((amount) => sim.insertNote(amount, { jitterMs: 20, faults: ['spikes'] })));
    await waitUntil(() => received.length - before >= randomNotes, 10_000).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, Math.max(1000, 3 * slowestLatencyMs)));
  } finally {
    clearInterval(lagProbe);
  }
  const counted = received.slice(before).map(({ note }) => note);
  const exact =
    counted.length === inserted.length && counted.every((note, i) => note.amount === inserted[i] && note.sequence === firstSequence + i && !note.irregular);
  return {
    exact,
    sumInserted: inserted.reduce((sum, amount) => sum + amount, 0),
    sumCounted: counted.reduce((sum, note) => sum + note.amount, 0),
    maxLagMs,
  };
}

/** A fixed shuffle (LCG) so runs are comparable. */
function shuffle<T>(items: T[]): T[] {
  let seed = 12345;
  for (let i = items.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('board bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
