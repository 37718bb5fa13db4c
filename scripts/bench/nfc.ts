import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { citizenCardStation } from '../../hardware/card-record/station';
import { openNfcStation } from '../../hardware/nfc/driver';
import { deriveChipKeys, holderIdHash } from '../../hardware/card-record/keys';
import { formatVersion, type CitizenCardRecord } from '../../hardware/card-record/layout';
import { startPcscd } from '../../hardware/nfc/pcscd';
import { nextCard } from '../../hardware/nfc/next-card';
import { insertVirtualCard } from '../../hardware/nfc/simulator';
import type { CitizenCardStation } from '../../hardware/card-record/types';
import { transportKey } from '../../hardware/nfc/mifare';
import type { NfcStation } from '../../hardware/nfc/types';
import { percentile } from '../lib/percentile';

/**
 * NFC latency through the real stack: a private pcscd + vpcd + nfc-pcsc, the virtual card on vpcd.
 * - tap-to-UID (the target): card placed (vpcd connection) → the station's `card` event with the UID,
 *   with vpcd given card events (`startPcscd({ cardEvents: true })`): the card's arrival wakes pcscd, as
 *   the card interrupt of a CCID reader with an interrupt endpoint does (pcscd's IFDHPolling). That is
 *   the reader the kiosk is specified with (hardware/nfc/README.md).
 * - tap-to-UID with stock vpcd, which has no card events: pcscd polls it every 400 ms, so a tap waits up
 *   to 400 ms before anything of ours runs. This is what a reader WITHOUT card events would give.
 *   Powered-to-UID is the part after pcscd saw the card (its ATR request): pcsclite event, connect, GET UID.
 * - personalise-and-verify: `station.personalise()` on a blank card (9 writes, each read back, then the
 *   whole record read back and its MAC verified), and re-personalising a card that has our keys (the
 *   transport key fails first in both sectors: two re-selections).
 * - re-selection: a MIFARE Classic halts after a failed authentication and the driver selects it again
 *   (hardware/nfc/README.md). One authentication with the right key, against a wrong key first (failed
 *   authentication, re-selection, GET UID, right key): the difference is what a re-selection costs.
 */
const taps = 25;
const repersonalisations = 100;
const authentications = 200;
const masterKey = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

