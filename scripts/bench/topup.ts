import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TimelineEntry } from '../../hardware/bill-validator/simulator';
import type { DemoCitizenKind } from '../../kiosk/controller/devices/demo-citizens';
import { percentile } from '../lib/percentile';
import { topUpKiosk, type TopUpKiosk } from '../lib/top-up-kiosk';

/**
 * Self-service top-up through the real stack (`npm run bench -- topup [--taps N] [--notes N]`): the
 * controller in a child process of its own, the simulated world here — a private pcscd with vpcd and
 * the demo citizens' cards on the counter reader, the ccTalk validator simulator on a pty at a real
 * validator's speed. Figures:
 * - tapToBalance: a card laid on the reader (the field empty before) → the controller's snapshot shows
 *   its wallet (read, MAC verified, ledger looked up, the month's points loaded on a first tap);
 * - escrowToCredit: the validator records a note in escrow → the controller's snapshot shows it
 *   credited, minus the validator's own stacking (route received → stacked), reported apart;
 * - mirrorWrite: the chip's wallet block written and read back at the end of a visit (the controller's log).
 * Each figure is seen here, through IPC from the controller: the citizen would see it no sooner.
 */
const cards: readonly DemoCitizenKind[] = ['demo-senior', 'demo-disability', 'demo-general'];
const notesPerVisit = 5;
/** Small notes, so that a run stays far under the cap (10,000) on one card. */
const noteValues = [100, 500] as const;
/** The field stays empty this long before a tap, as between two people. */
const emptyFieldMs = 250;

