import type { KioskCommand, RefusalCode } from '../../../shared/contract/kiosk-api';
import { assertNever } from '../../../shared/result';
import { permission, type Action } from './permissions';
import type { OperatorRole } from './roles';

/**
 * Who is at the screen: a signed-in staff member (their role, and the id their work is recorded
 * under: null only on a controller built without sign-in, tests of the flow alone), the unattended
 * kiosk (self-service mode, nobody signed in), or nobody at a staffed kiosk.
 */
export type Who =
  | { readonly role: OperatorRole; readonly operatorId: string | null }
  | { readonly role: 'self-service' }
  | { readonly role: 'nobody' };

/** What the kiosk's state says about who may act on it. */
export interface AuthorizeState {
  /**
   * The operator whose work the command acts on: the application on the screen, or the card job a
   * command names (who started it, or the supervisor who took it over); null: nobody's yet.
   */
  readonly owner: string | null;
  /** The application on the flow replaces a card: submitting, printing and retrying it need `replace-card`. */
  readonly replacing: boolean;
  /** The verified card on show at the counter reader: the only card that may be voided. */
  readonly cardOnShow: string | null;
  /** The actions the unattended kiosk offers (the table may allow more than the kiosk runs unattended). */
  readonly offeredUnattended: ReadonlySet<Action>;
}

/**
 * Flows the unattended kiosk runs. The table allows self-service to issue, but issuing needs a
 * person to check the original ID document and the applicant (domain: documents at the counter),
 * so applications are made with staff; top-up comes with the cash flow.
 */
export const offeredUnattended: ReadonlySet<Action> = new Set<Action>([]);

/** Why a refusal was made, in the audit log's words (the reply's code says what the screen shows). */
export type RefusalCause = 'forbidden' | 'not-offered' | 'signed-out' | 'not-owner';

export type Refusal = {
  readonly kind: 'refuse';
  readonly code: RefusalCode;
  /** English, for staff and logs; the UI words the code. */
  readonly reason: string;
  readonly cause: RefusalCause;
  /** The table's action that was refused, when one was. */
  readonly action?: Action;
  /** With code `role`: the signed-in role the table refuses. */
  readonly role?: OperatorRole;
};

/**
 * The decision on one command. `no-target`: the command names a card that is not on the counter
 * reader, so there is nothing to authorise (and nothing to audit): the screen is told to tap it.
 */
export type Decision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'needs-approval'; readonly action: Action }
  | Refusal
  | { readonly kind: 'no-target'; readonly code: 'tap-card-to-void'; readonly reason: string };

/**
 * What each command asks, in the permission table's terms:
 * - `anyone`: the screen's own commands and staff sign-in, taken from whoever is at the screen;
 * - `staff`: any signed-in staff member (keeping the session alive, closing the card check);
 * - `flow`: the applicant's flow, `issue-card` (`replace-card` for the steps that make a replacement
 *   when `replaces`), only by the job's owner; `then`: an action of its own on top (the photo override);
 * - `action`: one action of the table; `refusal`: the reply when the table denies it; `recorded`: the
 *   action is recorded under the actor's id (nobody's id, nobody's action); `target`: the card it names
 *   must be the one on show.
 * `camera` is the screen's housekeeping at a staffed kiosk (the fill light follows the camera, off
 * after a sign-out too) but belongs to the application flow at the unattended one.
 */
type Rule =
  | { readonly kind: 'anyone'; readonly unattended?: Action }
  | { readonly kind: 'staff' }
  | { readonly kind: 'flow'; readonly replaces: boolean; readonly then?: Action }
  | {
      readonly kind: 'action';
      readonly action: Action;
      readonly refusal?: { readonly code: RefusalCode; readonly reason: string };
      readonly recorded?: true;
      readonly target?: 'card-on-show';
    };

const anyone: Rule = { kind: 'anyone' };
const staffOnly: Rule = { kind: 'staff' };
const flow: Rule = { kind: 'flow', replaces: false };
const replacing: Rule = { kind: 'flow', replaces: true };

