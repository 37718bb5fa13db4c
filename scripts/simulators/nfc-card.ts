import { parseArgs } from 'node:util';
import { deriveChipKeys, holderIdHash, parseMasterKey } from '../../hardware/card-record/keys';
import { formatVersion, recordBlocks, type CitizenCardRecord } from '../../hardware/card-record/layout';
import { toHex } from '../../hardware/nfc/mifare';
import { startPcscd, type PrivatePcscd } from '../../hardware/nfc/pcscd';
import { personalisedBlocks } from '../../hardware/card-record/personalised-chip';
import { insertVirtualCard, type VirtualCard, type VirtualCardFaults } from '../../hardware/nfc/simulator';
import { runCommandLoop } from './command-loop';

/**
 * Virtual cards for the dev panel and manual tests, placed on a vpcd reader slot:
 *
 *   tsx scripts/simulators/nfc-card.ts [--port 35963] [--master-key HEX]
 *
 * Without --port it starts a private pcscd and prints its socket (point the kiosk or `kioskctl card read`
 * at it with PCSCLITE_CSOCK_NAME / --socket). It prints `ready port=<p> [socket=<path>] reader=<name>`, then
 * takes one command per line on stdin and answers `ok ...` or `error: ...`:
 *
 *   place <card> [faults]    put a card on the reader; <card> is a preset:
 *                              blank, phone, and (with a master key) citizen, staff, hotlisted
 *   faults <card> [faults]   change the faults of a card on the reader (none = clear them)
 *   remove <card>            lift it (its memory is kept for the next place)
 *   blocks <card>            the record blocks (hex)
 *   list | quit
 *
 * Faults (see `VirtualCardFaults`): tear=N (leaves after N APDUs), slow=MS (late answers),
 * slow-after=N (from the N+1th APDU), corrupt=N / refuse=N (the next N writes store wrong bytes / are
 * refused; `inf` = always), block=B (only writes of block B), collision (two cards: pcscd sees it mute).
 *
 * The master key comes from --master-key or $KIOSK_NFC_MASTER_KEY (hex, >= 16 bytes).
 */
interface Preset {
  readonly uid: Uint8Array;
  readonly kind: 'classic-1k' | 'iso14443-4-phone';
  readonly record?: CitizenCardRecord;
}

