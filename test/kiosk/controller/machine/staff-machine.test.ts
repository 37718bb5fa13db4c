import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import type { CommandReply } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { err, ok, type Result } from '../../../../shared/result';
import { authPolicy, type Approval, type ApprovalError, type Session, type SignInError } from '../../../../kiosk/controller/auth/operator-service';
import { staffMachine, staffView, type StaffEmitted, type StaffTiming } from '../../../../kiosk/controller/machine/staff-machine';

const operator: Session = { operatorId: 'op-1', role: 'operator', name: 'Operator Lin', signedInAt: '2026-03-01T09:00:00.000Z' };
const goodPin = '271828';
const supervisorPin = '314159';
const warnAt = authPolicy.idleMs - authPolicy.idleWarningMs;

/** The staff machine on a simulated clock, its store work faked: what it was asked and what it emitted. */
function startStaff(options: { timing?: Partial<StaffTiming>; lockFails?: boolean; signOutFails?: boolean } = {}) {
  const clock = new SimulatedClock();
  const locks: number[] = [];
  const emitted: StaffEmitted[] = [];
  const machine = staffMachine.provide({
    actors: {
      signIn: fromPromise(async ({ input }: { input: { staffCardNumber: string; pin: string } }): Promise<Result<Session, SignInError>> => {
        if (input.pin === 'disk') throw new Error('SQLITE_FULL');
        if (input.pin === '999999') return err({ kind: 'locked', lockedUntil: '2026-03-01T09:30:00.000Z' });
        return input.pin === goodPin ? ok(operator) : err({ kind: 'wrong_pin', attemptsLeft: 4 });
      }),
      approve: fromPromise(async ({ input }: { input: { action: Approval['action']; staffCardNumber: string; pin: string } }): Promise<Result<Approval, ApprovalError>> =>
        input.pin === supervisorPin
          ? ok({ approvalId: 'ap-1', supervisorId: 'sup-1', action: input.action, at: '2026-03-01T09:01:00.000Z' })
          : err({ kind: 'not_a_supervisor' }),
      ),
      signOut: fromPromise(async () => {
        if (options.signOutFails) throw new Error('SQLITE_FULL');
      }),
      lockSession: fromPromise(async () => {
        locks.push(clock.now());
        if (options.lockFails) throw new Error('SQLITE_FULL');
      }),
    },
  });
  const actor = createActor(machine, { clock, input: { now: () => clock.now(), ...(options.timing ? { timing: options.timing } : {}) } });
  actor.on('*', (event) => emitted.push(event));
  actor.start();
  const view = () => staffView(actor.getSnapshot());
  const signIn = async (): Promise<void> => {
    actor.send({ type: 'staffCard', cardNumber: '3300017990000010' });
    actor.send({ type: 'pin', pin: goodPin });
    await waitFor(actor, (snapshot) => snapshot.matches('signedIn'));
  };
  const settled = () => waitFor(actor, (snapshot) => snapshot.matches('signedOut'));
  return { actor, clock, locks, emitted, view, signIn, settled };
}

