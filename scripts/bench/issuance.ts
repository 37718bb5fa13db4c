import { taiwanIdCheckDigit } from '../../shared/identity/taiwan-id';
import {
  busyFraction, drawCounterSeconds, parseIssuanceBenchOptions, printerOccupancy, round, runFigures, type IssuanceBenchOptions, type RunFigures,
} from '../lib/issuance-bench';
import { aloneCards, withSimulatedKiosk, type KioskBench } from '../lib/kiosk-bench';

/**
 * `npm run bench -- issuance [--applicants 60] [--counter-seconds 10,30,60] [--scale 0.05] [--seed 13]`:
 * applicants through the whole staffed flow of a simulated kiosk (KIOSK_SIMULATE=1), driven only by
 * the controller's commands and the simulated world (documents, cards, stock), with the simulated
 * printer's real timing (16 s a single-sided card) scaled by `--scale`; the counter stage
 * (application, photo, review) takes a time drawn within ±30 % of each mean, scaled alike. What the
 * scale does not shrink (panel data over the pty, NFC encode, photo gate, store) counts ×1/scale in
 * real seconds: it is printed, and a larger scale makes it smaller.
 *
 * First the printer's whole occupancy for one card (print, encode, eject: journal `printing` →
 * `ejected`) is measured alone; then one run per counter time. Figures: cards an hour, the ideal
 * `3600 / max(counterSeconds, printerSecondsPerCard)`, their ratio, the printer's busy fraction (its
 * journaled occupancy over the run) and CPU ms a card. Targets: every ratio ≥ 0.95, ≤ 150 controller
 * CPU ms a card.
 *
 * CPU is measured by process, not estimated: the controller (`startKiosk`) runs in a child process of
 * its own (`scripts/lib/controller-process.ts`) and reaches the simulated devices through their pty
 * paths and the private pcscd's socket, as it would reach hardware; this process owns the simulated
 * world (printer, scanner, board, virtual NFC cards) and the bench's own driving. The controller's
 * CPU is its process's user + system time (all threads) from /proc/<pid>/stat over the runs;
 * `cpuMsPerCard` is that over the cards. It includes answering this process over IPC (each snapshot
 * change is pushed, as the UI's WebSocket would get it: ~27 pushes of ~4 KB a card). `processCpuMsPerCard`
 * adds this process's own CPU (simulators + bench), the whole of what the old in-process bench
 * measured; pcscd and socat are counted in neither. `BENCH_CONTROLLER_CPU_PROF=<dir>` writes a V8 CPU
 * profile of the controller's process there (on a loaded machine its sampled times are wall times).
 *
 * After `confirm-print` the card joins the print queue and the next applicant starts at once.
 */
/** The counter stage split: application until submit, photo until capture, review until confirm. */
const counterShares = { application: 0.5, photo: 0.25 } as const;

export async function runBenchmark(args: readonly string[] = []): Promise<void> {
  const options = parseIssuanceBenchOptions(args);
  await withSimulatedKiosk('issuance', options.scale, async (kiosk) => {
    const { controller } = kiosk;
    const bench = new IssuanceBench(kiosk, options);
    const alone = await kiosk.measureAlone(() => bench.serve(0));
    const printerSecondsPerCard = alone.occupancyMs / 1000 / options.scale;
    const controllerBefore = controller.cpuSeconds();
    const benchBefore = process.cpuUsage();
    const runs: Array<RunFigures & { readonly measuredCounterSeconds: number }> = [];
    for (const counterSeconds of options.counterSeconds) runs.push(await bench.run(counterSeconds, printerSecondsPerCard));
    const controllerMs = (controller.cpuSeconds() - controllerBefore) * 1000;
    const benchCpu = process.cpuUsage(benchBefore);
    const benchMs = (benchCpu.user + benchCpu.system) / 1000;
    const cards = options.applicants * options.counterSeconds.length;
    const cpu: CpuFigures = {
      cpuMsPerCard: round(controllerMs / cards, 1),
      worldAndBenchCpuMsPerCard: round(benchMs / cards, 1),
      processCpuMsPerCard: round((controllerMs + benchMs) / cards, 1),
    };
    report(options, { printerSecondsPerCard, mechanicalSeconds: alone.mechanicalSeconds, unscaledMs: alone.occupancyMs - alone.mechanicalSeconds * 1000 * options.scale }, runs, cpu);
  });
}

/** CPU ms a card over the runs, by process. */
interface CpuFigures {
  /** The controller's process alone (all its threads). */
  readonly cpuMsPerCard: number;
  /** This process: the simulated world and the bench's own driving. */
  readonly worldAndBenchCpuMsPerCard: number;
  /** Both: what the bench measured when everything ran in one process. */
  readonly processCpuMsPerCard: number;
}

/** Applicants at the counter, one after the other, each taking a counter time of its own. */
class IssuanceBench {
  private applicantCount = 0;

  constructor(
    private readonly kiosk: KioskBench,
    private readonly options: IssuanceBenchOptions,
  ) {}

  /** A new adult with a Taoyuan household: a national ID number (H, Taoyuan) of our own. */
  private nextIdNumber(): string {
    const firstNine = `H1${String(++this.applicantCount).padStart(7, '0')}`;
    const check = taiwanIdCheckDigit(firstNine);
    if (check === null) throw new Error(`bench issuance: no check digit for ${firstNine}`);
    return `${firstNine}${check}`;
  }

