import fc from 'fast-check';
import { CommandParser, encodeCommand, encodePanel, panelBytes, type HostMessage } from '../../../hardware/printer/protocol';
import { cardHeightDots, cardWidthDots, type Panel } from '../../../hardware/printer/types';
import { broken, chunksOf, concatBytes, hostileStream, sameValue, type ChunkedStream } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * The card printer's side of the line (hardware/printer/protocol.ts `CommandParser`, which the printer
 * simulator runs): the kiosk's commands (`ESC name;params CR`) and panels (`Db`, compressed `Dbc`), and
 * a delimiter change (`Psc`), mutated and mixed with noise, in random chunks. Promises: never throws;
 * holds no more than the largest panel; chunking changes no command or panel (only how garbage is
 * grouped); a refusal says what is wrong; a clean stream parses back exactly, panels bit for bit.
 */
const bytesPerLine = cardHeightDots / 8;
const commands = ['Pem;4', 'Sis', 'Rlr;p', 'Rse;f', 'Rse;b', 'Sk;f', 'Rco;I', 'Pcim;F', 'Se', 'Ss', 'Sv', 'Pr;k;255', 'Ppws;abc', 'Rfv'];
const command = fc.constantFrom(...commands).map((text) => {
  const [name = '', ...params] = text.split(';');
  return { name, params };
});

/**
 * 2-level panels white but for a few lines (what a card's text and photo outline look like), built once:
 * a panel is 82 kB, too dear to draw for every input.
 */
const sparsePanels: readonly Panel[] = fc
  .sample(
    fc.tuple(fc.constantFrom('k' as const, 'o' as const), fc.array(fc.tuple(fc.nat(cardWidthDots - 1), fc.uint8Array({ minLength: 1, maxLength: bytesPerLine })), { maxLength: 6 })),
    { numRuns: 12, seed: 17 },
  )
  .map(([name, lines]) => {
    const data = Buffer.alloc(panelBytes(2));
    for (const [line, bytes] of lines) data.set(bytes, line * bytesPerLine);
    return { name, levels: 2 as const, data };
  });
const sparsePanel = fc.constantFrom(...sparsePanels);

type Item = { readonly kind: 'command'; readonly name: string; readonly params: readonly string[] } | { readonly kind: 'panel'; readonly panel: Panel; readonly compress: boolean };
const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 6, arbitrary: command.map((c) => ({ kind: 'command' as const, ...c })) },
  { weight: 3, arbitrary: sparsePanel.map((panel) => ({ kind: 'panel' as const, panel, compress: true })) },
  // Uncompressed: 82 kB each, so seldom.
  { weight: 1, arbitrary: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: sparsePanel }).map((panel) => (panel === null ? { kind: 'command' as const, name: 'Sis', params: [] } : { kind: 'panel' as const, panel, compress: false })) },
);
const encodedPanels = new Map<string, Uint8Array>();
const encode = (value: Item): Uint8Array => {
  if (value.kind === 'command') return new Uint8Array(encodeCommand(value.name, value.params));
  const key = `${sparsePanels.indexOf(value.panel)}:${value.compress}`;
  const known = encodedPanels.get(key) ?? new Uint8Array(encodePanel(value.panel, { compress: value.compress }));
  encodedPanels.set(key, known);
  return known;
};
/** A delimiter change, which the parser must follow (and a bare `Psc` restores the defaults). */
const delimiterChange = fc.constantFrom('Psc;2;44;3', 'Psc', 'Psc;27;59;27', 'Psc;0;1;2').map((text) => new Uint8Array(encodeCommand(text)));

type Input = { readonly kind: 'hostile'; readonly stream: ChunkedStream } | { readonly kind: 'clean'; readonly items: readonly Item[]; readonly cuts: readonly number[] };

const largestPanel = panelBytes(128);

function parse(bytes: Uint8Array, cuts: readonly number[]): { readonly messages: HostMessage[]; readonly garbage: number } {
  const parser = new CommandParser();
  const messages: HostMessage[] = [];
  let garbage = 0;
  for (const chunk of chunksOf(bytes, cuts)) {
    for (const message of parser.feed(chunk)) {
      if (message.kind === 'garbage') garbage += message.bytes;
      else messages.push(message);
      if (message.kind === 'malformed' && message.reason.length === 0) broken('a refusal that does not say why', message);
    }
    if (parser.bufferedBytes > largestPanel) broken(`the parser holds ${parser.bufferedBytes} bytes`);
  }
  return { messages, garbage };
}

export const target: FuzzTarget<Input> = {
  name: 'printer-command',
  subject: 'hardware/printer/protocol.ts CommandParser (the printer simulator’s side of the line)',
  input: fc.oneof(
    { weight: 3, arbitrary: hostileStream(fc.oneof({ weight: 9, arbitrary: item.map(encode) }, { weight: 1, arbitrary: delimiterChange }), { maxPieces: 6 }).map((stream) => ({ kind: 'hostile' as const, stream })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clean' as const), items: fc.array(item, { maxLength: 5 }), cuts: fc.array(fc.nat(), { maxLength: 8 }) }) },
  ),
  feed(input) {
    if (input.kind === 'hostile') {
      const chunked = parse(input.stream.bytes, input.stream.cuts);
      if (!sameValue(chunked, parse(input.stream.bytes, []))) broken('chunking changed the commands');
      return;
    }
    const { messages, garbage } = parse(concatBytes(...input.items.map(encode)), input.cuts);
    const want = input.items.map((value): HostMessage =>
      value.kind === 'command'
        ? { kind: 'command', name: value.name, params: value.params }
        : { kind: 'panel', compressed: value.compress, panel: value.panel.name, levels: value.panel.levels, data: value.panel.data },
    );
    // A panel that does not compress is sent plain: compare what came, not how.
    const got = messages.map((message) => (message.kind === 'panel' ? { ...message, compressed: false } : message));
    const wanted = want.map((message) => (message.kind === 'panel' ? { ...message, compressed: false } : message));
    if (garbage !== 0 || !sameValue(got, wanted)) broken('a clean stream did not parse back exactly', { got: got.map(summary), want: wanted.map(summary), garbage });
  },
};

function summary(message: HostMessage): unknown {
  return message.kind === 'panel' ? { ...message, data: `${message.data.length} bytes` } : message;
}
