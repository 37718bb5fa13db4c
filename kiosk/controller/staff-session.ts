import { createActor, type ActorRefFrom } from 'xstate';
import type { CitizenCardStation } from '../../hardware/card-record/types';
import type { SessionView } from '../../shared/contract/kiosk-api';
import { refused } from '../../shared/contract/kiosk-api';
import type { LogSink } from '../../shared/log';
import type { CommandReply } from './api/server';
import type { Approval, OperatorService, Session } from './auth/operator-service';
import type { Action } from './auth/permissions';
import { staffActors } from './machine/staff-actors';
import { staffBusyWith, staffMachine, staffView, type StaffEvent, type StaffClock, type StaffTiming } from './machine/staff-machine';
import { watchStaffCards } from './staff-card-reader';

/**
 * Who is at the kiosk. Staff sign in by tapping their staff card (an employee citizen card whose
 * chip record verifies under the city's keys) on the counter reader and typing their PIN; the
 * session locks itself when left idle. A supervisor approves an override the same way, on the
 * operator's session, for that one action. The flow is the staff machine's
 * (`machine/staff-machine.ts`); this is its interface for the controller and holds no state.
 */
export interface StaffSession {
  view(): SessionView;
  onChange(listener: () => void): () => void;
  current(): Session | null;
  /** Any command from the screen: the idle countdown starts again. */
  touch(): void;
  enterPin(pin: string): Promise<CommandReply>;
  cancelPin(): CommandReply;
  signOut(): Promise<CommandReply>;
  /**
   * Waits for a supervisor's card and PIN, then calls `onApproved` with the approval; when the
   * approved action could not be done after all, its reason is shown and returned for the PIN.
   */
  requestApproval(action: Action, onApproved: (approval: Approval) => Promise<CommandReply>): void;
  stop(): void;
}

export interface StaffSessionOptions {
  readonly operators: OperatorService;
  /** The counter reader where staff tap their cards; null when there is none (no sign-in possible). */
  readonly counter: CitizenCardStation | null;
  readonly chipMasterKey: Uint8Array;
  readonly log: LogSink;
  /** Called when the session ends (sign-out or idle lock), to clear the screen of personal data. */
  readonly onSignedOut?: () => void;
  /** The idle warning and lock; the operator service's policy by default. */
  readonly timing?: Partial<StaffTiming>;
  /** The clock the machine runs on (its delays and its countdown): real time by default, XState's `SimulatedClock` in tests. */
  readonly timers?: StaffClock;
}

/** The staff region as the kiosk's root machine runs it: the machine with its store work, and its input. */
export function staffRegion(options: Pick<StaffSessionOptions, 'operators' | 'log' | 'timing' | 'timers'>) {
  const { timers } = options;
  return {
    logic: staffMachine.provide({ actors: staffActors(options.operators, options.log) }),
    input: { ...(options.timing ? { timing: options.timing } : {}), ...(timers ? { now: () => timers.now() } : {}) },
  };
}

export type StaffRegionRef = ActorRefFrom<ReturnType<typeof staffRegion>['logic']>;

/** A staff session on an actor of its own (tests of the region alone). */
export function createStaffSession(options: StaffSessionOptions): StaffSession {
  const region = staffRegion(options);
  const actor = createActor(region.logic, { input: region.input, ...(options.timers ? { clock: options.timers } : {}) });
  const session = bindStaffSession(actor, options);
  actor.start();
  return {
    ...session,
    stop() {
      session.stop();
      actor.stop();
    },
  };
}

/** The staff session's interface over the staff region's actor (the root machine's child, or its own). */
export function bindStaffSession(actor: StaffRegionRef, options: StaffSessionOptions): StaffSession {
  const { operators, log } = options;
  actor.on('sessionEnded', () => options.onSignedOut?.());
  actor.on('lockNotRecorded', ({ error }) => log({ eventId: 'auth-idle-lock', disposition: 'failure', message: `signed out, but the lock was not recorded: ${String(error)}` }));
  const listeners = new Set<() => void>();
  actor.subscribe({
    next: () => {
      for (const listener of listeners) listener();
    },
    error: (error) => log({ eventId: 'kiosk-machine-crashed', disposition: 'failure', message: `staff: ${String(error)}` }),
  });
  const stopReading = options.counter
    ? watchStaffCards({ counter: options.counter, chipMasterKey: options.chipMasterKey, log, send: (event) => actor.send(event) })
    : () => {};

  /**
   * Sends `event` and answers with what the machine replies to `command` once its store work is done;
   * a store error is thrown to the caller (the API turns a full disk into its refusal).
   */
  const answer = (command: 'enter-pin' | 'sign-out', event: StaffEvent): Promise<CommandReply> =>
    new Promise((resolve, reject) => {
      const done = (): void => {
        replies.unsubscribe();
        settled.unsubscribe();
      };
      const replies = actor.on('replied', (reply) => {
        if (reply.command !== command) return;
        done();
        if (reply.outcome.ok) resolve(reply.outcome.reply);
        else reject(reply.outcome.error);
      });
      // The work was abandoned without an answer (signed out while a supervisor's PIN was checked).
      const settled = actor.subscribe((snapshot) => {
        if (staffBusyWith(snapshot) === command) return;
        done();
        resolve(refused('other', 'the session ended before this could be done'));
      });
      actor.send(event);
    });

  return {
    view: () => staffView(actor.getSnapshot()),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => operators.current(),
    touch: () => actor.send({ type: 'touch' }),
    enterPin(pin) {
      const snapshot = actor.getSnapshot();
      if (staffBusyWith(snapshot) === 'enter-pin') return Promise.resolve(refused('other', 'the previous PIN is still being checked'));
      if (!snapshot.can({ type: 'pin', pin })) return Promise.resolve(refused('sign-in-first', 'tap a staff card first'));
      return answer('enter-pin', { type: 'pin', pin });
    },
    cancelPin() {
      actor.send({ type: 'cancel' });
      return { accepted: true };
    },
    signOut() {
      const snapshot = actor.getSnapshot();
      if (snapshot.can({ type: 'signOut' })) return answer('sign-out', { type: 'signOut' });
      // A sign-in half done would sign in after the sign-out; a sign-out or lock under way is ending the session already.
      if (staffBusyWith(snapshot) === 'enter-pin') return Promise.resolve(refused('other', 'a PIN is being checked: sign out once it is done'));
      return Promise.resolve({ accepted: true });
    },
    requestApproval(action, onApproved) {
      actor.send({ type: 'requestApproval', action, perform: onApproved });
    },
    /** Stops listening; the actor is its owner's to stop. */
    stop() {
      stopReading();
    },
  };
}
