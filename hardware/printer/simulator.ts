import { randomBytes } from 'node:crypto';
import { SerialPort } from 'serialport';
import { openPtyCable, plugInto, type CableControls, type PtyCableOptions } from '../serial/pty-cable';
import { silentLog, type LogSink } from '../../shared/log';
import { assertNever } from '../../shared/result';
import { overlayFacts, panelsToImage } from './panels';
import { encodeRgbPng } from './png';
import { CommandParser, type HostMessage } from './protocol';
import { cardHeightDots, cardWidthDots, ribbonTypes, type CardPosition, type Panel, type PanelName, type RibbonType } from './types';

/**
 * An Evolis-class card printer on the device end of a pty: it parses the host's real byte stream
 * (protocol.ts), answers with the replies of the Programming Guide and of current firmware, moves
 * simulated cards with realistic timing, and keeps the panels of each printed side, decoded to a PNG
 * only when someone asks for the image (the last `keptImages` cards).
 *
 * A sequence that ends with `Sic` instead of `Se` prints and then parks the card at the contactless
 * station (the kiosk encodes the chip after printing); `Se` or `Ser` then takes it out.
 */
export interface SimulatorTiming {
  /** Feeder to print position. */
  readonly insertMs: number;
  /** One panel pass under the head. */
  readonly panelPrintMs: number;
  /** Turning the card over for the back side. */
  readonly flipMs: number;
  /** Moving the card to a coding station. */
  readonly parkMs: number;
  /** Out to the exit slot or the reject box. */
  readonly ejectMs: number;
}

/** 1.5 + 5 × 2.5 + 2 = 16 s for a single-sided YMCKO card: ≈ 225 cards an hour. */
export const defaultSimulatorTiming: SimulatorTiming = { insertMs: 1500, panelPrintMs: 2500, flipMs: 1000, parkMs: 1000, ejectMs: 2000 };

export type SimulatorStep = 'insert' | 'print-front' | 'print-back' | 'park' | 'eject' | 'reject';

export type PrinterFault =
  | { readonly kind: 'feeder-empty' }
  | { readonly kind: 'load-cards'; readonly count: number }
  | { readonly kind: 'ribbon-end' }
  | { readonly kind: 'new-ribbon'; readonly prints: number; readonly ribbon?: RibbonType }
  /** Opens the cover now, or when the printer reaches `atStep`. */
  | { readonly kind: 'cover-open'; readonly atStep?: SimulatorStep }
  | { readonly kind: 'cover-close' }
  | { readonly kind: 'jam'; readonly atStep: SimulatorStep }
  /** An operator pulls the jammed card out. */
  | { readonly kind: 'clear-jam' }
  /** The printer goes silent now or at `atStep` (what it was doing is lost; the card stays inside). */
  | { readonly kind: 'power-loss'; readonly atStep?: SimulatorStep }
  | { readonly kind: 'power-on' }
  /** A person takes the cards waiting in the exit slot (the exit sensor `Rse;b` then reads empty). */
  | { readonly kind: 'take-card' }
  /** Stray bytes on the line (random ones when only a count is given). */
  | { readonly kind: 'garbage'; readonly bytes?: Buffer | number };

export interface PrinterSimulatorOptions {
  readonly devicePath: string;
  /** 1 = real time; tests use ~0.001, the kiosk demo 0.1. */
  readonly timeScale?: number;
  readonly cards?: number;
  readonly ribbonPrints?: number;
  readonly ribbon?: RibbonType;
  /** Card-presence replies: current firmware (`OK`/`CARD`/…) or the 2004 guide (`NO CARD`/`ERR CARD`). */
  readonly firmware?: 'current' | 'guide-2004';
  /** `kiosk` answers `Sk;f`; `primacy` does not (`ERROR CDE`). */
  readonly model?: 'kiosk' | 'primacy';
  /** Replies are bare by default; some firmware ends them with CR. */
  readonly replyTerminator?: '' | '\r';
  readonly timing?: Partial<SimulatorTiming>;
  readonly log?: LogSink;
}

export type SimulatedCardPosition = CardPosition | 'jammed';

