import fc from 'fast-check';
import {
  interpretReply,
  maxReplyBytes,
  parseCardPresence,
  parseCounter,
  parseFeederState,
  parseVolts,
  ReplyReader,
} from '../../../hardware/printer/protocol';
import { asciiBytes, broken, chunksOf, hostileStream, sameValue, type ChunkedStream } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * The card printer's replies (Evolis, hardware/printer/protocol.ts) as the driver reads them: the byte
 * stream split into replies by `ReplyReader`, each reply given a meaning by `interpretReply` and the
 * sensor/counter parsers. Real replies (OK, ACK, NACK + code, the error words, volts, card presence,
 * counters, firmware strings, with CR, CR LF or nothing) mutated and mixed with noise, in random chunks.
 * Promises: never throws; never holds `maxReplyBytes`; a reply is never empty, never holds CR, LF or
 * NUL; chunking changes nothing; a clean stream of replies is read back exactly; every meaning is one
 * the driver knows, and a parsed number is a number in the sensor's range.
 */
const realReplies = [
  'OK', 'ERROR', 'ERROR CDE', 'ERROR PARAMETRES', 'ERROR TIME OUT', 'ERROR HEAD', 'ERROR RIBBON', 'ERR RIB DETECTION',
  'ERROR HOPPER', 'HOPPER FULL', 'HOPPER DOOR', 'COVER OPEN', 'FEEDER EMPTY', 'CARD JAM', 'NEED CLEANING',
  'ERROR CHECKSUM', 'OPT NOT AVAILABLE', 'CARD', 'NO CARD', 'ERR CARD', 'SMART CARD', 'CONTACTLESS CARD',
  '5,00 Volts', '0,12 Volts', '4.98V', '0', '1', '3', '123456', 'Primacy 2 - 1.2.3', 'R-NEUTRAL', 'EVOLIS KC200',
];
const ends = ['\r', '\r\n', '\n', ''];
/** A reply as the printer sends it: bare text and a line end, or ACK / NACK + code (flow control). */
const reply = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...realReplies), fc.constantFrom(...ends)).map(([text, end]) => text + end) },
  { weight: 1, arbitrary: fc.constant('\x06') },
  { weight: 1, arbitrary: fc.constantFrom('1', '2', 'T', 'C', 'F', 'R').map((code) => `\x15${code}`) },
);

type Input = { readonly kind: 'hostile'; readonly stream: ChunkedStream } | { readonly kind: 'clean'; readonly replies: readonly string[]; readonly cuts: readonly number[] };

function read(bytes: Uint8Array, cuts: readonly number[]): string[] {
  const reader = new ReplyReader();
  const replies: string[] = [];
  for (const chunk of chunksOf(bytes, cuts)) {
    for (const item of reader.feed(chunk)) replies.push(item);
    if (reader.bufferedBytes >= maxReplyBytes) broken(`the reader holds ${reader.bufferedBytes} bytes`);
  }
  const last = reader.flush();
  if (last !== undefined) replies.push(last);
  for (const text of replies) checkReply(text);
  return replies;
}

const meanings = new Set(['ok', 'error', 'text']);

function checkReply(text: string): void {
  if (text.length === 0 || text.length >= maxReplyBytes) broken(`a reply of ${text.length} bytes`);
  if (/[\r\n\0]/.test(text)) broken('a reply holding CR, LF or NUL', text);
  for (const command of ['Rlr', 'Rse', 'Sk', 'Rco', 'Pcim', 'Se']) {
    const meaning = interpretReply(command, text);
    if (!meanings.has(meaning.kind)) broken('a reply with no meaning', meaning);
    if (meaning.kind === 'error' && (meaning.error.kind.length === 0 || !('command' in meaning.error) || meaning.error.command !== command)) {
      broken('an error reply that does not say what failed', meaning);
    }
    if (meaning.kind === 'text' && meaning.text !== text.trim()) broken('a data reply changed on its way', { text, meaning });
  }
  const volts = parseVolts(text);
  if (volts !== undefined && !(Number.isFinite(volts) && volts >= 0 && volts < 100)) broken('volts out of any sensor range', { text, volts });
  const counter = parseCounter(text);
  if (counter !== undefined && !(Number.isSafeInteger(counter) && counter >= 0)) broken('a counter that is no whole number', { text, counter });
  parseCardPresence(text);
  parseFeederState(text);
}

/** What the reader must return for a clean stream: each reply without its line end (ACK as itself). */
const expectedReplies = (replies: readonly string[]): string[] => replies.map((text) => text.replace(/[\r\n]+$/, ''));

export const target: FuzzTarget<Input> = {
  name: 'printer-reply',
  subject: 'hardware/printer/protocol.ts ReplyReader, interpretReply, parseVolts/parseCounter/...',
  input: fc.oneof(
    { weight: 4, arbitrary: hostileStream(reply.map(asciiBytes), { maxPieces: 8, maxRandom: 300 }).map((stream) => ({ kind: 'hostile' as const, stream })) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('clean' as const),
        // Replies with a line end, or complete by themselves (OK, ACK, NACK + code): as the driver sees them.
        replies: fc.array(reply.filter((text) => /[\r\n]$/.test(text) || text === 'OK' || /^[\x06\x15]/.test(text)), { maxLength: 6 }),
        cuts: fc.array(fc.nat(), { maxLength: 8 }),
      }),
    },
  ),
  feed(input) {
    if (input.kind === 'clean') {
      const bytes = asciiBytes(input.replies.join(''));
      const got = read(bytes, input.cuts);
      const want = expectedReplies(input.replies);
      if (!sameValue(got, want)) broken('a clean stream of replies was not read back exactly', { got, want });
      return;
    }
    const chunked = read(input.stream.bytes, input.stream.cuts);
    const whole = read(input.stream.bytes, []);
    if (!sameValue(chunked, whole)) broken('chunking changed the replies', { chunked, whole });
  },
};
