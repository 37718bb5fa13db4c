import { performance } from 'node:perf_hooks';
import { openNfcStation } from '../../hardware/nfc/driver';
import { deriveChipKeys, holderIdHash } from '../../hardware/nfc/keys';
import type { CitizenCardRecord } from '../../hardware/nfc/layout';
import { startPcscd } from '../../hardware/nfc/pcscd';
import { nextCard } from '../../hardware/nfc/next-card';
import { insertVirtualCard } from '../../hardware/nfc/simulator';
import type { NfcStation } from '../../hardware/nfc/types';

/**
 * NFC latency through the real stack: a private pcscd + vpcd + nfc-pcsc, the virtual card on vpcd.
 * - tap-to-UID: card placed (vpcd connection) → the station's `card` event with the UID. Includes pcscd's
 *   card polling (vpcd has no card-event support: pcscd polls every 400 ms); powered-to-UID is the part
 *   after pcscd saw the card (its ATR request): pcsclite event, connect, GET UID.
 * - personalise-and-verify: `station.personalise()` on a blank card (9 writes, each read back, then the
 *   whole record read back and its MAC verified), and re-personalising a card that has our keys.
 */
const taps = 25;
const repersonalisations = 100;
const masterKey = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

export async function runBenchmark(): Promise<void> {
  const pcscd = await startPcscd();
  let station: NfcStation | undefined;
  try {
    station = await openNfcStation({ socketPath: pcscd.socketPath, readerName: pcscd.readerName });
    const active = station;
    await until(() => active.readerName() !== undefined);
    const tapMs: number[] = [];
    const poweredMs: number[] = [];
    const blankMs: number[] = [];
    const againMs: number[] = [];
    for (let i = 0; i < taps; i++) {
      const uid = Uint8Array.of(0x04, i, 0x5a, 0xa5);
      const seen = nextCard(active);
      const start = performance.now();
      const card = await insertVirtualCard({ port: pcscd.vpcdPort, uid });
      let poweredAt = 0;
      void card.powered.then(() => (poweredAt = performance.now()));
      await seen;
      const end = performance.now();
      tapMs.push(end - start);
      poweredMs.push(end - poweredAt);
      const keys = deriveChipKeys(masterKey, uid);
      const personaliseStart = performance.now();
      const result = await active.personalise(record(i), keys);
      if (!result.ok) throw new Error(`personalise failed: ${result.error.message}`);
      blankMs.push(performance.now() - personaliseStart);
      if (i === taps - 1) {
        for (let j = 0; j < repersonalisations; j++) {
          const again = performance.now();
          const rewritten = await active.personalise(record(j), keys);
          if (!rewritten.ok) throw new Error(`re-personalise failed: ${rewritten.error.message}`);
          againMs.push(performance.now() - again);
        }
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
    const figures = {
      taps,
      tapToUidP50Ms: percentile(tapMs, 50),
      tapToUidP95Ms: percentile(tapMs, 95),
      poweredToUidP50Ms: percentile(poweredMs, 50),
      poweredToUidP95Ms: percentile(poweredMs, 95),
      personaliseBlankP50Ms: percentile(blankMs, 50),
      personaliseBlankP95Ms: percentile(blankMs, 95),
      repersonaliseP50Ms: percentile(againMs, 50),
      repersonaliseP95Ms: percentile(againMs, 95),
    };
    process.stdout.write(`tap-to-UID (${taps} taps, incl. pcscd's 400 ms card polling): p50 ${figures.tapToUidP50Ms} ms, p95 ${figures.tapToUidP95Ms} ms (target p95 ≤ 300)\n`);
    process.stdout.write(`  of which after pcscd saw the card (event, connect, GET UID): p50 ${figures.poweredToUidP50Ms} ms, p95 ${figures.poweredToUidP95Ms} ms\n`);
    process.stdout.write(`personalise-and-verify, blank card (${taps}): p50 ${figures.personaliseBlankP50Ms} ms, p95 ${figures.personaliseBlankP95Ms} ms (target p95 ≤ 800)\n`);
    process.stdout.write(`personalise-and-verify, card with our keys (${repersonalisations}): p50 ${figures.repersonaliseP50Ms} ms, p95 ${figures.repersonaliseP95Ms} ms\n`);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await station?.close();
    await pcscd.stop();
  }
}

function record(i: number): CitizenCardRecord {
  return {
    formatVersion: 1,
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

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10;
}