export interface PrinterSimulatorState {
  readonly powered: boolean;
  readonly cover: 'open' | 'closed';
  readonly cardsInFeeder: number;
  readonly ribbon: RibbonType;
  readonly ribbonPrintsLeft: number;
  readonly card: SimulatedCardPosition;
  readonly inSequence: boolean;
  readonly cardsInserted: number;
  readonly panelsPrinted: number;
  readonly cardsEjected: number;
  /** Ejected cards still in the exit slot, not yet taken. */
  readonly cardsInOutput: number;
  readonly cardsRejected: number;
  readonly garbageBytesReceived: number;
  readonly malformedCommands: number;
  readonly commandsReceived: number;
  readonly bytesReceived: number;
  /** Mechanical time spent so far, unscaled (for cards-per-hour figures). */
  readonly simulatedMs: number;
}

export interface PrintedCard {
  readonly index: number;
  /**
   * PNG, 1016 × 648, decoded from the panels received when first asked for; undefined once the card is
   * older than the last `keptImages` printed (its facts stay).
   */
  readonly front: Buffer | undefined;
  /** The back likewise; undefined too when nothing was printed on it. */
  readonly back: Buffer | undefined;
  readonly frontPanels: readonly PanelName[];
  readonly backPanels: readonly PanelName[];
  readonly ribbon: RibbonType;
  readonly overlayCoverage: number;
  readonly chipAreaClear: boolean;
  /** Where the card went after printing. */
  readonly disposition: 'inside' | 'contactless-station' | 'ejected' | 'rejected';
  /** Simulated (unscaled) time from taking the card to the end of printing. */
  readonly simulatedMs: number;
  /** The power went while a side of it was printing: that side is half transferred (a misprint). */
  readonly cutOff: boolean;
  /** A side was printed onto a side already printed (a job begun again on the card left inside). */
  readonly printedOver: boolean;
}

export interface PrinterSimulator {
  readonly devicePath: string;
  injectFault(fault: PrinterFault): void;
  state(): PrinterSimulatorState;
  /** Called after each move of the card (inserted, parked at a station, ejected, rejected, jammed); returns the unsubscribe. */
  onCardMoved(listener: () => void): () => void;
  printedCards(): readonly PrintedCard[];
  /**
   * From now on, run at this time scale (the movement under way too, for what is left of it): a test
   * can hold a card at the printer while it serves the counter, then print the rest fast.
   */
  setTimeScale(timeScale: number): void;
  close(): Promise<void>;
}

export async function startPrinterSimulator(options: PrinterSimulatorOptions): Promise<PrinterSimulator> {
  const line = new PrinterLine(options);
  await line.attach(options.devicePath);
  return line.simulator(options.devicePath, () => line.detach());
}

/**
 * A printer whose USB cable can be pulled and plugged back at the same host path (`hostPath`): it stays
 * powered meanwhile and keeps its cards, ribbon, printed cards and pending faults.
 */
export type PluggablePrinterSimulator = PrinterSimulator & CableControls;

/**
 * A simulator that owns its pty pair (like the I/O board's `startBoardSimulatorOnPty`), so that
 * unplug() really pulls the cable. `dir` holds the pty links (a temporary folder by default).
 */
export async function startPrinterSimulatorOnPty(
  options: Omit<PrinterSimulatorOptions, 'devicePath'> & PtyCableOptions = {},
): Promise<PluggablePrinterSimulator> {
  const cable = await openPtyCable(options.ptyName ?? 'printer', options.dir);
  const line = new PrinterLine(options);
  return plugInto(cable, line, (close) => line.simulator(cable.devicePath, close));
}

/** The printer and the serial port it is wired to, which may come and go (the cable). */
class PrinterLine {
  private port: SerialPort | undefined;
  readonly device: SimulatedPrinter;

  constructor(options: Omit<PrinterSimulatorOptions, 'devicePath'>) {
    this.device = new SimulatedPrinter(options, (bytes) => {
      if (this.port?.isOpen) this.port.write(bytes);
    });
  }

