import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planNoteLine, type LineFault } from '../../firmware/acceptor-line';
import { BillAcceptor, heartbeatMs, inhibitedHeartbeatMs, inhibitSettleMs, nv10PulseTiming, PulseCounter, type Level, type NoteAccepted } from '../../firmware/bill-acceptor';
import { seededRandom } from '../../shared/seeded-random';
import { virtualTime } from './virtual-time';

interface Edge {
  readonly at: number;
  readonly level: Level;
}

interface TrainShape {
  readonly jitterMs: number;
  readonly bounce: boolean;
  /** Time between bounce transitions, at most. */
  readonly bounceStepMs: number;
}

/**
 * The line as an NV10 drives it (written from the device description, not from the counter):
 * ≈50 ms LOW / ≈100 ms HIGH per pulse, each phase off by up to ±jitter, each edge followed by
 * 0-3 pairs of bounce transitions a fraction of a millisecond to a couple of ms apart (a bounce
 * settles within ≈10 ms).
 */
function pulseTrain(pulses: number, start: number, random: () => number, shape: TrainShape): { edges: Edge[]; end: number } {
  const edges: Edge[] = [];
  const jitter = (): number => shape.jitterMs * (2 * random() - 1);
  let t = start;
  const edge = (level: Level): void => {
    edges.push({ at: t, level });
    if (!shape.bounce) return;
    const pairs = Math.floor(random() * 4);
    let b = t;
    for (let i = 0; i < pairs; i++) {
      b += 0.05 + random() * shape.bounceStepMs;
      edges.push({ at: b, level: level === 0 ? 1 : 0 });
      b += 0.05 + random() * shape.bounceStepMs;
      edges.push({ at: b, level });
    }
  };
  for (let i = 0; i < pulses; i++) {
    edge(0);
    t += 50 + jitter();
    edge(1);
    if (i < pulses - 1) t += 100 + jitter();
  }
  return { edges, end: t };
}

/** Feeds edges to a BillAcceptor on virtual time and returns every note it reported. */
function runAcceptor(edges: readonly Edge[], until: number, options: { readonly inhibitAt?: readonly number[] } = {}): NoteAccepted[] {
  const time = virtualTime(0);
  const notes: NoteAccepted[] = [];
  const acceptor = new BillAcceptor({ clock: time, timers: time, onNote: (note) => notes.push(note) });
  const inhibits = [...(options.inhibitAt ?? [])];
  for (const edge of edges) {
    while (inhibits[0] !== undefined && inhibits[0] <= edge.at) {
      time.advanceTo(inhibits.shift() ?? 0);
      acceptor.setInhibited(false);
      acceptor.setInhibited(true);
    }
    time.advanceTo(edge.at);
    acceptor.input(edge.level);
  }
  time.advanceTo(until);
  return notes;
}

const denominations = [100, 500, 1000] as const;

/**
 * As `runAcceptor`, with the process frozen for `stalls` (sorted, apart): time moves on, the reports
 * of the line meanwhile pile up, and when the process wakes its late timers fire first (Node's timers
 * phase), then the piled-up reports are read, all at the same instant.
 */
function runAcceptorStalling(edges: readonly Edge[], stalls: ReadonlyArray<{ readonly at: number; readonly ms: number }>, until: number): NoteAccepted[] {
  const time = virtualTime(0);
  const notes: NoteAccepted[] = [];
  const acceptor = new BillAcceptor({ clock: time, timers: time, onNote: (note) => notes.push(note) });
  let next = 0;
  const readUpTo = (end: number, onTime: boolean): void => {
    for (let edge = edges[next]; edge && edge.at < end; edge = edges[++next]) {
      if (onTime) time.advanceTo(edge.at);
      acceptor.input(edge.level);
    }
  };
  for (const stall of stalls) {
    readUpTo(stall.at, true);
    time.advanceTo(stall.at);
    time.stall(stall.ms);
    time.advance(0);
    readUpTo(stall.at + stall.ms, false);
  }
  readUpTo(Number.POSITIVE_INFINITY, true);
  time.advanceTo(until);
  return notes;
}


