import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeReceipt, qrStore, realTimeStatus } from '../../../hardware/receipt-printer/protocol';
import { EscPosPrinter, receiptQrCodes, receiptText } from '../../../hardware/receipt-printer/simulator';
import type { Receipt } from '../../../hardware/receipt-printer/types';

/** The simulated printer's interpreter without a line: bytes in, the bytes it sends back out. */
function printer(options: { paperLines?: number } = {}) {
  const sent: number[] = [];
  const device = new EscPosPrinter(options, (byte) => sent.push(byte));
  return { device, sent };
}

const bytesOf = (receipt: Receipt): Buffer => {
  const encoded = encodeReceipt(receipt);
  if (!encoded.ok) throw new Error(JSON.stringify(encoded.error));
  return encoded.value;
};

const sample: Receipt = {
  lines: [
    { kind: 'text', text: 'TOP-UP', align: 'center', bold: true, width: 2, height: 2 },
    { kind: 'text', text: 'AMOUNT NT$ 500' },
    { kind: 'qr', data: 'TCR1.abc.def' },
  ],
};

describe('the simulated ESC/POS printer', () => {
  it('prints the text lines with their style and the QR code, cut at the end; nothing is a protocol error', () => {
    const { device } = printer();
    device.receive(bytesOf(sample));
    expect(device.errors).toEqual([]);
    expect(device.printed).toHaveLength(1);
    const [receipt] = device.printed;
    expect(receipt!.cut).toBe('partial');
    expect(receipt!.lines[0]).toEqual({ kind: 'text', text: 'TOP-UP', align: 'center', bold: true, width: 2, height: 2 });
    expect(receipt!.lines[1]).toEqual({ kind: 'text', text: 'AMOUNT NT$ 500', align: 'left', bold: false, width: 1, height: 1 });
    expect(receipt!.lines[2]).toEqual({ kind: 'qr', data: 'TCR1.abc.def', align: 'center', moduleSize: 6, errorCorrection: 'M' });
    expect(receiptText(receipt!)).toEqual(['TOP-UP', 'AMOUNT NT$ 500', '', '', '']);
    expect(receiptQrCodes(receipt!)).toEqual(['TCR1.abc.def']);
  });

  it('reassembles commands split across reads, however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const { device } = printer();
        const bytes = bytesOf(sample);
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const size = sizes[i % sizes.length]!;
          device.receive(bytes.subarray(at, at + size));
          at += size;
        }
        expect(device.errors).toEqual([]);
        expect(receiptQrCodes(device.printed[0]!)).toEqual(['TCR1.abc.def']);
        expect(receiptText(device.printed[0]!).slice(0, 2)).toEqual(['TOP-UP', 'AMOUNT NT$ 500']);
      }),
      { numRuns: 50 },
    );
  });

  it('round-trips any printable ASCII text line, wrapping only past 48 columns', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[\x20-\x7e]{0,47}$/), { minLength: 1, maxLength: 8 }), (texts) => {
        const { device } = printer();
        device.receive(bytesOf({ lines: texts.map((text) => ({ kind: 'text' as const, text })) }));
        expect(device.errors).toEqual([]);
        expect(receiptText(device.printed[0]!).slice(0, texts.length)).toEqual(texts.map((text) => text.trimEnd()));
      }),
      { numRuns: 50 },
    );
  });

  it('records unknown sequences, bad parameters and non-ASCII bytes as protocol errors instead of printing them', () => {
    const { device } = printer();
    device.receive(Buffer.from([0x1b, 0x40, 0x1b, 0x7a, 0x41, 0x0a]));
    device.receive(Buffer.from([0x1b, 0x61, 0x07]));
    device.receive(Buffer.from([0x1d, 0x21, 0x88]));
    device.receive(Buffer.from([0xe5, 0x84, 0xb2, 0x0a]));
    device.receive(Buffer.from([0x41, 0x1b, 0x61, 0x01, 0x0a]));
    device.receive(Buffer.from([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30])); // print, nothing stored
    device.receive(Buffer.from([0x10, 0x05, 0x01]));
    expect(device.errors.map((error) => error.reason)).toEqual([
      'unknown ESC sequence',
      'ESC a 7: no such alignment',
      'GS ! 136: magnification over 8',
      'byte 0xe5 is neither a command nor printable ASCII',
      'byte 0x84 is neither a command nor printable ASCII',
      'byte 0xb2 is neither a command nor printable ASCII',
      'ESC a in the middle of a line (ignored by the printer)',
      'QR print with no data stored',
      'unknown DLE sequence',
      // it resynchronises byte by byte: the two bytes after the unknown DLE are stray too
      'byte 0x5 is neither a command nor printable ASCII',
      'byte 0x1 is neither a command nor printable ASCII',
    ]);
    expect(device.errors[0]).toMatchObject({ offset: 2, bytes: '1b7a' });
  });

  it('reads the QR data by pL pH: a store command whose length bytes are wrong is caught, not printed as sent', () => {
    const { device } = printer();
    const data = Buffer.alloc(300, 0x41);
    const good = qrStore(data);
    const broken = Buffer.from(good);
    broken[4] = 0; // pH dropped: the printer reads 47 bytes of data and the rest as commands and text
    const print = Buffer.from('1d286b03003151301d564200', 'hex');
    device.receive(Buffer.concat([broken, print]));
    expect(receiptQrCodes(device.printed[0]!)).not.toEqual(['A'.repeat(300)]);
    expect(device.errors).toContainEqual(expect.objectContaining({ reason: 'QR print with text in the line buffer: nothing printed' }));

    const fine = printer();
    fine.device.receive(Buffer.concat([good, print]));
    expect(fine.device.errors).toEqual([]);
    expect(receiptQrCodes(fine.device.printed[0]!)).toEqual(['A'.repeat(300)]);
  });

  it('answers DLE EOT 1, 2 and 4 with the real status bytes for each fault, and prints nothing while offline', () => {
    const { device, sent } = printer();
    const ask = (): number[] => {
      sent.length = 0;
      for (const n of [1, 2, 4] as const) device.receive(realTimeStatus(n));
      return [...sent];
    };
    expect(ask()).toEqual([0x12, 0x12, 0x12]);
    device.injectFault({ kind: 'paper-near-end' });
    expect(ask()).toEqual([0x12, 0x12, 0x1e]);
    device.injectFault({ kind: 'paper-out' });
    expect(ask()).toEqual([0x1a, 0x32, 0x7e]);
    device.receive(bytesOf(sample));
    expect(device.printed).toEqual([]);
    expect(device.state().bytesDropped).toBe(bytesOf(sample).length);
    device.injectFault({ kind: 'paper-loaded' });
    device.injectFault({ kind: 'cover-open' });
    expect(ask()).toEqual([0x1a, 0x16, 0x12]);
    device.injectFault({ kind: 'cover-close' });
    device.injectFault({ kind: 'cutter-jam' });
    expect(ask()).toEqual([0x1a, 0x52, 0x12]);
    device.injectFault({ kind: 'clear-error' });
    device.injectFault({ kind: 'power-off' });
    expect(ask()).toEqual([]);
    device.injectFault({ kind: 'power-on' });
    expect(ask()).toEqual([0x12, 0x12, 0x12]);
    device.receive(bytesOf(sample));
    expect(device.printed).toHaveLength(1);
  });

  it('answers GS r 1 in order, after what came before it, and not at all while offline', () => {
    const { device, sent } = printer();
    device.receive(Buffer.concat([bytesOf(sample), Buffer.from([0x1d, 0x72, 0x01])]));
    expect(device.printed).toHaveLength(1);
    expect(sent).toEqual([0x00]);
    device.injectFault({ kind: 'cover-open' });
    device.receive(Buffer.from([0x1d, 0x72, 0x01]));
    expect(sent).toEqual([0x00]);
  });

  it('runs out of paper in the middle of a receipt: what was printed is kept, uncut, and the printer stops', () => {
    const { device, sent } = printer({ paperLines: 3 });
    device.receive(Buffer.concat([bytesOf(sample), Buffer.from([0x1d, 0x72, 0x01])]));
    expect(device.printed).toHaveLength(1);
    expect(device.printed[0]!.cut).toBeNull();
    expect(receiptText(device.printed[0]!)).toEqual(['TOP-UP', 'AMOUNT NT$ 500']);
    expect(receiptQrCodes(device.printed[0]!)).toEqual([]);
    expect(sent).toEqual([]); // GS r is never answered: the printer is offline
    expect(device.state()).toMatchObject({ paper: 'out', online: false });
  });
});
