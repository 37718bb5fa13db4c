import type { BatchRowView } from '../../shared/contract/batch';
import { photoJpeg, withSimulatedKiosk, type KioskBench } from '../lib/kiosk-bench';
import { batchFigures, parseBatchBenchOptions, preRegisteredBatchCsv, printerIdle, type BatchBenchOptions, type BatchFigures } from '../lib/batch-bench';
import { busyFraction, printerOccupancy, round, type Interval } from '../lib/issuance-bench';
import { percentile } from '../lib/percentile';

/**
 * `npm run bench -- batch [--applicants 50] [--scale 0.05]`: a list of applicants registered online
 * beforehand, their photos already taken, printed as one queue on a simulated kiosk (KIOSK_SIMULATE=1)
 * whose printer runs at its real timing scaled by `--scale` (as `npm run bench -- issuance`: the
 * controller in a child process, the simulated world here; `scripts/lib/kiosk-bench.ts`).
 *
 * The list is imported (`import-batch`, a CSV in the README's columns) and worked row after row as
 * fast as the flow allows: `pick-batch-row` fills the form, submit, the photo at once (no counter
 * wait), `confirm-print`, next row; then until every card is out and taken. First the printer's
 * whole occupancy for one card (journal `printing` → `ejected`: print, encode, eject) is measured
 * alone on a small list of its own. Figures: `cardsPerHour` (first pick to last card out) and
 * `printerUtilisation = cardsPerHour × printerSecondsPerCard / 3600`: target ≥ 0.95, the printer and
 * not the software being the limit. Where the printer stood idle (before its first card, between
 * cards) and how long the counter took an applicant are printed beside them.
 */
/**
 * Cards measured alone (median): more than the issuance bench's three, since the utilisation is
 * divided by this one figure; the first also warms up the photo gate and the encoder.
 */
const aloneCards = 5;

export async function runBenchmark(args: readonly string[] = []): Promise<void> {
  const options = parseBatchBenchOptions(args);
  await withSimulatedKiosk('batch', options.scale, async (kiosk) => {
    const bench = new BatchBench(kiosk);
    const aloneRows = await bench.importList('bench: printer alone', 1, aloneCards);
    const alone = await kiosk.measureAlone(() => bench.serve(aloneRows.shift()!), aloneCards);
    const printerSecondsPerCard = alone.occupancyMs / 1000 / options.scale;

    const importStarted = performance.now();
    const rows = await bench.importList('bench: pre-registered', aloneCards + 1, options.applicants);
    const importMs = performance.now() - importStarted;
    const seq = await kiosk.lastAuditSeq();
    const ejectedBefore = kiosk.printerState().cardsEjected;
    const start = Date.now();
    const counterMs: number[] = [];
    let deepestQueue = 0;
    for (const row of rows) {
      counterMs.push(await bench.serve(row));
      deepestQueue = Math.max(deepestQueue, kiosk.controller.snapshot().printQueue.jobs.filter((job) => job.stage !== 'ready').length);
    }
    const lastConfirmed = Date.now();
    await kiosk.allEjected(ejectedBefore, options.applicants);
    // A long print run outlasts the staff's idle lock (180 s): whoever comes back to the list signs in again.
    if (kiosk.controller.snapshot().session.state !== 'signed-in') await kiosk.signIn();
    await kiosk.until((s) => {
      const listed = s.batch?.current?.rows ?? [];
      return listed.length === rows.length && listed.every((row) => row.status === 'issued');
    }, kiosk.cardTimeoutMs(), 'the rows were not all issued');
    const intervals = printerOccupancy(await kiosk.journal(seq));
    if (intervals.length !== options.applicants) throw new Error(`bench batch: ${intervals.length} cards journaled printing → ejected, not ${options.applicants}`);
    const end = Math.max(...intervals.map((i) => i.end));
    const medianSeconds = (of: readonly Interval[]): number | null => medianOccupancy(of, options.scale);
    const figures = batchFigures({ cards: options.applicants, wallMs: end - start, scale: options.scale, printerSecondsPerCard });
    report(options, figures, {
      mechanicalSeconds: alone.mechanicalSeconds,
      unscaledMs: alone.occupancyMs - alone.mechanicalSeconds * 1000 * options.scale,
      importMs,
      counterMsMedian: percentile(counterMs, 50),
      counterMsMax: Math.max(...counterMs),
      countersDoneSeconds: (lastConfirmed - start) / 1000 / options.scale,
      deepestQueue,
      occupancyUnderLoadSeconds: medianSeconds(intervals),
      // A card that started printing while the counter was still at work shares the controller with it.
      occupancyWhileCountingSeconds: medianSeconds(intervals.filter((i) => i.start < lastConfirmed)),
      occupancyAfterCountingSeconds: medianSeconds(intervals.filter((i) => i.start >= lastConfirmed)),
      printerBusyFraction: busyFraction(intervals, { start, end }),
      idle: printerIdle(intervals, start),
    });
  });
}

/** The median occupancy of `intervals` in real seconds (null for none). */
function medianOccupancy(intervals: readonly Interval[], scale: number): number | null {
  return intervals.length === 0 ? null : percentile(intervals.map((i) => i.end - i.start), 50) / 1000 / scale;
}

