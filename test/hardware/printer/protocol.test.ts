import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packPanel, unpackPanel } from '../../../hardware/printer/panels';
import {
  CommandParser,
  compressBitPanel,
  decompressBitPanel,
  encodeCommand,
  encodePanel,
  interpretReply,
  maxCommandTextBytes,
  maxReplyBytes,
  panelBytes,
  parseCardPresence,
  parseFeederState,
  parseVolts,
  ReplyReader,
  type HostMessage,
} from '../../../hardware/printer/protocol';
import { cardHeightDots, cardWidthDots, type PanelLevels } from '../../../hardware/printer/types';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Golden exchange 6: an 8 × 8 black square at the top-left, compressed. */
function goldenSquareCompressed(): Buffer {
  const payload = Buffer.alloc(1024);
  for (let i = 0; i < 8; i++) {
    payload[i * 2] = 0x01;
    payload[i * 2 + 1] = 0xff;
  }
  return Buffer.concat([hex('1b4462633b6b3b323b313032343b'), payload, hex('0d')]);
}

function goldenSquareRaw(): Buffer {
  const data = Buffer.alloc(82_296);
  for (let i = 0; i < 8; i++) data[i * 81] = 0xff;
  return Buffer.concat([hex('1b44623b6b3b323b'), data, hex('0d')]);
}

describe('panel sizes', () => {
  it('match the guide formula: 82,296 bytes at 2 levels, 411,480 at 32', () => {
    expect(panelBytes(2)).toBe(82_296);
    expect(panelBytes(32)).toBe(411_480);
    expect(panelBytes(64)).toBe((1016 * 648 * 6) / 8);
  });
});

describe('encodeCommand', () => {
  it('frames the golden commands byte for byte', () => {
    expect(encodeCommand('Rlr', ['p'])).toEqual(hex('1b526c723b700d'));
    expect(encodeCommand('Si')).toEqual(hex('1b53690d'));
    expect(encodeCommand('Rse', ['f'])).toEqual(hex('1b5273653b660d'));
    expect(encodeCommand('Sic')).toEqual(hex('1b5369630d'));
    expect(encodeCommand('Pr', ['k'])).toEqual(hex('1b50723b6b0d'));
    expect(encodeCommand('Pmi', ['F', 's'])).toEqual(hex('1b506d693b463b730d'));
  });

  it('encodes the golden 8 × 8 square as the golden Dbc bytes, and raw as the golden Db bytes', () => {
    const values = new Uint8Array(cardWidthDots * cardHeightDots);
    for (let line = 0; line < 8; line++) for (let dot = 0; dot < 8; dot++) values[line * cardHeightDots + dot] = 1;
    const panel = packPanel('k', 2, values);
    expect(encodePanel(panel).equals(goldenSquareCompressed())).toBe(true);
    expect(encodePanel(panel, { compress: false }).equals(goldenSquareRaw())).toBe(true);
  });
});