describe('the staff machine', () => {
  it('idleWarning: the countdown shows idleMs − idleWarningMs after the last touch, not a millisecond before', async () => {
    const staff = startStaff();
    await staff.signIn();
    expect(staff.view()).toMatchObject({ state: 'signed-in', operator: { name: 'Operator Lin' }, idleSecondsLeft: null });
    staff.clock.increment(warnAt - 1);
    expect(staff.view().idleSecondsLeft).toBeNull();
    staff.clock.increment(1);
    expect(staff.view()).toMatchObject({ state: 'signed-in', idleSecondsLeft: authPolicy.idleWarningMs / 1000 });
  });

  it('idleTick: the countdown is brought up to date every second, from the clock', async () => {
    const staff = startStaff();
    await staff.signIn();
    staff.clock.increment(warnAt);
    const shown: Array<number | null> = [];
    for (let second = 0; second < 3; second += 1) {
      shown.push(staff.view().idleSecondsLeft);
      staff.clock.increment(999);
      expect(staff.view().idleSecondsLeft).toBe(shown[second]);
      staff.clock.increment(1);
    }
    expect(shown).toEqual([30, 29, 28]);
    expect(staff.view().idleSecondsLeft).toBe(27);
  });

  it('idleLock: locks at idleMs after the last touch, audits the lock, then tells the screen why', async () => {
    const staff = startStaff();
    await staff.signIn();
    staff.clock.increment(authPolicy.idleMs - 1);
    expect(staff.view().state).toBe('signed-in');
    expect(staff.locks).toEqual([]);
    staff.clock.increment(1);
    expect(staff.locks).toEqual([authPolicy.idleMs]);
    // Nobody is signed in from the moment of the lock, but the screen is cleared once the lock is written.
    expect(staff.view()).toMatchObject({ state: 'signed-out', operator: null, message: null });
    expect(staff.emitted.map((event) => event.type)).not.toContain('sessionEnded');
    await staff.settled();
    expect(staff.view()).toMatchObject({ state: 'signed-out', message: { code: 'staff.idle-locked', params: {} }, idleSecondsLeft: null });
    expect(staff.emitted.map((event) => event.type)).toContain('sessionEnded');
    // No timer is left behind: the clock can run on without a second lock.
    staff.clock.increment(10 * authPolicy.idleMs);
    expect(staff.locks).toHaveLength(1);
  });

  it('a touch starts both delays again, from the touch', async () => {
    const staff = startStaff();
    await staff.signIn();
    staff.clock.increment(warnAt + 5_000);
    expect(staff.view().idleSecondsLeft).toBe(25);
    staff.actor.send({ type: 'touch' });
    expect(staff.view().idleSecondsLeft).toBeNull();
    staff.clock.increment(warnAt - 1);
    expect(staff.view().idleSecondsLeft).toBeNull();
    staff.clock.increment(1);
    expect(staff.view().idleSecondsLeft).toBe(30);
    // The lock of the first countdown (idleMs after sign-in) has gone with the touch.
    staff.clock.increment(authPolicy.idleWarningMs - 1);
    expect(staff.locks).toEqual([]);
    staff.clock.increment(1);
    expect(staff.locks).toHaveLength(1);
  });

  it('reads both delays from the configured timing', async () => {
    const staff = startStaff({ timing: { idleMs: 60_000, idleWarningMs: 10_000 } });
    await staff.signIn();
    staff.clock.increment(49_999);
    expect(staff.view().idleSecondsLeft).toBeNull();
    staff.clock.increment(1);
    expect(staff.view().idleSecondsLeft).toBe(10);
    staff.clock.increment(9_999);
    expect(staff.locks).toEqual([]);
    staff.clock.increment(1);
    expect(staff.locks).toEqual([60_000]);
  });

  it("takes the policy's timing when it is given none", () => {
    const actor = createActor(staffMachine).start();
    expect(actor.getSnapshot().context.timing).toEqual({ idleMs: authPolicy.idleMs, idleWarningMs: authPolicy.idleWarningMs });
    actor.stop();
  });

  it('still ends the session and clears the screen when the lock cannot be recorded, and says so', async () => {
    const staff = startStaff({ lockFails: true });
    await staff.signIn();
    staff.clock.increment(authPolicy.idleMs);
    await staff.settled();
    expect(staff.view()).toMatchObject({ state: 'signed-out', operator: null, message: { code: 'staff.idle-locked', params: {} } });
    expect(staff.emitted.map((event) => event.type)).toEqual(expect.arrayContaining(['sessionEnded', 'lockNotRecorded']));
  });

  it('a supervisor approval is a region of its own: a touch keeps it, the idle lock drops it', async () => {
    const staff = startStaff();
    await staff.signIn();
    const performed: Approval[] = [];
    staff.actor.send({ type: 'requestApproval', action: 'override-photo', perform: async (approval) => (performed.push(approval), { accepted: true }) });
    staff.actor.send({ type: 'staffCard', cardNumber: '3300017990000028' });
    expect(staff.view().approval).toEqual({ action: 'override-photo', state: 'pin' });
    staff.clock.increment(warnAt);
    staff.actor.send({ type: 'touch' });
    expect(staff.view()).toMatchObject({ idleSecondsLeft: null, approval: { action: 'override-photo', state: 'pin' } });
    staff.clock.increment(authPolicy.idleMs);
    await staff.settled();
    expect(staff.view().approval).toBeNull();
    expect(performed).toEqual([]);
  });

  it('asks the supervisor again after a refused approval, then performs the action once and answers the PIN with its reply', async () => {
    const staff = startStaff();
    await staff.signIn();
    const replies: CommandReply[] = [];
    staff.actor.on('replied', (event) => event.outcome.ok && replies.push(event.outcome.reply));
    const performed: Approval[] = [];
    staff.actor.send({ type: 'requestApproval', action: 'void-card', perform: async (approval) => (performed.push(approval), { accepted: false, code: 'other', reason: 'the card left the reader' }) });
    staff.actor.send({ type: 'staffCard', cardNumber: '3300017990000010' });
    staff.actor.send({ type: 'pin', pin: goodPin });
    await waitFor(staff.actor, (snapshot) => snapshot.matches({ signedIn: { approval: 'waitingCard' } }));
    expect(staff.view()).toMatchObject({ approval: { state: 'waiting-card' }, message: { code: 'staff.not-a-supervisor', params: {} } });
    staff.actor.send({ type: 'staffCard', cardNumber: '3300017990000028' });
    staff.actor.send({ type: 'pin', pin: supervisorPin });
    await waitFor(staff.actor, (snapshot) => snapshot.matches({ signedIn: { approval: 'none' } }));
    expect(performed.map((approval) => approval.action)).toEqual(['void-card']);
    expect(replies).toEqual([expect.objectContaining({ accepted: false }), { accepted: false, code: 'other', reason: 'the card left the reader' }]);
    expect(staff.view()).toMatchObject({ state: 'signed-in', approval: null, message: { code: 'staff.approved-but-failed', params: { reason: 'the card left the reader' } } });
  });

  it('keeps the card after a wrong PIN, drops it after a lockout, and stays at the PIN when the sign-in cannot be recorded', async () => {
    const staff = startStaff();
    const outcomes: StaffEmitted[] = [];
    staff.actor.on('replied', (event) => outcomes.push(event));
    staff.actor.send({ type: 'staffCard', cardNumber: '3300017990000010' });
    staff.actor.send({ type: 'pin', pin: '000001' });
    await waitFor(staff.actor, (snapshot) => snapshot.matches('pin'));
    expect(staff.view()).toMatchObject({ state: 'pin', message: { code: 'staff.wrong-pin', params: { attemptsLeft: 4 } } });
    staff.actor.send({ type: 'pin', pin: 'disk' });
    await waitFor(staff.actor, (snapshot) => snapshot.matches('pin'));
    expect(outcomes.at(-1)).toMatchObject({ command: 'enter-pin', outcome: { ok: false, error: expect.objectContaining({ message: 'SQLITE_FULL' }) } });
    staff.actor.send({ type: 'pin', pin: '999999' });
    await waitFor(staff.actor, (snapshot) => snapshot.matches('signedOut'));
    expect(staff.view()).toMatchObject({ state: 'signed-out', message: { code: 'staff.locked', params: { until: expect.stringMatching(/^\d\d:\d\d$/) } } });
    // A card that is no staff card only says so; no timer runs while nobody is signed in.
    staff.actor.send({ type: 'cardRefused', message: message('staff.citizen-card') });
    expect(staff.view().message).toEqual({ code: 'staff.citizen-card', params: {} });
    staff.clock.increment(10 * authPolicy.idleMs);
    expect(staff.locks).toEqual([]);
  });

  it('signs out and clears the screen even when the sign-out cannot be recorded, answering with the error', async () => {
    const staff = startStaff({ signOutFails: true });
    await staff.signIn();
    staff.actor.send({ type: 'signOut' });
    await staff.settled();
    expect(staff.view()).toMatchObject({ state: 'signed-out', operator: null, message: null });
    expect(staff.emitted.map((event) => event.type)).toEqual(['replied', 'sessionEnded', 'replied']);
    expect(staff.emitted.at(-1)).toMatchObject({ command: 'sign-out', outcome: { ok: false } });
    staff.clock.increment(10 * authPolicy.idleMs);
    expect(staff.locks).toEqual([]);
  });
});
