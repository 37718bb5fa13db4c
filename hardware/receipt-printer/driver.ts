import { silentLog, type LogSink } from '../../shared/log';
import { err, ok, type Result } from '../../shared/result';
import { limitRepeats, type RepeatLimitedLog } from '../../shared/repeat-limiter';
import { ReconnectingPort } from '../serial/reconnecting-port';
import {
  combineStatus,
  decodePaperStatusReply,
  encodeReceipt,
  isPaperStatusReplyByte,
  isRealTimeStatusByte,
  realTimeStatus,
  refusalFor,
  transmitPaperStatus,
} from './protocol';
import {
  defaultReceiptPrinterTimeouts,
  type PrintedReceiptInfo,
  type Receipt,
  type ReceiptPrinter,
  type ReceiptPrinterError,
  type ReceiptPrinterStatus,
  type ReceiptPrinterTimeouts,
} from './types';

/**
 * An ESC/POS receipt printer on a serial line. One operation at a time (a queue). A receipt is sent
 * only after DLE EOT 1, 2 and 4 say the printer is online with paper; it is followed by GS r 1, which
 * the printer answers only once it has processed everything before it (the cut), while DLE EOT 1 is
 * polled meanwhile so that a paper end or an opened cover mid-receipt is reported at once. The two
 * kinds of answer are told apart by bit 4 (set in DLE EOT replies, clear in GS r replies).
 */
export interface ReceiptPrinterOptions {
  /** The serial device (`/dev/kiosk-receipt-printer`, or the host end of a pty pair). */
  readonly path: string;
  readonly log?: LogSink;
  readonly timeouts?: Partial<ReceiptPrinterTimeouts>;
  /** While a receipt prints, DLE EOT 1 every this many ms. */
  readonly printPollMs?: number;
  readonly baudRate?: number;
  readonly reopenIntervalMs?: number;
}

/** TM-T20 and TM-T88V/VI leave the factory at 38400 bps, 8N1. */
export const defaultBaudRate = 38_400;
export const defaultPrintPollMs = 250;

type ByteResult = Result<number, ReceiptPrinterError>;

interface Expectation {
  readonly command: string;
  readonly accepts: (byte: number) => boolean;
  readonly settle: (result: ByteResult) => void;
}

export async function openReceiptPrinter(options: ReceiptPrinterOptions): Promise<ReceiptPrinter> {
  const printer = new EscPosReceiptPrinter(options);
  await printer.open();
  return printer;
}

