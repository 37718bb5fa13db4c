import { parseArgs } from 'node:util';
import { citizenCardStation } from '../../../hardware/card-record/station';
import { openNfcStation } from '../../../hardware/nfc/driver';
import { deriveChipKeys, parseMasterKey } from '../../../hardware/card-record/keys';
import type { CitizenCardRecord } from '../../../hardware/card-record/layout';
import type { KioskctlCommand } from '../main';
import { nextCard } from '../../../hardware/nfc/next-card';

const usage = `usage: kioskctl card read [--master-key HEX] [--socket PATH] [--reader NAME] [--wait-ms N] [--json]

Waits for a card on the reader, reads the citizen-card record and checks its MACs (record, wallet).
  --master-key HEX   city master key (hex, >= 16 bytes); default $KIOSK_NFC_MASTER_KEY
  --socket PATH      pcscd socket; default $PCSCLITE_CSOCK_NAME, else /run/pcscd/pcscd.comm
  --reader NAME      reader name; default $KIOSK_NFC_READER, else the first reader
  --wait-ms N        how long to wait for a card (default 15000)
  --json             one JSON object instead of text
Exit: 0 record verified, 1 no card / not personalised / a MAC does not verify, 2 usage error.
`;
const defaultWaitMs = 15_000;
const exitDelayMs = 200;

/** `kioskctl card read`: the decoded chip record and whether its MAC verifies. */
export const command: KioskctlCommand = {
  summary: 'read the citizen-card record on the NFC reader and check its MAC',
  async run(args) {
    const code = await runCard(args);
    // nfc-pcsc's per-reader status threads keep Node alive while pcscd runs: a one-shot command leaves.
    setTimeout(() => process.exit(code), exitDelayMs).unref();
    return code;
  },
};

/** The command without the final exit. */
async function runCard(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'master-key': { type: 'string' },
        socket: { type: 'string' },
        reader: { type: 'string' },
        'wait-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${String(error)}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const masterKey = parseMasterKey(values['master-key'] ?? process.env['KIOSK_NFC_MASTER_KEY'] ?? '');
  const waitMs = Number(values['wait-ms'] ?? defaultWaitMs);
  if (positionals[0] !== 'read' || positionals.length > 1 || !masterKey || !Number.isInteger(waitMs) || waitMs <= 0) {
    if (positionals[0] === 'read' && !masterKey) process.stderr.write('kioskctl card: a master key (>= 16 bytes, hex) is needed\n');
    process.stderr.write(usage);
    return 2;
  }
  const reader = values.reader ?? process.env['KIOSK_NFC_READER'];
  const station = citizenCardStation(await openNfcStation({ ...(values.socket ? { socketPath: values.socket } : {}), ...(reader ? { readerName: reader } : {}) }));
  try {
    const tap = station.currentCard() ?? (await nextCard(station, waitMs));
    if (!tap) return report(values.json, { ok: false, error: 'no_card', message: `no card within ${waitMs} ms` });
    if (tap.kind !== 'mifare-classic-1k') return report(values.json, { ok: false, uid: tap.uid, atr: tap.atr, error: 'unsupported_card', message: 'not a MIFARE Classic 1K (a phone or another card type)' });
    const keys = deriveChipKeys(masterKey, Buffer.from(tap.uid, 'hex'));
    const read = await station.readRecord(keys);
    if (read.ok) return report(values.json, { ok: true, uid: tap.uid, mac: 'verified', record: read.value.record });
    const error = read.error;
    if (error.kind === 'record_invalid' && error.error.kind === 'mac_mismatch') {
      return report(values.json, { ok: false, uid: tap.uid, mac: 'does not verify', record: error.error.unverified, error: 'mac_mismatch', message: error.message });
    }
    if (error.kind === 'record_invalid' && error.error.kind === 'wallet_invalid') {
      // The record verifies, its wallet does not (a torn write, or an edited balance).
      return report(values.json, { ok: false, uid: tap.uid, mac: 'verified', walletMac: 'does not verify', record: error.error.record, error: 'wallet_invalid', message: error.message });
    }
    const detail = error.kind === 'record_invalid' ? error.error.kind : error.kind;
    return report(values.json, { ok: false, uid: tap.uid, error: detail, message: error.message });
  } finally {
    await station.close();
  }
}

interface Report {
  readonly ok: boolean;
  readonly uid?: string;
  readonly atr?: string;
  readonly mac?: 'verified' | 'does not verify';
  /** Only when the record verifies and its wallet (own MAC) does not. */
  readonly walletMac?: 'does not verify';
  readonly record?: CitizenCardRecord;
  readonly error?: string;
  readonly message?: string;
}

function report(json: boolean | undefined, value: Report): number {
  if (json) {
    process.stdout.write(`${JSON.stringify(value)}\n`);
    return value.ok ? 0 : 1;
  }
  const lines: string[] = [];
  if (value.uid !== undefined) lines.push(`UID            ${value.uid}`);
  if (value.record) {
    const r = value.record;
    lines.push(
      `card number    ${r.cardNumber}`,
      `card type      ${r.cardType}`,
      `scheme         ${r.scheme}`,
      `issued         ${r.issuedOn}`,
      `expires        ${r.expiresOn}`,
      `issuing kiosk  ${r.issuingKioskId}`,
      `holder ID hash ${r.holderIdHash}`,
      `wallet         NT$${r.wallet.balance} (transaction ${r.wallet.transactionCounter})`,
      `format         v${r.formatVersion}`,
    );
  }
  if (value.mac) lines.push(`MAC            ${value.mac === 'verified' ? 'verified' : 'DOES NOT VERIFY (forged, edited or copied record)'}`);
  if (value.walletMac) lines.push('wallet MAC     DOES NOT VERIFY (torn wallet write or edited balance: the wallet above is not to be trusted)');
  if (value.error && value.error !== 'mac_mismatch' && value.error !== 'wallet_invalid') lines.push(`error          ${value.error}: ${value.message ?? ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return value.ok ? 0 : 1;
}

