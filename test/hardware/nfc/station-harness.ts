import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { citizenCardStation } from '../../../hardware/card-record/station';
import type { CitizenCardStation } from '../../../hardware/card-record/types';
import { openNfcStation, type NfcTimeouts } from '../../../hardware/nfc/driver';
import { startPcscd, type PrivatePcscd, type StartPcscdOptions } from '../../../hardware/nfc/pcscd';
import { insertVirtualCard, type InsertVirtualCardOptions, type VirtualCard } from '../../../hardware/nfc/simulator';
import type { CardTap, NfcStation, NfcStationEvents } from '../../../hardware/nfc/types';
import type { LogSink } from '../../../shared/log';

/**
 * One private pcscd and one station for a whole test file (libpcsclite binds one socket per process),
 * with helpers to tap and lift virtual cards. Cards still on the reader are lifted after each test.
 */
export interface StationHarness {
  /** The station with the citizen-card record on top (what the kiosk uses). */
  station(): CitizenCardStation;
  /** The bare reader: blocks, keys and authentication only. */
  nfcStation(): NfcStation;
  pcscd(): PrivatePcscd | undefined;
  /** Replaces the daemon (the reader unplugged and back). */
  setPcscd(next: PrivatePcscd | undefined): void;
  runDir(): string;
  next<E extends keyof NfcStationEvents>(event: E): Promise<NfcStationEvents[E][0]>;
  /** Places a card and waits for the station's `card` event. */
  tap(options?: Omit<InsertVirtualCardOptions, 'port'>): Promise<{ card: VirtualCard; tap: CardTap }>;
  /** Places a card without waiting for any event. */
  place(options?: Omit<InsertVirtualCardOptions, 'port'>): Promise<VirtualCard>;
  lift(card: VirtualCard): Promise<void>;
  /** Forget the cards placed so far (a test that lifted them itself). */
  forgetCards(): void;
  port(): number;
}

/** pcscd's vpcd card poll, shortened from 400 ms so that the many taps stay quick. */
export const cardPollMs = 40;
// Generous: a tap takes well under a second, but pcscd and the card share 2 busy cores with the whole suite.
const tapTimeoutMs = 15_000;

export interface StationHarnessOptions {
  readonly timeouts?: Partial<NfcTimeouts>;
  /** How pcscd finds cards: the quick 40 ms poll unless given. */
  readonly cardDetection?: Pick<StartPcscdOptions, 'cardPollMs' | 'cardEvents'>;
}

export function useStation(options: StationHarnessOptions = {}): StationHarness {
  let runDir = '';
  let pcscd: PrivatePcscd | undefined;
  let nfc: NfcStation | undefined;
  let station: CitizenCardStation | undefined;
  const cards: VirtualCard[] = [];
  // The station's last log events, for the message of a tap that never came.
  const recentLog: string[] = [];
  const log: LogSink = (event) => {
    recentLog.push(`${event.eventId}: ${event.message}`);
    recentLog.splice(0, recentLog.length - 12);
  };

  const harness: StationHarness = {
    station() {
      if (!station) throw new Error('station not open');
      return station;
    },
    nfcStation() {
      if (!nfc) throw new Error('station not open');
      return nfc;
    },
    pcscd: () => pcscd,
    setPcscd(next) {
      pcscd = next;
    },
    runDir: () => runDir,
    next(event) {
      const s = harness.station();
      return new Promise((resolve) => {
        const listener = (...args: NfcStationEvents[typeof event]) => {
          s.off(event, listener);
          resolve(args[0] as NfcStationEvents[typeof event][0]);
        };
        s.on(event, listener);
      });
    },
    async place(cardOptions = {}) {
      const card = await insertVirtualCard({ port: harness.port(), ...cardOptions });
      cards.push(card);
      return card;
    },
    async tap(cardOptions = {}) {
      const seen = harness.next('card');
      const card = await harness.place(cardOptions);
      let timer: NodeJS.Timeout | undefined;
      let powered = false;
      void card.powered.then(() => (powered = true));
      // A clear failure instead of the test's timeout: did pcscd ever power the card up?
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no card event within ${tapTimeoutMs} ms (asked for its ATR by pcscd: ${powered}; APDUs: ${card.apdus().join(' ')}; station log: ${recentLog.join(' | ')})`)), tapTimeoutMs);
      });
      try {
        return { card, tap: await Promise.race([seen, stuck]) };
      } finally {
        clearTimeout(timer);
      }
    },
    async lift(card) {
      const removed = harness.next('removed');
      await card.remove();
      await removed;
    },
    forgetCards: () => void cards.splice(0),
    port() {
      if (!pcscd) throw new Error('pcscd not running');
      return pcscd.vpcdPort;
    },
  };

  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'nfc-station-'));
    pcscd = await startPcscd({ runDir, ...(options.cardDetection ?? { cardPollMs }) });
    nfc = await openNfcStation({ socketPath: pcscd.socketPath, readerName: pcscd.readerName, log, ...(options.timeouts ? { timeouts: options.timeouts } : {}) });
    station = citizenCardStation(nfc, log);
    if (station.readerName() === undefined) await harness.next('readerAttached');
  });

  afterEach(async () => {
    for (const card of cards.splice(0)) {
      // A card the station announced is lifted with its `removed` event; any other just leaves.
      if (card.present && station?.currentCard()) await harness.lift(card);
      else await card.remove();
    }
  });

  afterAll(async () => {
    await station?.close();
    await pcscd?.stop();
    rmSync(runDir, { recursive: true, force: true });
  });

  return harness;
}
