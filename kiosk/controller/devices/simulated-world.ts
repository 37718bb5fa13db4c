import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startBoardSimulatorOnPty, type BoardSimulator, type NoteValue } from '../../../firmware/simulator';
import {
  startBillValidatorSimulatorOnPty,
  type BillValidatorSimulatorOptions,
  type PluggableBillValidatorSimulator,
} from '../../../hardware/bill-validator/simulator';
import { fixtureDocuments, type FixtureName } from '../../../hardware/id-scanner/fixtures';
import { startIdScannerSimulatorOnPty, type PluggableIdScannerSimulator } from '../../../hardware/id-scanner/simulator';
import { startPcscd, type PrivatePcscd } from '../../../hardware/nfc/pcscd';
import { insertVirtualCard, type VirtualCard, type VirtualCardFaults } from '../../../hardware/nfc/simulator';
import { walletBlock } from '../../../hardware/card-record/layout';
import { startPrinterSimulatorOnPty, type PluggablePrinterSimulator, type PrinterFault } from '../../../hardware/printer/simulator';
import { realTimers, waitOn, type Timers } from '../../../shared/clock';
import type { CabledDevice, CardFault, DevCommand, DevWorldState, PrinterFaultStep } from '../../../shared/contract/kiosk-api';
import { refused } from '../../../shared/contract/kiosk-api';
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
 * Each serial simulator owns its pty pair, so the dev panel can pull its cable and plug it back
 * at the same host path (the driver reconnects by itself).
 */
export interface SimulatedWorld {
  /** Host ends of the pty pairs, where the drivers connect. */
  readonly paths: { readonly printer?: string; readonly scanner?: string; readonly board?: string; readonly billValidator?: string };
  readonly pcscd: PrivatePcscd | null;
  /** PC/SC names: the printer's built-in encoder (slot 0) and the counter reader (slot 1). */
  readonly readers: { readonly encoder: string; readonly counter: string } | null;
  readonly printer: PluggablePrinterSimulator | null;
  readonly scanner: PluggableIdScannerSimulator | null;
  readonly board: BoardSimulator | null;
  /** The ccTalk bill validator (when simulated): tests insert notes and inject faults through it. */
  readonly validator: PluggableBillValidatorSimulator | null;
  /** Cards handed out so far (their chip memory as it is now: a wallet written at the counter shows), newest last. */
  issuedCards(): readonly Uint8Array[][];
  /** The demo staff cards the dev panel can lay on the counter reader (chip memory). */
  setStaffCard(kind: 'staff' | 'supervisor' | 'technician', blocks: Uint8Array[]): void;
  dev(command: DevCommand): Promise<CommandReply>;
  /** What a person standing at the kiosk could see: feeder, ribbon, cover, card positions, door. */
  state(): SimulatedWorldState;
  stop(): Promise<void>;
}

/**
 * What the controller needs of a simulated world: where its devices are, and where to lay the demo
 * staff cards. The world may run in another process (the issuance benchmark keeps it apart, so the
 * controller's CPU can be measured alone).
 */
export interface SimulatedWorldLink {
  readonly paths: SimulatedWorld['paths'];
  readonly readers: SimulatedWorld['readers'];
  /** The private pcscd's socket, when NFC is simulated. */
  readonly pcscdSocketPath: string | null;
  setStaffCard: SimulatedWorld['setStaffCard'];
}

/** The link to a world running in this process. */
export function linkTo(world: SimulatedWorld): SimulatedWorldLink {
  return { paths: world.paths, readers: world.readers, pcscdSocketPath: world.pcscd?.socketPath ?? null, setStaffCard: (kind, blocks) => world.setStaffCard(kind, blocks) };
}

/** What the dev panel shows (the contract's `devWorldStateSchema`). */
export type SimulatedWorldState = DevWorldState;

/** Between lifting one card off the counter reader and laying the next: a hand takes longer. */
const cardSwapGapMs = 150;

