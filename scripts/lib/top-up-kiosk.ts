import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { deriveChipKeys } from '../../hardware/card-record/keys';
import { decodeCardRecord, decodeWalletBlock, headerBlock, walletBlock, walletMacVerifies } from '../../hardware/card-record/layout';
import { loadOrCreateChipMasterKey } from '../../kiosk/controller/chip-master-key';
import { loadConfig } from '../../kiosk/controller/config';
import { demoCitizens, type DemoCitizenKind } from '../../kiosk/controller/devices/demo-citizens';
import { createSimulatedWorld, type SimulatedWorld, type SimulatedWorldOptions } from '../../kiosk/controller/devices/simulated-world';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import { silentLog } from '../../shared/log';
import type { KioskSnapshot, SelfServiceView } from '../../shared/contract/kiosk-api';
import { startControllerProcess, type ControllerProcess } from './controller-process';
import { KioskBench } from './kiosk-bench';

/**
 * An unattended top-up kiosk for tests that pull the plug: the simulated world (pcscd with the counter
 * reader, the ccTalk validator on its pty, the demo citizens' cards) lives in the test's process and
 * outlives the controller, which runs in a child process that a crash point (or the test) SIGKILLs —
 * as a validator and a card outlive a kiosk PC that loses power. The journal and ledger are read
 * straight from the SQLite file, the chip from the world's card.
 */
export interface TopUpKiosk {
  readonly dataDir: string;
  readonly world: SimulatedWorld;
  /** Starts the controller (again), with extra environment such as `KIOSK_CRASH_AT`. */
  start(processEnv?: Readonly<Record<string, string>>): Promise<ControllerProcess>;
  /** The running controller's waits (on its pushed snapshots). */
  bench(): KioskBench;
  /** Lays a demo citizen's card on the counter reader (taking off any card there). */
  tap(kind: DemoCitizenKind): Promise<void>;
  lift(): Promise<void>;
  /**
   * Taps the card until the view satisfies `check` (a tap right after a start can come before the
   * counter reader is watched, and a kiosk whose validator has not answered yet offers no top-up).
   */
  tapUntil(kind: DemoCitizenKind, check: (view: SelfServiceView) => boolean, timeoutMs: number, what: string): Promise<SelfServiceView>;
  /** The self-service view once `check` holds. */
  untilView(check: (view: SelfServiceView) => boolean, timeoutMs: number, what: string): Promise<SelfServiceView>;
  cardNumber(kind: DemoCitizenKind): string;
  ledger(cardNumber: string): Promise<LedgerFacts>;
  /** The wallet on the card's chip, verified under its keys (null: it does not verify). */
  chipWallet(kind: DemoCitizenKind): { readonly balance: number; readonly counter: number } | null;
  cleanUp(): Promise<void>;
}

export interface LedgerFacts {
  /** NT dollars credited to the card's wallet from cash. */
  readonly credited: number;
  readonly balance: number;
  /** The card's wallet transfers (its transaction counter). */
  readonly counter: number;
  readonly journal: ReadonlyArray<{ readonly state: string; readonly amount: number }>;
  readonly openExceptions: readonly string[];
}

export async function topUpKiosk(name: string, worldOptions: SimulatedWorldOptions = {}): Promise<TopUpKiosk> {
  const dataDir = mkdtempSync(join(tmpdir(), `kiosk-${name}-`));
  const env = { KIOSK_SIMULATE: '1', KIOSK_PORT: '0', KIOSK_DATA_DIR: dataDir, KIOSK_MODE: 'self-service' };
  const config = loadConfig(env);
  const world = await createSimulatedWorld(config, silentLog, worldOptions);
  let controller: ControllerProcess | undefined;
  const bench = (): KioskBench => {
    if (!controller) throw new Error('the controller has not started');
    return new KioskBench(name, controller, world, 1);
  };
  const dev = async (command: Parameters<SimulatedWorld['dev']>[0]): Promise<void> => {
    const reply = await world.dev(command);
    if (!reply.accepted) throw new Error(`dev ${command.type}: ${reply.reason}`);
  };
  const untilView: TopUpKiosk['untilView'] = async (check, timeoutMs, what) => {
    let seen: SelfServiceView | null = null;
    await bench().until((snapshot: KioskSnapshot) => {
      const view = snapshot.selfService;
      if (view && check(view)) seen = view;
      return seen !== null;
    }, timeoutMs, what);
    return seen!;
  };
  return {
    dataDir,
    world,
    async start(processEnv = {}) {
      controller = await startControllerProcess(env, world, { processEnv });
      return controller;
    },
    bench,
    tap: (kind) => dev({ type: 'place-card', kind }),
    lift: () => dev({ type: 'remove-card' }),
    async tapUntil(kind, check, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await dev({ type: 'place-card', kind });
        try {
          return await untilView(check, Math.min(5_000, Math.max(1, deadline - Date.now())), what);
        } catch (error) {
          if (Date.now() >= deadline) throw error;
        }
      }
    },
    untilView,
    cardNumber(kind) {
      const citizen = demoCitizens.find((c) => c.kind === kind)!;
      return formatCardNumber(config.kioskNumber, citizen.cardType, citizen.sequence);
    },
    ledger: (cardNumber) => readLedger(join(dataDir, defaultStoreFile), cardNumber),
    chipWallet(kind) {
      const blocks = world.demoCardMemory(kind);
      if (!blocks) throw new Error(`no ${kind} card in the world`);
      const masterKey = loadOrCreateChipMasterKey(join(dataDir, 'keys', 'chip-master.key'));
      const keys = deriveChipKeys(masterKey, blocks[0]!.slice(0, 4));
      const header = blocks[headerBlock]!;
      const wallet = blocks[walletBlock]!;
      if (!walletMacVerifies(header, wallet, keys)) return null;
      // The static record must verify as well: this is the card it claims to be.
      const image = new Map(blocks.map((block, index) => [index, block] as const));
      const record = decodeCardRecord(image, keys);
      if (!record.ok) return null;
      const { balance, transactionCounter } = decodeWalletBlock(wallet);
      return { balance, counter: transactionCounter };
    },
    async cleanUp() {
      await controller?.stop().catch(() => {});
      await world.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function readLedger(file: string, cardNumber: string): Promise<LedgerFacts> {
  const account = `wallet:${cardNumber}`;
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return reject(error);
      const all = <T>(sql: string, params: unknown[]): Promise<T[]> =>
        new Promise((done, fail) => db.all<T>(sql, params, (queryError, rows) => (queryError ? fail(queryError) : done(rows))));
      void (async () => {
        try {
          const transfers = await all<{ kind: string; from_account: string; to_account: string; amount: number }>(
            'SELECT kind, from_account, to_account, amount FROM ledger_transfers WHERE from_account = ? OR to_account = ?',
            [account, account],
          );
          const journal = await all<{ state: string; amount: number }>('SELECT state, amount FROM cash_journal WHERE card_number = ? ORDER BY opened_at', [cardNumber]);
          const exceptions = await all<{ kind: string }>('SELECT kind FROM wallet_exceptions WHERE settled_at IS NULL', []);
          resolve({
            credited: transfers.filter((t) => t.kind === 'cash-top-up' && t.to_account === account).reduce((sum, t) => sum + t.amount, 0),
            balance: transfers.reduce((sum, t) => sum + (t.to_account === account ? t.amount : 0) - (t.from_account === account ? t.amount : 0), 0),
            counter: transfers.length,
            journal,
            openExceptions: exceptions.map((e) => e.kind),
          });
        } catch (queryError) {
          reject(queryError as Error);
        } finally {
          db.close();
        }
      })();
    });
  });
}
