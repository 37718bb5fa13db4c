import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createCardSession, type Transmit } from '../../../../hardware/nfc/card-session';
import { deriveChipKeys } from '../../../../hardware/card-record/keys';
import { decodeCardRecord, recordBlocks } from '../../../../hardware/card-record/layout';
import { personaliseCard, readCardRecord } from '../../../../hardware/card-record/personalise';
import { writeWalletOnCard } from '../../../../hardware/card-record/wallet-write';
import type { CardTap } from '../../../../hardware/nfc/types';
import type { CitizenCardStation } from '../../../../hardware/card-record/types';
import { createClassic1k, type VirtualCardModel } from '../../../../hardware/nfc/virtual-card';
import { fixedClock } from '../../../../shared/clock';
import { emptyApplicationForm, type ApplicationForm } from '../../../../shared/contract/kiosk-api';
import { ok } from '../../../../shared/result';
import { issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import type { IssuanceJob } from '../../../../kiosk/controller/issuance/issuance-machine';
import { openTempStore, person, type TempStore } from '../store/temp-store';
import { testSession } from '../store/session-fixture';

/**
 * The issuance actors' encode step over the real chip layout, personalisation sequence and MIFARE card
 * model (APDUs straight to the model, no pcscd): what the clock's day makes of the expiry on the chip.
 */
const masterKey = new Uint8Array(32).fill(7);
const uid = Uint8Array.of(0x04, 0xa1, 0xb2, 0xc3);
const tap: CardTap = { uid: '04A1B2C3', atr: '3b8f8001804f0ca000000306030001000000006a', kind: 'mifare-classic-1k' };

/** A blank card parked at the encoder; the station drives it through the driver's own card session. */
function stationWith(card: VirtualCardModel): CitizenCardStation {
  const transmit: Transmit = async (apdu) => ok(card.process(apdu));
  return {
    on: () => {},
    off: () => {},
    readerName: () => 'in-process encoder',
    currentCard: () => tap,
    async personalise(record, keys) {
      const written = await personaliseCard(createCardSession(transmit), record, keys);
      return written.ok ? ok({ uid: tap.uid, written: written.value.written, record }) : written;
    },
    async readRecord(keys) {
      const read = await readCardRecord(createCardSession(transmit), keys);
      return read.ok ? ok({ uid: tap.uid, record: read.value, mac: 'verified' as const }) : read;
    },
    async writeWallet(keys, wallet) {
      const written = await writeWalletOnCard(createCardSession(transmit), keys, wallet);
      return written.ok ? ok({ uid: tap.uid, cardNumber: wallet.cardNumber, ...written.value }) : written;
    },
    close: async () => {},
  };
}

let t: TempStore;
beforeEach(async () => {
  t = await openTempStore();
});
afterEach(async () => {
  await t.cleanup();
});

const form: ApplicationForm = { ...emptyApplicationForm, idNumber: person.idNumber, name: person.name, birthDate: person.birthDate, cardType: 'senior' };

/** Runs encodeCard with the kiosk's clock at 10:00 local time on `year-month-day`; the chip as it ends up. */
async function encodeOn(year: number, month: number, day: number) {
  const card = createClassic1k(uid);
  const devices: IssuanceDevices = {
    printer: {} as IssuanceDevices['printer'],
    encoder: stationWith(card),
    store: t.store,
    photoGate: {} as IssuanceDevices['photoGate'],
    rules: {} as IssuanceDevices['rules'],
    clock: fixedClock(new Date(year, month - 1, day, 10, 0)),
    chipMasterKey: masterKey,
    kioskId: 'TY-K01',
    log: () => {},
    operatorId: () => 'OP-1',
  };
  const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: 'OP-1', context: {} });
  await t.store.markJobStep(jobId, 'printed');
  const input: IssuanceJob = {
    jobId,
    form,
    assessment: { eligibility: { cards: [], guardianConsentRequired: false, recommended: null }, problems: [], fee: 0, action: 'new' },
    photo: null,
    archivePhoto: null,
    photoOverride: null,
    preview: { cardNumber: '8860000012345678', frontPng: new Uint8Array([0x89]), job: null },
    owner: 'OP-1',
  };
  const encodeCard = issuanceSteps(devices).encodeCard;
  if (!encodeCard) throw new Error('no encodeCard actor');
  const outcome = await toPromise(createActor(encodeCard, { input }).start()).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: String(error) }),
  );
  const blocks = card.blocks();
  const chip = decodeCardRecord(new Map(recordBlocks.map((block) => [block, blocks[block] ?? new Uint8Array(16)])), deriveChipKeys(masterKey, uid));
  return { outcome, chip };
}

describe('encoding a card', () => {
  it('on 29 February writes a real expiry ten years on: 28 February, and the card verifies', async () => {
    const { outcome, chip } = await encodeOn(2028, 2, 29);
    expect(outcome).toEqual({ ok: true, value: { uid: tap.uid, expiresOn: '2038-02-28' } });
    expect(chip.ok && { issuedOn: chip.value.issuedOn, expiresOn: chip.value.expiresOn }).toEqual({ issuedOn: '2028-02-29', expiresOn: '2038-02-28' });
  });

  it('on any other day writes the same month and day ten years on', async () => {
    const { outcome, chip } = await encodeOn(2027, 3, 1);
    expect(outcome.ok).toBe(true);
    expect(chip.ok && { issuedOn: chip.value.issuedOn, expiresOn: chip.value.expiresOn }).toEqual({ issuedOn: '2027-03-01', expiresOn: '2037-03-01' });
  });
});
