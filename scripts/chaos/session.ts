import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashPoints, issuanceCrashPoints } from '../../kiosk/controller/crash-points';
import { seededRandom } from '../../shared/seeded-random';
import { CounterKiosk, CounterWork } from './counter-kiosk';
import { readCounterFacts } from './facts';
import { checkCounter, checkTopUp, violationKinds, ViolationTally, type Violation, type ViolationKind } from './invariants';
import type { ChaosOptions } from './options';
import { TopUpSite } from './top-up-work';
import { addFlows, counterFlows, counterTotals, describeFlows, flowDifference, noFlows, requiredFlows, topUpFlows, topUpTotals, type FlowCounts } from './store-queries';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';

/**
 * A chaos session: two kiosks, each on one data directory and one simulated world for the whole
 * session — a staffed counter that issues, replaces and voids cards, and an unattended one that takes
 * cash top-ups. Each run drives a random mix of work on one of them, SIGKILLs its controller at a
 * random moment, starts it again on the same data and the same simulators, lets recovery run, and
 * checks every invariant on both kiosks.
 */
export interface ChaosResult {
  readonly runs: number;
  readonly counts: Readonly<Record<ViolationKind, number>>;
  /** The first run that broke an invariant (replay: the same seed, that many runs), or null. */
  readonly firstBadRun: number | null;
  /** Runs whose kiosk did not settle after the restart (a job left open, a note left in escrow). */
  readonly stuck: number;
  /** What the session did, summed over its runs. */
  readonly flows: FlowCounts;
  /** Flows that did nothing over the whole session (a harness that tested less than it claims). */
  readonly unexercised: ReadonlyArray<(typeof requiredFlows)[number]>;
}

/** Sessions this long must have exercised every flow; shorter ones (the quick test) only say which did not run. */
export const flowsRequiredFrom = 20;

export type ChaosReport = (line: string) => void;

const settleTimeoutMs = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The session's kiosks, for a test that looks at (or doctors) them once the runs are done. */
export interface ChaosSites {
  readonly counter: CounterKiosk;
  readonly topUp: TopUpSite;
}

