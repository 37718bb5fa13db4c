import { describe, expect, it } from 'vitest';
import {
  align,
  bold,
  cancelKanjiMode,
  characterSize,
  combineStatus,
  decodeOfflineCause,
  decodePaperSensor,
  decodePaperStatusReply,
  decodePrinterStatus,
  encodeReceipt,
  feedAndCut,
  feedLines,
  initialise,
  isPaperStatusReplyByte,
  isRealTimeStatusByte,
  qrErrorCorrection,
  qrModel2,
  qrModuleSize,
  qrPrint,
  qrStore,
  realTimeStatus,
  refusalFor,
  selectCodeTable,
  selectKanjiMode,
  statusByte,
  transmitPaperStatus,
} from '../../../hardware/receipt-printer/protocol';
import type { Receipt } from '../../../hardware/receipt-printer/types';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('ESC/POS command bytes', () => {
  it('encodes each command the receipt uses', () => {
    expect(hex(initialise())).toBe('1b40');
    expect(hex(selectCodeTable(0))).toBe('1b7400');
    expect(hex(cancelKanjiMode())).toBe('1c2e');
    expect(hex(selectKanjiMode())).toBe('1c26');
    expect(hex(align('left'))).toBe('1b6100');
    expect(hex(align('center'))).toBe('1b6101');
    expect(hex(align('right'))).toBe('1b6102');
    expect(hex(bold(true))).toBe('1b4501');
    expect(hex(bold(false))).toBe('1b4500');
    expect(hex(characterSize(1, 1))).toBe('1d2100');
    expect(hex(characterSize(2, 2))).toBe('1d2111');
    expect(hex(characterSize(1, 2))).toBe('1d2101');
    expect(hex(characterSize(8, 3))).toBe('1d2172');
    expect(hex(feedLines(3))).toBe('1b6403');
    expect(hex(feedAndCut('partial'))).toBe('1d564200');
    expect(hex(feedAndCut('full', 5))).toBe('1d564105');
    expect(hex(realTimeStatus(1))).toBe('100401');
    expect(hex(realTimeStatus(2))).toBe('100402');
    expect(hex(realTimeStatus(4))).toBe('100404');
    expect(hex(transmitPaperStatus())).toBe('1d7201');
  });

  it('encodes the QR code functions of GS ( k (cn 49) with pL pH counting cn, fn and the parameters', () => {
    expect(hex(qrModel2())).toBe('1d286b0400314132' + '00');
    expect(hex(qrModuleSize(6))).toBe('1d286b03003143' + '06');
    expect(hex(qrErrorCorrection('M'))).toBe('1d286b03003145' + '31');
    expect(hex(qrErrorCorrection('H'))).toBe('1d286b03003145' + '33');
    expect(hex(qrPrint())).toBe('1d286b03003151' + '30');
    expect(hex(qrStore(Buffer.from('AB')))).toBe('1d286b0500315030' + '4142');
  });

  it('puts the data length + 3 in pL pH of the store function, low byte first, for long data', () => {
    for (const length of [252, 253, 255, 256, 300, 2331]) {
      const data = Buffer.alloc(length, 0x41);
      const command = qrStore(data);
      const declared = command[3]! + command[4]! * 256;
      expect(declared, `length ${length}`).toBe(length + 3);
      expect(command.length).toBe(5 + declared);
    }
    // 300 bytes: 303 = 0x012f → pL 0x2f, pH 0x01.
    expect(hex(qrStore(Buffer.alloc(300, 0x41)).subarray(0, 8))).toBe('1d286b2f01315030');
  });
});

describe('a receipt as bytes', () => {
  it('initialises, selects ASCII, then each line with its alignment, weight and size, a QR code, a feed and the cut', () => {
    const receipt: Receipt = {
      lines: [
        { kind: 'text', text: 'TOP-UP', align: 'center', bold: true, width: 2, height: 2 },
        { kind: 'text', text: 'NT$ 500', align: 'right' },
        { kind: 'qr', data: 'TCR1.x', moduleSize: 5 },
        { kind: 'feed', lines: 2 },
      ],
    };
    const bytes = encodeReceipt(receipt);
    expect(bytes.ok).toBe(true);
    if (!bytes.ok) return;
    expect(hex(bytes.value)).toBe(
      [
        '1b40', '1c2e', '1b7400',
        '1b6101', '1b4501', '1d2111', hex(Buffer.from('TOP-UP')), '0a',
        '1b6102', '1b4500', '1d2100', hex(Buffer.from('NT$ 500')), '0a',
        '1b6101', '1d286b0400314132' + '00', '1d286b03003143' + '05', '1d286b03003145' + '31', '1d286b0900315030' + hex(Buffer.from('TCR1.x')), '1d286b03003151' + '30',
        '1b6402',
        '1b6100', '1b4500', '1d2100', '1b6403', '1d564200',
      ].join(''),
    );
  });

  it('refuses what the printer would print wrong: non-ASCII text, sizes out of range, an empty or too long QR code', () => {
    expect(encodeReceipt({ lines: [{ kind: 'text', text: 'ok' }, { kind: 'text', text: '儲值 500' }] })).toEqual({ ok: false, error: { kind: 'unprintable_text', line: 1, char: '儲' } });
    expect(encodeReceipt({ lines: [{ kind: 'text', text: 'tab\there' }] })).toMatchObject({ ok: false, error: { kind: 'unprintable_text', char: '\t' } });
    expect(encodeReceipt({ lines: [{ kind: 'text', text: 'x', width: 9 }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', parameter: 'width' } });
    expect(encodeReceipt({ lines: [{ kind: 'text', text: 'x', height: 0 }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', parameter: 'height' } });
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: 'x', moduleSize: 17 }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', parameter: 'moduleSize' } });
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: '' }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', parameter: 'data' } });
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: 'a\u0010\u0004\u0001b' }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', parameter: 'data' } });
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: 'TCR1.ü' }] }).ok).toBe(true);
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: 'A'.repeat(2332) }] })).toEqual({ ok: false, error: { kind: 'qr_too_long', line: 0, bytes: 2332, max: 2331 } });
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: 'A'.repeat(2331) }] }).ok).toBe(true);
    expect(encodeReceipt({ lines: [{ kind: 'feed', lines: 0 }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', parameter: 'lines' } });
  });

  it('refuses QR data with half a surrogate pair, which UTF-8 would store as U+FFFD (found by npm run fuzz)', () => {
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: 'https://x/\ud800' }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', line: 0, parameter: 'data' } });
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: '\udc00https://x/' }] })).toMatchObject({ ok: false, error: { kind: 'bad_parameter', parameter: 'data' } });
    expect(encodeReceipt({ lines: [{ kind: 'qr', data: 'https://x/\u{1f600}' }] }).ok).toBe(true);
  });
});

