import { describe, expect, it } from 'vitest';
import { kioskCommandSchema, type KioskCommand } from '../../../../shared/contract/kiosk-api';
import {
  authorize, mayApprove, mayClearTamper, mayStartApplication, mayTakeOver, mayView, mayViewFlow, offeredUnattended, type AuthorizeState, type Decision, type Who,
} from '../../../../kiosk/controller/auth/authorize';

const card = '3300011300000015';

/** One example of every command the screen can send. */
const commands: Readonly<Record<KioskCommand['type'], KioskCommand>> = {
  'start-application': { type: 'start-application' },
  'update-application': { type: 'update-application', fields: { name: 'X' } },
  'submit-application': { type: 'submit-application' },
  'capture-photo': { type: 'capture-photo', jpegBase64: 'A'.repeat(32) },
  'preview-photo': { type: 'preview-photo', jpegBase64: 'A'.repeat(32) },
  'override-photo': { type: 'override-photo', reason: 'bedridden applicant' },
  'import-photo': { type: 'import-photo', jpegBase64: 'A'.repeat(32), reason: 'camera broken' },
  'retake-photo': { type: 'retake-photo' },
  'confirm-print': { type: 'confirm-print' },
  retry: { type: 'retry' },
  back: { type: 'back' },
  cancel: { type: 'cancel' },
  'confirm-discard': { type: 'confirm-discard' },
  'keep-application': { type: 'keep-application' },
  'use-photo': { type: 'use-photo' },
  'cancel-job': { type: 'cancel-job', jobId: 'job-1' },
  finish: { type: 'finish', jobId: 'job-1' },
  camera: { type: 'camera', live: true },
  'enter-pin': { type: 'enter-pin', pin: '271828' },
  'cancel-pin': { type: 'cancel-pin' },
  'sign-out': { type: 'sign-out' },
  'keep-alive': { type: 'keep-alive' },
  'close-card-check': { type: 'close-card-check' },
  'void-card': { type: 'void-card', cardNumber: card, reason: 'damaged' },
  'set-applicant-language': { type: 'set-applicant-language', language: 'vi' },
  'clear-tamper': { type: 'clear-tamper' },
  'take-over-job': { type: 'take-over-job', jobId: 'job-1' },
  'dismiss-card': { type: 'dismiss-card' },
  'top-up-start': { type: 'top-up-start' },
  'top-up-finish': { type: 'top-up-finish' },
  'top-up-cancel': { type: 'top-up-cancel' },
  'open-session': { type: 'open-session', site: '中壢轉運站', mode: 'transit-station', blanks: { easycard: 10, ipass: 5 } },
  'close-session': { type: 'close-session', counted: { easycard: 4, ipass: 5 } },
  'load-blanks': { type: 'load-blanks', scheme: 'ipass', count: 20 },
  'return-blanks': { type: 'return-blanks', scheme: 'easycard', count: 2 },
  'import-batch': { type: 'import-batch', label: '康寧長照中心', source: 'nursing-home', format: 'csv', content: 'room\n' },
  'import-batch-clean-rows': { type: 'import-batch-clean-rows' },
  'dismiss-batch-import': { type: 'dismiss-batch-import' },
  'show-batch': { type: 'show-batch', batchId: 'batch-1' },
  'pick-batch-row': { type: 'pick-batch-row', rowId: 'row-1' },
  'mark-second-visit': { type: 'mark-second-visit', rowId: 'row-1', reason: 'asleep' },
  'override-photo-nursing-home': { type: 'override-photo-nursing-home', reason: 'bedridden' },
};

const actors = ['operator', 'supervisor', 'technician', 'self-service', 'nobody'] as const;
type ActorName = (typeof actors)[number];
const whoIs: Readonly<Record<ActorName, Who>> = {
  operator: { role: 'operator', operatorId: 'op-1' },
  supervisor: { role: 'supervisor', operatorId: 'sup-1' },
  technician: { role: 'technician', operatorId: 'tech-1' },
  'self-service': { role: 'self-service' },
  nobody: { role: 'nobody' },
};

/** The outcome in one word: `allow`, `approval`, or the refusal's code. */
type Outcome = 'allow' | 'approval' | string;
const outcome = (decision: Decision): Outcome => (decision.kind === 'allow' ? 'allow' : decision.kind === 'needs-approval' ? 'approval' : decision.code);

/** Written out again from the issue, so that a change to the code must be deliberate: operator, supervisor, technician, self-service, nobody. */
type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome];
const everyone: Row = ['allow', 'allow', 'allow', 'allow', 'allow'];
const anyStaff: Row = ['allow', 'allow', 'allow', 'ask-staff', 'sign-in-first'];
const onFlow: Row = ['allow', 'allow', 'role', 'ask-staff', 'sign-in-first'];
const notTheirs: Row = ['job-of-another-operator', 'job-of-another-operator', 'role', 'ask-staff', 'sign-in-first'];