  /**
   * One applicant at the counter, from start-application to confirm-print, spending `counterSeconds`
   * (scaled) in all: the waits end at fixed shares of it, so the kiosk's own work at the counter (photo
   * gate, card face) counts in the counter time. Returns the counter stage's length in ms.
   */
  async serve(counterSeconds: number): Promise<number> {
    const { kiosk } = this;
    await kiosk.restock();
    const started = performance.now();
    const waitUntil = async (share: number): Promise<void> => {
      const left = started + kiosk.scaled(counterSeconds) * share - performance.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    };
    const idNumber = this.nextIdNumber();
    await kiosk.fillApplication(idNumber, 'BENCH APPLICANT');
    await waitUntil(counterShares.application);
    await kiosk.command({ type: 'submit-application' });
    await waitUntil(counterShares.application + counterShares.photo);
    await kiosk.takePhoto();
    await waitUntil(1);
    await kiosk.command({ type: 'confirm-print' });
    const counterMs = performance.now() - started;
    await kiosk.untilCounterFree();
    return counterMs;
  }

  /** One run: the applicants one after the other at `meanCounterSeconds`, until the last card is out. */
  async run(meanCounterSeconds: number, printerSecondsPerCard: number): Promise<RunFigures & { readonly measuredCounterSeconds: number }> {
    const { kiosk } = this;
    const { applicants, seed } = this.options;
    const counterSeconds = drawCounterSeconds(meanCounterSeconds, applicants, seed + meanCounterSeconds);
    const seq = await kiosk.lastAuditSeq();
    const ejectedBefore = kiosk.printerState().cardsEjected;
    const start = Date.now();
    let counterMs = 0;
    for (const seconds of counterSeconds) counterMs += await this.serve(seconds);
    await kiosk.allEjected(ejectedBefore, applicants);
    const intervals = printerOccupancy(await kiosk.journal(seq));
    if (intervals.length !== applicants) throw new Error(`bench issuance: ${intervals.length} cards journaled printing → ejected, not ${applicants}`);
    const end = Math.max(...intervals.map((i) => i.end));
    const window = { start, end };
    return {
      ...runFigures({
        counterSeconds: meanCounterSeconds,
        cards: applicants,
        wallMs: end - start,
        scale: this.options.scale,
        printerSecondsPerCard,
        printerBusyFraction: busyFraction(intervals, window),
      }),
      measuredCounterSeconds: round(counterMs / applicants / 1000 / this.options.scale, 1),
    };
  }
}

interface AloneFigures {
  /** The printer's whole occupancy for one card, in real seconds (measured at the scale, divided by it). */
  readonly printerSecondsPerCard: number;
  /** The simulator's own mechanical time for that card (unscaled). */
  readonly mechanicalSeconds: number;
  /** Wall ms of the occupancy that the scale does not shrink: panel data over the pty, NFC encode, store. */
  readonly unscaledMs: number;
}

function report(options: IssuanceBenchOptions, alone: AloneFigures, runs: ReadonlyArray<RunFigures & { readonly measuredCounterSeconds: number }>, cpu: CpuFigures): void {
  const minPipelineEfficiency = Math.min(...runs.map((run) => run.pipelineEfficiency));
  const lines = [
    `time scale ${options.scale} for the printer's mechanics and the counter time; ${options.applicants} applicants a run, each counter time ±30 % around its mean (seed ${options.seed})`,
    `printer alone, one card (print, encode, eject; median of ${aloneCards}): ${round(alone.printerSecondsPerCard, 1)} s = mechanics ${round(alone.mechanicalSeconds, 1)} s`
      + ` + ${Math.round(alone.unscaledMs)} ms of unscaled work (panel data over the pty, NFC encode, store) counted ×${round(1 / options.scale, 1)}`,
    ...runs.map(
      (run) =>
        `counter ${run.counterSeconds} s (measured ${run.measuredCounterSeconds} s): ${run.cardsPerHour} cards/h of ideal ${run.idealCardsPerHour} = ${run.pipelineEfficiency} (target ≥ 0.95); printer busy ${round(run.printerBusyFraction * 100, 1)} %`,
    ),
    `controller CPU ${cpu.cpuMsPerCard} ms a card (target ≤ 150): the controller's own process (startKiosk in a child process; user + system, all threads, from /proc/<pid>/stat)`,
    `whole CPU ${cpu.processCpuMsPerCard} ms a card: the controller + ${cpu.worldAndBenchCpuMsPerCard} ms in the bench's process (the simulated printer, scanner, board and virtual NFC cards, and the bench's own driving); pcscd and socat not counted`,
  ];
  const figures = {
    applicants: options.applicants,
    runs: runs.map(({ counterSeconds, cardsPerHour, idealCardsPerHour, pipelineEfficiency, printerBusyFraction }) => ({
      counterSeconds, cardsPerHour, idealCardsPerHour, pipelineEfficiency, printerBusyFraction,
    })),
    minPipelineEfficiency,
    cpuMsPerCard: cpu.cpuMsPerCard,
    processCpuMsPerCard: cpu.processCpuMsPerCard,
    worldAndBenchCpuMsPerCard: cpu.worldAndBenchCpuMsPerCard,
    scale: options.scale,
    printerSecondsPerCard: round(alone.printerSecondsPerCard, 2),
  };
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(figures)}\n`);
}