export async function runBenchmark(): Promise<void> {
  // libpcsclite binds a process to one socket: both daemons run, one after the other, on the same one.
  const runDir = mkdtempSync(join(tmpdir(), 'bench-pcscd-'));
  let withEvents: Samples;
  let stockPoll: Samples;
  try {
    withEvents = await measure({ runDir, personalise: false, cardEvents: true });
    stockPoll = await measure({ runDir, personalise: true, cardEvents: false });
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
  const figures = {
    taps,
    tapToUidP50Ms: p(withEvents.tapMs, 50),
    tapToUidP95Ms: p(withEvents.tapMs, 95),
    stockPollTapToUidP50Ms: p(stockPoll.tapMs, 50),
    stockPollTapToUidP95Ms: p(stockPoll.tapMs, 95),
    poweredToUidP50Ms: p(stockPoll.poweredMs, 50),
    poweredToUidP95Ms: p(stockPoll.poweredMs, 95),
    personaliseBlankP50Ms: p(stockPoll.blankMs, 50),
    personaliseBlankP95Ms: p(stockPoll.blankMs, 95),
    repersonaliseP50Ms: p(stockPoll.againMs, 50),
    repersonaliseP95Ms: p(stockPoll.againMs, 95),
    authRightKeyP50Ms: p(stockPoll.rightKeyMs, 50),
    authRightKeyP95Ms: p(stockPoll.rightKeyMs, 95),
    authAfterReselectP50Ms: p(stockPoll.reselectMs, 50),
    authAfterReselectP95Ms: p(stockPoll.reselectMs, 95),
  };
  process.stdout.write(`tap-to-UID, vpcd with card events as from a reader with a card interrupt (${taps} taps): p50 ${figures.tapToUidP50Ms} ms, p95 ${figures.tapToUidP95Ms} ms (target p95 ≤ 300)\n`);
  process.stdout.write(`tap-to-UID, stock vpcd without card events (${taps} taps, incl. pcscd's 400 ms card poll): p50 ${figures.stockPollTapToUidP50Ms} ms, p95 ${figures.stockPollTapToUidP95Ms} ms (what a reader without card events gives)\n`);
  process.stdout.write(`  of which after pcscd saw the card (event, connect, GET UID): p50 ${figures.poweredToUidP50Ms} ms, p95 ${figures.poweredToUidP95Ms} ms\n`);
  process.stdout.write(`personalise-and-verify, blank card (${taps}): p50 ${figures.personaliseBlankP50Ms} ms, p95 ${figures.personaliseBlankP95Ms} ms (target p95 ≤ 800)\n`);
  process.stdout.write(`personalise-and-verify, card with our keys (${repersonalisations}): p50 ${figures.repersonaliseP50Ms} ms, p95 ${figures.repersonaliseP95Ms} ms\n`);
  process.stdout.write(`authenticate, right key (${authentications}): p50 ${figures.authRightKeyP50Ms} ms, p95 ${figures.authRightKeyP95Ms} ms; wrong key first, card re-selected, right key: p50 ${figures.authAfterReselectP50Ms} ms, p95 ${figures.authAfterReselectP95Ms} ms\n`);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

interface Samples {
  readonly tapMs: number[];
  readonly poweredMs: number[];
  readonly blankMs: number[];
  readonly againMs: number[];
  readonly rightKeyMs: number[];
  readonly reselectMs: number[];
}

async function measure(options: { runDir: string; personalise: boolean; cardEvents: boolean }): Promise<Samples> {
  const pcscd = await startPcscd({ runDir: options.runDir, cardEvents: options.cardEvents });
  let station: CitizenCardStation | undefined;
  const samples: Samples = { tapMs: [], poweredMs: [], blankMs: [], againMs: [], rightKeyMs: [], reselectMs: [] };
  try {
    const nfc = await openNfcStation({ socketPath: pcscd.socketPath, readerName: pcscd.readerName });
    station = citizenCardStation(nfc);
    const active = station;
    await until(() => active.readerName() !== undefined);
    // Tap -1 is not measured: it starts the card thread (hardware/nfc/simulator.ts), once per process.
    for (let i = -1; i < taps; i++) {
      const uid = Uint8Array.of(0x04, i, 0x5a, 0xa5);
      const seen = nextCard(active);
      // Taps come at any moment, not in step with pcscd's poll.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 400));
      const start = performance.now();
      const card = await insertVirtualCard({ port: pcscd.vpcdPort, uid });
      let poweredAt = 0;
      void card.powered.then(() => (poweredAt = performance.now()));
      await seen;
      const end = performance.now();
      if (i >= 0) {
        samples.tapMs.push(end - start);
        samples.poweredMs.push(end - poweredAt);
        if (options.personalise) await personaliseTwice(active, uid, i, samples);
        if (options.personalise && i === taps - 1) await authenticateWithAndWithoutHalt(nfc, uid, samples);
      }
      const removed = new Promise<void>((resolve) => {
        const listener = (): void => {
          active.off('removed', listener);
          resolve();
        };
        active.on('removed', listener);
      });
      await card.remove();
      await removed;
    }
    return samples;
  } finally {
    await station?.close();
    await pcscd.stop();
  }
}

async function personaliseTwice(station: CitizenCardStation, uid: Uint8Array, i: number, samples: Samples): Promise<void> {
  const keys = deriveChipKeys(masterKey, uid);
  const personaliseStart = performance.now();
  const result = await station.personalise(record(i), keys);
  if (!result.ok) throw new Error(`personalise failed: ${result.error.message}`);
  samples.blankMs.push(performance.now() - personaliseStart);
  if (i !== taps - 1) return;
  for (let j = 0; j < repersonalisations; j++) {
    const again = performance.now();
    const rewritten = await station.personalise(record(j), keys);
    if (!rewritten.ok) throw new Error(`re-personalise failed: ${rewritten.error.message}`);
    samples.againMs.push(performance.now() - again);
  }
}

/** Sector 1 keeps the transport key: right key alone, or a wrong key first (the card halts and is re-selected). */
async function authenticateWithAndWithoutHalt(nfc: NfcStation, uid: Uint8Array, samples: Samples): Promise<void> {
  const right = { keyType: 'A' as const, key: transportKey };
  const wrong = { keyType: 'A' as const, key: Uint8Array.of(1, 2, 3, 4, 5, 6) };
  for (let j = 0; j < authentications; j++) {
    for (const [into, candidates] of [
      [samples.rightKeyMs, [right]],
      [samples.reselectMs, [wrong, right]],
    ] as const) {
      const start = performance.now();
      const opened = await nfc.withCard(uid, (session) => session.authenticate(1, candidates));
      if (!opened.ok) throw new Error(`authenticate failed: ${opened.error.message}`);
      into.push(performance.now() - start);
    }
  }
}

function record(i: number): CitizenCardRecord {
  return {
    formatVersion,
    cardNumber: `88600000${String(i).padStart(8, '0')}`,
    cardType: 'general',
    scheme: i % 2 === 0 ? 'easycard' : 'ipass',
    issuedOn: '2026-11-29',
    expiresOn: '2031-11-28',
    issuingKioskId: 'TY-BENCH',
    holderIdHash: holderIdHash(masterKey, `A1${String(i).padStart(8, '0')}`),
    wallet: { balance: i, transactionCounter: i },
  };
}


async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error('reader did not appear');
}

/** Percentile rounded to 0.1 ms. */
function p(values: readonly number[], rank: number): number {
  return Math.round(percentile(values, rank) * 10) / 10;
}
