import fc from 'fast-check';
import { fixtureDocuments } from '../../../hardware/id-scanner/fixtures';
import {
  createScanDecoder,
  encodeDeskoFrame,
  encodePlainDocument,
  encodeRteFrame,
  encodeTaiwanIdBarcode,
  MAX_FRAME_LENGTH,
} from '../../../hardware/id-scanner/protocol';
import type { BadFrameReason, DecodedScan, ScanMode } from '../../../hardware/id-scanner/types';
import { broken, chunksOf, hostileStream, sameValue, type ChunkedStream } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * The ID scanner's framing (RTE, Desko, plain lines, barcodes) fed as a byte stream in random chunks:
 * real documents from the fixtures and random MRZ-shaped ones, mutated, spliced and mixed with noise.
 * Promises: never throws, holds at most MAX_FRAME_LENGTH bytes, is idle after a flush; every event is
 * well formed; chunking changes no document; a clean stream of documents is read exactly; and a
 * document right after line noise (no CR/LF in it) is still read.
 */
const mrzChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<');
const line = (width: number) => fc.string({ unit: mrzChar, minLength: width, maxLength: width });
const fixtureLines = Object.values(fixtureDocuments).flatMap((document) => (document.kind === 'mrz' && document.valid ? [document.lines] : []));
const mrzLines: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constantFrom(...fixtureLines),
  fc.array(line(30), { minLength: 3, maxLength: 3 }),
  fc.array(line(36), { minLength: 2, maxLength: 2 }),
  fc.array(line(44), { minLength: 2, maxLength: 2 }),
);
const mode = fc.constantFrom<ScanMode>('rte', 'desko', 'plain');
const taiwanIds = ['A123456789', 'B223456782', 'A800000014', 'F131104093'];

type Document = { readonly lines: readonly string[]; readonly mode: ScanMode } | { readonly barcode: string };
const document: fc.Arbitrary<Document> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ lines: mrzLines, mode }) },
  { weight: 1, arbitrary: fc.record({ barcode: fc.constantFrom(...taiwanIds) }) },
);
const encode = (doc: Document): Uint8Array => {
  if ('barcode' in doc) return encodeTaiwanIdBarcode(doc.barcode);
  if (doc.mode === 'rte') return encodeRteFrame(doc.lines);
  return doc.mode === 'desko' ? encodeDeskoFrame(doc.lines) : encodePlainDocument(doc.lines);
};
const expected = (doc: Document): DecodedScan =>
  'barcode' in doc ? { kind: 'barcode', mode: 'plain', text: doc.barcode } : { kind: 'mrz-lines', mode: doc.mode, lines: doc.lines, flag: doc.mode === 'rte' ? 0x30 : null };

const reasons: readonly BadFrameReason[] = [
  'bad_bcc', 'bad_length', 'bad_header', 'bad_trailer', 'interrupted', 'half_document', 'too_many_lines',
  'unrecognised_line', 'line_too_long', 'frame_too_long', 'bad_bytes', 'empty_frame', 'noise', 'incomplete',
];

type Input =
  | { readonly kind: 'hostile'; readonly stream: ChunkedStream }
  | { readonly kind: 'clean'; readonly documents: readonly Document[]; readonly cuts: readonly number[] }
  | { readonly kind: 'after-noise'; readonly noise: Uint8Array; readonly lines: readonly string[] };

function decode(bytes: Uint8Array, cuts: readonly number[]): DecodedScan[] {
  const decoder = createScanDecoder();
  const events: DecodedScan[] = [];
  for (const chunk of chunksOf(bytes, cuts)) {
    for (const item of decoder.push(chunk)) events.push(item);
    if (decoder.bufferedBytes > MAX_FRAME_LENGTH) broken(`the decoder holds ${decoder.bufferedBytes} bytes`);
  }
  for (const item of decoder.flush()) events.push(item);
  if (!decoder.idle || decoder.bufferedBytes !== 0) broken('the decoder is not idle after a flush');
  for (const event of events) checkEvent(event);
  return events;
}

function checkEvent(event: DecodedScan): void {
  switch (event.kind) {
    case 'bad-frame':
      if (!reasons.includes(event.reason)) broken('a bad frame with an unknown reason', event);
      if (!Number.isInteger(event.bytes) || event.bytes < 1) broken('a bad frame that threw away no bytes', event);
      return;
    case 'barcode':
      if (!/^[A-Z][A-Z0-9][0-9]{8}$/.test(event.text)) broken('a barcode that is no ID number', event);
      return;
    case 'mrz-lines':
      if (event.lines.length < 2 || event.lines.length > 3) broken('a document of neither 2 nor 3 lines', event);
      if (event.lines.some((text) => text.length === 0 || !/^[\x20-\x7e]+$/.test(text))) broken('a document with an empty or unprintable line', event);
      return;
  }
}

const documentsOf = (events: readonly DecodedScan[]) => events.filter((event) => event.kind !== 'bad-frame');

export const target: FuzzTarget<Input> = {
  name: 'scanner-frame',
  subject: 'hardware/id-scanner/protocol.ts createScanDecoder',
  input: fc.oneof(
    { weight: 5, arbitrary: hostileStream(document.map(encode), { maxRandom: 80 }).map((stream) => ({ kind: 'hostile' as const, stream })) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('clean' as const), documents: fc.array(document, { maxLength: 4 }), cuts: fc.array(fc.nat(), { maxLength: 8 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('after-noise' as const),
        // Line noise: any byte but a line end (a CR would make the noise a line of its own).
        noise: fc.uint8Array({ minLength: 1, maxLength: 48 }).map((bytes) => bytes.filter((byte) => byte !== 0x0d && byte !== 0x0a)),
        lines: mrzLines,
      }),
    },
  ),
  feed(input) {
    switch (input.kind) {
      case 'hostile': {
        const chunked = decode(input.stream.bytes, input.stream.cuts);
        const whole = decode(input.stream.bytes, []);
        if (!sameValue(documentsOf(chunked), documentsOf(whole))) broken('chunking changed the documents read', { chunked: documentsOf(chunked), whole: documentsOf(whole) });
        return;
      }
      case 'clean': {
        const bytes = Uint8Array.from(input.documents.flatMap((doc) => [...encode(doc)]));
        const events = decode(bytes, input.cuts);
        const want = input.documents.map(expected);
        if (!sameValue(events, want)) broken('a clean stream of documents was not read exactly', { got: events, want });
        return;
      }
      case 'after-noise': {
        const bytes = Uint8Array.from([...input.noise, ...encodePlainDocument(input.lines)]);
        const read = documentsOf(decode(bytes, []));
        const want = { kind: 'mrz-lines', mode: 'plain', lines: input.lines, flag: null };
        if (!read.some((event) => sameValue(event, want))) broken('a plain-mode document right after noise was lost', { read });
      }
    }
  },
};
