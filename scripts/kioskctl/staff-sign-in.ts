import { createOperatorService, type SignInError } from '../../kiosk/controller/auth/operator-service';
import { can, type Action } from '../../kiosk/controller/auth/permissions';
import type { Store } from '../../kiosk/controller/store/store';
import { systemClock } from '../../shared/clock';
import { assertNever } from '../../shared/result';
import { readPin } from './read-pin';

/**
 * A staff member acting from the CLI signs in as at the kiosk: staff card number (`--card`) and PIN
 * (standard input, never an argument), through the operator service, so wrong PINs count towards the
 * lockout and every sign-in, refusal and sign-out is audited. The permission table decides the action.
 */
export interface SignedIn {
  readonly operatorId: string;
  signOut(): Promise<void>;
}

export const staffSignInHelp = `--card <staff card number>; the PIN is read from standard input (typed without echo, or piped)`;

/** The staff card number after `--card`, removed from `args` with it; undefined when absent. */
export function takeCard(args: string[]): string | undefined {
  const index = args.indexOf('--card');
  if (index < 0) return undefined;
  const [, card] = args.splice(index, 2);
  return card;
}

function signInProblem(error: SignInError): string {
  switch (error.kind) {
    case 'unknown_card':
      return 'no staff member has this card';
    case 'disabled':
      return 'this staff card is disabled';
    case 'locked':
      return `too many wrong PINs: the card is locked until ${error.lockedUntil}`;
    case 'wrong_pin':
      return `wrong PIN (${error.attemptsLeft} attempt(s) left before the card locks)`;
    default:
      return assertNever(error);
  }
}

/** Signs the card's holder in for `action`; prints why not and returns null when they may not act. */
export async function signInFor(store: Store, command: string, card: string, action: Action): Promise<SignedIn | null> {
  const service = createOperatorService(store, { clock: systemClock });
  const signedIn = await service.signIn({ staffCardNumber: card, pin: await readPin() });
  if (!signedIn.ok) {
    process.stderr.write(`kioskctl ${command}: sign-in refused: ${signInProblem(signedIn.error)}\n`);
    return null;
  }
  const { operatorId, role } = signedIn.value;
  if (!can(role, action)) {
    await service.recordRefusal({ who: { role, operatorId }, command: `kioskctl ${command}`, code: 'role', cause: 'forbidden', action });
    await service.signOut();
    process.stderr.write(`kioskctl ${command}: refused: the ${role} role may not ${action} (a supervisor does)\n`);
    return null;
  }
  return { operatorId, signOut: () => service.signOut() };
}