/** The one table from command to what it asks. */
const commandRules: Readonly<Record<KioskCommand['type'], Rule>> = {
  'dismiss-card': anyone,
  // The citizen's own top-up at the unattended kiosk: the counter region decides whether it may start.
  'top-up-start': anyone,
  'top-up-finish': anyone,
  'top-up-cancel': anyone,
  'enter-pin': anyone,
  'cancel-pin': anyone,
  'sign-out': anyone,
  camera: { kind: 'anyone', unattended: 'issue-card' },
  'keep-alive': staffOnly,
  'close-card-check': staffOnly,
  'start-application': flow,
  'update-application': flow,
  'submit-application': replacing,
  'capture-photo': flow,
  'preview-photo': flow,
  'retake-photo': flow,
  'confirm-print': replacing,
  retry: replacing,
  back: flow,
  cancel: flow,
  'confirm-discard': flow,
  'keep-application': flow,
  'use-photo': flow,
  'cancel-job': flow,
  finish: flow,
  'override-photo': { kind: 'flow', replaces: false, then: 'override-photo' },
  // A photo file in place of the camera is an exception as an override is: the same approval.
  'import-photo': { kind: 'flow', replaces: false, then: 'override-photo' },
  'void-card': { kind: 'action', action: 'void-card', target: 'card-on-show' },
  'clear-tamper': {
    kind: 'action',
    action: 'change-devices',
    refusal: { code: 'technician-only', reason: 'only a technician can put the kiosk back in service' },
    recorded: true,
  },
  'take-over-job': { kind: 'action', action: 'take-over-job', recorded: true },
  'open-session': { kind: 'action', action: 'open-session', recorded: true },
  'close-session': { kind: 'action', action: 'close-session', recorded: true },
  'load-blanks': { kind: 'action', action: 'adjust-stock', recorded: true },
  'return-blanks': { kind: 'action', action: 'adjust-stock', recorded: true },
  // Batches (issue 14): a list holds applicants' data (view-cardholder); picking a row starts an application.
  'import-batch': { kind: 'action', action: 'view-cardholder', recorded: true },
  'import-batch-clean-rows': { kind: 'action', action: 'accept-batch-problems', recorded: true },
  'dismiss-batch-import': staffOnly,
  'show-batch': { kind: 'action', action: 'view-cardholder' },
  'pick-batch-row': flow,
  'mark-second-visit': { kind: 'action', action: 'view-cardholder', recorded: true },
  'override-photo-nursing-home': { kind: 'flow', replaces: false, then: 'override-photo' },
  // The applicant's language belongs to their application (either window may set it).
  'set-applicant-language': flow,
};

const allow: Decision = { kind: 'allow' };
const signInFirst: Refusal = { kind: 'refuse', code: 'sign-in-first', cause: 'signed-out', reason: 'sign in first: tap your staff card on the reader' };

const askStaff = (what: string, action?: Action): Refusal => ({
  kind: 'refuse',
  code: 'ask-staff',
  reason: `not available at the self-service kiosk (${what}): ask the staff at the service desk`,
  cause: 'forbidden',
  ...(action ? { action } : {}),
});

/** The one wording for a role the permission table refuses. */
function roleRefusal(role: OperatorRole, action: Action): Refusal {
  return { kind: 'refuse', code: 'role', role, action, cause: 'forbidden', reason: `a ${role} may not ${action.replace('-', ' ')}` };
}

function notOwner(): Refusal {
  return {
    kind: 'refuse',
    code: 'job-of-another-operator',
    cause: 'not-owner',
    reason: 'this card job belongs to the operator who started it: they may finish it by signing in, or a supervisor may take it over',
  };
}

/** The actions a command asks of the table, given the state (a replacement asks `replace-card`). */
function askedActions(rule: Rule, state: AuthorizeState): readonly Action[] {
  switch (rule.kind) {
    case 'anyone':
      return rule.unattended ? [rule.unattended] : [];
    case 'staff':
      return [];
    case 'flow': {
      const onFlow: Action = rule.replaces && state.replacing ? 'replace-card' : 'issue-card';
      return rule.then ? [onFlow, rule.then] : [onFlow];
    }
    case 'action':
      return [rule.action];
    default:
      return assertNever(rule);
  }
}

/** The unattended kiosk: the self-service column of the table AND what this kiosk offers unattended. */
function unattended(command: KioskCommand, rule: Rule, state: AuthorizeState): Decision {
  if (rule.kind === 'staff') return askStaff(command.type);
  const asked = askedActions(rule, state);
  const denied = asked.find((action) => permission('self-service', action) !== 'allow');
  if (denied) return askStaff(denied, denied);
  const notOffered = asked.find((action) => !state.offeredUnattended.has(action));
  if (notOffered) {
    return { kind: 'refuse', code: 'ask-staff', cause: 'not-offered', action: notOffered, reason: `${notOffered} is not offered unattended: ask the staff at the service desk` };
  }
  if (rule.kind === 'flow' && state.owner !== null) return notOwner();
  if (rule.kind === 'action' && rule.recorded) return askStaff(command.type, rule.action);
  return allow;
}