describe('status bytes', () => {
  it('tells a DLE EOT reply (bit 4 set) from a GS r reply (bit 4 clear) and from XON/XOFF', () => {
    expect(isRealTimeStatusByte(0x12)).toBe(true);
    expect(isRealTimeStatusByte(0x7e)).toBe(true);
    expect(isRealTimeStatusByte(0x00)).toBe(false);
    expect(isRealTimeStatusByte(0x13)).toBe(false); // XOFF
    expect(isRealTimeStatusByte(0x92)).toBe(false);
    expect(isPaperStatusReplyByte(0x00)).toBe(true);
    expect(isPaperStatusReplyByte(0x0f)).toBe(true);
    expect(isPaperStatusReplyByte(0x12)).toBe(false);
    expect(isPaperStatusReplyByte(0x11)).toBe(false); // XON
  });

  it('decodes DLE EOT 1 (offline), 2 (cover, paper end, error) and 4 (near end, end)', () => {
    expect(decodePrinterStatus(0x12)).toEqual({ offline: false });
    expect(decodePrinterStatus(0x1a)).toEqual({ offline: true });
    expect(decodeOfflineCause(0x12)).toEqual({ coverOpen: false, feedButton: false, stoppedByPaperEnd: false, error: false });
    expect(decodeOfflineCause(0x16)).toEqual({ coverOpen: true, feedButton: false, stoppedByPaperEnd: false, error: false });
    expect(decodeOfflineCause(0x1a)).toEqual({ coverOpen: false, feedButton: true, stoppedByPaperEnd: false, error: false });
    expect(decodeOfflineCause(0x32)).toEqual({ coverOpen: false, feedButton: false, stoppedByPaperEnd: true, error: false });
    expect(decodeOfflineCause(0x52)).toEqual({ coverOpen: false, feedButton: false, stoppedByPaperEnd: false, error: true });
    expect(decodePaperSensor(0x12)).toBe('ok');
    expect(decodePaperSensor(0x1e)).toBe('near-end');
    expect(decodePaperSensor(0x72)).toBe('out');
    expect(decodePaperSensor(0x7e)).toBe('out');
    expect(decodePaperStatusReply(0x00)).toBe('ok');
    expect(decodePaperStatusReply(0x03)).toBe('near-end');
    expect(decodePaperStatusReply(0x0c)).toBe('out');
  });

  it('encodes on the printer side what it decodes on the host side', () => {
    expect(statusByte.printer(false)).toBe(0x12);
    expect(statusByte.printer(true)).toBe(0x1a);
    expect(statusByte.offlineCause({ coverOpen: true, stoppedByPaperEnd: false, error: false })).toBe(0x16);
    expect(statusByte.offlineCause({ coverOpen: false, stoppedByPaperEnd: true, error: true })).toBe(0x72);
    expect(statusByte.paperSensor('ok')).toBe(0x12);
    expect(statusByte.paperSensor('near-end')).toBe(0x1e);
    expect(statusByte.paperSensor('out')).toBe(0x7e);
    for (const paper of ['ok', 'near-end', 'out'] as const) {
      expect(decodePaperSensor(statusByte.paperSensor(paper))).toBe(paper);
      expect(decodePaperStatusReply(statusByte.paperStatusReply(paper))).toBe(paper);
      expect(isPaperStatusReplyByte(statusByte.paperStatusReply(paper))).toBe(true);
    }
  });

  it('names why a printer cannot print: paper first, then cover, error, offline', () => {
    const ready = combineStatus(0x12, 0x12, 0x12);
    expect(ready).toEqual({ online: true, coverOpen: false, paper: 'ok', stoppedByPaperEnd: false, error: false });
    expect(refusalFor(ready)).toBeNull();
    expect(refusalFor(combineStatus(0x12, 0x12, 0x1e))).toBeNull(); // near end still prints
    expect(refusalFor(combineStatus(0x1a, 0x32, 0x7e))?.kind).toBe('paper_out');
    expect(refusalFor(combineStatus(0x1a, 0x16, 0x12))?.kind).toBe('cover_open');
    expect(refusalFor(combineStatus(0x1a, 0x52, 0x12))?.kind).toBe('printer_error');
    expect(refusalFor(combineStatus(0x1a, 0x1a, 0x12))?.kind).toBe('offline');
  });
});