/** A flow nobody owns yet (or the actor's own), the verified card on show at the counter reader. */
const atHome: Readonly<Record<KioskCommand['type'], Row>> = {
  'dismiss-card': everyone,
  'top-up-start': everyone,
  'top-up-finish': everyone,
  'top-up-cancel': everyone,
  'enter-pin': everyone,
  'cancel-pin': everyone,
  'sign-out': everyone,
  // The fill light follows the camera at a staffed kiosk, off after a sign-out too.
  camera: ['allow', 'allow', 'allow', 'ask-staff', 'allow'],
  'keep-alive': anyStaff,
  'close-card-check': anyStaff,
  'start-application': onFlow,
  'update-application': onFlow,
  'submit-application': onFlow,
  'capture-photo': onFlow,
  'preview-photo': onFlow,
  'retake-photo': onFlow,
  'confirm-print': onFlow,
  retry: onFlow,
  back: onFlow,
  cancel: onFlow,
  'confirm-discard': onFlow,
  'keep-application': onFlow,
  'use-photo': onFlow,
  'cancel-job': onFlow,
  finish: onFlow,
  'override-photo': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  // A photo file in place of the camera: an exception like an override.
  'import-photo': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'void-card': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'clear-tamper': ['technician-only', 'technician-only', 'allow', 'ask-staff', 'sign-in-first'],
  'take-over-job': ['role', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  // The session and its stock: a supervisor's, or an operator's with a supervisor's approval.
  'open-session': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'close-session': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'load-blanks': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'return-blanks': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  // Batches: a list is applicants' data; importing only its clean rows is a supervisor's say-so.
  'import-batch': ['allow', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'import-batch-clean-rows': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'dismiss-batch-import': anyStaff,
  'show-batch': ['allow', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'pick-batch-row': onFlow,
  'mark-second-visit': ['allow', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  'override-photo-nursing-home': ['approval', 'allow', 'role', 'ask-staff', 'sign-in-first'],
  // The applicant's language is their application's: whoever runs the flow (from either window).
  'set-applicant-language': onFlow,
};

/**
 * The flow on show, or the card job the command names, belongs to another operator: every command on
 * it is theirs (or a supervisor's after a take-over).
 */
const flowCommands = ['start-application', 'update-application', 'submit-application', 'capture-photo', 'preview-photo', 'retake-photo', 'confirm-print', 'retry', 'back', 'cancel', 'confirm-discard', 'keep-application', 'use-photo', 'cancel-job', 'finish', 'override-photo', 'import-photo', 'pick-batch-row', 'override-photo-nursing-home', 'set-applicant-language'] as const;
const ofAnother: Readonly<Record<KioskCommand['type'], Row>> = {
  ...atHome,
  ...Object.fromEntries(flowCommands.map((type) => [type, notTheirs])),
};

/** No card on show (or another card): nothing to void; the screen is told to tap it, before any role is asked. */
const noCardOnShow: Readonly<Record<KioskCommand['type'], Row>> = {
  ...atHome,
  'void-card': ['tap-card-to-void', 'tap-card-to-void', 'tap-card-to-void', 'ask-staff', 'sign-in-first'],
};

const base: AuthorizeState = { owner: null, replacing: false, cardOnShow: card, offeredUnattended };
const ownerOf = (actor: ActorName): string | null => { const who = whoIs[actor]; return 'operatorId' in who ? who.operatorId : null; };

const situations: ReadonlyArray<{ name: string; state: (actor: ActorName) => AuthorizeState; expected: Readonly<Record<KioskCommand['type'], Row>> }> = [
  { name: 'nobody\'s flow', state: () => base, expected: atHome },
  { name: 'their own flow', state: (actor) => ({ ...base, owner: ownerOf(actor) }), expected: atHome },
  { name: 'another operator\'s flow', state: () => ({ ...base, owner: 'op-2' }), expected: ofAnother },
  { name: 'a replacement on the flow', state: () => ({ ...base, replacing: true }), expected: atHome },
  { name: 'no card on show', state: () => ({ ...base, cardOnShow: null }), expected: noCardOnShow },
  { name: 'another card on show', state: () => ({ ...base, cardOnShow: '3300011300000023' }), expected: noCardOnShow },
];

describe('authorize: every command × who × state', () => {
  it('has an example of every command in the contract', () => {
    expect(Object.keys(commands).sort()).toEqual(kioskCommandSchema.options.map((option) => option.shape.type.value).sort());
  });

  for (const situation of situations) {
    describe(situation.name, () => {
      for (const [type, command] of Object.entries(commands) as [KioskCommand['type'], KioskCommand][]) {
        it(type, () => {
          const got = actors.map((actor) => outcome(authorize(whoIs[actor], command, situation.state(actor))));
          expect(got).toEqual(situation.expected[type]);
        });
      }
    });
  }
});

describe('authorize: what each refusal says', () => {
  it('names the role and the action the table refuses, and words it as the screen has always shown it', () => {
    expect(authorize(whoIs.technician, commands['start-application'], base)).toEqual({ kind: 'refuse', code: 'role', role: 'technician', action: 'issue-card', cause: 'forbidden', reason: 'a technician may not issue card' });
    expect(authorize(whoIs.technician, commands['void-card'], base)).toMatchObject({ code: 'role', role: 'technician', reason: 'a technician may not void card' });
    expect(authorize(whoIs.operator, commands['clear-tamper'], base)).toMatchObject({ code: 'technician-only', action: 'change-devices', reason: 'only a technician can put the kiosk back in service' });
    expect(authorize(whoIs.nobody, commands.retry, base)).toMatchObject({ code: 'sign-in-first', cause: 'signed-out', reason: expect.stringMatching(/^sign in first/) });
    expect(authorize(whoIs.operator, commands.retry, { ...base, owner: 'op-2' })).toMatchObject({ code: 'job-of-another-operator', cause: 'not-owner' });
    expect(authorize(whoIs.operator, commands['void-card'], { ...base, cardOnShow: null })).toEqual({ kind: 'no-target', code: 'tap-card-to-void', reason: 'tap the card to void on the counter reader first' });
  });

  it('asks replace-card, not issue-card, of the steps that make a replacement', () => {
    for (const type of ['submit-application', 'confirm-print', 'retry'] as const) {
      expect(authorize(whoIs.technician, commands[type], { ...base, replacing: true }), type).toMatchObject({ code: 'role', action: 'replace-card', reason: 'a technician may not replace card' });
    }
    for (const type of ['start-application', 'update-application', 'back', 'cancel', 'cancel-job', 'finish', 'override-photo'] as const) {
      expect(authorize(whoIs.technician, commands[type], { ...base, replacing: true }), type).toMatchObject({ code: 'role', action: 'issue-card' });
    }
  });

  it('at the unattended kiosk: what the self-service column denies is not available; what it allows but the kiosk does not offer is not offered', () => {
    expect(authorize(whoIs['self-service'], commands['override-photo'], base)).toMatchObject({ code: 'ask-staff', action: 'override-photo', cause: 'forbidden', reason: expect.stringMatching(/^not available at the self-service kiosk \(override-photo\): ask the staff/) });
    expect(authorize(whoIs['self-service'], commands['keep-alive'], base)).toMatchObject({ code: 'ask-staff', reason: expect.stringMatching(/^not available .*ask the staff/) });
    expect(authorize(whoIs['self-service'], commands['start-application'], base)).toMatchObject({ code: 'ask-staff', action: 'issue-card', cause: 'not-offered', reason: 'issue-card is not offered unattended: ask the staff at the service desk' });
    // Offered, it is taken: the offers decide, not a rule of their own.
    const offering: AuthorizeState = { ...base, offeredUnattended: new Set(['issue-card']) };
    expect(outcome(authorize(whoIs['self-service'], commands['start-application'], offering))).toBe('allow');
    expect(outcome(authorize(whoIs['self-service'], commands['start-application'], { ...offering, owner: 'op-2' }))).toBe('job-of-another-operator');
    expect(outcome(authorize(whoIs['self-service'], commands['override-photo'], offering))).toBe('ask-staff');
  });

  it('a kiosk built without sign-in may not do what is recorded under somebody\'s id', () => {
    const withoutSignIn: Who = { role: 'supervisor', operatorId: null };
    expect(outcome(authorize(withoutSignIn, commands['take-over-job'], base))).toBe('sign-in-first');
    expect(outcome(authorize(withoutSignIn, commands['clear-tamper'], base))).toBe('technician-only');
    expect(outcome(authorize(withoutSignIn, commands['override-photo'], base))).toBe('allow');
  });
});

describe('the views derived from the same decision', () => {
  it('offers an application, a take-over, the cardholder\'s data and approving to whom the table gives them', () => {
    expect((['operator', 'supervisor', 'technician'] as const).filter(mayStartApplication)).toEqual(['operator', 'supervisor']);
    expect(actors.filter((actor) => mayTakeOver(whoIs[actor]))).toEqual(['supervisor']);
    expect(actors.filter((actor) => mayClearTamper(whoIs[actor]))).toEqual(['technician']);
    expect((['operator', 'supervisor', 'technician', undefined] as const).filter(mayView)).toEqual(['operator', 'supervisor']);
    expect((['operator', 'supervisor', 'technician'] as const).filter(mayApprove)).toEqual(['supervisor']);
  });

  it('shows the applicant only to staff entitled to it whose flow it is', () => {
    expect(actors.filter((actor) => mayViewFlow(whoIs[actor], null))).toEqual(['operator', 'supervisor']);
    expect(actors.filter((actor) => mayViewFlow(whoIs[actor], 'op-1'))).toEqual(['operator']);
  });
});