/** The table's verdict on one action for a role. */
function byTable(role: OperatorRole, action: Action, refusal?: { readonly code: RefusalCode; readonly reason: string }): Decision {
  const granted = permission(role, action);
  switch (granted) {
    case 'allow':
      return allow;
    case 'with-approval':
      return { kind: 'needs-approval', action };
    case 'deny':
      return refusal ? { kind: 'refuse', code: refusal.code, reason: refusal.reason, cause: 'forbidden', action } : roleRefusal(role, action);
    default:
      return assertNever(granted);
  }
}

/**
 * The one authorisation decision: may `who` give `command` in `state`? It decides who may act (the
 * role's column of the permission table, signing in first, the job's owner, what the unattended kiosk
 * offers, the technician's tamper reset); what the flow allows on the screen (a step out of order, the
 * disk reserve, the shut door) stays with the flow. The controller asks it once per command, first.
 */
export function authorize(who: Who, command: KioskCommand, state: AuthorizeState): Decision {
  const rule = commandRules[command.type];
  if (who.role === 'self-service') return rule.kind === 'anyone' && !rule.unattended ? allow : unattended(command, rule, state);
  if (rule.kind === 'anyone') return allow;
  if (who.role === 'nobody') return signInFirst;
  switch (rule.kind) {
    case 'staff':
      return allow;
    case 'flow': {
      const [onFlow] = askedActions(rule, state);
      if (onFlow && permission(who.role, onFlow) !== 'allow') return roleRefusal(who.role, onFlow);
      if (state.owner !== null && state.owner !== who.operatorId) return notOwner();
      return rule.then ? byTable(who.role, rule.then) : allow;
    }
    case 'action': {
      if (rule.target === 'card-on-show' && 'cardNumber' in command && command.cardNumber !== state.cardOnShow) {
        return { kind: 'no-target', code: 'tap-card-to-void', reason: 'tap the card to void on the counter reader first' };
      }
      const decision = byTable(who.role, rule.action, rule.refusal);
      // Recorded under the actor's id: a kiosk without sign-in has none to record it under.
      if (decision.kind !== 'refuse' && rule.recorded && who.operatorId === null) return signInFirst;
      return decision;
    }
    default:
      return assertNever(rule);
  }
}

/** Nothing on the flow, no card on show: the state in which the screen asks what a role may start. */
const atHome: AuthorizeState = { owner: null, replacing: false, cardOnShow: null, offeredUnattended };

/** Whether the home screen offers this role a new application (the button is off, and says why, when not). */
export function mayStartApplication(role: OperatorRole): boolean {
  return authorize({ role, operatorId: null }, { type: 'start-application' }, atHome).kind === 'allow';
}

/** Whether whoever is at the screen may put the kiosk back in service after a tamper alarm (the home screen offers the button). */
export function mayClearTamper(who: Who): boolean {
  return authorize(who, { type: 'clear-tamper' }, atHome).kind === 'allow';
}

/** Whether the parked job of an operator who is away may be taken over by whoever is at the screen. */
export function mayTakeOver(who: Who): boolean {
  return authorize(who, { type: 'take-over-job', jobId: 'any' }, atHome).kind === 'allow';
}

/** Whether a role may see a cardholder's data at all (a technician may not): the card check runs only for them. */
export function mayView(role: OperatorRole | undefined): boolean {
  return role !== undefined && permission(role, 'view-cardholder') === 'allow';
}

/** Whether whoever is at the screen may see the applicant on the flow: staff entitled to it, and the job is theirs (or nobody's yet). */
export function mayViewFlow(who: Who, owner: string | null): boolean {
  if (who.role === 'self-service' || who.role === 'nobody') return false;
  return mayView(who.role) && (owner === null || owner === who.operatorId);
}

/** Whether a role may approve another's action with their card and PIN. */
export function mayApprove(role: OperatorRole): boolean {
  return permission(role, 'approve') === 'allow';
}
