import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBoardSimulator, type BoardSimulator } from '../../../firmware/simulator';
import { fixtureDocuments, type FixtureName } from '../../../hardware/id-scanner/fixtures';
import { startIdScannerSimulator, type IdScannerSimulator } from '../../../hardware/id-scanner/simulator';
import { startPcscd, type PrivatePcscd } from '../../../hardware/nfc/pcscd';
import { insertVirtualCard, type VirtualCard } from '../../../hardware/nfc/simulator';
import { startPrinterSimulator, type PrinterFault, type PrinterSimulator } from '../../../hardware/printer/simulator';
import { openPtyPair, type PtyPair } from '../../../hardware/serial/pty-pair';
import type { DevCommand } from '../../../shared/contract/kiosk-api';
import type { LogSink } from '../../../shared/log';
import type { CommandReply } from '../api/server';
import type { KioskConfig } from '../config';
import { isSimulated } from '../config';

/**
 * The simulated devices of `npm start` and the end-to-end tests: each speaks its real device's
 * bytes on the device end of a socat pty pair (or, for NFC, as a virtual card behind a private
 * real pcscd), so the controller's drivers cannot tell them from hardware. It also plays the
 * physical world: a card the printer parks at its contactless station is put on the encoder's
 * reader, and a card handed out can be tapped again on the counter reader from the dev panel.
 */
export interface SimulatedWorld {
  /** Host ends of the pty pairs, where the drivers connect. */
  readonly paths: { readonly printer?: string; readonly scanner?: string; readonly board?: string };
  readonly pcscd: PrivatePcscd | null;
  /** PC/SC names: the printer's built-in encoder (slot 0) and the counter reader (slot 1). */
  readonly readers: { readonly encoder: string; readonly counter: string } | null;
  readonly printer: PrinterSimulator | null;
  readonly scanner: IdScannerSimulator | null;
  readonly board: BoardSimulator | null;
  /** Cards handed out so far (their chip memory), newest last. */
  issuedCards(): readonly Uint8Array[][];
  /** The demo staff cards the dev panel can lay on the counter reader (chip memory). */
  setStaffCard(kind: 'staff' | 'supervisor' | 'technician', blocks: Uint8Array[]): void;
  dev(command: DevCommand): Promise<CommandReply>;
  /** What a person standing at the kiosk could see: feeder, ribbon, cover, card positions, door. */
  state(): SimulatedWorldState;
  stop(): Promise<void>;
}

export interface SimulatedWorldState {
  readonly printer: { readonly cardsInFeeder: number; readonly ribbonPrintsLeft: number; readonly cover: string; readonly card: string; readonly powered: boolean; readonly cardsPrinted: number } | null;
  readonly counterReader: 'empty' | 'card';
  readonly encoder: 'empty' | 'card';
  readonly cardsIssued: number;
}

/** How often the world looks at where the printer's card is (a real card moves in ~1 s). */
const cardWatchIntervalMs = 50;

const printerFaults: Record<string, PrinterFault> = {
  'feeder-empty': { kind: 'feeder-empty' },
  'load-cards': { kind: 'load-cards', count: 100 },
  'ribbon-end': { kind: 'ribbon-end' },
  'new-ribbon': { kind: 'new-ribbon', prints: 300 },
  'cover-open': { kind: 'cover-open' },
  'cover-close': { kind: 'cover-close' },
  jam: { kind: 'jam', atStep: 'print-front' },
  'clear-jam': { kind: 'clear-jam' },
  'power-loss': { kind: 'power-loss' },
  'power-on': { kind: 'power-on' },
  garbage: { kind: 'garbage', bytes: 64 },
};
export const printerFaultNames = Object.keys(printerFaults);

