import fc from 'fast-check';
import {
  combineStatus,
  decodeOfflineCause,
  decodePaperSensor,
  decodePaperStatusReply,
  decodePrinterStatus,
  encodeReceipt,
  isPaperStatusReplyByte,
  isRealTimeStatusByte,
  realTimeStatus,
  refusalFor,
  statusByte,
  transmitPaperStatus,
} from '../../../hardware/receipt-printer/protocol';
import { EscPosPrinter, receiptQrCodes, receiptText } from '../../../hardware/receipt-printer/simulator';
import type { PaperState, Receipt, ReceiptLine } from '../../../hardware/receipt-printer/types';
import { broken, chunksOf, hostileStream, sameValue, type ChunkedStream } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * The ESC/POS receipt printer (hardware/receipt-printer): its replies as the driver reads them (one
 * status byte per DLE EOT n or GS r, among XON/XOFF and noise), the receipts the kiosk builds
 * (`encodeReceipt`, random lines), and the printer model behind the simulator fed the bytes the kiosk
 * sends, broken and mixed with noise. Promises: never throws; a DLE EOT reply is never taken for a GS r
 * reply or the other way round; a status decodes to what the printer encoded, and the printer is
 * refused exactly when it is offline, out of paper or open; an accepted receipt prints as built (text,
 * QR data, cut) with no protocol error, a refused one says which line and why; whatever the printer is
 * sent, it answers only with reply bytes.
 */
const paperStates: readonly PaperState[] = ['ok', 'near-end', 'out'];
const printable = fc.string({ unit: fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))), maxLength: 60 });
const line: fc.Arbitrary<ReceiptLine> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        kind: fc.constant('text' as const),
        text: fc.oneof({ weight: 6, arbitrary: printable }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }),
        align: fc.constantFrom('left' as const, 'center' as const, 'right' as const),
        bold: fc.boolean(),
        width: fc.integer({ min: 0, max: 9 }),
        height: fc.integer({ min: 0, max: 9 }),
      },
      { requiredKeys: ['kind', 'text'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('qr' as const),
        data: fc.oneof(
          fc.webUrl(),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          fc.string({ unit: 'binary', maxLength: 20 }),
          // UTF-16 code units one by one: half surrogate pairs included.
          fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 20 }),
        ),
        align: fc.constantFrom('left' as const, 'center' as const, 'right' as const),
        moduleSize: fc.integer({ min: 0, max: 17 }),
        errorCorrection: fc.constantFrom('L' as const, 'M' as const, 'Q' as const, 'H' as const),
      },
      { requiredKeys: ['kind', 'data'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('feed' as const), lines: fc.integer({ min: 0, max: 256 }) }) },
);
const receipt: fc.Arbitrary<Receipt> = fc.record({ lines: fc.array(line, { maxLength: 8 }), cut: fc.constantFrom('partial' as const, 'full' as const) });

/** What the kiosk sends: a receipt, a status request, or the paper status request after a receipt. */
const hostBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  receipt.map((value) => {
    const encoded = encodeReceipt(value);
    return encoded.ok ? new Uint8Array(encoded.value) : new Uint8Array(0);
  }),
  fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4).map((n) => new Uint8Array(realTimeStatus(n))),
  fc.constant(new Uint8Array(transmitPaperStatus())),
);

type Input =
  | { readonly kind: 'status'; readonly bytes: readonly number[]; readonly paper: PaperState; readonly offline: boolean; readonly cover: boolean; readonly stopped: boolean; readonly error: boolean }
  | { readonly kind: 'receipt'; readonly receipt: Receipt; readonly cuts: readonly number[] }
  | { readonly kind: 'host'; readonly stream: ChunkedStream };