/** The dev panel's printer faults; `atStep` times the ones a real printer can suffer mid-job. */
const printerFaults: Record<string, (atStep: PrinterFaultStep | undefined) => PrinterFault> = {
  'feeder-empty': () => ({ kind: 'feeder-empty' }),
  'load-cards': () => ({ kind: 'load-cards', count: 100 }),
  'ribbon-end': () => ({ kind: 'ribbon-end' }),
  'new-ribbon': () => ({ kind: 'new-ribbon', prints: 300 }),
  'cover-open': (atStep) => (atStep ? { kind: 'cover-open', atStep } : { kind: 'cover-open' }),
  'cover-close': () => ({ kind: 'cover-close' }),
  jam: (atStep) => ({ kind: 'jam', atStep: atStep ?? 'print-front' }),
  'clear-jam': () => ({ kind: 'clear-jam' }),
  /** Someone takes the cards waiting in the exit slot. */
  'take-card': () => ({ kind: 'take-card' }),
  'power-loss': (atStep) => (atStep ? { kind: 'power-loss', atStep } : { kind: 'power-loss' }),
  'power-on': () => ({ kind: 'power-on' }),
  garbage: () => ({ kind: 'garbage', bytes: 64 }),
};
/** The dev panel's citizen-card faults: the wallet mirror write (block 56) lifted before it lands, or torn. */
const cardFaults: Record<CardFault, VirtualCardFaults> = {
  'lift-before-wallet-write': { liftBeforeWrite: { block: walletBlock } },
  'tear-wallet-write': { tearWrite: { block: walletBlock } },
};

/** The faults that take a step; the others refuse one rather than ignore it. */
const timedPrinterFaults = new Set(['jam', 'cover-open', 'power-loss']);
export const printerFaultNames = Object.keys(printerFaults);

export interface SimulatedWorldOptions {
  /** The clock a hand's gap between two cards runs on: real time by default (pcscd, a real process, must see it). */
  readonly timers?: Timers;
  /** The simulated validator's timing (a real validator's by default: escrow timeout 10 s, stacking 1.5 s). */
  readonly validator?: Partial<Omit<BillValidatorSimulatorOptions, 'devicePath'>>;
}

/** The pulse acceptor on the I/O board is programmed for these notes only. */
const pulseNotes: readonly number[] = [100, 500, 1000];