class EscPosReceiptPrinter implements ReceiptPrinter {
  private readonly port: ReconnectingPort;
  private readonly log: LogSink;
  private readonly repeatLog: RepeatLimitedLog;
  private readonly timeouts: ReceiptPrinterTimeouts;
  private readonly printPollMs: number;
  /** Replies still awaited, oldest first: a byte goes to the first one that can take it. */
  private expectations: Expectation[] = [];
  /** The tail of the operation queue: each operation starts when the previous one ends. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: ReceiptPrinterOptions) {
    this.log = options.log ?? silentLog;
    this.repeatLog = limitRepeats(this.log);
    this.timeouts = { ...defaultReceiptPrinterTimeouts, ...options.timeouts };
    this.printPollMs = options.printPollMs ?? defaultPrintPollMs;
    this.port = new ReconnectingPort({
      path: options.path,
      device: 'receipt-printer',
      log: this.log,
      baudRate: options.baudRate ?? defaultBaudRate,
      ...(options.reopenIntervalMs === undefined ? {} : { reopenIntervalMs: options.reopenIntervalMs }),
    });
    this.port.on('data', (chunk) => this.onData(chunk));
    this.port.on('disconnected', () => this.settleAll({ kind: 'disconnected' }));
  }

  async open(): Promise<void> {
    await this.port.open();
  }

  get isConnected(): boolean {
    return this.port.isOpen;
  }

  status(): Promise<Result<ReceiptPrinterStatus, ReceiptPrinterError>> {
    return this.exclusive(() => this.readStatus());
  }

  print(receipt: Receipt): Promise<Result<PrintedReceiptInfo, ReceiptPrinterError>> {
    const encoded = encodeReceipt(receipt);
    if (!encoded.ok) return Promise.resolve(err({ kind: 'invalid_receipt', cause: encoded.error }));
    return this.exclusive(async () => {
      const result = await this.printBytes(encoded.value);
      this.log({
        eventId: 'receipt-printer-print-complete',
        disposition: result.ok ? 'success' : 'failure',
        message: result.ok ? 'receipt printed' : `receipt not printed: ${result.error.kind}`,
        ...(result.ok ? { paperNearEnd: result.value.paperNearEnd } : { partial: 'partial' in result.error ? result.error.partial === true : false }),
      });
      return result;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.settleAll({ kind: 'closed' });
    this.repeatLog.flush();
    await this.port.close();
  }

  // ------------------------------------------------------------ operations

  private async printBytes(bytes: Buffer): Promise<Result<PrintedReceiptInfo, ReceiptPrinterError>> {
    const before = await this.readStatus();
    if (!before.ok) return before;
    const refusal = refusalFor(before.value);
    if (refusal) return err(refusal);

    let finished: ByteResult | undefined;
    const printed = this.expect('GS r 1', isPaperStatusReplyByte, this.timeouts.print);
    void printed.promise.then((result) => {
      finished = result;
    });
    if (!this.port.write(Buffer.concat([bytes, transmitPaperStatus()]))) {
      printed.cancel();
      return err({ kind: 'disconnected', command: 'receipt' });
    }
    while (finished === undefined) {
      await Promise.race([printed.promise, pause(this.printPollMs)]);
      if (finished !== undefined) break;
      // Offline mid-receipt (paper end, cover opened, cutter jam): the GS r answer would never come.
      const online = await this.exchange(realTimeStatus(1), 'DLE EOT 1');
      if (!online.ok || finished !== undefined) continue;
      const status = combineStatus(online.value, 0x12, 0x12);
      if (status.online) continue;
      const cause = await this.readStatus();
      if (!cause.ok) {
        printed.cancel();
        return cause;
      }
      const stopped = refusalFor(cause.value);
      if (stopped) {
        printed.cancel();
        return err({ ...stopped, partial: true });
      }
    }
    if (!finished.ok) return finished;
    const paper = decodePaperStatusReply(finished.value);
    return ok({ bytesSent: bytes.length, paperNearEnd: paper !== 'ok' || before.value.paper !== 'ok' });
  }

  private async readStatus(): Promise<Result<ReceiptPrinterStatus, ReceiptPrinterError>> {
    const printer = await this.exchange(realTimeStatus(1), 'DLE EOT 1');
    if (!printer.ok) return printer;
    const cause = await this.exchange(realTimeStatus(2), 'DLE EOT 2');
    if (!cause.ok) return cause;
    const paper = await this.exchange(realTimeStatus(4), 'DLE EOT 4');
    if (!paper.ok) return paper;
    return ok(combineStatus(printer.value, cause.value, paper.value));
  }

  /** Sends a real-time status request and waits for its one byte. */
  private async exchange(bytes: Buffer, command: string): Promise<ByteResult> {
    const reply = this.expect(command, isRealTimeStatusByte, this.timeouts.status);
    if (!this.port.write(bytes)) {
      reply.cancel();
      return err({ kind: 'disconnected', command });
    }
    return reply.promise;
  }

  private expect(command: string, accepts: (byte: number) => boolean, timeoutMs: number): { promise: Promise<ByteResult>; cancel(): void } {
    let expectation!: Expectation;
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<ByteResult>((resolve) => {
      expectation = {
        command,
        accepts,
        settle: (result) => {
          clearTimeout(timer);
          this.expectations = this.expectations.filter((other) => other !== expectation);
          resolve(result);
        },
      };
    });
    if (this.closed) expectation.settle(err({ kind: 'closed' }));
    else {
      this.expectations.push(expectation);
      timer = setTimeout(() => expectation.settle(err({ kind: 'timeout', command })), timeoutMs);
    }
    return { promise, cancel: () => expectation.settle(err({ kind: 'closed' })) };
  }

  private onData(chunk: Buffer): void {
    for (const byte of chunk) {
      const waiting = this.expectations.find((expectation) => expectation.accepts(byte));
      if (waiting) {
        waiting.settle(ok(byte));
        continue;
      }
      // XON/XOFF, line noise, or an answer that came after its timeout: nobody waits for it. A status
      // read whose answer never comes times out; a late GS r answer must not spoil the next read.
      this.repeatLog({ eventId: 'receipt-printer-stray-byte', disposition: 'na', message: 'byte from the receipt printer that answers nothing', byte });
    }
  }

  private settleAll(error: ReceiptPrinterError): void {
    for (const expectation of [...this.expectations]) expectation.settle(err(error));
  }

  private exclusive<T>(operation: () => Promise<Result<T, ReceiptPrinterError>>): Promise<Result<T, ReceiptPrinterError>> {
    const run = async (): Promise<Result<T, ReceiptPrinterError>> => (this.closed ? err({ kind: 'closed' }) : operation());
    const next = this.queue.then(run, run);
    this.queue = next;
    return next;
  }
}

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