  async attach(devicePath: string): Promise<void> {
    const port = new SerialPort({ path: devicePath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => {}); // the pty vanishing (cable pulled) is not our failure
    port.on('data', (chunk: Buffer) => this.device.receive(chunk));
    // Half a command from before the cable was pulled is gone with it.
    this.device.lineReset();
    this.port = port;
  }

  async detach(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  simulator(devicePath: string, close: () => Promise<void>): PrinterSimulator {
    return {
      devicePath,
      injectFault: (fault) => this.device.injectFault(fault),
      state: () => this.device.state(),
      onCardMoved: (listener) => this.device.onCardMoved(listener),
      printedCards: () => this.device.printedCards(),
      setTimeScale: (timeScale) => this.device.setTimeScale(timeScale),
      close: async () => {
        this.device.stop();
        await close();
      },
    };
  }
}

interface Sequence {
  side: 'front' | 'back';
  front: Panel[];
  back: Panel[];
  frontPrinted: boolean;
  startedAt: number; // simulated ms
}

/** The printed cards whose images are kept (their panels, ~1.4 MB a YMCKO side, until decoded). */
export const keptImages = 16;

/**
 * One printed side: the panels as received, decoded to a PNG only when someone asks for the image
 * (the printer itself keeps nothing; the panels were checked on arrival, as the device checks them).
 */
class PrintedSide {
  private png: Buffer | undefined;

  constructor(private panels: readonly Panel[] | null) {}

  image(): Buffer | undefined {
    if (!this.png && this.panels) {
      this.png = encodeRgbPng(cardWidthDots, cardHeightDots, panelsToImage(this.panels).rgb);
      this.panels = null;
    }
    return this.png;
  }

  forget(): void {
    this.panels = null;
    this.png = undefined;
  }
}

interface CardRecord {
  index: number;
  front?: PrintedSide;
  back?: PrintedSide;
  frontPanels: PanelName[];
  backPanels: PanelName[];
  ribbon: RibbonType;
  overlayCoverage: number;
  chipAreaClear: boolean;
  disposition: PrintedCard['disposition'];
  simulatedMs: number;
  cutOff: boolean;
  printedOver: boolean;
}

const settingCommands = new Set(['Pem', 'Pmi', 'Poc', 'Psc', 'Pc', 'Pl', 'Ps', 'Pdt', 'Pmo', 'Psmgr']);
const stationReply: Record<'current' | 'guide-2004', Record<SimulatedCardPosition, string>> = {
  current: { none: 'OK', inside: 'CARD', 'contact-station': 'SMART CARD', 'contactless-station': 'CONTACTLESS CARD', jammed: 'CARD' },
  'guide-2004': { none: 'NO CARD', inside: 'ERR CARD', 'contact-station': 'ERR CARD', 'contactless-station': 'ERR CARD', jammed: 'ERR CARD' },
};
const nackCode: Record<string, string> = { 'ERROR CDE': '1', 'ERROR PARAMETRES': '2', 'CARD JAM': 'T', 'ERROR TIME OUT': 'T', 'COVER OPEN': 'C', 'FEEDER EMPTY': 'F', 'ERROR RIBBON': 'R' };

/** The printer itself, independent of the line it is attached to. */
class SimulatedPrinter {
  private readonly parser = new CommandParser();
  private readonly queue: HostMessage[] = [];
  private working = false;
  private stopped = false;
  private readonly sleeps = new Set<Sleep>();
  private readonly timing: SimulatorTiming;
  private scale: number;
  private readonly log: LogSink;

  private powered = true;
  /** Bumped on power loss so that work in progress knows it was cut off. */
  private epoch = 0;
  private cover: 'open' | 'closed' = 'closed';
  private cardsInFeeder: number;
  private ribbon: RibbonType;
  private ribbonSetting: RibbonType;
  private ribbonPrintsLeft: number;
  private position: SimulatedCardPosition = 'none';
  private readonly cardMoveListeners = new Set<() => void>();
  /** Ejected cards waiting in the exit slot until someone takes them. */
  private cardsInOutput = 0;
  private sequence: Sequence | undefined;
  /** The side whose panels are going onto the card right now: a power cut leaves it half printed. */
  private printingSide: { side: 'front' | 'back'; panels: Panel[] } | undefined;
  private ackMode = false;
  private lastReply = 'OK';
  private counters = { inserted: 0, panels: 0, ejected: 0, rejected: 0, garbage: 0, malformed: 0, commands: 0, bytes: 0 };
  private pendingFaults: Array<{ kind: 'cover-open' | 'jam' | 'power-loss'; atStep: SimulatorStep }> = [];
  private readonly cards: CardRecord[] = [];
  private current: CardRecord | undefined;
  /** Simulated time spent on mechanics so far (unscaled), for cards/hour figures. */
  private simulatedNow = 0;

  constructor(
    private readonly options: Omit<PrinterSimulatorOptions, 'devicePath'>,
    private readonly write: (bytes: Buffer) => void,
  ) {
    this.timing = { ...defaultSimulatorTiming, ...options.timing };
    this.scale = options.timeScale ?? 1;
    this.cardsInFeeder = options.cards ?? 100;
    this.ribbon = options.ribbon ?? 'ymcko';
    this.ribbonSetting = this.ribbon;
    this.ribbonPrintsLeft = options.ribbonPrints ?? 300;
    this.log = options.log ?? silentLog;
  }

  receive(chunk: Buffer): void {
    if (!this.powered || this.stopped) return;
    this.counters.bytes += chunk.length;
    for (const command of this.parser.feed(chunk)) this.queue.push(command);
    void this.work();
  }

  /** A new line (cable plugged in): parse from a clean slate. */
  lineReset(): void {
    this.parser.reset();
  }

  stop(): void {
    this.stopped = true;
    for (const sleep of this.sleeps) clearTimeout(sleep.timer);
    this.sleeps.clear();
  }

  setTimeScale(timeScale: number): void {
    const now = Date.now();
    for (const sleep of this.sleeps) {
      clearTimeout(sleep.timer);
      sleep.msLeft = Math.max(0, sleep.msLeft - (now - sleep.since) / this.scale);
    }
    this.scale = timeScale;
    for (const sleep of this.sleeps) this.arm(sleep);
  }

  injectFault(fault: PrinterFault): void {
    this.log({ eventId: 'printer-sim-fault', disposition: 'na', message: `fault injected: ${fault.kind}` });
    switch (fault.kind) {
      case 'feeder-empty':
        this.cardsInFeeder = 0;
        return;
      case 'load-cards':
        this.cardsInFeeder += fault.count;
        return;
      case 'ribbon-end':
        this.ribbonPrintsLeft = 0;
        return;
      case 'new-ribbon':
        this.ribbonPrintsLeft = fault.prints;
        if (fault.ribbon) this.ribbon = this.ribbonSetting = fault.ribbon;
        return;
      case 'cover-open':
        if (fault.atStep) this.pendingFaults.push({ kind: 'cover-open', atStep: fault.atStep });
        else this.cover = 'open';
        return;
      case 'cover-close':
        this.cover = 'closed';
        return;
      case 'jam':
        this.pendingFaults.push({ kind: 'jam', atStep: fault.atStep });
        return;
      case 'clear-jam':
        if (this.card === 'jammed') this.card = 'none';
        if (this.current) this.current.disposition = 'rejected';
        this.current = undefined;
        return;
      case 'power-loss':
        if (fault.atStep) this.pendingFaults.push({ kind: 'power-loss', atStep: fault.atStep });
        else this.powerOff();
        return;
      case 'power-on':
        if (!this.powered) {
          this.powered = true;
          this.parser.reset();
          this.ackMode = false;
        }
        return;
      case 'take-card':
        this.cardsInOutput = 0;
        return;
      case 'garbage': {
        const bytes = Buffer.isBuffer(fault.bytes) ? fault.bytes : randomBytes(fault.bytes ?? 16);
        this.write(bytes);
        return;
      }
      default:
        assertNever(fault);
    }
  }

  /** Where the card is; every move is told to `onCardMoved` listeners (the world's encoder card follows it). */
  private get card(): SimulatedCardPosition {
    return this.position;
  }

  private set card(next: SimulatedCardPosition) {
    if (next === this.position) return;
    this.position = next;
    for (const listener of this.cardMoveListeners) listener();
  }

  onCardMoved(listener: () => void): () => void {
    this.cardMoveListeners.add(listener);
    return () => this.cardMoveListeners.delete(listener);
  }

  state(): PrinterSimulatorState {
    return {
      powered: this.powered,
      cover: this.cover,
      cardsInFeeder: this.cardsInFeeder,
      ribbon: this.ribbon,
      ribbonPrintsLeft: this.ribbonPrintsLeft,
      card: this.card,
      inSequence: this.sequence !== undefined,
      cardsInserted: this.counters.inserted,
      panelsPrinted: this.counters.panels,
      cardsEjected: this.counters.ejected,
      cardsInOutput: this.cardsInOutput,
      cardsRejected: this.counters.rejected,
      garbageBytesReceived: this.counters.garbage,
      malformedCommands: this.counters.malformed,
      commandsReceived: this.counters.commands,
      bytesReceived: this.counters.bytes,
      simulatedMs: this.simulatedNow,
    };
  }

  printedCards(): readonly PrintedCard[] {
    return this.cards
      .filter((card): card is CardRecord & { front: PrintedSide } => card.front !== undefined)
      .map((card) => ({
        index: card.index,
        get front() {
          return card.front.image();
        },
        get back() {
          return card.back?.image();
        },
        frontPanels: [...card.frontPanels],
        backPanels: [...card.backPanels],
        ribbon: card.ribbon,
        overlayCoverage: card.overlayCoverage,
        chipAreaClear: card.chipAreaClear,
        disposition: card.disposition,
        simulatedMs: card.simulatedMs,
        cutOff: card.cutOff,
        printedOver: card.printedOver,
      }));
  }

  /**
   * The power goes: the job in progress is forgotten (the sequence, the error mode, ACK mode at power-up);
   * a side being printed is half transferred (its ribbon panel spent); the card stays where the rollers
   * stopped, inside, for the host to find (`Rlr;p` → CARD) and reject: see the README, "Power loss".
   */
  private powerOff(): void {
    const cut = this.printingSide;
    if (cut && this.current) {
      this.transfer(cut.side, cut.panels);
      this.current.cutOff = true;
    }
    this.printingSide = undefined;
    this.powered = false;
    this.epoch++;
    this.sequence = undefined;
    this.queue.length = 0;
    if (this.card === 'contactless-station' || this.card === 'contact-station') this.card = 'inside';
  }

  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let message = this.queue.shift(); message && !this.stopped; message = this.queue.shift()) {
        const epoch = this.epoch;
        const reply = await this.handle(message);
        if (reply !== undefined && this.powered && epoch === this.epoch && !this.stopped) this.reply(reply);
      }
    } finally {
      this.working = false;
    }
  }

  private reply(text: string): void {
    let bytes: Buffer;
    if (this.ackMode && text === 'OK') bytes = Buffer.from([0x06]);
    else if (this.ackMode && nackCode[text] !== undefined) bytes = Buffer.from(`\x15${nackCode[text]}`, 'latin1');
    else bytes = Buffer.from(`${text}${this.options.replyTerminator ?? ''}`, 'latin1');
    this.write(bytes);
  }

  /** The reply to one message, or undefined for none (garbage, power lost). */
  private async handle(message: HostMessage): Promise<string | undefined> {
    switch (message.kind) {
      case 'garbage':
        this.counters.garbage += message.bytes;
        return undefined;
      case 'malformed':
        this.counters.malformed++;
        this.log({ eventId: 'printer-sim-malformed', disposition: 'failure', message: `${message.command}: ${message.reason}` });
        return this.remember('ERROR PARAMETRES');
      case 'panel': {
        this.counters.commands++;
        const sequence = this.sequence;
        if (!sequence) return this.remember('ERROR');
        (sequence.side === 'front' ? sequence.front : sequence.back).push({ name: message.panel, levels: message.levels, data: message.data });
        return this.remember('OK');
      }
      case 'command': {
        this.counters.commands++;
        const reply = await this.command(message.name, message.params);
        if (reply === undefined) return undefined;
        return message.name.startsWith('R') ? reply : this.remember(reply);
      }
    }
  }

  private remember(reply: string): string {
    this.lastReply = reply;
    return reply;
  }

  private async command(name: string, params: readonly string[]): Promise<string | undefined> {
    const [p1 = ''] = params;
    switch (name) {
      case 'Rfv':
        return 'SIM-1.0.0';
      case 'Rsn':
        return 'SIM00001';
      case 'Rtp':
        return this.options.model === 'primacy' ? 'Evolis Primacy (simulated)' : 'Evolis KC200 (simulated)';
      case 'Srs':
        this.sequence = undefined;
        return 'OK';
      case 'Pem':
        this.ackMode = p1 === '4';
        return 'OK';
      case 'Pr':
        if (!(ribbonTypes as readonly string[]).includes(p1.toLowerCase())) return 'ERROR PARAMETRES';
        this.ribbonSetting = p1.toLowerCase() as RibbonType;
        return 'OK';
      case 'Rr':
        return this.ribbonSetting;
      case 'Rcr':
        return this.ribbonPrintsLeft > 0 ? 'OK' : 'ERROR RIBBON';
      case 'Rco':
        if (p1 === 'I') return String(this.ribbonPrintsLeft);
        if (p1 === 'p') return String(this.counters.panels);
        if (p1 === 'c') return String(this.counters.inserted);
        return 'ERROR PARAMETRES';
      case 'Rlr':
        if (params.length === 0) return this.lastReply;
        if (p1 === 'p') return stationReply[this.options.firmware ?? 'current'][this.card];
        return 'ERROR PARAMETRES';
      case 'Rse':
        if (p1 === 'o') return volts(this.cover === 'closed' ? 5 : 0);
        if (p1 === 'f') return volts(this.cardsInFeeder > 0 ? 5 : 0);
        if (p1 === 'b') return volts(this.cardsInOutput > 0 ? 4.93 : 0.21);
        return 'ERROR PARAMETRES';
      case 'Sk':
        if (this.options.model === 'primacy') return 'ERROR CDE';
        return p1 === 'f' ? (this.cardsInFeeder > 0 ? '0' : '3') : 'ERROR PARAMETRES';
      case 'Si':
        return this.insert();
      case 'Ss': {
        // A card still inside (the last job cut off) is the one this sequence prints on: no new card is taken.
        const carried = this.card !== 'none' ? this.current : undefined;
        const inserted = await this.insert();
        if (inserted !== 'OK') return inserted;
        this.sequence = { side: 'front', front: [], back: [], frontPrinted: false, startedAt: this.simulatedNow };
        if (carried) {
          this.current = carried;
        } else {
          this.current = { index: this.cards.length, frontPanels: [], backPanels: [], ribbon: this.ribbonSetting, overlayCoverage: 0, chipAreaClear: true, disposition: 'inside', simulatedMs: 0, cutOff: false, printedOver: false };
          this.cards.push(this.current);
        }
        return 'OK';
      }
      case 'Sr':
        if (!this.sequence) return 'ERROR';
        this.sequence.side = 'front';
        return 'OK';
      case 'Sv': {
        const sequence = this.sequence;
        if (!sequence) return 'ERROR';
        const printed = await this.printSide('front');
        if (printed !== 'OK') return printed;
        const flipped = await this.step('print-back', this.timing.flipMs);
        if (flipped !== 'OK') return this.abortSequence(flipped);
        sequence.side = 'back';
        return 'OK';
      }
      case 'Se':
      case 'Sic':
      case 'Sis':
      case 'Ser':
      case 'Seb':
        return this.finish(name);
      default:
        return settingCommands.has(name) ? 'OK' : 'ERROR CDE';
    }
  }

  /** Takes a card from the feeder unless one is already inside. */
  private async insert(): Promise<string | undefined> {
    if (this.card === 'jammed') return 'CARD JAM';
    if (this.cover === 'open') return 'COVER OPEN';
    if (this.card !== 'none') return 'OK';
    if (this.cardsInFeeder === 0) return 'FEEDER EMPTY';
    const moved = await this.step('insert', this.timing.insertMs);
    if (moved !== 'OK') return moved;
    this.cardsInFeeder--;
    this.counters.inserted++;
    this.card = 'inside';
    return 'OK';
  }

  /** `Se`/`Sic`/`Sis`/`Ser`/`Seb`: inside a sequence, print what is left first. */
  private async finish(name: 'Se' | 'Sic' | 'Sis' | 'Ser' | 'Seb'): Promise<string | undefined> {
    const sequence = this.sequence;
    if (sequence) {
      const printed = await this.printSide(sequence.side);
      if (printed !== 'OK') return printed;
      if (this.current) this.current.simulatedMs = this.simulatedNow - sequence.startedAt;
      this.sequence = undefined;
    }
    if (this.card === 'jammed') return 'CARD JAM';
    if (name === 'Sic' || name === 'Sis') {
      if (this.card === 'none') {
        const inserted = await this.insert();
        if (inserted !== 'OK') return inserted;
      }
      const parked = await this.step('park', this.timing.parkMs);
      if (parked !== 'OK') return parked;
      this.card = name === 'Sic' ? 'contactless-station' : 'contact-station';
      if (this.current) this.current.disposition = 'contactless-station';
      return 'OK';
    }
    if (this.card === 'none') return 'OK';
    const reject = name === 'Ser' || name === 'Seb';
    const out = await this.step(reject ? 'reject' : 'eject', this.timing.ejectMs);
    if (out !== 'OK') return out;
    this.card = 'none';
    if (reject) {
      this.counters.rejected++;
    } else {
      this.counters.ejected++;
      this.cardsInOutput++;
    }
    if (this.current) this.current.disposition = reject ? 'rejected' : 'ejected';
    this.current = undefined;
    return 'OK';
  }

  /** Prints the panels received for one side (once); an empty side prints nothing. */
  private async printSide(side: 'front' | 'back'): Promise<string | undefined> {
    const sequence = this.sequence;
    if (!sequence) return 'ERROR';
    if (side === 'front' && sequence.frontPrinted) return 'OK';
    const panels = side === 'front' ? sequence.front : sequence.back;
    if (side === 'front') sequence.frontPrinted = true;
    if (panels.length === 0) return 'OK';
    if (this.ribbonPrintsLeft <= 0) return this.abortSequence('ERROR RIBBON');
    this.printingSide = { side, panels };
    const printed = await this.step(side === 'front' ? 'print-front' : 'print-back', this.timing.panelPrintMs * panels.length).finally(() => (this.printingSide = undefined));
    if (printed !== 'OK') return this.abortSequence(printed);
    // The ribbon ended while the side printed (a `ribbon-end` fault meanwhile): the side fails as one
    // found at its start does, the card left inside. Laying it anyway drove the counter below 0, a
    // ribbon `Rco;I` cannot report and that no "ribbon empty" check saw (the market day's stall).
    if (this.ribbonPrintsLeft <= 0) return this.abortSequence('ERROR RIBBON');
    this.transfer(side, panels);
    return 'OK';
  }

  /** The ribbon's panels go onto the card's side (all of them, or what a power cut left). */
  private transfer(side: 'front' | 'back', panels: Panel[]): void {
    this.ribbonPrintsLeft = Math.max(0, this.ribbonPrintsLeft - 1);
    this.counters.panels += panels.length;
    const card = this.current;
    if (card) {
      if (side === 'front' ? card.front : card.back) card.printedOver = true;
      if (side === 'front') {
        card.front = new PrintedSide(panels);
        card.frontPanels = panels.map((p) => p.name);
        const overlay = overlayFacts(panels);
        card.overlayCoverage = overlay.overlayCoverage;
        card.chipAreaClear = overlay.chipAreaClear;
        // Only the last few cards keep their images.
        for (const old of this.cards.slice(0, Math.max(0, this.cards.indexOf(card) + 1 - keptImages))) {
          old.front?.forget();
          old.back?.forget();
        }
      } else {
        card.back = new PrintedSide(panels);
        card.backPanels = panels.map((p) => p.name);
      }
      card.ribbon = this.ribbonSetting;
    }
  }

  private abortSequence(reply: string | undefined): string | undefined {
    this.sequence = undefined;
    return reply;
  }

  /**
   * One mechanical movement: faults due at this step fire first; the movement takes its (scaled)
   * time; a cover opened or power lost meanwhile ends it.
   */
  private async step(step: SimulatorStep, ms: number): Promise<string | undefined> {
    const due = this.pendingFaults.filter((f) => f.atStep === step);
    this.pendingFaults = this.pendingFaults.filter((f) => f.atStep !== step);
    for (const fault of due) {
      switch (fault.kind) {
        case 'cover-open':
          this.cover = 'open';
          break;
        case 'jam':
          this.card = 'jammed';
          return 'CARD JAM';
        case 'power-loss':
          this.powerOff();
          return undefined;
      }
    }
    if (this.cover === 'open') return 'COVER OPEN';
    const epoch = this.epoch;
    await this.sleep(ms);
    this.simulatedNow += ms;
    if (!this.powered || epoch !== this.epoch || this.stopped) return undefined;
    if (this.isCoverOpen()) return 'COVER OPEN'; // opened while the card was moving
    if (this.card === 'jammed') return 'CARD JAM';
    return 'OK';
  }

  private isCoverOpen(): boolean {
    return this.cover === 'open';
  }

  /** `ms` of the printer's own (unscaled) time. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.arm({ msLeft: ms, since: 0, timer: undefined, resolve }));
  }

  private arm(sleep: Sleep): void {
    sleep.since = Date.now();
    sleep.timer = setTimeout(() => {
      this.sleeps.delete(sleep);
      sleep.resolve();
    }, sleep.msLeft * this.scale);
    this.sleeps.add(sleep);
  }
}

/** A movement under way: what is left of it in unscaled ms, since when, and its timer. */
interface Sleep {
  msLeft: number;
  since: number;
  timer: NodeJS.Timeout | undefined;
  resolve: () => void;
}

function volts(value: number): string {
  return `${value.toFixed(2).replace('.', ',')} Volts`;
}