describe('CommandParser', () => {
  const commands = (messages: HostMessage[]): string[] =>
    messages.map((m) => (m.kind === 'command' ? [m.name, ...m.params].join(';') : m.kind === 'panel' ? `panel:${m.panel}:${m.levels}:${m.compressed}` : m.kind));

  it('parses the golden K-only job in one stream and in one-byte pieces', () => {
    const stream = Buffer.concat([
      encodeCommand('Pem', ['2']),
      encodeCommand('Pr', ['k']),
      encodeCommand('Ss'),
      encodeCommand('Sr'),
      goldenSquareCompressed(),
      goldenSquareRaw(),
      encodeCommand('Se'),
    ]);
    const expected = ['Pem;2', 'Pr;k', 'Ss', 'Sr', 'panel:k:2:true', 'panel:k:2:false', 'Se'];
    expect(commands(new CommandParser().feed(stream))).toEqual(expected);
    const parser = new CommandParser();
    const bytewise: HostMessage[] = [];
    for (const byte of stream) bytewise.push(...parser.feed(Buffer.from([byte])));
    expect(commands(bytewise)).toEqual(expected);
    const panels = bytewise.filter((m) => m.kind === 'panel');
    expect(panels[0]?.kind === 'panel' && panels[1]?.kind === 'panel' && panels[0].data.equals(panels[1].data)).toBe(true);
  });

  it('parses golden stream 7: the largest compressed K panel, Se;1 and NUL padding', () => {
    const payload = Buffer.alloc(83_312);
    for (let line = 0; line < 1016; line++) {
      payload[line * 82] = 0x51;
      payload.fill(line % 2 === 0 ? 0x0d : 0x1b, line * 82 + 1, line * 82 + 82); // CR and ESC inside the data
    }
    const stream = Buffer.concat([
      hex('1b50723b6b0d 1b506d693b463b730d'),
      encodeCommand('Ss'),
      encodeCommand('Sr'),
      Buffer.from('\x1bDbc;k;2;83312;', 'latin1'),
      payload,
      hex('0d'),
      encodeCommand('Se', ['1']),
      Buffer.alloc(64),
    ]);
    const messages = new CommandParser().feed(stream);
    expect(commands(messages)).toEqual(['Pr;k', 'Pmi;F;s', 'Ss', 'Sr', 'panel:k:2:true', 'Se;1']);
    const panel = messages[4];
    expect(panel?.kind === 'panel' && panel.data[81] === 0x1b && panel.data[0] === 0x0d).toBe(true);
  });

  it('changes delimiters with Psc and restores them with a bare Psc', () => {
    const stream = Buffer.concat([encodeCommand('Psc', ['2', '44', '3']), Buffer.from('\x02Rse,o\x03\x02Psc\x03', 'latin1'), encodeCommand('Rlr', ['p'])]);
    expect(commands(new CommandParser().feed(stream))).toEqual(['Psc;2;44;3', 'Rse;o', 'Psc', 'Rlr;p']);
  });

  it('reports stray bytes as garbage and resynchronises on the next ESC', () => {
    const messages = new CommandParser().feed(Buffer.concat([Buffer.from('xyz'), encodeCommand('Sic')]));
    expect(messages).toEqual([{ kind: 'garbage', bytes: 3 }, { kind: 'command', name: 'Sic', params: [] }]);
  });

  it('rejects a compressed panel whose records do not make 1016 lines', () => {
    const messages = new CommandParser().feed(Buffer.concat([Buffer.from('\x1bDbc;k;2;1016;', 'latin1'), Buffer.alloc(1016, 0x52), hex('0d')]));
    expect(messages[0]?.kind).toBe('malformed');
  });

  it('never throws and holds a bounded buffer, whatever the bytes (fuzz)', () => {
    const pieces = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.constantFrom(...['\x1bRlr;p\r', '\x1bDbc;k;2;1016;', '\x1bDb;k;2;', '\x1bDb;y;32;', '\x1bPsc;1;2;3\r', '\x1bPsc\r', '\r', ';', '\x1b'].map((s) => Buffer.from(s, 'latin1'))),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (chunks) => {
        const parser = new CommandParser();
        for (const chunk of chunks) {
          parser.feed(chunk);
          expect(parser.bufferedBytes).toBeLessThanOrEqual(Math.max(panelBytes(128), maxCommandTextBytes));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('compression', () => {
  it('round-trips any 2-level panel (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1015), fc.nat(80), fc.integer({ min: 0, max: 255 })), { maxLength: 200 }), (writes) => {
        const data = Buffer.alloc(panelBytes(2));
        for (const [line, at, value] of writes) data[line * 81 + at] = value;
        const back = decompressBitPanel(compressBitPanel(data));
        expect(back.ok && back.value.equals(data)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('pack / unpack', () => {
  it('round-trips dot values at every level', () => {
    for (const levels of [2, 32, 64, 128] as PanelLevels[]) {
      const values = new Uint8Array(cardWidthDots * cardHeightDots).map((_, i) => (i * 7919) % levels);
      expect(Buffer.from(unpackPanel(packPanel('c', levels, values))).equals(Buffer.from(values))).toBe(true);
    }
  });
});

describe('replies', () => {
  it('reads bare replies on flush, CR-terminated ones at once, ACK and NACK + code', () => {
    const reader = new ReplyReader();
    expect(reader.feed(Buffer.from('CONTACTLESS CARD'))).toEqual([]);
    expect(reader.flush()).toBe('CONTACTLESS CARD');
    expect(reader.feed(Buffer.from('FEEDER EMPTY\r'))).toEqual(['FEEDER EMPTY']);
    expect(reader.feed(Buffer.from('OK'))).toEqual(['OK']);
    expect(reader.feed(Buffer.from('\r'))).toEqual([]);
    expect(reader.feed(Buffer.from([0x06]))).toEqual(['\x06']);
    expect(reader.feed(Buffer.from('\x15F', 'latin1'))).toEqual(['\x15F']);
  });

  it('keeps at most maxReplyBytes whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const reader = new ReplyReader();
        for (const chunk of chunks) {
          reader.feed(chunk);
          expect(reader.bufferedBytes).toBeLessThan(maxReplyBytes);
        }
        const rest = reader.flush();
        if (rest !== undefined) interpretReply('Rlr;p', rest);
      }),
    );
  });

  it('drops a reply longer than maxReplyBytes up to its CR, counted as a bad frame, never returned as a reply', () => {
    const reader = new ReplyReader();
    const noise = Buffer.alloc(1024 * 1024, 'A');
    for (let at = 0; at < noise.length; at += 4096) {
      expect(reader.feed(noise.subarray(at, at + 4096))).toEqual([]);
      expect(reader.bufferedBytes).toBeLessThan(maxReplyBytes);
    }
    expect(reader.flush()).toBeUndefined();
    expect(reader.badFrames).toBe(1);
    expect(reader.feed(Buffer.from('AAAA\rOK'))).toEqual(['OK']);
    expect(reader.feed(Buffer.from('x'.repeat(maxReplyBytes - 1)))).toEqual([]);
    expect(reader.flush()).toBe('x'.repeat(maxReplyBytes - 1));
  });

  it('maps every error spelling to a typed error', () => {
    expect(interpretReply('Si', 'FEEDER EMPTY')).toEqual({ kind: 'error', error: { kind: 'feeder_empty', command: 'Si' } });
    expect(interpretReply('Ss', 'CARD JAM')).toEqual({ kind: 'error', error: { kind: 'jam', command: 'Ss', reply: 'CARD JAM' } });
    expect(interpretReply('Rcr', 'ERR RIB DETECTION')).toMatchObject({ kind: 'error', error: { kind: 'ribbon_out' } });
    expect(interpretReply('Zz', 'ERROR CDE')).toMatchObject({ kind: 'error', error: { kind: 'unknown_command' } });
    expect(interpretReply('Ss', '\x15C')).toMatchObject({ kind: 'error', error: { kind: 'cover_open' } });
    expect(interpretReply('Ss', 'OK')).toEqual({ kind: 'ok' });
    expect(interpretReply('Rco;I', '287')).toEqual({ kind: 'text', text: '287' });
  });

  it('parses sensors, card presence (both reply sets) and feeder state', () => {
    expect(parseVolts('5,00 Volts')).toBe(5);
    expect(parseVolts('0,21 Volts')).toBeCloseTo(0.21);
    expect(parseVolts('five')).toBeUndefined();
    expect(parseCardPresence('OK')).toBe('none');
    expect(parseCardPresence('NO CARD')).toBe('none');
    expect(parseCardPresence('ERR CARD')).toBe('inside');
    expect(parseCardPresence('CONTACTLESS CARD')).toBe('contactless-station');
    expect(parseFeederState('3')).toBe('empty');
    expect(parseFeederState('1')).toBe('loaded');
  });
});