function checkStatus(input: Extract<Input, { kind: 'status' }>): void {
  for (const byte of input.bytes) {
    if (isRealTimeStatusByte(byte) && isPaperStatusReplyByte(byte)) broken('a byte taken both for a DLE EOT and a GS r reply', byte);
    const status = combineStatus(byte, byte, byte);
    const refusal = refusalFor(status);
    const canPrint = status.online && !status.coverOpen && !status.error && status.paper !== 'out' && !status.stoppedByPaperEnd;
    if ((refusal === null) !== canPrint) broken('a refusal that does not match the status', { byte, status, refusal });
    decodePaperStatusReply(byte);
  }
  // What the printer encodes decodes back.
  const printer = statusByte.printer(input.offline);
  const cause = statusByte.offlineCause({ coverOpen: input.cover, stoppedByPaperEnd: input.stopped, error: input.error });
  const paper = statusByte.paperSensor(input.paper);
  for (const byte of [printer, cause, paper, statusByte.errorCause({ cutter: input.error })]) {
    if (!isRealTimeStatusByte(byte) || isPaperStatusReplyByte(byte)) broken('a DLE EOT reply the driver would not take for one', byte);
  }
  const reply = statusByte.paperStatusReply(input.paper);
  if (!isPaperStatusReplyByte(reply) || isRealTimeStatusByte(reply)) broken('a GS r reply the driver would not take for one', reply);
  if (decodePrinterStatus(printer).offline !== input.offline) broken('the printer status does not round-trip', input);
  const decodedCause = decodeOfflineCause(cause);
  if (decodedCause.coverOpen !== input.cover || decodedCause.stoppedByPaperEnd !== input.stopped || decodedCause.error !== input.error) broken('the offline cause does not round-trip', input);
  if (decodePaperSensor(paper) !== input.paper || decodePaperStatusReply(reply) !== input.paper) broken('the paper state does not round-trip', input);
}

function printer(): { readonly model: EscPosPrinter; readonly sent: number[] } {
  const sent: number[] = [];
  return { model: new EscPosPrinter({}, (byte) => sent.push(byte)), sent };
}

function checkReceipt(input: Extract<Input, { kind: 'receipt' }>): void {
  const encoded = encodeReceipt(input.receipt);
  if (!encoded.ok) {
    const { error } = encoded;
    if (!Number.isInteger(error.line) || error.line < 0 || error.line >= input.receipt.lines.length) broken('a refusal that names no line of the receipt', error);
    if (!['unprintable_text', 'bad_parameter', 'qr_too_long'].includes(error.kind)) broken('a refusal of no known kind', error);
    return;
  }
  const { model } = printer();
  for (const chunk of chunksOf(encoded.value, input.cuts)) model.receive(Buffer.from(chunk));
  if (model.errors.length > 0) broken('an accepted receipt made the printer report protocol errors', model.errors);
  if (model.printed.length !== 1) broken(`an accepted receipt printed ${model.printed.length} receipts`);
  const printed = model.printed[0]!;
  if (printed.cut !== input.receipt.cut) broken('the receipt was cut the wrong way', printed.cut);
  const text = (lines: readonly string[]) => lines.join('').replace(/\s+/g, '');
  const sent = input.receipt.lines.flatMap((item) => (item.kind === 'text' ? [item.text] : []));
  if (text(receiptText(printed)) !== text(sent)) broken('the printed text is not the receipt text', { printed: receiptText(printed), sent });
  const qr = input.receipt.lines.flatMap((item) => (item.kind === 'qr' ? [item.data] : []));
  if (!sameValue(receiptQrCodes(printed), qr)) broken('the printed QR data is not the receipt data', { printed: receiptQrCodes(printed), sent: qr });
}

function checkHost(stream: ChunkedStream): void {
  const { model, sent } = printer();
  for (const chunk of chunksOf(stream.bytes, stream.cuts)) model.receive(Buffer.from(chunk));
  for (const byte of sent) {
    if (!isRealTimeStatusByte(byte) && !isPaperStatusReplyByte(byte)) broken('the printer answered with a byte that is no reply', byte);
  }
  for (const error of model.errors) if (error.reason.length === 0 || error.offset < 0) broken('a protocol error that says nothing', error);
}

export const target: FuzzTarget<Input> = {
  name: 'receipt-printer',
  subject: 'hardware/receipt-printer/protocol.ts status bytes, encodeReceipt; simulator.ts EscPosPrinter',
  input: fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('status' as const),
        bytes: fc.array(fc.oneof(fc.nat(255), fc.constantFrom(0x11, 0x13, 0x12, 0x16, 0x1a, 0x1e, 0x32, 0x72, 0x00, 0x03, 0x0f)), { maxLength: 8 }),
        paper: fc.constantFrom(...paperStates),
        offline: fc.boolean(),
        cover: fc.boolean(),
        stopped: fc.boolean(),
        error: fc.boolean(),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('receipt' as const), receipt, cuts: fc.array(fc.nat(), { maxLength: 6 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('host' as const), stream: hostileStream(hostBytes, { maxPieces: 4 }) }) },
  ),
  feed(input) {
    switch (input.kind) {
      case 'status':
        return checkStatus(input);
      case 'receipt':
        return checkReceipt(input);
      case 'host':
        return checkHost(input.stream);
    }
  },
};