export async function createSimulatedWorld(config: KioskConfig, log: LogSink): Promise<SimulatedWorld> {
  // Runtime files only (pty links, pcscd's socket): left over after a crash or power cut, never reused.
  const runDir = join(config.dataDir, 'run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const pairs: PtyPair[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const pty = async (name: string): Promise<PtyPair> => {
    const pair = await openPtyPair(name, runDir);
    pairs.push(pair);
    return pair;
  };

  try {
    /** A simulator on the device end of a new pty pair; the driver gets the host end. */
    const onPty = async <T extends { close(): Promise<void> }>(name: 'printer' | 'scanner' | 'board', start: (devicePath: string) => Promise<T>) => {
      if (!isSimulated(config, name)) return { simulator: null, hostPath: undefined };
      const pair = await pty(name);
      const simulator = await start(pair.devicePath);
      cleanups.push(() => simulator.close());
      return { simulator, hostPath: pair.hostPath };
    };
    const { simulator: printer, hostPath: printerPath } = await onPty('printer', (devicePath) =>
      startPrinterSimulator({ devicePath, timeScale: config.printerTimeScale, cards: 100, ribbonPrints: 300, log }),
    );
    const { simulator: scanner, hostPath: scannerPath } = await onPty('scanner', (devicePath) => startIdScannerSimulator({ devicePath, mode: 'rte' }));
    const { simulator: board, hostPath: boardPath } = await onPty('board', (devicePath) => startBoardSimulator({ devicePath }));

    let pcscd: PrivatePcscd | null = null;
    if (isSimulated(config, 'nfc')) {
      pcscd = await startPcscd({ runDir: join(runDir, 'pcscd'), log });
      cleanups.push(() => pcscd!.stop());
    }

    const issued: Uint8Array[][] = [];
    let encoderCard: VirtualCard | null = null;
    let counterCard: VirtualCard | null = null;
    let moving = false;
    const watch = printer && pcscd
      ? setInterval(() => {
          if (moving) return;
          const atStation = printer.state().card === 'contactless-station';
          if (atStation === (encoderCard !== null)) return;
          moving = true;
          void (async () => {
            try {
              if (atStation) {
                encoderCard = await insertVirtualCard({ port: pcscd.vpcdPort });
              } else if (encoderCard) {
                const card = encoderCard;
                encoderCard = null;
                if (printer.state().cardsEjected > issued.length) issued.push(card.blocks());
                await card.remove();
              }
            } finally {
              moving = false;
            }
          })();
        }, cardWatchIntervalMs)
      : undefined;

    const reply = (accepted: boolean, reason = ''): CommandReply => (accepted ? { accepted: true } : { accepted: false, reason });
    const staffCards: Partial<Record<'staff' | 'supervisor' | 'technician', Uint8Array[]>> = {};
    /** Lays a card on the counter reader (taking off the one there): a chip memory, a blank card or a phone. */
    const placeOnCounter = async (card: { blocks?: readonly Uint8Array[]; phone?: boolean }): Promise<void> => {
      if (!pcscd) throw new Error('the NFC reader is not simulated');
      await counterCard?.remove();
      counterCard = await insertVirtualCard({
        port: pcscd.vpcdPort + 1,
        kind: card.phone ? 'iso14443-4-phone' : 'classic-1k',
        ...(card.blocks ? { uid: card.blocks[0]!.slice(0, 4), blocks: card.blocks } : {}),
      });
    };

    return {
      paths: { ...(printerPath ? { printer: printerPath } : {}), ...(scannerPath ? { scanner: scannerPath } : {}), ...(boardPath ? { board: boardPath } : {}) },
      pcscd,
      readers: pcscd ? { encoder: pcscd.readerName, counter: pcscd.readerName.replace(/00$/, '01') } : null,
      printer,
      scanner,
      board,
      issuedCards: () => issued,
      state() {
        const printerState = printer?.state();
        return {
          printer: printerState
            ? {
                cardsInFeeder: printerState.cardsInFeeder,
                ribbonPrintsLeft: printerState.ribbonPrintsLeft,
                cover: printerState.cover,
                card: printerState.card,
                powered: printerState.powered,
                cardsPrinted: printer!.printedCards().length,
              }
            : null,
          counterReader: counterCard?.present ? 'card' : 'empty',
          encoder: encoderCard?.present ? 'card' : 'empty',
          cardsIssued: issued.length,
        };
      },
      setStaffCard: (kind, blocks) => {
        staffCards[kind] = blocks;
      },
      async dev(command) {
        switch (command.type) {
          case 'feed-document': {
            if (!scanner) return reply(false, 'the ID scanner is not simulated');
            const fixture = fixtureDocuments[command.fixture as FixtureName];
            if (!fixture) return reply(false, `no fixture '${command.fixture}'; try one of ${Object.keys(fixtureDocuments).join(', ')}`);
            await scanner.feed(fixture);
            return reply(true);
          }
          case 'feed-taiwan-id':
            if (!scanner) return reply(false, 'the ID scanner is not simulated');
            await scanner.feedTaiwanIdBarcode(command.idNumber);
            return reply(true);
          case 'place-card': {
            if (!pcscd) return reply(false, 'the NFC reader is not simulated');
            if (command.kind === 'staff' || command.kind === 'supervisor' || command.kind === 'technician') {
              const blocks = staffCards[command.kind];
              if (!blocks) return reply(false, `no demo ${command.kind} card on this kiosk`);
              await placeOnCounter({ blocks });
            } else if (command.kind === 'citizen' || command.kind === 'first-citizen') {
              // The card handed out last, or the first of this session (after a replacement: the hot-listed one).
              const card = command.kind === 'citizen' ? issued.at(-1) : issued[0];
              if (!card) return reply(false, 'no card has been issued yet in this session');
              await placeOnCounter({ blocks: card });
            } else {
              await placeOnCounter(command.kind === 'phone' ? { phone: true } : {});
            }
            return reply(true);
          }
          case 'remove-card':
            if (!counterCard) return reply(false, 'no card is on the counter reader');
            await counterCard.remove();
            counterCard = null;
            return reply(true);
          case 'printer-fault': {
            if (!printer) return reply(false, 'the card printer is not simulated');
            const fault = printerFaults[command.fault];
            if (!fault) return reply(false, `no printer fault '${command.fault}'; try one of ${printerFaultNames.join(', ')}`);
            printer.injectFault(fault);
            return reply(true);
          }
          case 'insert-note':
            if (!board) return reply(false, 'the I/O board is not simulated');
            // The acceptor refuses notes while inhibited; the pulses are what a real one sends when it takes one.
            void board.insertNote(command.amount);
            return reply(true);
          case 'door':
            if (!board) return reply(false, 'the I/O board is not simulated');
            board.setDoor(command.open);
            return reply(true);
          default: {
            const unknown: never = command;
            return reply(false, `unknown dev command ${JSON.stringify(unknown)}`);
          }
        }
      },
      async stop() {
        clearInterval(watch);
        await encoderCard?.remove().catch(() => {});
        await counterCard?.remove().catch(() => {});
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
        for (const pair of pairs) await pair.close();
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    for (const pair of pairs) await pair.close();
    throw error;
  }
}