function presets(masterKey: Uint8Array | undefined): Record<string, Preset> {
  const record = (cardNumber: string, cardType: CitizenCardRecord['cardType'], holder: string, balance: number): CitizenCardRecord => ({
    formatVersion,
    cardNumber,
    cardType,
    scheme: 'easycard',
    issuedOn: '2026-01-15',
    expiresOn: '2031-01-14',
    issuingKioskId: 'TY-DEV01',
    holderIdHash: masterKey ? holderIdHash(masterKey, holder) : '0'.repeat(32),
    wallet: { balance, transactionCounter: 3 },
  });
  return {
    blank: { uid: Uint8Array.of(0x04, 0x00, 0x00, 0x01), kind: 'classic-1k' },
    phone: { uid: Uint8Array.of(0x08, 0x00, 0x00, 0x00), kind: 'iso14443-4-phone' },
    citizen: { uid: Uint8Array.of(0x04, 0x11, 0x22, 0x33), kind: 'classic-1k', record: record('8860000000000101', 'general', 'A123456789', 1_200) },
    staff: { uid: Uint8Array.of(0x04, 0x51, 0xa7, 0xff), kind: 'classic-1k', record: record('8860000000000202', 'employee', 'B234567890', 0) },
    hotlisted: { uid: Uint8Array.of(0x04, 0x66, 0x60, 0x66), kind: 'classic-1k', record: record('8860000000000666', 'general', 'C345678901', 300) },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'master-key': { type: 'string' } } });
  const keyHex = values['master-key'] ?? process.env['KIOSK_NFC_MASTER_KEY'];
  const masterKey = keyHex === undefined ? undefined : parseMasterKey(keyHex);
  if (keyHex !== undefined && !masterKey) {
    process.stderr.write('nfc-card simulator: the master key must be hex, at least 16 bytes\n');
    return 2;
  }
  let pcscd: PrivatePcscd | undefined;
  let port = values.port === undefined ? undefined : Number(values.port);
  if (port === undefined) {
    pcscd = await startPcscd({ cardEvents: true });
    port = pcscd.vpcdPort;
  }
  const slot = port;
  const known = presets(masterKey);
  const placed = new Map<string, VirtualCard>();

  return runCommandLoop({
    ready: `ready port=${slot}${pcscd ? ` socket=${pcscd.socketPath} reader=${pcscd.readerName}` : ''}`,
    run: (command, [name, ...options]) => handle(command, name, options),
    async stop() {
      for (const card of placed.values()) await card.remove();
      await pcscd?.stop();
    },
  });

  async function handle(command: string, name: string | undefined, options: string[]): Promise<string> {
    switch (command) {
      case 'list':
        return `ok presets=${Object.keys(known).join(',')} placed=${[...placed].filter(([, c]) => c.present).map(([n]) => n).join(',')}`;
      case 'place': {
        const preset = name === undefined ? undefined : known[name];
        if (!name || !preset) throw new Error(`unknown card; presets: ${Object.keys(known).join(', ')}`);
        if (preset.record && !masterKey) throw new Error(`'${name}' is personalised: start with --master-key`);
        const faults = parseFaults(options);
        const existing = placed.get(name);
        if (existing) {
          await existing.placeAgain(faults);
        } else {
          const blocks = preset.record && masterKey ? personalisedBlocks(preset.uid, preset.record, deriveChipKeys(masterKey, preset.uid)) : undefined;
          placed.set(name, await insertVirtualCard({ port: slot, uid: preset.uid, kind: preset.kind, faults, ...(blocks ? { blocks } : {}) }));
        }
        return `ok placed ${name} uid=${toHex(preset.uid)}`;
      }
      case 'faults': {
        const card = name === undefined ? undefined : placed.get(name);
        if (!card?.present) throw new Error('that card is not on the reader');
        card.setFaults(parseFaults(options));
        return `ok faults ${name}`;
      }
      case 'remove': {
        const card = name === undefined ? undefined : placed.get(name);
        if (!card) throw new Error('that card is not placed');
        await card.remove();
        return `ok removed ${name}`;
      }
      case 'blocks': {
        const card = name === undefined ? undefined : placed.get(name);
        if (!card) throw new Error('that card was never placed');
        const memory = card.blocks();
        return `ok ${recordBlocks.map((block) => `${block}:${toHex(memory[block] ?? new Uint8Array())}`).join(' ')}`;
      }
      default:
        throw new Error(`unknown command '${command}'`);
    }
  }
}

type NumericFault = 'removeAfterApdus' | 'responseDelayMs' | 'delayAfterApdus' | 'corruptWrites' | 'refuseWrites' | 'faultyBlock';
/** The `key=N` options and the fault each one sets. */
const numericFaults: Readonly<Record<string, NumericFault>> = {
  tear: 'removeAfterApdus',
  slow: 'responseDelayMs',
  'slow-after': 'delayAfterApdus',
  corrupt: 'corruptWrites',
  refuse: 'refuseWrites',
  block: 'faultyBlock',
};

/** `tear=3 slow=200 corrupt=inf block=53 collision` → faults; an unknown or malformed option is an error. */
function parseFaults(options: readonly string[]): VirtualCardFaults {
  const faults: { -readonly [K in keyof VirtualCardFaults]: VirtualCardFaults[K] } = {};
  for (const option of options) {
    if (option === 'collision') {
      faults.collision = true;
      continue;
    }
    const [key, text] = option.split('=');
    const value = text === 'inf' ? Infinity : Number(text);
    if (text === undefined || text === '' || Number.isNaN(value) || value < 0) throw new Error(`bad option '${option}'`);
    const fault = key !== undefined && Object.hasOwn(numericFaults, key) ? numericFaults[key] : undefined;
    if (fault === undefined) throw new Error(`unknown option '${option}'`);
    faults[fault] = value;
  }
  return faults;
}

process.exitCode = await main();