export async function runChaos(options: ChaosOptions, report: ChaosReport, afterRuns?: (sites: ChaosSites) => Promise<void>): Promise<ChaosResult> {
  const counterDir = mkdtempSync(join(tmpdir(), 'chaos-counter-'));
  const tally = new ViolationTally();
  let firstBadRun: number | null = null;
  let stuck = 0;
  let counter: CounterKiosk | undefined;
  let topUp: TopUpSite | undefined;
  const cleanUp = async (): Promise<void> => {
    await counter?.close().catch(() => {});
    await topUp?.close().catch(() => {});
    if (firstBadRun === null && stuck === 0 && !options.keep) rmSync(counterDir, { recursive: true, force: true });
    else report(`data kept: ${counterDir}`);
  };
  const interrupted = (): void => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    counter = await CounterKiosk.create(counterDir, options.scale);
    await counter.start();
    topUp = await TopUpSite.create();
    await topUp.start();
    let topUpUsed = false;
    let freshTopUps = 0;
    let totals = noFlows;
    const flowsNow = async (): Promise<FlowCounts> => ({ ...(await counterFlows(join(counter!.config.dataDir, defaultStoreFile))), ...(await topUpFlows(join(topUp!.config.dataDir, defaultStoreFile))) });
    for (let run = 1; run <= options.runs; run++) {
      // Each run draws from its own stream: what it does does not shift the draws of the runs after it.
      const random = seededRandom((options.seed + Math.imul(run, 0x9e3779b9)) >>> 0);
      const onCounter = options.kiosks === 'both' ? random() < 0.65 : options.kiosks === 'counter';
      const killAfterMs = Math.round(200 + random() * options.maxKillMs);
      const doing: string[] = [];
      const note = (line: string): void => void doing.push(line);
      // Now and then a top-up run's controller also carries a crash point (the exact steps a kill from
      // outside rarely hits): it is restarted armed, and dies there or at the random moment, whichever comes first.
      const crashAt = !onCounter && random() < 0.3 ? crashPoints[Math.floor(random() * crashPoints.length)]! : null;
      if (crashAt) {
        await topUp.kill();
        await topUp.start(crashAt);
        note(`armed ${crashAt}`);
      }
      // Some counter runs die right after a card's eject, before its journal entry (recovery must leave
      // that card to the applicant, not void it); their applicant, as half the others', waits by the dark
      // kiosk instead of taking the card at once.
      const counterCrashAt = onCounter && random() < 0.15 ? issuanceCrashPoints[0] : null;
      const applicantWaits = onCounter && (counterCrashAt !== null || random() < 0.5);
      counter.applicantWaits(applicantWaits);
      if (counterCrashAt) {
        await counter.kill();
        await counter.start(counterCrashAt);
        counter.holdCards();
        note(`armed ${counterCrashAt}`);
      }
      // Nothing spends a demo wallet: once all three are near the NT$10,000 cap, top-ups would only tap
      // cards. A new top-up kiosk (fresh data, validator and cards) takes over; the old one was checked last run.
      if (!onCounter && topUp.nearCap()) {
        await topUp.close();
        topUp = await TopUpSite.create();
        await topUp.start();
        topUpUsed = false;
        freshTopUps++;
        note('a fresh top-up kiosk (the wallets were at the cap)');
      }
      const flowsBefore = await flowsNow();
      const started = Date.now();
      const work = onCounter
        ? new CounterWork(counter, random, note).loop()
        : topUp.loop(random, note);
      const workEnded = work.then(
        () => 'ended',
        (error: unknown) => (error as Error).message,
      );
      await Promise.race([sleep(killAfterMs), workEnded]);
      const killedItself = onCounter ? counterCrashAt !== null && counter.dead : topUp.dead;
      const earlyEnd = !killedItself && Date.now() - started < killAfterMs - 50 ? await workEnded : null;
      await (onCounter ? counter.kill() : topUp.kill());
      await workEnded;
      const restartAt = Date.now();
      await (onCounter ? counter.start() : topUp.start());
      const restartMs = Date.now() - restartAt;
      if (!onCounter) topUpUsed = true;

      const violations: Violation[] = [];
      try {
        await counter.settled(settleTimeoutMs);
        violations.push(...checkCounter(await readCounterFacts(counter.config, counter.world)));
        // The cards are tapped (their chips brought up to the ledger) after a run on the top-up kiosk; its other checks run every time.
        if (topUpUsed) violations.push(...checkTopUp(await topUp.settleAndRead(settleTimeoutMs, { tapCards: !onCounter })));
      } catch (error) {
        stuck++;
        report(`run ${run}: STUCK after the restart: ${(error as Error).message}`);
      }
      const did = flowDifference(await flowsNow(), flowsBefore);
      totals = addFlows(totals, did);
      const fresh = tally.add(violations);
      if (fresh.length > 0) firstBadRun ??= run;
      const printer = counter.world.printer!.state();
      const validator = topUp.kiosk.world.validator!.state();
      const stacked = Object.entries(validator.stackedTotal).reduce((sum, [value, n]) => sum + Number(value) * n, 0);
      const checkMs = Date.now() - restartAt - restartMs;
      report(
        `run ${run}/${options.runs} ${onCounter ? 'counter' : 'top-up '} ${killedItself ? `died at ${crashAt ?? counterCrashAt ?? 'an unknown point'}` : `killed at ${(killAfterMs / 1000).toFixed(1)} s`} during "${doing.at(-1) ?? 'start'}"${applicantWaits ? ' (the applicant waited)' : ''}${(crashAt ?? counterCrashAt) && !killedItself ? ` (${crashAt ?? counterCrashAt} armed, not reached)` : ''}` +
          `${earlyEnd ? ` (work had stopped: ${earlyEnd})` : ''}; printer ${printer.cardsEjected} out / ${printer.cardsRejected} rejected; NT$${stacked} stacked;` +
          ` restart ${(restartMs / 1000).toFixed(1)} s, recovery and checks ${(checkMs / 1000).toFixed(1)} s; did: ${describeFlows(did)}; violations ${fresh.length === 0 ? 'none' : fresh.length}`,
      );
      for (const violation of fresh) report(`  VIOLATION ${violation.kind}: ${violation.detail} (seed ${options.seed}, run ${run})`);
    }
    report(`counter kiosk: ${await counterTotals(join(counter.config.dataDir, defaultStoreFile))}, ${printerResyncs(counter.config.dataDir)} printer line resyncs`);
    report(`top-up kiosk: ${await topUpTotals(join(topUp.config.dataDir, defaultStoreFile))}`);
    report(`done over the session: ${describeFlows(totals, { all: true })}; ${freshTopUps} fresh top-up kiosks`);
    const unexercised = requiredFlows.filter((flow) => totals[flow] === 0 && (flow === 'topUps' ? options.kiosks !== 'counter' : options.kiosks !== 'top-up'));
    if (unexercised.length > 0) report(`NOT EXERCISED over the whole session: ${unexercised.join(', ')}${options.runs >= flowsRequiredFrom ? '' : ` (a failure from ${flowsRequiredFrom} runs on)`}`);
    await afterRuns?.({ counter, topUp });
    return { runs: options.runs, counts: { ...tally.counts }, firstBadRun, stuck, flows: totals, unexercised };
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

/** How often the printer driver found the printer deaf and resynchronised the line (its log, rotated files included). */
function printerResyncs(dataDir: string): number {
  const logs = join(dataDir, 'logs');
  return readdirSync(logs)
    .filter((name) => name.startsWith('kiosk'))
    .reduce((sum, name) => sum + readFileSync(join(logs, name), 'utf8').split('"printer-line-resync"').length - 1, 0);
}

/** The issue's last line: the runs and the count of each kind of violation. */
export function resultLine(result: ChaosResult): string {
  return JSON.stringify({ runs: result.runs, ...Object.fromEntries(violationKinds.map((kind) => [kind, result.counts[kind]])) });
}
