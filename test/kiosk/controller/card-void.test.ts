import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardCheck } from '../../../kiosk/controller/card-check';
import type { KioskController } from '../../../kiosk/controller/kiosk-controller';
import { cardCheckKiosk, type CardCheckKiosk } from './card-check-kiosk';
import { until, type FakeCounter } from './fake-counter';
import { signIn, staffMembers } from './staff-fixture';
import type { TempStore } from './store/temp-store';
import { message } from '../../../shared/contract/messages';

const citizenCard = '3300011300000015';
const supervisorCard = staffMembers.supervisor.card;

describe('voiding a card from the card check', () => {
  let kiosk: CardCheckKiosk;
  let t: TempStore;
  let cardCheck: CardCheck;
  let controller: KioskController;
  let counter: FakeCounter;

  beforeEach(async () => {
    kiosk = await cardCheckKiosk(citizenCard);
    ({ t, cardCheck, controller, counter } = kiosk);
  });
  afterEach(() => kiosk.stop());

  const showCitizenCard = async (): Promise<void> => {
    counter.tap({ cardType: 'senior', cardNumber: citizenCard });
    await until(() => { const shown = controller.snapshot().cardCheck; return shown?.verified === true && shown.cardNumber === citizenCard; });
  };
  const shownStatus = (): string | undefined => {
    const shown = controller.snapshot().cardCheck;
    return shown?.verified ? shown.status : undefined;
  };
  const voidAudits = async () => (await t.store.readAudit()).filter((entry) => entry.eventId === 'issuance-void');

  it('an operator voids a card only once a supervisor approves, and the void is audited with both', async () => {
    await signIn(counter, controller, 'operator');
    await showCitizenCard();
    expect(shownStatus()).toBe('active');
    expect(await controller.command({ type: 'void-card', cardNumber: citizenCard, reason: 'misprint' })).toEqual({ accepted: true });
    expect(controller.snapshot().session.approval).toEqual({ action: 'void-card', state: 'waiting-card' });
    expect((await t.store.cardByNumber(citizenCard))?.status).toBe('active');

    counter.tap({ cardType: 'employee', cardNumber: supervisorCard });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    expect(await controller.command({ type: 'enter-pin', pin: staffMembers.supervisor.pin })).toEqual({ accepted: true });
    await until(() => shownStatus() === 'void');

    expect((await t.store.cardByNumber(citizenCard))?.status).toBe('void');
    const [audit] = await voidAudits();
    const supervisor = (await t.store.operators.list()).find((op) => op.role === 'supervisor');
    expect(audit?.operatorId).toBe((await t.store.operators.list()).find((op) => op.role === 'operator')?.id);
    expect(audit?.details).toMatchObject({ cardNumber: citizenCard, status: 'void', reason: 'misprint', approvedBy: supervisor?.id });
    expect(await t.store.verifyAudit()).toMatchObject({ ok: true });
  });

  it('says so when an approved void could no longer be done (the card changed meanwhile)', async () => {
    await signIn(counter, controller, 'operator');
    await showCitizenCard();
    expect(await controller.command({ type: 'void-card', cardNumber: citizenCard, reason: 'damaged' })).toEqual({ accepted: true });
    // While the supervisor comes over, the card is hot-listed elsewhere (a replacement at the desk).
    expect(await t.store.setCardStatus({ cardNumber: citizenCard, status: 'hot-listed', reason: 'lost', operatorId: null })).toMatchObject({ ok: true });
    counter.tap({ cardType: 'employee', cardNumber: supervisorCard });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    expect(await controller.command({ type: 'enter-pin', pin: staffMembers.supervisor.pin })).toMatchObject({ accepted: false, reason: expect.stringMatching(/cannot be voided/) });
    expect(controller.snapshot().session.message).toMatchObject({ code: 'staff.approved-but-failed', params: { reason: expect.stringMatching(/cannot be voided/) } });
    expect((await t.store.cardByNumber(citizenCard))?.status).toBe('hot-listed');
    expect(await voidAudits()).toHaveLength(0);
  });

  it('a supervisor voids at once; a second void of the same card is refused', async () => {
    await signIn(counter, controller, 'supervisor');
    await showCitizenCard();
    expect(await controller.command({ type: 'void-card', cardNumber: citizenCard, reason: 'wrong-details' })).toEqual({ accepted: true });
    expect(controller.snapshot().session.approval).toBeNull();
    expect(shownStatus()).toBe('void');
    expect(await controller.command({ type: 'void-card', cardNumber: citizenCard, reason: 'wrong-details' })).toMatchObject({ accepted: false, reason: expect.stringMatching(/only an active card/) });
    expect(await voidAudits()).toHaveLength(1);
  });

  it('shows a card whose chip was altered (balance raised) or made under other keys as not verified; neither can be voided', async () => {
    await signIn(counter, controller, 'supervisor');
    const notVerified = { verified: false, problem: message('card-check.not-verified') };
    // 420 → 4,516 NT$ on the chip: its MAC no longer verifies.
    for (const making of [{ flip: { block: 56, byte: 2, bits: 0x10 } }, { masterKey: new Uint8Array(32).fill(9) }]) {
      await showCitizenCard();
      counter.tap({ cardType: 'senior', cardNumber: citizenCard, balance: 420 }, making);
      await until(() => controller.snapshot().cardCheck?.verified === false);
      expect(controller.snapshot().cardCheck).toEqual(notVerified);
      expect(await controller.command({ type: 'void-card', cardNumber: citizenCard, reason: 'damaged' })).toMatchObject({ accepted: false, code: 'tap-card-to-void' });
    }
    expect((await t.store.cardByNumber(citizenCard))?.status).toBe('active');
    expect(await voidAudits()).toHaveLength(0);
  });

  it('refuses a technician, and refuses a card that is not the one on show', async () => {
    await signIn(counter, controller, 'technician');
    // This card check is wired to run for anyone signed in; the snapshot still shows a technician no cardholder's card.
    counter.tap({ cardType: 'senior', cardNumber: citizenCard });
    await until(() => { const read = cardCheck.view(); return read?.verified === true && read.cardNumber === citizenCard; });
    expect(controller.snapshot().cardCheck).toBeNull();
    expect(await controller.command({ type: 'void-card', cardNumber: citizenCard, reason: 'damaged' })).toMatchObject({ accepted: false, code: 'role', role: 'technician', reason: 'a technician may not void card' });
    expect(await controller.command({ type: 'void-card', cardNumber: '3300011300000023', reason: 'damaged' })).toMatchObject({ accepted: false, code: 'tap-card-to-void', reason: expect.stringMatching(/tap the card/) });
    expect((await t.store.cardByNumber(citizenCard))?.status).toBe('active');
    const refusals = (await t.store.readAudit()).filter((entry) => entry.eventId === 'auth-permission-refused');
    expect(refusals.map((entry) => entry.details)).toEqual([expect.objectContaining({ action: 'void-card', reason: 'forbidden' })]);
    expect(await voidAudits()).toHaveLength(0);
  });
});
