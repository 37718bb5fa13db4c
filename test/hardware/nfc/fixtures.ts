import { createCardSession, type CardSession, type Reselect, type Transmit } from '../../../hardware/nfc/card-session';
import { holderIdHash } from '../../../hardware/card-record/keys';
import { formatVersion, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import type { VirtualCardModel } from '../../../hardware/nfc/virtual-card';
import { err, ok } from '../../../shared/result';

export const masterKey = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
export const otherMasterKey = Uint8Array.from({ length: 32 }, (_, i) => (i * 53 + 5) & 0xff);
export const uid = Uint8Array.of(0x04, 0xa1, 0xb2, 0xc3);

export function sampleRecord(overrides: Partial<CitizenCardRecord> = {}): CitizenCardRecord {
  return {
    formatVersion,
    cardNumber: '8860000012345678',
    cardType: 'senior',
    scheme: 'easycard',
    issuedOn: '2026-11-29',
    expiresOn: '2031-11-28',
    issuingKioskId: 'TY-K001',
    holderIdHash: holderIdHash(masterKey, 'H223456789'),
    wallet: { balance: 500, transactionCounter: 1 },
    ...overrides,
  };
}

/**
 * The driver's card session talking straight to the card model (no pcscd): for exhaustive tests.
 * After `removeAfter` answered APDUs the card is gone; with 'after-apply' the last command still lands.
 * `reselect` wakes a card halted by a failed authentication (the model's reset: a power cycle).
 */
export function modelTransport(
  model: VirtualCardModel,
  removeAfter = Infinity,
  timing: 'before-apply' | 'after-apply' = 'before-apply',
): Transmit & { count(): number; reselects(): number; reselect: Reselect } {
  let answered = 0;
  let reselected = 0;
  let gone = false;
  const transmit = async (apdu: Uint8Array) => {
    if (gone || answered >= removeAfter) {
      if (!gone && timing === 'after-apply') model.process(apdu);
      gone = true;
      return err({ kind: 'card_removed' as const, message: 'card left the field' });
    }
    answered++;
    return ok(model.process(apdu));
  };
  const reselect: Reselect = async () => {
    if (gone || answered >= removeAfter) {
      gone = true;
      return err({ kind: 'card_removed' as const, message: 'card left the field' });
    }
    reselected++;
    model.reset();
    return ok(undefined);
  };
  return Object.assign(transmit, { count: () => answered, reselects: () => reselected, reselect });
}

/** A card session over `modelTransport`, re-selecting the card as the driver does. */
export function modelSession(model: VirtualCardModel, removeAfter = Infinity, timing: 'before-apply' | 'after-apply' = 'before-apply'): CardSession {
  const transport = modelTransport(model, removeAfter, timing);
  return createCardSession(transport, transport.reselect);
}
