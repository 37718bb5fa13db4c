import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deriveChipKeys, holderIdHash } from '../../../hardware/card-record/keys';
import { formatVersion, headerBlock, walletBlock, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import { startPcscd, type PrivatePcscd } from '../../../hardware/nfc/pcscd';
import { personalisedBlocks } from '../../../hardware/card-record/personalised-chip';
import { insertVirtualCard, type VirtualCard } from '../../../hardware/nfc/simulator';
import { runKioskctl } from './run-kioskctl';

const masterKeyHex = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const masterKey = Uint8Array.from(Buffer.from(masterKeyHex, 'hex'));
const uid = Uint8Array.of(0x04, 0x10, 0x20, 0x30);
const record: CitizenCardRecord = {
  formatVersion,
  cardNumber: '8860000000004242',
  cardType: 'student',
  scheme: 'ipass',
  issuedOn: '2026-09-01',
  expiresOn: '2030-08-31',
  issuingKioskId: 'TY-K007',
  holderIdHash: holderIdHash(masterKey, 'F131313131'),
  wallet: { balance: 250, transactionCounter: 7 },
};

let pcscd: PrivatePcscd | undefined;
let card: VirtualCard | undefined;

beforeAll(async () => {
  pcscd = await startPcscd({ cardPollMs: 40 });
});
afterEach(async () => {
  await card?.remove();
  card = undefined;
});
afterAll(async () => {
  await pcscd?.stop();
});

async function place(blocks: Uint8Array[]): Promise<void> {
  if (!pcscd) throw new Error('no pcscd');
  card = await insertVirtualCard({ port: pcscd.vpcdPort, uid, blocks });
  await card.powered;
}

function read(...extra: string[]) {
  return runKioskctl(['card', 'read', '--socket', pcscd?.socketPath ?? '', '--master-key', masterKeyHex, '--wait-ms', '5000', ...extra]);
}

describe('kioskctl card read (real pcscd + vpcd, CLI as a process)', () => {
  it('prints the decoded record and a verified MAC, exit 0', async () => {
    await place(personalisedBlocks(uid, record, deriveChipKeys(masterKey, uid)));
    const json = await read('--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, uid: '04102030', mac: 'verified', record });
    const text = await read();
    expect(text.stdout).toContain('card number    8860000000004242');
    expect(text.stdout).toContain('MAC            verified');
  });

  it('shows an edited record as not verifying, exit 1', async () => {
    const blocks = personalisedBlocks(uid, record, deriveChipKeys(masterKey, uid));
    blocks[headerBlock]?.set([0x99], 12); // card number ...4299
    await place(blocks);
    const json = await read('--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, mac: 'does not verify', error: 'mac_mismatch', record: { cardNumber: '8860000000004299' } });
    expect((await read()).stdout).toContain('DOES NOT VERIFY');
  });

  it('shows an edited balance as a wallet that does not verify under a verified record, exit 1', async () => {
    const blocks = personalisedBlocks(uid, record, deriveChipKeys(masterKey, uid));
    blocks[walletBlock]?.set([0, 0, 0x27, 0x0f], 0); // balance 9999
    await place(blocks);
    const json = await read('--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, mac: 'verified', walletMac: 'does not verify', error: 'wallet_invalid', record: { cardNumber: '8860000000004242', wallet: { balance: 9_999 } } });
    expect((await read()).stdout).toContain('wallet MAC     DOES NOT VERIFY');
  });

  it('is a usage error without a master key, exit 2', async () => {
    const run = await runKioskctl(['card', 'read', '--socket', pcscd?.socketPath ?? '']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('master key');
  });
});