describe('BillAcceptor: money accuracy', () => {
  it('counts 10,000 random notes with ±20 ms jitter and contact bounce exactly: same sum, each note once', () => {
    const random = seededRandom(20261129);
    const inserted: number[] = [];
    const edges: Edge[] = [];
    let t = 1000;
    for (let n = 0; n < 10_000; n++) {
      const amount = denominations[Math.floor(random() * denominations.length)] ?? 100;
      inserted.push(amount);
      const train = pulseTrain(amount / 100, t, random, { jitterMs: 20, bounce: true, bounceStepMs: 1.5 });
      edges.push(...train.edges);
      // The acceptor needs well over the idle gap to validate and stack the next note.
      t = train.end + 400 + random() * 800;
    }
    const notes = runAcceptor(edges, t + 1000);

    expect(notes.map((note) => note.amount)).toEqual(inserted);
    expect(notes.reduce((sum, note) => sum + note.amount, 0)).toBe(inserted.reduce((sum, a) => sum + a, 0));
    expect(notes.map((note) => note.sequence)).toEqual(inserted.map((_, i) => i + 1));
    expect(notes.some((note) => note.irregular)).toBe(false);
  });

  it('counts random notes 500 ms apart through process stalls: exact through short ones, one note each across long ones', () => {
    // What the real-time board test used to check over a pty, with whatever stalls the machine gave
    // it; here the stalls are chosen. Short ones (≤ 10 ms) anywhere: too short to make a pulse look
    // like a spike. Long ones (350-450 ms) that swallow a note's last pulse and run past its idle
    // deadline: both edges of that pulse are read at once, and a pulse read so is a 1-5 ms spike as
    // well (line noise comes at any moment): the note is refused and flagged with its amount as the
    // most, never split (nor merged with the next one, 900 ms later), never credited short.
    const random = seededRandom(12);
    const inserted: number[] = [];
    const edges: Edge[] = [];
    const longStalls: Array<{ at: number; ms: number }> = [];
    const noteStarts: number[] = [];
    let t = 1000;
    for (let n = 0; n < 2000; n++) {
      const amount = denominations[Math.floor(random() * denominations.length)] ?? 100;
      inserted.push(amount);
      noteStarts.push(t);
      const train = pulseTrain(amount / 100, t, random, { jitterMs: 20, bounce: false, bounceStepMs: 1 });
      const penultimateRise = train.edges.at(-3);
      const stalled = penultimateRise !== undefined && random() < 0.2;
      // Once that rise has settled: a stall starting inside an edge's bounce window may hide bounce
      // or a pulse, and is flagged instead ('flags a note rather than guess...').
      if (stalled) longStalls.push({ at: penultimateRise.at + 25 + random() * 30, ms: 350 + random() * 100 });
      edges.push(...train.edges);
      // The simulator's gap between queued notes in the real-time test; after a long stall the host
      // needs the idle gap again from when it read the last pulse, so the next note comes later.
      t = train.end + (stalled ? 900 : 500);
    }
    const stalls: Array<{ at: number; ms: number }> = [];
    let at = 1000;
    for (const long of [...longStalls, { at: t, ms: 0 }]) {
      // Each long stall stands alone: no short one in the 150 ms before it.
      for (at += random() * 300; at + 10 + 150 < long.at; at += 100 + random() * 400) {
        const ms = 1 + random() * 9;
        stalls.push({ at, ms });
        at += ms;
      }
      if (long.ms > 0) stalls.push(long);
      at = long.at + long.ms;
    }
    const notes = runAcceptorStalling(edges, stalls, t + 1000);

    expect(longStalls.length).toBeGreaterThan(200);
    expect(stalls.length).toBeGreaterThan(4000);
    expect(notes.map((note) => note.sequence)).toEqual(inserted.map((_, i) => i + 1));
    const swallowed = new Set(longStalls.map((stall) => inserted.length - 1 - [...noteStarts].reverse().findIndex((start) => start < stall.at)));
    expect(swallowed.size).toBe(longStalls.length);
    notes.forEach((note, i) => {
      const amount = inserted[i] ?? 0;
      const expected = swallowed.has(i) ? { amount: 0, maxAmount: amount, irregular: true } : { amount, maxAmount: amount, irregular: false };
      expect({ i, amount: note.amount, maxAmount: note.maxAmount, irregular: note.irregular }).toEqual({ i, ...expected });
    });
  });

  it('counts random notes with bounce and jitter exactly through short stalls anywhere, even right after an edge', () => {
    // Stalls of 1-10 ms, 15-400 ms apart, wherever they fall: inside a bounce, at an edge, across
    // the idle deadline. None leaves a window wide enough to take a 30 ms pulse for a spike, or a
    // spike for a pulse. (Longer ones: bounded and flagged, below.)
    const random = seededRandom(99);
    const inserted: number[] = [];
    const edges: Edge[] = [];
    let t = 1000;
    for (let n = 0; n < 2000; n++) {
      const amount = denominations[Math.floor(random() * denominations.length)] ?? 100;
      inserted.push(amount);
      const train = pulseTrain(amount / 100, t, random, { jitterMs: 20, bounce: true, bounceStepMs: 1.5 });
      edges.push(...train.edges);
      t = train.end + 500;
    }
    const stalls: Array<{ at: number; ms: number }> = [];
    for (let at = 1000 + random() * 100; at < t; ) {
      const ms = 1 + random() * 9;
      stalls.push({ at, ms });
      at += ms + 15 + random() * 385;
    }
    // Some right after an edge was read, in the middle of its bounce.
    const nearEdges = edges.filter(() => random() < 0.02).map((edge) => ({ at: edge.at + 0.01, ms: 1 + random() * 9 }));
    const merged = [...stalls, ...nearEdges].sort((a, b) => a.at - b.at).filter((stall, i, all) => i === 0 || stall.at >= (all[i - 1]?.at ?? 0) + (all[i - 1]?.ms ?? 0) + 15);
    const notes = runAcceptorStalling(edges, merged, t + 1000);

    expect(merged.length).toBeGreaterThan(3000);
    expect(notes.map((note) => note.amount)).toEqual(inserted);
    expect(notes.map((note) => note.sequence)).toEqual(inserted.map((_, i) => i + 1));
    expect(notes.some((note) => note.irregular)).toBe(false);
  });

  it('counts any valid train exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...denominations), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        fc.double({ min: 0.05, max: 1.6, noNaN: true }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (amounts, jitterMs, bounce, bounceStepMs, seed) => {
          const random = seededRandom(seed);
          const edges: Edge[] = [];
          let t = 0;
          for (const amount of amounts) {
            const train = pulseTrain(amount / 100, t, random, { jitterMs, bounce, bounceStepMs });
            edges.push(...train.edges);
            t = train.end + 350 + random() * 500;
          }
          const notes = runAcceptor(edges, t + 1000);
          expect(notes.map((note) => note.amount)).toEqual(amounts);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('BillAcceptor: process stalls with bounce and jitter', () => {
  const sum = (amounts: readonly number[]): number => amounts.reduce((total, a) => total + a, 0);

  it('never credits a late-read bounce as a pulse: a stall of 14-80 ms right after any edge credits the note right or refuses it', () => {
    // A stall that starts just after an edge was read leaves the rest of its bounce unread; read
    // after the settle window it is still bounce (the stall is too short to hold a real phase).
    // A stall that also swallows the pulse's other edge leaves a pulse that may have been a spike:
    // refused and flagged, with the note as the most. Never more, never another amount.
    const random = seededRandom(31);
    const wrong: string[] = [];
    let exact = 0;
    for (let n = 0; n < 400; n++) {
      const amount = n % 3 === 0 ? 100 : 500;
      const train = pulseTrain(amount / 100, 1000, random, { jitterMs: 20, bounce: true, bounceStepMs: 1.5 });
      const real = train.edges.filter((edge, i) => i === 0 || edge.at - (train.edges[i - 1]?.at ?? 0) > 20);
      const edge = real[Math.floor(random() * real.length)] ?? real[0];
      if (!edge) continue;
      const ms = 14 + random() * 66;
      const notes = runAcceptorStalling(train.edges, [{ at: edge.at + 0.01, ms }], train.end + 2000);
      const got = notes.map((note) => `${note.amount}${note.irregular ? '!' : ''}≤${note.maxAmount}`).join(',');
      if (got === `${amount}≤${amount}`) exact++;
      else if (got !== `0!≤${amount}`) wrong.push(`NT$${amount}, ${ms.toFixed(1)} ms after the edge at ${(edge.at - 1000).toFixed(1)}: ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(exact).toBeGreaterThan(200);
  });

  it('does not split a note when a stall ends just after the end-of-note deadline with the next pulse unread', () => {
    const random = seededRandom(47);
    for (let n = 0; n < 200; n++) {
      const bounce = n % 2 === 0;
      const train = pulseTrain(5, 1000, random, { jitterMs: 20, bounce, bounceStepMs: 1.5 });
      const rises = train.edges.filter((edge, i) => edge.level === 1 && (i === 0 || edge.at - (train.edges[i - 1]?.at ?? 0) > 20));
      const fourthRise = rises[3];
      if (!fourthRise) throw new Error('no fourth pulse');
      // From after the fourth pulse has settled (its bounce read and judged) to 1-39 ms past its idle deadline.
      const start = fourthRise.at + 30 + random() * 20;
      const end = fourthRise.at + nv10PulseTiming.trainEndIdleMs + 1 + random() * 38;
      const notes = runAcceptorStalling(train.edges, [{ at: start, ms: end - start }], train.end + 2000);
      // One note: the fifth pulse, read with both edges at once, may have been a spike: refused and
      // flagged with NT$500 as the most, not split into NT$400 and NT$100.
      expect(notes.map((note) => [note.amount, note.irregular])).toEqual([[0, true]]);
      // With bounce read in the stall too, it may also have been six pulses (then the next note up).
      expect(notes[0]?.maxAmount).toBeGreaterThanOrEqual(500);
    }
  });

  it('does not lose a pulse silently when a short stall is followed within 7 ms by a longer one', () => {
    const edges: Edge[] = [];
    for (let i = 0; i < 5; i++) edges.push({ at: 1000 + i * 150, level: 0 }, { at: 1050 + i * 150, level: 1 });
    // Frozen over the first falling edge for 46 ms, awake 5 ms (reads the rise), frozen 80 ms. The
    // fall read late and the rise 4 ms after it may have been a spike: refused, flagged, NT$500 at most.
    expect(runAcceptorStalling(edges, [{ at: 1000, ms: 46 }, { at: 1051, ms: 80 }], 4000).map((note) => [note.amount, note.maxAmount, note.irregular])).toEqual([[0, 500, true]]);
    // Frozen 10 ms over it instead: the pulse is no spike, counted.
    expect(runAcceptorStalling(edges, [{ at: 1000, ms: 10 }, { at: 1051, ms: 80 }], 4000).map((note) => [note.amount, note.maxAmount, note.irregular])).toEqual([[500, 500, false]]);

    const random = seededRandom(5);
    const wrong: string[] = [];
    for (let n = 0; n < 300; n++) {
      const train = pulseTrain(5, 1000, random, { jitterMs: 20, bounce: true, bounceStepMs: 0.5 });
      const fall = train.edges[0];
      const rise = train.edges.find((edge, i) => edge.level === 1 && edge.at - (train.edges[i - 1]?.at ?? 0) > 20);
      const riseIndex = rise ? train.edges.indexOf(rise) : -1;
      const riseBounceEnd = train.edges.slice(riseIndex).find((edge, i, rest) => (rest[i + 1]?.at ?? Number.POSITIVE_INFINITY) - edge.at > 20);
      if (!fall || !rise || !riseBounceEnd) continue;
      // Frozen over the first fall and its bounce until 1-3 ms before the rise; awake to read the
      // rise and its bounce; frozen again 0.5-2 ms later for 50-75 ms.
      const shortEnd = rise.at - 1 - random() * 2;
      const longAt = riseBounceEnd.at + 0.5 + random() * 1.5;
      const longMs = 50 + random() * 25;
      const notes = runAcceptorStalling(train.edges, [{ at: fall.at - 1, ms: shortEnd - fall.at + 1 }, { at: longAt, ms: longMs }], train.end + 2000);
      const got = notes.map((note) => `${note.amount}${note.irregular ? '!' : ''}≤${note.maxAmount}`).join(',');
      if (got !== '500≤500' && got !== '0!≤500') wrong.push(`gap ${(longAt - shortEnd).toFixed(1)} ms, long ${longMs.toFixed(1)}: ${got}`);
    }
    expect(wrong).toEqual([]);
  });

  it('flags a note rather than guess when a long stall starts inside an edge\'s bounce window', () => {
    // A stall right after the last rise swallows the rest of its bounce *or* a whole further
    // pulse: the reports cannot tell. Four pulses certain are no note: refused, flagged for a
    // supervisor with the most it can have been.
    const edges: Edge[] = [];
    for (let i = 0; i < 5; i++) edges.push({ at: 1000 + i * 150, level: 0 }, { at: 1050 + i * 150, level: 1 });
    const pulseNotes = runAcceptorStalling(edges, [{ at: 1501, ms: 400 }], 4000);
    const bounceOnly = runAcceptorStalling([...edges.slice(0, 8), { at: 1502, level: 0 }, { at: 1503, level: 1 }], [{ at: 1501, ms: 400 }], 4000);
    for (const notes of [pulseNotes, bounceOnly]) {
      expect(notes.map((note) => [note.amount, note.maxAmount, note.irregular])).toEqual([[0, 500, true]]);
    }
  });

  it('bounded and flagged, never over-credited or split: random notes, bounce, jitter and stalls close together', () => {
    const random = seededRandom(2026);
    const inserted: number[] = [];
    const edges: Edge[] = [];
    const stalls: Array<{ at: number; ms: number }> = [];
    let t = 1000;
    for (let n = 0; n < 1500; n++) {
      const amount = denominations[Math.floor(random() * denominations.length)] ?? 100;
      inserted.push(amount);
      const train = pulseTrain(amount / 100, t, random, { jitterMs: 20, bounce: true, bounceStepMs: 1.5 });
      edges.push(...train.edges);
      // Stalls of 1-75 ms, 1-10 ms apart in bursts, anywhere in the train and its idle gap;
      // one in four notes also gets a 100-450 ms one right after a burst.
      let at = t - 50 + random() * 100;
      while (at < train.end + 350) {
        const ms = 1 + random() * 74;
        stalls.push({ at, ms });
        at += ms + (random() < 0.5 ? 1 + random() * 9 : 20 + random() * 150);
        if (random() < 0.05 && at < train.end) {
          const long = 100 + random() * 350;
          stalls.push({ at, ms: long });
          at += long + 1 + random() * 9;
        }
      }
      t = Math.max(train.end, at) + 900;
    }
    const notes = runAcceptorStalling(edges, stalls, t + 1000);

    expect(notes.map((note) => note.sequence)).toEqual(inserted.map((_, i) => i + 1));
    const overCredited = notes.filter((note, i) => note.amount > (inserted[i] ?? 0));
    const otherAmount = notes.filter((note, i) => note.amount !== 0 && note.amount !== inserted[i]);
    const unflaggedWrong = notes.filter((note, i) => !note.irregular && note.amount !== inserted[i]);
    const understated = notes.filter((note, i) => note.maxAmount < (inserted[i] ?? 0));
    expect({ overCredited, otherAmount, unflaggedWrong, understated }).toEqual({ overCredited: [], otherAmount: [], unflaggedWrong: [], understated: [] });
    expect(sum(notes.map((note) => note.amount))).toBeLessThanOrEqual(sum(inserted));
    // Stalls of up to 75 ms every few ms: most pulses are read with both edges in one stall, where
    // a pulse and a spike look the same, so most notes are refused and flagged here. Exactness
    // through short stalls is checked, with stalls apart, in the tests above.
    expect(stalls.length).toBeGreaterThan(15_000);
    expect(notes.filter((note) => note.amount === inserted[notes.indexOf(note)]).length).toBeGreaterThan(0);
  });
});

describe('PulseCounter', () => {
  const timing = nv10PulseTiming;
  const complete = (pulses: number, lastPulseEndAt: number, maxPulses = pulses, longPulse = false) => ({ kind: 'train-complete', pulses, maxPulses, lastPulseEndAt, longPulse });

  it('ends a train after the idle gap, timed from the end of the last pulse', () => {
    const counter = new PulseCounter(timing);
    counter.input(0, 100);
    counter.input(1, 150);
    expect(counter.advance(150 + timing.trainEndIdleMs - 1)).toEqual([]);
    expect(counter.advance(150 + timing.trainEndIdleMs)).toEqual([complete(1, 150)]);
    expect(counter.advance(10_000)).toEqual([]);
  });

  it('ignores contact bounce right after an edge', () => {
    const counter = new PulseCounter(timing);
    for (const [at, level] of [[100, 0], [100.5, 1], [101, 0], [103, 1], [104, 0], [150, 1], [151, 0], [152, 1]] as const) {
      counter.input(level, at);
    }
    expect(counter.advance(5000)).toEqual([complete(1, 152)]);
  });

  it('judges nothing before the line has held for the settle window as far as read', () => {
    const counter = new PulseCounter(timing);
    counter.input(0, 100);
    counter.input(1, 150);
    // Read only up to 160: the rise may still bounce; and the idle gap is not judged either.
    expect(counter.advance(160)).toEqual([]);
    expect(counter.pendingPulses).toBe(0);
    expect(counter.advance(165)).toEqual([]);
    expect(counter.pendingPulses).toBe(1);
  });

  it('cannot tell a pulse from a spike when both its edges are read at the same instant after a stall: none certain, all possible', () => {
    const counter = new PulseCounter(timing);
    // Five pulses, each read at once after a 100 ms stall: the window holds a whole pulse, or a 3 ms spike.
    for (let i = 0; i < 5; i++) {
      counter.input(0, 1000 + i * 150, 900 + i * 150);
      counter.input(1, 1000 + i * 150, 900 + i * 150);
      counter.advance(1000 + i * 150 + timing.settleMs);
    }
    expect(counter.advance(1600 + timing.trainEndIdleMs)).toEqual([complete(0, 1600, 5)]);
  });

  it('counts a pulse whose edges are read apart, each soon after it happened', () => {
    const counter = new PulseCounter(timing);
    for (let i = 0; i < 5; i++) {
      counter.input(0, 1000 + i * 150, 990 + i * 150);
      counter.input(1, 1050 + i * 150, 1040 + i * 150);
      counter.advance(1050 + i * 150 + timing.settleMs);
    }
    expect(counter.advance(1650 + timing.trainEndIdleMs)).toEqual([complete(5, 1650)]);
  });

  it('reads bounce read late after its edge as bounce: a stall too short to hold a real phase', () => {
    const counter = new PulseCounter(timing);
    counter.input(0, 100, 95);
    // Frozen from 100 to 120: the fall's bounce is read at 120, after the settle window.
    counter.input(1, 120, 100);
    counter.input(0, 120, 100);
    counter.input(1, 160);
    expect(counter.advance(160 + timing.trainEndIdleMs)).toEqual([complete(1, 160)]);
  });

  it('rejects a spike by its width: a LOW of a few ms is no pulse, and nothing is reported', () => {
    const counter = new PulseCounter(timing);
    counter.input(0, 100, 97);
    counter.input(1, 103, 100);
    expect(counter.advance(103 + timing.trainEndIdleMs)).toEqual([]);
    expect(counter.idle).toBe(true);
  });

  it('rejects a HIGH spike inside a pulse: one pulse, not two', () => {
    const counter = new PulseCounter(timing);
    for (const [level, at] of [[0, 100], [1, 120], [0, 124], [1, 150]] as const) counter.input(level, at, at - 3);
    expect(counter.advance(150 + timing.trainEndIdleMs)).toEqual([complete(1, 150)]);
  });

  it('does not credit a LOW glitch too wide for a spike and too narrow for a pulse, but reports it as possible', () => {
    const counter = new PulseCounter(timing);
    counter.input(0, 100);
    counter.input(1, 115);
    expect(counter.advance(115 + timing.trainEndIdleMs)).toEqual([complete(0, 115, 1)]);
  });

  it('counts a pulse held LOW long (stretched) and marks one held past maxLowMs', () => {
    const counter = new PulseCounter(timing);
    counter.input(0, 100);
    counter.input(1, 100 + 2.5 * 70);
    expect(counter.advance(1000)).toEqual([complete(1, 275)]);
    counter.input(0, 2000);
    counter.input(1, 2000 + timing.maxLowMs + 20);
    expect(counter.advance(5000)).toEqual([complete(1, 2000 + timing.maxLowMs + 20, 1, true)]);
  });

  it('reports a line stuck LOW once, and still credits the pulse', () => {
    const counter = new PulseCounter(timing);
    counter.input(0, 0);
    expect(counter.advance(timing.stuckLowMs)).toEqual([{ kind: 'line-stuck-low', since: 0 }]);
    expect(counter.advance(timing.stuckLowMs * 3)).toEqual([]);
    counter.input(1, timing.stuckLowMs * 3);
    expect(counter.advance(timing.stuckLowMs * 3 + timing.trainEndIdleMs)).toMatchObject([{ pulses: 1 }]);
  });
});

describe('BillAcceptor', () => {
  it('reports a train cut short by a disconnect once, refused (3 pulses are no note) and flagged, and numbers on', () => {
    const time = virtualTime(0);
    const notes: NoteAccepted[] = [];
    const acceptor = new BillAcceptor({ clock: time, timers: time, firstSequence: 41, onNote: (note) => notes.push(note) });
    for (const [at, level] of [[0, 0], [50, 1], [150, 0], [200, 1], [300, 0]] as const) {
      time.advanceTo(at);
      acceptor.input(level);
    }
    time.advanceTo(320);
    acceptor.disconnect();
    time.advanceTo(10_000);
    expect(notes).toEqual([expect.objectContaining({ amount: 0, pulses: 3, maxAmount: 1000, sequence: 41, irregular: true })]);

    acceptor.reset(1);
    for (const [at, level] of [[11_000, 0], [11_050, 1]] as const) {
      time.advanceTo(at);
      acceptor.input(level);
    }
    time.advanceTo(12_000);
    expect(notes.map((note) => [note.amount, note.sequence, note.irregular])).toEqual([
      [0, 41, true],
      [100, 42, false],
    ]);
    acceptor.close();
    expect(time.pending()).toBe(0);
  });

  it('does not split a note when the process stalls across the idle deadline with the next pulse unread', () => {
    const time = virtualTime(0);
    const notes: NoteAccepted[] = [];
    const acceptor = new BillAcceptor({ clock: time, timers: time, onNote: (note) => notes.push(note) });
    const edge = (level: Level): void => acceptor.input(level);
    // Three pulses, read as they happen.
    for (let i = 0; i < 3; i++) {
      time.advanceTo(i * 150);
      edge(0);
      time.advanceTo(i * 150 + 50);
      edge(1);
    }
    // Frozen for 400 ms once the third pulse has settled: the fourth pulse happens meanwhile and
    // waits in the serial buffer; the heartbeat fires late, before it is read.
    time.advance(30);
    time.stall(400);
    time.advance(1);
    edge(0);
    edge(1);
    time.advance(100);
    edge(0);
    time.advance(50);
    edge(1);
    time.advance(5000);
    // One note, not NT$300 + NT$200: the fourth pulse, read with both edges at once, may have been a
    // spike, so the note is refused and flagged with NT$500 as the most.
    expect(notes.map((note) => [note.amount, note.maxAmount, note.irregular])).toEqual([[0, 500, true]]);
  });

  it('still ends the train after a stall when nothing more comes', () => {
    const time = virtualTime(0);
    const notes: NoteAccepted[] = [];
    const acceptor = new BillAcceptor({ clock: time, timers: time, onNote: (note) => notes.push(note) });
    acceptor.input(0);
    time.advanceTo(50);
    acceptor.input(1);
    time.stall(1000);
    time.advance(1);
    expect(notes).toEqual([]);
    time.advance(100);
    expect(notes.map((note) => note.amount)).toEqual([100]);
  });

  it('slows its heartbeat once inhibited and settled with the line idle, and beats fast again for a report or when no longer inhibited', () => {
    const time = virtualTime(0);
    let beats = 0;
    const timers = { set: (callback: () => void, ms: number) => time.set(() => (beats++, callback()), ms), clear: time.clear };
    const notes: NoteAccepted[] = [];
    const acceptor = new BillAcceptor({ clock: time, timers, onNote: (note) => notes.push(note) });
    const beatsOver = (ms: number): number => {
      const before = beats;
      time.advance(ms);
      return beats - before;
    };
    const fast = (ms: number) => Math.floor(ms / heartbeatMs) - 1;
    const slow = (ms: number) => Math.ceil(ms / inhibitedHeartbeatMs) + 1;
    expect(beatsOver(999)).toBeGreaterThanOrEqual(fast(999));
    acceptor.setInhibited(true);
    // A note the acceptor had taken may still be paid out: fast until the inhibit has settled.
    expect(beatsOver(inhibitSettleMs - 10)).toBeGreaterThanOrEqual(fast(inhibitSettleMs - 10));
    time.advance(20);
    expect(beatsOver(1000)).toBeLessThanOrEqual(slow(1000));
    // A stray pulse: fast while it is under way, credited, slow again after.
    acceptor.input(0);
    expect(beatsOver(50)).toBeGreaterThanOrEqual(fast(50));
    acceptor.input(1);
    time.advance(1000);
    expect(notes.map((note) => note.amount)).toEqual([100]);
    expect(beatsOver(1000)).toBeLessThanOrEqual(slow(1000));
    acceptor.setInhibited(false);
    expect(beatsOver(999)).toBeGreaterThanOrEqual(fast(999));
    acceptor.close();
    expect(time.pending()).toBe(0);
  });

  it('counts 2,000 random notes with jitter and bounce exactly when each is paid out after an inhibit came', () => {
    const random = seededRandom(20261206);
    const inserted: number[] = [];
    const edges: Edge[] = [];
    const inhibitAt: number[] = [];
    let t = 1000;
    for (let n = 0; n < 2000; n++) {
      const amount = denominations[Math.floor(random() * denominations.length)] ?? 100;
      inserted.push(amount);
      inhibitAt.push(t - random() * 3000);
      const train = pulseTrain(amount / 100, t, random, { jitterMs: 20, bounce: true, bounceStepMs: 1.5 });
      edges.push(...train.edges);
      t = train.end + 3400 + random() * 800;
    }
    const notes = runAcceptor(edges, t + 1000, { inhibitAt: inhibitAt.filter((at, i) => i === 0 || at > (inhibitAt[i - 1] ?? 0)) });
    expect(notes.map((note) => note.amount)).toEqual(inserted);
    expect(notes.some((note) => note.irregular)).toBe(false);
  });

  it('never over-credits nor splits a stray train read on the slow heartbeat: bounded, flagged when unsure', () => {
    const random = seededRandom(1206);
    const inserted: number[] = [];
    const edges: Edge[] = [];
    let t = inhibitSettleMs + 1000;
    for (let n = 0; n < 500; n++) {
      const amount = denominations[Math.floor(random() * denominations.length)] ?? 100;
      inserted.push(amount);
      const train = pulseTrain(amount / 100, t + random() * inhibitedHeartbeatMs, random, { jitterMs: 20, bounce: true, bounceStepMs: 1.5 });
      edges.push(...train.edges);
      t = train.end + 2000;
    }
    const notes = runAcceptor(edges, t + 1000, { inhibitAt: [0] });
    expect(notes).toHaveLength(inserted.length);
    notes.forEach((note, i) => {
      const amount = inserted[i] ?? 0;
      expect(note.amount).toBeLessThanOrEqual(amount);
      expect(note.maxAmount).toBeGreaterThanOrEqual(amount);
      if (note.amount !== amount) expect(note.irregular).toBe(true);
    });
  });

  it('refuses a pulse count that is no programmed note (a pulse went missing), flagged, with the next note as the most', () => {
    const random = seededRandom(7);
    for (const [pulses, most] of [[3, 500], [4, 500], [9, 1000], [2, 500]] as const) {
      const train = pulseTrain(pulses, 0, random, { jitterMs: 0, bounce: false, bounceStepMs: 1 });
      expect(runAcceptor(train.edges, train.end + 1000)).toEqual([expect.objectContaining({ amount: 0, pulses, maxAmount: most, irregular: true })]);
    }
  });
});

/** Notes played on the line model the simulator uses (acceptor-line.ts), with the given faults. */
function faultyNotes(
  count: number,
  seed: number,
  faults: readonly LineFault[],
  jitterMs = 20,
): { inserted: number[]; sent: number[]; starts: number[]; edges: Edge[]; end: number } {
  const random = seededRandom(seed);
  const inserted: number[] = [];
  const sent: number[] = [];
  const starts: number[] = [];
  const edges: Edge[] = [];
  let t = 1000;
  for (let n = 0; n < count; n++) {
    const amount = denominations[Math.floor(random() * denominations.length)] ?? 100;
    // The quiet time between notes (the simulator's 600 ms, more when the customer is slow).
    const line = planNoteLine(amount / 100, random, { jitterMs, faults, leadMs: 600 + random() * 600 });
    inserted.push(amount);
    sent.push(line.pulsesSent);
    starts.push(t + line.trainStartsAt);
    edges.push(...line.changes.map((change) => ({ at: t + change.at, level: (change.low ? 0 : 1) as Level })));
    t += line.endsAt;
  }
  return { inserted, sent, starts, edges, end: t };
}

/** As `runAcceptor`, each note event given to the last note whose train had started (a note ends 300 ms after its train, before the next one's). */
function notesPerInserted(edges: readonly Edge[], starts: readonly number[], until: number): NoteAccepted[][] {
  const time = virtualTime(0);
  const per: NoteAccepted[][] = starts.map(() => []);
  const acceptor = new BillAcceptor({
    clock: time,
    timers: time,
    onNote: (note) => per[starts.findLastIndex((start) => start <= time.ms)]?.push(note),
  });
  for (const edge of edges) {
    time.advanceTo(edge.at);
    acceptor.input(edge.level);
  }
  time.advanceTo(until);
  return per;
}

describe('BillAcceptor: line noise with width (acceptor-line.ts)', () => {
  it('rejects spikes of 1-5 ms by their width, between notes, between pulses and inside pulses: 3,000 notes, none credited wrong', () => {
    const { inserted, edges, end } = faultyNotes(3000, 17, ['spikes']);
    // 1-3 spikes per note, LOW ones while HIGH and HIGH ones inside a pulse.
    expect(edges.length).toBeGreaterThan(inserted.reduce((sum, amount) => sum + (2 * amount) / 100, 0) + 2 * 3000);
    const notes = runAcceptor(edges, end + 1000);
    // One note each: no spike between notes is taken for a note, none inside splits one.
    expect(notes).toHaveLength(inserted.length);
    const exact = notes.filter((note, i) => note.amount === inserted[i] && !note.irregular);
    const refused = notes.filter((note, i) => note.amount === 0 && note.irregular && note.maxAmount >= (inserted[i] ?? 0));
    expect(exact.length + refused.length).toBe(inserted.length);
    // Refused: a spike splitting a pulse shortened by jitter (≈30 ms) into two parts of ≈15 ms,
    // which the host's ≈11 ms window on each report cannot tell from two spikes.
    expect(exact.length).toBeGreaterThan(0.9 * inserted.length);
  });

  it('accepts stretched pulses (held 1.5-2.5 × as long): 2,000 notes counted exactly, none flagged', () => {
    const { inserted, edges, end } = faultyNotes(2000, 18, ['stretched-pulse']);
    const notes = runAcceptor(edges, end + 1000);
    expect(notes.map((note) => note.amount)).toEqual(inserted);
    expect(notes.filter((note) => note.irregular)).toEqual([]);
  });

  it('never credits a note with a missing pulse as another amount: refused and flagged, its amount as the most; a NT$100 without its pulse is not seen', () => {
    // ±10 ms jitter: a lost pulse leaves ≈250 ms of HIGH, which must stay under the 300 ms that ends a train.
    const { inserted, sent, edges, end } = faultyNotes(2000, 19, ['missing-pulse'], 10);
    const notes = runAcceptor(edges, end + 1000);
    const seen = inserted.filter((_, i) => (sent[i] ?? 0) > 0);
    expect(seen.length).toBeLessThan(inserted.length);
    expect(notes.map((note) => [note.amount, note.maxAmount, note.irregular])).toEqual(seen.map((amount) => [0, amount, true]));
  });

  it('all three at once: every note counted right or refused with its amount as the most, never another amount', () => {
    const { inserted, sent, starts, edges, end } = faultyNotes(2000, 20, ['spikes', 'missing-pulse', 'stretched-pulse'], 10);
    const per = notesPerInserted(edges, starts, end + 1000);
    const wrong: string[] = [];
    let strays = 0;
    per.forEach((notes, i) => {
      const amount = inserted[i] ?? 0;
      // Every note here lost a pulse: refused, flagged, with its amount as the most.
      const refused = notes.filter((note) => note.amount === 0 && note.irregular && note.maxAmount >= amount && note.pulses > 0);
      // Two spikes a few ms apart can also be read as a short pulse split by a spike: a doubt (NT$0, up to NT$100), no credit.
      const doubts = notes.filter((note) => note.amount === 0 && note.irregular && note.pulses === 0 && note.maxAmount === 100);
      strays += doubts.length;
      const expected = (sent[i] ?? 0) > 0 ? 1 : 0;
      if (refused.length !== expected || refused.length + doubts.length !== notes.length) {
        wrong.push(`NT$${amount}: ${notes.map((note) => `${note.amount}/${note.pulses}≤${note.maxAmount}`).join(',')}`);
      }
    });
    expect(wrong).toEqual([]);
    expect(strays).toBeLessThan(inserted.length / 10);
  });
});