export async function createSimulatedWorld(config: KioskConfig, log: LogSink, options: SimulatedWorldOptions = {}): Promise<SimulatedWorld> {
  const timers = options.timers ?? realTimers;
  // Runtime files only (pty links, pcscd's socket): left over after a crash or power cut, never reused.
  const runDir = join(config.dataDir, 'run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const cleanups: Array<() => Promise<void>> = [];
  const reply = (accepted: boolean, reason = ''): CommandReply => (accepted ? { accepted: true } : refused('other', reason));

  try {
    /** A simulator on the device end of its own pty pair (its cable); the driver gets the host end. */
    const onPty = async <T extends { close(): Promise<void>; readonly hostPath: string }>(name: CabledDevice, start: (pty: { ptyName: string; dir: string }) => Promise<T>) => {
      if (!isSimulated(config, name)) return { simulator: null, hostPath: undefined };
      const simulator = await start({ ptyName: name, dir: runDir });
      cleanups.push(() => simulator.close());
      return { simulator, hostPath: simulator.hostPath };
    };
    const { simulator: printer, hostPath: printerPath } = await onPty('printer', (pty) =>
      startPrinterSimulatorOnPty({ ...pty, timeScale: config.printerTimeScale, cards: 100, ribbonPrints: 300, log }),
    );
    const { simulator: scanner, hostPath: scannerPath } = await onPty('scanner', (pty) => startIdScannerSimulatorOnPty({ ...pty, mode: 'rte' }));
    const { simulator: board, hostPath: boardPath } = await onPty('board', (pty) => startBoardSimulatorOnPty(pty));
    let validator: PluggableBillValidatorSimulator | null = null;
    if (isSimulated(config, 'billValidator')) {
      const started = await startBillValidatorSimulatorOnPty({ ...options.validator, ptyName: 'validator', dir: runDir });
      validator = started;
      cleanups.push(() => started.close());
    }
    // The board has no `plugged` of its own: the world remembers whether it pulled the board's cable.
    let boardPlugged = true;
    const cables = (): Partial<Record<CabledDevice, boolean>> => ({
      ...(printer ? { printer: printer.plugged } : {}),
      ...(scanner ? { scanner: scanner.plugged } : {}),
      ...(board ? { board: boardPlugged } : {}),
    });
    const cable = async (device: CabledDevice, plugIn: boolean): Promise<CommandReply> => {
      const simulator = { printer, scanner, board }[device];
      if (!simulator) return reply(false, `the ${device} is not simulated`);
      if (cables()[device] === plugIn) return reply(true);
      if (device === 'board') boardPlugged = plugIn;
      await (plugIn ? simulator.replug() : simulator.unplug());
      log({ eventId: 'simulated-cable', disposition: 'na', message: `${device} cable ${plugIn ? 'plugged in' : 'pulled'}` });
      return reply(true);
    };

    let pcscd: PrivatePcscd | null = null;
    if (isSimulated(config, 'nfc')) {
      pcscd = await startPcscd({ runDir: join(runDir, 'pcscd'), cardEvents: true, log });
      cleanups.push(() => pcscd!.stop());
    }

    const issued: Uint8Array[][] = [];
    let encoderCard: VirtualCard | null = null;
    /** The next blank at the encoder has a defective chip (dev `chip-fault`): its writes never hold. */
    let nextBlankDefective = false;
    let counterCard: VirtualCard | null = null;
    /** A card fault (dev `card-fault`) waiting for the next card laid on the counter reader. */
    let nextCounterCardFaults: VirtualCardFaults | null = null;
    /**
     * The last counter-reader placement of each card in hand ('issued:<index>', 'staff:<kind>'): a card
     * keeps what the counter wrote to it (its wallet), so laying it down again sees its chip as it is.
     */
    const cardsInHand = new Map<string, VirtualCard>();
    const memoryOf = (source: string, made: Uint8Array[] | undefined): Uint8Array[] | undefined => cardsInHand.get(source)?.blocks() ?? made;
    const issuedMemory = (index: number): Uint8Array[] | undefined => memoryOf(`issued:${index}`, issued[index]);
    /** When the counter reader's field last became empty (a card removed). */
    let counterEmptySince = 0;
    // The printer's mechanics move the card: one reaching or leaving the contactless station moves a
    // virtual card into or out of the reader that the real pcscd process watches. One move at a time; a
    // move told meanwhile is caught up with once the one under way is done.
    let following = false;
    let movedMeanwhile = false;
    const followPrinterCard = async (): Promise<void> => {
      if (!printer || !pcscd) return;
      if (following) {
        movedMeanwhile = true;
        return;
      }
      following = true;
      try {
        do {
          movedMeanwhile = false;
          const atStation = printer.state().card === 'contactless-station';
          if (atStation && !encoderCard) {
            const defective = nextBlankDefective;
            nextBlankDefective = false;
            encoderCard = await insertVirtualCard({ port: pcscd.vpcdPort, ...(defective ? { faults: { corruptWrites: Infinity } } : {}) });
          } else if (!atStation && encoderCard) {
            const card = encoderCard;
            encoderCard = null;
            if (printer.state().cardsEjected > issued.length) issued.push(card.blocks());
            await card.remove();
          }
        } while (movedMeanwhile);
      } finally {
        following = false;
      }
    };
    // Told within the simulator's own step: looked at once that step (e.g. the eject's counters) is done.
    const stopFollowing = printer?.onCardMoved(() => queueMicrotask(() => {
      followPrinterCard().catch((error: unknown) => log({ eventId: 'simulated-encoder-card-failed', disposition: 'failure', message: String(error) }));
    }));

    const staffCards: Partial<Record<'staff' | 'supervisor' | 'technician', Uint8Array[]>> = {};
    /** Lays a card on the counter reader (taking off the one there): a chip memory, a blank card or a phone. */
    const placeOnCounter = async (card: { blocks?: readonly Uint8Array[]; phone?: boolean }): Promise<VirtualCard> => {
      if (!pcscd) throw new Error('the NFC reader is not simulated');
      if (counterCard?.present) {
        await counterCard.remove();
        counterEmptySince = Date.now();
      }
      // A hand swapping cards leaves the field empty for a moment; a card placed sooner after the last one
      // left (a swap, or a removal just before) could reach pcscd's clients as one "card still present"
      // and the new card would go unread.
      const emptyFor = Date.now() - counterEmptySince;
      if (emptyFor < cardSwapGapMs) await waitOn(timers, cardSwapGapMs - emptyFor);
      const faults = card.phone ? null : nextCounterCardFaults;
      nextCounterCardFaults = null;
      const placed = await insertVirtualCard({
        port: pcscd.vpcdPort + 1,
        kind: card.phone ? 'iso14443-4-phone' : 'classic-1k',
        ...(card.blocks ? { uid: card.blocks[0]!.slice(0, 4), blocks: card.blocks } : {}),
        ...(faults ? { faults } : {}),
      });
      counterCard = placed;
      // A fault can lift the card by itself: the field is empty from then on.
      void placed.gone.then(() => {
        if (counterCard === placed) counterEmptySince = Date.now();
      });
      return placed;
    };

    return {
      paths: {
        ...(printerPath ? { printer: printerPath } : {}),
        ...(scannerPath ? { scanner: scannerPath } : {}),
        ...(boardPath ? { board: boardPath } : {}),
        ...(validator ? { billValidator: validator.hostPath } : {}),
      },
      pcscd,
      readers: pcscd ? { encoder: pcscd.readerName, counter: pcscd.readerName.replace(/00$/, '01') } : null,
      printer,
      scanner,
      board,
      validator,
      issuedCards: () => issued.map((_, index) => issuedMemory(index) ?? []),
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
                cardsInOutput: printerState.cardsInOutput,
              }
            : null,
          counterReader: counterCard?.present ? 'card' : 'empty',
          encoder: encoderCard?.present ? 'card' : 'empty',
          cardsIssued: issued.length,
          validator: validatorView(validator),
          cables: cables(),
        };
      },
      setStaffCard: (kind, blocks) => {
        staffCards[kind] = blocks;
        cardsInHand.delete(`staff:${kind}`); // a new card made for that role
      },
      async dev(command) {
        switch (command.type) {
          case 'feed-document': {
            if (!scanner) return reply(false, 'the ID scanner is not simulated');
            if (!scanner.plugged) return reply(false, 'the ID scanner is unplugged');
            const fixture = fixtureDocuments[command.fixture as FixtureName];
            if (!fixture) return reply(false, `no fixture '${command.fixture}'; try one of ${Object.keys(fixtureDocuments).join(', ')}`);
            await scanner.feed(fixture);
            return reply(true);
          }
          case 'feed-taiwan-id':
            if (!scanner) return reply(false, 'the ID scanner is not simulated');
            if (!scanner.plugged) return reply(false, 'the ID scanner is unplugged');
            await scanner.feedTaiwanIdBarcode(command.idNumber);
            return reply(true);
          case 'place-card': {
            if (!pcscd) return reply(false, 'the NFC reader is not simulated');
            if (command.kind === 'staff' || command.kind === 'supervisor' || command.kind === 'technician') {
              const source = `staff:${command.kind}`;
              const blocks = memoryOf(source, staffCards[command.kind]);
              if (!blocks) return reply(false, `no demo ${command.kind} card on this kiosk`);
              cardsInHand.set(source, await placeOnCounter({ blocks }));
            } else if (command.kind === 'citizen' || command.kind === 'first-citizen') {
              // The card handed out last, or the first of this session (after a replacement: the hot-listed one).
              const index = command.kind === 'citizen' ? issued.length - 1 : 0;
              const card = issuedMemory(index);
              if (!card) return reply(false, 'no card has been issued yet in this session');
              cardsInHand.set(`issued:${index}`, await placeOnCounter({ blocks: card }));
            } else {
              await placeOnCounter(command.kind === 'phone' ? { phone: true } : {});
            }
            return reply(true);
          }
          case 'remove-card':
            if (!counterCard) return reply(false, 'no card is on the counter reader');
            await counterCard.remove();
            counterEmptySince = Date.now();
            counterCard = null;
            return reply(true);
          case 'printer-fault': {
            if (!printer) return reply(false, 'the card printer is not simulated');
            const fault = printerFaults[command.fault];
            if (!fault) return reply(false, `no printer fault '${command.fault}'; try one of ${printerFaultNames.join(', ')}`);
            if (command.atStep && !timedPrinterFaults.has(command.fault)) return reply(false, `'${command.fault}' happens now; only ${[...timedPrinterFaults].join(', ')} take a step`);
            printer.injectFault(fault(command.atStep));
            return reply(true);
          }
          case 'chip-fault':
            if (!printer || !pcscd) return reply(false, 'the printer and its encoder are not simulated');
            nextBlankDefective = true;
            return reply(true);
          case 'card-fault': {
            if (!pcscd) return reply(false, 'the NFC reader is not simulated');
            const faults = cardFaults[command.fault];
            // On the citizen card there now, or armed for the next card laid on the counter reader.
            if (counterCard?.present && counterCard.kind === 'classic-1k') counterCard.setFaults(faults);
            else nextCounterCardFaults = faults;
            log({ eventId: 'simulated-card-fault', disposition: 'na', message: `counter card fault armed: ${command.fault}` });
            return reply(true);
          }
          case 'cable':
            return cable(command.device, command.plugged);
          case 'insert-note':
            if (config.cashDevice === 'cctalk') {
              if (!validator) return reply(false, 'the bill validator is not simulated');
              // The validator decides: escrow, or refused (inhibited, counterfeit...) with its status event.
              void validator.insertNote(command.amount, { counterfeit: command.counterfeit ?? false });
              return reply(true);
            }
            if (!board) return reply(false, 'the I/O board is not simulated');
            if (command.counterfeit) return reply(false, 'the pulse acceptor cannot be given a counterfeit from here');
            if (!pulseNotes.includes(command.amount)) return reply(false, `the pulse acceptor takes NT$${pulseNotes.join(', ')} only`);
            // The acceptor refuses notes while inhibited; the pulses are what a real one sends when it takes one.
            void board.insertNote(command.amount as NoteValue);
            return reply(true);
          case 'validator-fault':
            if (!validator) return reply(false, 'the bill validator is not simulated');
            validator.injectFault({ kind: command.fault });
            log({ eventId: 'simulated-validator-fault', disposition: 'na', message: `bill validator fault: ${command.fault}` });
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
        stopFollowing?.();
        await encoderCard?.remove().catch(() => {});
        await counterCard?.remove().catch(() => {});
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    throw error;
  }
}

function validatorView(validator: PluggableBillValidatorSimulator | null): SimulatedWorldState['validator'] {
  if (!validator) return null;
  const state = validator.state();
  return {
    powered: state.powered,
    masterInhibit: state.masterInhibit,
    escrow: state.escrow?.value ?? null,
    stacker: state.stacker,
    jam: state.jam,
    counter: state.counter,
    stackerNotes: Object.fromEntries(Object.entries(state.stackerNotes).map(([value, count]) => [String(value), count])),
  };
}
