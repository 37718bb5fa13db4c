import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createScanDecoder,
  encodeDeskoFrame,
  encodePlainDocument,
  encodeRteFrame,
  encodeTaiwanIdBarcode,
  MAX_FRAME_LENGTH,
  rteBcc,
} from '../../../hardware/id-scanner/protocol';
import { fixtureDocuments } from '../../../hardware/id-scanner/fixtures';
import type { DecodedScan, ScanMode } from '../../../hardware/id-scanner/types';

// ICAO Doc 9303 specimens (Parts 4, 5, 6): the framing does not care whether check digits are right.
const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const td2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const td1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));
const decodeAll = (input: Uint8Array): DecodedScan[] => {
  const decoder = createScanDecoder();
  return [...decoder.push(input), ...decoder.flush()];
};
const documents = (events: DecodedScan[]) => events.filter((event) => event.kind !== 'bad-frame');
const badReasons = (events: DecodedScan[]) => events.flatMap((event) => (event.kind === 'bad-frame' ? [event.reason] : []));

describe('RTE framing (3M/Thales)', () => {
  it('frames a TD1 card as SOH, the length word of the whole block, OU, STX, flag, three padded lines, ETX and the XOR', () => {
    const frame = encodeRteFrame(td1, { flag: 0x31 });
    const length = 7 + 3 * 31 + 2;
    expect(frame.length).toBe(length);
    expect([...frame.subarray(0, 7)]).toEqual([0x01, length, 0x00, 0x4f, 0x55, 0x02, 0x31]);
    expect(String.fromCharCode(...frame.subarray(7, length - 2))).toBe(`${td1.join('\r')}\r`);
    expect(frame[length - 2]).toBe(0x03);
    let xor = 0;
    for (const byte of frame.subarray(0, length - 1)) xor ^= byte;
    expect(frame[length - 1]).toBe(xor);
    expect(rteBcc(frame.subarray(0, length - 1))).toBe(xor);
  });

  it('sends a two-line document with an empty first line and pads it with underscores to 44', () => {
    const text = String.fromCharCode(...encodeRteFrame(td2).subarray(7, -2));
    expect(text).toBe(`\r${td2[0]}________\r${td2[1]}________\r`);
  });

  it.each([
    ['TD1', td1],
    ['TD2', td2],
    ['TD3', td3],
  ])('decodes a %s read back to its lines, padding removed, with the flag', (_name, lines) => {
    expect(decodeAll(encodeRteFrame(lines, { flag: 0x37 }))).toEqual([{ kind: 'mrz-lines', mode: 'rte', lines, flag: 0x37 }]);
  });

  it('counts a frame with a wrong BCC as one bad frame and reads the next one', () => {
    const broken = encodeRteFrame(td3);
    broken[broken.length - 1] = (broken[broken.length - 1] ?? 0) ^ 0x20;
    const events = decodeAll(cat(broken, encodeRteFrame(td1)));
    expect(badReasons(events)).toEqual(['bad_bcc']);
    expect(documents(events)).toEqual([{ kind: 'mrz-lines', mode: 'rte', lines: td1, flag: 0x30 }]);
  });

  it('counts a frame cut short by the next one as interrupted, and reads the next one', () => {
    const cut = encodeRteFrame(td3).subarray(0, 40);
    const events = decodeAll(cat(cut, encodeRteFrame(td2)));
    expect(badReasons(events)).toEqual(['interrupted']);
    expect(documents(events)).toEqual([{ kind: 'mrz-lines', mode: 'rte', lines: td2, flag: 0x30 }]);
  });

  it('rejects a length word out of range or a wrong header without losing the frame behind it', () => {
    const events = decodeAll(cat(Uint8Array.of(0x01, 0xff, 0x3f), Uint8Array.of(0x01, 0x20, 0x00, 0x4f, 0x58), encodeRteFrame(td1)));
    expect(badReasons(events)).toEqual(expect.arrayContaining(['bad_length', 'bad_header']));
    expect(documents(events)).toEqual([{ kind: 'mrz-lines', mode: 'rte', lines: td1, flag: 0x30 }]);
  });

  it('counts a frame whose ETX is not where its length says', () => {
    const frame = encodeRteFrame(td1);
    frame[frame.length - 2] = 0x41;
    expect(badReasons(decodeAll(frame))).toContain('bad_trailer');
    expect(documents(decodeAll(frame))).toEqual([]);
  });

  it('counts a frame with one line only as a half document', () => {
    expect(badReasons(decodeAll(encodeRteFrame(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'])))).toEqual(['half_document']);
  });
});

describe('Desko framing', () => {
  it.each([
    ['TD1', td1],
    ['TD3', td3],
  ])('decodes a %s', (_name, lines) => {
    expect(decodeAll(encodeDeskoFrame(lines))).toEqual([{ kind: 'mrz-lines', mode: 'desko', lines, flag: null }]);
  });

  it('counts non-printable bytes inside a frame as a bad frame', () => {
    const frame = encodeDeskoFrame(td3);
    frame[10] = 0x90;
    expect(badReasons(decodeAll(frame))).toEqual(['bad_bytes']);
  });

  it('gives up on a frame that never ends, keeping the buffer bounded', () => {
    const decoder = createScanDecoder();
    const events = decoder.push(cat(Uint8Array.of(0x02), bytes('A'.repeat(MAX_FRAME_LENGTH * 3))));
    expect(badReasons(events)).toContain('frame_too_long');
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
  });
});

describe('plain line mode', () => {
  it('decodes lines followed by a blank line, with CR or CR LF', () => {
    expect(decodeAll(encodePlainDocument(td1))).toEqual([{ kind: 'mrz-lines', mode: 'plain', lines: td1, flag: null }]);
    expect(decodeAll(encodePlainDocument(td3, '\r\n'))).toEqual([{ kind: 'mrz-lines', mode: 'plain', lines: td3, flag: null }]);
  });

  it('reads a Taiwan ID barcode: ten characters and CR', () => {
    expect(decodeAll(encodeTaiwanIdBarcode('A123456789'))).toEqual([{ kind: 'barcode', mode: 'plain', text: 'A123456789' }]);
  });

  it('reads a Taiwan ID barcode wrapped in a framed mode as a one-line frame', () => {
    expect(documents(decodeAll(encodeRteFrame(['A800000014'])))).toEqual([{ kind: 'barcode', mode: 'rte', text: 'A800000014' }]);
  });

  it('counts one line and a blank line as a half document', () => {
    expect(badReasons(decodeAll(encodePlainDocument([td3[0] ?? ''])))).toEqual(['half_document']);
  });

  it('counts a document that never gets its blank line as incomplete when flushed', () => {
    const decoder = createScanDecoder();
    expect(decoder.push(bytes(`${td3[0]}\r${td3[1]}\r`))).toEqual([]);
    expect(decoder.idle).toBe(false);
    expect(badReasons(decoder.flush())).toEqual(['incomplete']);
    expect(decoder.idle).toBe(true);
  });

  it('counts a garbage line, and a document it interrupts, as one bad frame', () => {
    const events = decodeAll(cat(bytes(`${td3[0]}\rhello world\r${td3[1]}\r\r`), encodePlainDocument(td2)));
    expect(badReasons(events)).toEqual(['unrecognised_line', 'half_document']);
    expect(documents(events)).toEqual([{ kind: 'mrz-lines', mode: 'plain', lines: td2, flag: null }]);
  });

  it('counts more than three lines before the blank line', () => {
    expect(badReasons(decodeAll(encodePlainDocument([...td1, ...td2])))).toContain('too_many_lines');
  });

  it('swallows an overlong line as one bad frame', () => {
    const events = decodeAll(cat(bytes(`${'X'.repeat(500)}\r`), encodeTaiwanIdBarcode('A123456789')));
    expect(badReasons(events)).toEqual(['line_too_long']);
    expect(documents(events)).toEqual([{ kind: 'barcode', mode: 'plain', text: 'A123456789' }]);
  });
});

describe('noise and resynchronisation', () => {
  it('counts a run of noise between frames once, however it is chunked', () => {
    const stream = cat(encodeRteFrame(td3), Uint8Array.of(0x00, 0xff, 0x7f, 0x1b, 0x00), encodeDeskoFrame(td1));
    for (const size of [1, 3, 7, stream.length]) {
      const decoder = createScanDecoder();
      const events: DecodedScan[] = [];
      for (let at = 0; at < stream.length; at += size) events.push(...decoder.push(stream.subarray(at, at + size)));
      events.push(...decoder.flush());
      expect(badReasons(events)).toEqual(['noise']);
      expect(events.find((event) => event.kind === 'bad-frame')).toMatchObject({ bytes: 5 });
      expect(documents(events).map((event) => event.mode)).toEqual(['rte', 'desko']);
    }
  });

  it('a frame start ends a plain-mode document in progress', () => {
    const events = decodeAll(cat(bytes(`${td3[0]}\r`), encodeRteFrame(td1)));
    expect(badReasons(events)).toEqual(['half_document']);
    expect(documents(events)).toHaveLength(1);
  });
});

describe('a document right after line noise (no pause)', () => {
  // Real line noise is any byte: a stray STX opens a Desko frame, printable bytes glue onto the first line.
  // Seeded variants so that a failure names the one that broke: noise seed i, document i mod 4.
  const plainDocuments = [td1, td2, td3, fixtureDocuments.residentPermitTaiwan.lines];
  const noiseOf = (seed: number): Uint8Array => {
    let state = seed * 0x9e3779b1 + 1;
    const next = (): number => {
      state = (state ^ (state << 13)) >>> 0;
      state = (state ^ (state >>> 17)) >>> 0;
      state = (state ^ (state << 5)) >>> 0;
      return state;
    };
    return Uint8Array.from({ length: 1 + (next() % 48) }, () => next() & 0xff);
  };

  it.each(Array.from({ length: 40 }, (_, seed) => seed))('noise variant %i, then a plain-mode document: the document is read', (seed) => {
    const lines = plainDocuments[seed % plainDocuments.length] ?? td3;
    const stream = cat(noiseOf(seed), encodePlainDocument(lines));
    for (const size of [1, 5, stream.length]) {
      const decoder = createScanDecoder();
      const events: DecodedScan[] = [];
      for (let at = 0; at < stream.length; at += size) events.push(...decoder.push(stream.subarray(at, at + size)));
      events.push(...decoder.flush());
      expect(documents(events)).toEqual([{ kind: 'mrz-lines', mode: 'plain', lines, flag: null }]);
    }
  });

  it('leaves a short (damaged) first line as it came: it is the identity module\'s to judge, not noise', () => {
    const damaged = [(td1[0] ?? '').slice(0, 25), td1[1] ?? '', td1[2] ?? ''];
    expect(documents(decodeAll(encodePlainDocument(damaged)))).toEqual([{ kind: 'mrz-lines', mode: 'plain', lines: damaged, flag: null }]);
    // Glued text is cut off only down to the width of the lines below it.
    expect(decodeAll(cat(bytes('\x9fAB'), encodePlainDocument(td1)))).toEqual([
      { kind: 'bad-frame', reason: 'noise', mode: null, bytes: 1 },
      { kind: 'bad-frame', reason: 'noise', mode: null, bytes: 2 },
      { kind: 'mrz-lines', mode: 'plain', lines: td1, flag: null },
    ]);
  });

  it.each(Array.from({ length: 12 }, (_, seed) => seed))('noise variant %i, then a Taiwan ID barcode: the number is read', (seed) => {
    const events = decodeAll(cat(noiseOf(seed + 100), encodeTaiwanIdBarcode('A123456789')));
    expect(documents(events)).toEqual([{ kind: 'barcode', mode: 'plain', text: 'A123456789' }]);
  });
});

const mrzChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<');
const mrzLines = fc.oneof(
  fc.array(fc.string({ unit: mrzChar, minLength: 30, maxLength: 30 }), { minLength: 3, maxLength: 3 }),
  fc.array(fc.string({ unit: mrzChar, minLength: 36, maxLength: 36 }), { minLength: 2, maxLength: 2 }),
  fc.array(fc.string({ unit: mrzChar, minLength: 44, maxLength: 44 }), { minLength: 2, maxLength: 2 }),
);
const mode = fc.constantFrom<ScanMode>('rte', 'desko', 'plain');
const encode = (lines: readonly string[], m: ScanMode): Uint8Array =>
  m === 'rte' ? encodeRteFrame(lines) : m === 'desko' ? encodeDeskoFrame(lines) : encodePlainDocument(lines);
const chunked = (data: Uint8Array, cuts: number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(data.subarray(from, point));
    from = point;
  }
  pieces.push(data.subarray(from));
  return pieces;
};

describe('decoder properties (fast-check)', () => {
  it('never throws on random bytes in random chunks, and its buffer stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 12 }), (chunks) => {
        const decoder = createScanDecoder();
        for (const chunk of chunks) {
          decoder.push(chunk);
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
        }
        decoder.flush();
        expect(decoder.bufferedBytes).toBe(0);
        expect(decoder.idle).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on streams biased towards frame bytes (SOH, STX, ETX, CR, MRZ text)', () => {
    const framingByte = fc.constantFrom(0x01, 0x02, 0x03, 0x0d, 0x0a, 0x3c, 0x41, 0x30, 0x4f, 0x55, 0x66, 0x00);
    const biased = fc.array(fc.oneof(framingByte, fc.integer({ min: 0, max: 255 })), { maxLength: 700 }).map((list) => Uint8Array.from(list));
    fc.assert(
      fc.property(fc.array(biased, { maxLength: 6 }), (chunks) => {
        const decoder = createScanDecoder();
        for (const chunk of chunks) {
          decoder.push(chunk);
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME_LENGTH);
        }
        decoder.flush();
      }),
      { numRuns: 300 },
    );
  });

  it('decodes any document in any mode, however the bytes are split', () => {
    fc.assert(
      fc.property(mrzLines, mode, fc.array(fc.nat(), { maxLength: 8 }), (lines, m, cuts) => {
        const decoder = createScanDecoder();
        const events = chunked(encode(lines, m), cuts).flatMap((piece) => decoder.push(piece));
        expect(events).toEqual([{ kind: 'mrz-lines', mode: m, lines, flag: m === 'rte' ? 0x30 : null }]);
        expect(decoder.idle).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('after any garbage and a flush (the line going quiet), the next document is read exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), mrzLines, mode, (garbage, lines, m) => {
        const decoder = createScanDecoder();
        decoder.push(garbage);
        decoder.flush();
        expect(decoder.push(encode(lines, m))).toEqual([{ kind: 'mrz-lines', mode: m, lines, flag: m === 'rte' ? 0x30 : null }]);
      }),
      { numRuns: 300 },
    );
  });

  it('a framed document right after garbage (no pause) is still read', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), mrzLines, fc.constantFrom<ScanMode>('rte', 'desko'), (garbage, lines, m) => {
        // Garbage that ends inside an unfinished frame may swallow a little; a real reader pauses between
        // documents and the driver flushes then, so the property holds for garbage without frame starts.
        const clean = garbage.filter((byte) => byte !== 0x01 && byte !== 0x02);
        const events = decodeAll(cat(clean, encode(lines, m)));
        expect(documents(events)).toEqual([{ kind: 'mrz-lines', mode: m, lines, flag: m === 'rte' ? 0x30 : null }]);
      }),
      { numRuns: 300 },
    );
  });
});
