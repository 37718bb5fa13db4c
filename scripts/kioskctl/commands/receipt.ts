import { readFileSync } from 'node:fs';
import { receiptPublicKeyFile, verifyReceipt, type ReceiptVerifyError } from '../../../kiosk/controller/receipt/receipt-signer';
import { configFrom } from '../../../kiosk/controller/store/cli-options';
import { assertNever } from '../../../shared/result';
import type { KioskctlCommand } from '../main';

const usage = `usage: kioskctl receipt verify <receipt text> [--public-key <file>]
  checks a receipt's signature (a top-up's, or a replacement fee's) (the text in its QR code, TCR1.<payload>.<signature>) and prints
  its fields. Default key: this kiosk's own, <dataDir>/keys/receipt-signing.pub; --public-key checks a
  receipt of another kiosk against that kiosk's public key (SPKI PEM). Exit 0: valid; 1: not.
`;

function problem(error: ReceiptVerifyError): string {
  switch (error.kind) {
    case 'malformed_receipt':
      return error.message;
    case 'bad_public_key':
      return `the public key cannot be used: ${error.message}`;
    case 'signature_invalid':
      return 'signature NOT valid: the receipt was changed, or another kiosk signed it';
    default:
      return assertNever(error);
  }
}

export const command: KioskctlCommand = {
  summary: 'verify a receipt’s signature (top-up or fee) with the kiosk’s public key',
  async run(argv) {
    const args = [...argv];
    const keyIndex = args.indexOf('--public-key');
    const [, keyFlag] = keyIndex >= 0 ? args.splice(keyIndex, 2) : [];
    const [verb, text, ...extra] = args;
    if (verb !== 'verify' || !text || extra.length > 0 || (keyIndex >= 0 && !keyFlag)) {
      process.stderr.write(usage);
      return 2;
    }
    let keyFile: string;
    let publicKeyPem: string;
    try {
      keyFile = keyFlag ?? receiptPublicKeyFile(configFrom(process.env)().dataDir);
      publicKeyPem = readFileSync(keyFile, 'utf8');
    } catch (error) {
      process.stderr.write(`kioskctl receipt: cannot read the public key: ${(error as Error).message}\n`);
      return 1;
    }
    const verified = verifyReceipt(text, publicKeyPem);
    if (!verified.ok) {
      process.stdout.write(`kioskctl receipt: ${problem(verified.error)}\n`);
      return 1;
    }
    const fields = verified.value;
    process.stdout.write(
      [`kind       ${fields.kind === 'fee' ? 'replacement fee' : 'top-up'}`, `kiosk      ${fields.kioskId}`, `card       …${fields.last4}`, `amount     NT$${fields.amount}`, `time       ${fields.at}`, `${fields.kind === 'fee' ? 'job id    ' : 'journal id'} ${fields.journalId}`, `signature valid (${keyFile})`].join('\n') + '\n',
    );
    return 0;
  },
};