export async function runBenchmark(options: readonly string[] = []): Promise<void> {
  const taps = numberOption(options, '--taps', 30);
  const notes = numberOption(options, '--notes', 30);
  const kiosk = await topUpKiosk('bench-topup');
  try {
    await kiosk.start();
    // Once the counter reader is watched (a tap during the start is not a figure).
    await kiosk.tapUntil('demo-general', (view) => view.state === 'card' && view.card.wallet !== null, 30_000, 'the first tap');
    const tapMs = await measureTaps(kiosk, taps);
    const { escrowToCreditMs, stackingMs } = await measureNotes(kiosk, notes);
    const mirrorMs = mirrorWrites(kiosk.dataDir);
    const figures = {
      taps,
      tapToBalanceP50Ms: round(percentile(tapMs, 50)),
      tapToBalanceP95Ms: round(percentile(tapMs, 95)),
      notes: escrowToCreditMs.length,
      escrowToCreditP50Ms: round(percentile(escrowToCreditMs, 50)),
      escrowToCreditP95Ms: round(percentile(escrowToCreditMs, 95)),
      validatorStackingP50Ms: round(percentile(stackingMs, 50)),
      mirrorWrites: mirrorMs.length,
      mirrorWriteP50Ms: round(percentile(mirrorMs, 50)),
      mirrorWriteP95Ms: round(percentile(mirrorMs, 95)),
    };
    process.stdout.write(`tap → balance on screen: p50 ${figures.tapToBalanceP50Ms} ms, p95 ${figures.tapToBalanceP95Ms} ms (target ≤ 150), ${taps} taps\n`);
    process.stdout.write(`note in escrow → credited on screen, without the validator's stacking: p50 ${figures.escrowToCreditP50Ms} ms, p95 ${figures.escrowToCreditP95Ms} ms (target ≤ 250), ${figures.notes} notes\n`);
    process.stdout.write(`the validator's own stacking (route → stacked): p50 ${figures.validatorStackingP50Ms} ms\n`);
    process.stdout.write(`chip mirror written and read back: p50 ${figures.mirrorWriteP50Ms} ms, p95 ${figures.mirrorWriteP95Ms} ms, ${figures.mirrorWrites} visits\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await kiosk.cleanUp();
  }
}

async function measureTaps(kiosk: TopUpKiosk, taps: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < taps; i++) {
    const kind = cards[i % cards.length]!;
    await emptyField(kiosk);
    const last4 = kiosk.cardNumber(kind).slice(-4);
    const started = performance.now();
    await kiosk.tap(kind);
    await kiosk.untilView((view) => view.state === 'card' && view.card.last4 === last4 && view.card.wallet !== null, 10_000, `tap ${i + 1}: the card's wallet`);
    samples.push(performance.now() - started);
  }
  return samples;
}

async function measureNotes(kiosk: TopUpKiosk, notes: number): Promise<{ escrowToCreditMs: number[]; stackingMs: number[] }> {
  const validator = kiosk.world.validator;
  if (!validator) throw new Error('bench topup: the bill validator is not simulated');
  const escrowToCreditMs: number[] = [];
  const stackingMs: number[] = [];
  const controller = kiosk.bench().controller;
  let inserted = 0;
  for (let n = 0; n < notes; n++) {
    if (n % notesPerVisit === 0) {
      if (n > 0) await finishVisit(kiosk);
      await emptyField(kiosk);
      await kiosk.tap('demo-general');
      await kiosk.untilView((view) => view.state === 'card' && view.card.wallet?.topUp.available === true, 30_000, 'the card offering a top-up');
      const started = await controller.command({ type: 'top-up-start' });
      if (!started.accepted) throw new Error(`bench topup: top-up-start refused (${started.reason})`);
      await kiosk.untilView((view) => view.state === 'top-up' && view.topUp.phase === 'insert', 10_000, 'the top-up taking notes');
      inserted = 0;
    }
    const value = noteValues[n % noteValues.length]!;
    const since = performance.now();
    await validator.insertNote(value);
    inserted += value;
    await kiosk.untilView((view) => view.state === 'top-up' && view.topUp.inserted === inserted && view.topUp.phase === 'insert', 20_000, `note ${n + 1} credited`);
    const creditedAt = performance.now();
    const timeline = validator.timeline().filter((entry) => entry.at >= since);
    const escrowAt = eventAt(timeline, 'escrow');
    const routeAt = timeline.find((entry) => entry.kind === 'route' && entry.code === 1)?.at;
    const stackedAt = eventAt(timeline, 'stacked');
    if (escrowAt === undefined || routeAt === undefined || stackedAt === undefined) throw new Error(`bench topup: note ${n + 1} has no escrow, route and stacked in the validator's timeline`);
    stackingMs.push(stackedAt - routeAt);
    escrowToCreditMs.push(creditedAt - escrowAt - (stackedAt - routeAt));
  }
  await finishVisit(kiosk);
  return { escrowToCreditMs, stackingMs };
}

async function finishVisit(kiosk: TopUpKiosk): Promise<void> {
  const finished = await kiosk.bench().controller.command({ type: 'top-up-finish' });
  if (!finished.accepted) throw new Error(`bench topup: top-up-finish refused (${finished.reason})`);
  await kiosk.untilView((view) => view.state === 'top-up-done', 20_000, 'the receipt');
}

function eventAt(timeline: readonly TimelineEntry[], kind: 'escrow' | 'stacked'): number | undefined {
  return timeline.find((entry) => entry.kind === 'event' && entry.event.kind === kind)?.at;
}

/** Lifts any card and leaves the field empty a moment: the next tap is a new arrival. */
async function emptyField(kiosk: TopUpKiosk): Promise<void> {
  await kiosk.lift().catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, emptyFieldMs));
}

/** The controller logs each mirror write's duration (no card number): read from its log file. */
function mirrorWrites(dataDir: string): number[] {
  const lines = readFileSync(join(dataDir, 'logs', 'kiosk.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as { eventId?: string; ms?: number })
    .filter((event) => event.eventId === 'wallet-mirror-written' && typeof event.ms === 'number')
    .map((event) => event.ms!);
}

function numberOption(options: readonly string[], name: string, fallback: number): number {
  const index = options.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(options[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`bench topup: ${name} takes a whole number ≥ 1`);
  return value;
}

const round = (value: number): number => Math.round(value * 10) / 10;
