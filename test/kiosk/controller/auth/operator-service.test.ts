import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authPolicy, createOperatorService, type OperatorService } from '../../../../kiosk/controller/auth/operator-service';
import { openTempStore, type TempStore } from '../store/temp-store';

const minute = 60_000;
/** Cheap scrypt for speed; the production cost is exercised by the pin test. */
const testPinCost = { N: 1024, r: 8, p: 1 };

describe('operator service', () => {
  let t: TempStore;
  let auth: OperatorService;
  let operatorId: string;
  let supervisorId: string;

  beforeEach(async () => {
    t = await openTempStore();
    auth = createOperatorService(t.store, { clock: t.clock, pinCost: testPinCost });
    const op = await auth.addOperator({ staffCardNumber: 'E1001', name: 'LIN', role: 'operator', pin: '482913', actorId: null });
    const sup = await auth.addOperator({ staffCardNumber: 'E2001', name: 'HUANG', role: 'supervisor', pin: '735184', actorId: null });
    await auth.addOperator({ staffCardNumber: 'E3001', name: 'WU', role: 'technician', pin: '902716', actorId: null });
    if (!op.ok || !sup.ok) throw new Error('setup');
    operatorId = op.value.operatorId;
    supervisorId = sup.value.operatorId;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const events = async () => (await t.store.readAudit({ limit: 1000 })).map((e) => `${e.eventId}:${e.disposition}`);

  it('refuses weak PINs and a staff card already registered', async () => {
    expect(await auth.addOperator({ staffCardNumber: 'E9', name: 'X', role: 'operator', pin: '123456', actorId: null })).toEqual({ ok: false, error: { kind: 'weak_pin', problem: 'too_simple' } });
    expect(await auth.addOperator({ staffCardNumber: 'E9', name: 'X', role: 'operator', pin: '4829', actorId: null })).toEqual({ ok: false, error: { kind: 'weak_pin', problem: 'too_short' } });
    expect(await auth.addOperator({ staffCardNumber: 'e1001', name: 'X', role: 'operator', pin: '583920', actorId: null })).toEqual({ ok: false, error: { kind: 'staff_card_taken' } });
  });

  it('signs in with staff card and PIN, audited, and lists operators without secrets', async () => {
    const session = await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' });
    expect(session).toMatchObject({ ok: true, value: { operatorId, role: 'operator', name: 'LIN' } });
    expect(auth.current()?.operatorId).toBe(operatorId);
    expect(await events()).toContain('auth-sign-in:success');
    const list = await auth.listOperators();
    expect(list.map((o) => [o.name, o.role, o.disabled])).toEqual([['LIN', 'operator', false], ['HUANG', 'supervisor', false], ['WU', 'technician', false]]);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('counts wrong PINs down and locks the card for 30 minutes at the fifth', async () => {
    for (let left = 4; left >= 1; left--) {
      expect(await auth.signIn({ staffCardNumber: 'E1001', pin: '000001' })).toEqual({ ok: false, error: { kind: 'wrong_pin', attemptsLeft: left } });
    }
    const locked = await auth.signIn({ staffCardNumber: 'E1001', pin: '000001' });
    const lockedUntil = new Date(t.clock.now().getTime() + 30 * minute).toISOString();
    expect(locked).toEqual({ ok: false, error: { kind: 'locked', lockedUntil } });
    // even the right PIN is refused while locked
    expect(await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' })).toEqual({ ok: false, error: { kind: 'locked', lockedUntil } });
    t.clock.advance(30 * minute - 1);
    expect((await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' })).ok).toBe(false);
    t.clock.advance(1);
    expect((await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' })).ok).toBe(true);
    expect(await events()).toContain('auth-lockout:na');
  });

  it('a right PIN resets the count; the lock is per staff card', async () => {
    await auth.signIn({ staffCardNumber: 'E1001', pin: '000001' });
    await auth.signIn({ staffCardNumber: 'E1001', pin: '000001' });
    await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' });
    expect(await auth.signIn({ staffCardNumber: 'E1001', pin: '000001' })).toEqual({ ok: false, error: { kind: 'wrong_pin', attemptsLeft: 4 } });
    expect((await auth.signIn({ staffCardNumber: 'E2001', pin: '735184' })).ok).toBe(true);
  });

  it('refuses disabled operators and unknown cards', async () => {
    expect((await auth.disableOperator(operatorId, supervisorId)).ok).toBe(true);
    expect(await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' })).toEqual({ ok: false, error: { kind: 'disabled' } });
    expect(await auth.signIn({ staffCardNumber: 'E7777', pin: '482913' })).toEqual({ ok: false, error: { kind: 'unknown_card' } });
    expect(await events()).toEqual(expect.arrayContaining(['auth-operator-disabled:success', 'auth-sign-in:failure']));
  });

  it('locks the session when told it was left idle (the staff machine times that), audited as the lock', async () => {
    await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' });
    expect(auth.current()?.operatorId).toBe(operatorId);
    await auth.lock();
    expect(auth.current()).toBeNull();
    expect(await events()).toContain('auth-idle-lock:success');
    expect(await events()).not.toContain('auth-sign-out:success');
    // Nobody signed in: nothing to lock, nothing audited.
    await auth.lock();
    expect((await events()).filter((event) => event === 'auth-idle-lock:success')).toHaveLength(1);
  });

  it('audits every refusal to a signed-in person; refusals to nobody at most once a minute per kind, with the count folded', async () => {
    await auth.recordRefusal({ who: { role: 'nobody' }, command: 'start-application', code: 'sign-in-first', cause: 'signed-out' });
    for (let tap = 0; tap < 40; tap += 1) await auth.recordRefusal({ who: { role: 'self-service' }, command: 'keep-alive', code: 'ask-staff', cause: 'forbidden' });
    t.clock.advance(authPolicy.unsignedRefusalQuietMs);
    await auth.recordRefusal({ who: { role: 'self-service' }, command: 'void-card', code: 'ask-staff', cause: 'forbidden', action: 'void-card' });
    await auth.signIn({ staffCardNumber: 'E3001', pin: '902716' });
    const technician = auth.current()?.operatorId ?? null;
    for (let tap = 0; tap < 2; tap += 1) await auth.recordRefusal({ who: { role: 'technician', operatorId: technician }, command: 'start-application', code: 'role', cause: 'forbidden', action: 'issue-card' });
    const rows = (await t.store.readAudit()).filter((entry) => entry.eventId === 'auth-permission-refused');
    expect(rows.map((entry) => [entry.operatorId, entry.disposition, entry.details])).toEqual([
      [null, 'failure', { command: 'start-application', code: 'sign-in-first', actor: 'nobody', reason: 'signed-out', folded: 0 }],
      [null, 'failure', { command: 'keep-alive', code: 'ask-staff', actor: 'self-service', reason: 'forbidden', folded: 0 }],
      [null, 'failure', { command: 'void-card', code: 'ask-staff', actor: 'self-service', action: 'void-card', reason: 'forbidden', folded: 39 }],
      [technician, 'failure', { command: 'start-application', code: 'role', actor: 'technician', action: 'issue-card', reason: 'forbidden' }],
      [technician, 'failure', { command: 'start-application', code: 'role', actor: 'technician', action: 'issue-card', reason: 'forbidden' }],
    ]);
  });

  it('an operator voids a card only with a supervisor approval, used once, for that action only', async () => {
    await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' });
    expect(await auth.approve({ action: 'void-card', staffCardNumber: 'E3001', pin: '902716' })).toEqual({ ok: false, error: { kind: 'not_a_supervisor' } });
    expect(await auth.approve({ action: 'void-card', staffCardNumber: 'E2001', pin: '111112' })).toMatchObject({ ok: false, error: { kind: 'wrong_pin' } });
    const approval = await auth.approve({ action: 'void-card', staffCardNumber: 'E2001', pin: '735184' });
    if (!approval.ok) throw new Error(approval.error.kind);
    expect(auth.redeemApproval('override-photo', approval.value)).toMatchObject({ ok: false, error: { kind: 'approval_invalid', reason: 'wrong_action' } });
    expect(auth.redeemApproval('void-card', approval.value)).toEqual({ ok: true, value: { operatorId, approvedBy: supervisorId } });
    expect(auth.redeemApproval('void-card', approval.value)).toMatchObject({ ok: false, error: { kind: 'approval_invalid', reason: 'used' } });
    expect(await events()).toContain('auth-supervisor-approval:success');
  });

  it('an approval expires, and a supervisor cannot approve their own action', async () => {
    await auth.signIn({ staffCardNumber: 'E1001', pin: '482913' });
    const approval = await auth.approve({ action: 'override-photo', staffCardNumber: 'E2001', pin: '735184' });
    if (!approval.ok) throw new Error(approval.error.kind);
    t.clock.advance(authPolicy.approvalValidityMs + 1);
    expect(auth.redeemApproval('override-photo', approval.value)).toMatchObject({ ok: false, error: { kind: 'approval_invalid', reason: 'expired' } });
    await auth.signIn({ staffCardNumber: 'E2001', pin: '735184' });
    expect(await auth.approve({ action: 'void-card', staffCardNumber: 'E2001', pin: '735184' })).toEqual({ ok: false, error: { kind: 'same_person' } });
  });
});