/** The list's rows worked at the counter: the photo taken at once, nothing waited for but the kiosk. */
class BatchBench {
  constructor(private readonly kiosk: KioskBench) {}

  /** Imports `count` pre-registered applications (from applicant `firstSerial`) and returns the list's rows, in its order. */
  async importList(label: string, firstSerial: number, count: number): Promise<BatchRowView[]> {
    const { kiosk } = this;
    await kiosk.command({ type: 'import-batch', label, source: 'pre-registered', format: 'csv', content: preRegisteredBatchCsv(firstSerial, count) });
    await kiosk.until((s) => s.batch?.current?.label === label, 15_000, `the list '${label}' was not imported whole`);
    const { batch } = kiosk.controller.snapshot();
    const rows = batch?.current?.rows ?? [];
    if (rows.length !== count || batch?.import?.problems.length) throw new Error(`bench batch: '${label}' imported ${rows.length} rows of ${count}: ${JSON.stringify(batch?.import?.problems)}`);
    return [...rows];
  }

  /** One row from pick to confirm-print; returns the counter's ms for it (at the run's scale). */
  async serve(row: BatchRowView): Promise<number> {
    const { kiosk } = this;
    await kiosk.restock();
    const started = performance.now();
    await kiosk.command({ type: 'pick-batch-row', rowId: row.rowId });
    await kiosk.until(
      (s) => s.batch?.onScreenRowId === row.rowId && s.application.form.nameZh === row.nameZh && s.application.eligibility !== null && s.application.problems.length === 0,
      15_000,
      `row ${row.room} did not fill the form without problems`,
    );
    await kiosk.command({ type: 'submit-application' });
    await kiosk.command({ type: 'capture-photo', jpegBase64: photoJpeg });
    await kiosk.until((s) => s.previewUrl !== null, 60_000, 'the photo did not pass or no card face was rendered');
    await kiosk.command({ type: 'confirm-print' });
    const counterMs = performance.now() - started;
    await kiosk.untilCounterFree();
    return counterMs;
  }
}

interface RunDetails {
  /** The simulator's own mechanical seconds for one card alone (unscaled). */
  readonly mechanicalSeconds: number;
  /** Wall ms of the alone occupancy that the scale does not shrink. */
  readonly unscaledMs: number;
  readonly importMs: number;
  /** Wall ms at the counter an applicant (pick to confirm-print), at the run's scale. */
  readonly counterMsMedian: number;
  readonly counterMsMax: number;
  /** Real seconds from the first pick until the last card was confirmed. */
  readonly countersDoneSeconds: number;
  /** The most cards queued or in the printer at a confirm. */
  readonly deepestQueue: number;
  /** The printer's occupancy for one card within the batch (median), in real seconds: all, while the counter worked, after. */
  readonly occupancyUnderLoadSeconds: number | null;
  readonly occupancyWhileCountingSeconds: number | null;
  readonly occupancyAfterCountingSeconds: number | null;
  readonly printerBusyFraction: number;
  readonly idle: { readonly beforeFirstMs: number; readonly betweenCardsMs: number };
}

function report(options: BatchBenchOptions, figures: BatchFigures, run: RunDetails): void {
  const real = (wallMs: number): number => round(wallMs / 1000 / options.scale, 1);
  const seconds = (value: number | null): string => (value === null ? 'none' : `${round(value, 1)} s`);
  const lines = [
    `time scale ${options.scale} for the printer's mechanics; ${figures.cards} pre-registered applicants, photos already taken, printed as one queue`,
    `printer alone, one card (print, encode, eject; median of ${aloneCards}): ${figures.printerSecondsPerCard} s = mechanics ${round(run.mechanicalSeconds, 1)} s`
      + ` + ${Math.round(run.unscaledMs)} ms of unscaled work (panel data over the pty, NFC encode, store) counted ×${round(1 / options.scale, 1)}`,
    `list of ${figures.cards} rows imported in ${Math.round(run.importMs)} ms (before the clock starts)`,
    `counter per applicant (pick → confirm-print): median ${Math.round(run.counterMsMedian)} ms, max ${Math.round(run.counterMsMax)} ms wall = ${real(run.counterMsMedian)} s at this scale against the printer's ${figures.printerSecondsPerCard} s;`
      + ` all ${figures.cards} confirmed after ${round(run.countersDoneSeconds, 1)} s; up to ${run.deepestQueue} cards queued`,
    `batch: ${figures.cards} cards, ${figures.cardsPerHour} cards/h; printer utilisation ${figures.printerUtilisation} (target ≥ 0.95); printer busy ${round(run.printerBusyFraction * 100, 1)} %`,
    `one card in the batch (median): ${seconds(run.occupancyUnderLoadSeconds)}; started while the counter was still at work ${seconds(run.occupancyWhileCountingSeconds)}, after ${seconds(run.occupancyAfterCountingSeconds)}`,
    `printer idle: ${real(run.idle.beforeFirstMs)} s before its first card (the first applicant at the counter), ${real(run.idle.betweenCardsMs)} s between cards`,
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify({ ...figures, scale: options.scale, printerBusyFraction: round(run.printerBusyFraction, 3) })}\n`);
}
