import { fromPromise } from 'xstate';
import type { LogSink } from '../../../shared/log';
import type { OperatorService } from '../auth/operator-service';
import type { staffMachine } from './staff-machine';

/** The staff region's store work, done by the operator service (PIN check, lockout, audit rows). */
export function staffActors(operators: OperatorService, log: LogSink) {
  return {
    signIn: fromPromise(async ({ input }: { input: { staffCardNumber: string; pin: string } }) => {
      const signedIn = await operators.signIn(input);
      if (signedIn.ok) log({ eventId: 'auth-sign-in', disposition: 'success', message: `${signedIn.value.role} signed in`, operatorId: signedIn.value.operatorId });
      return signedIn;
    }),
    approve: fromPromise(({ input }: { input: Parameters<OperatorService['approve']>[0] }) => operators.approve(input)),
    signOut: fromPromise(() => operators.signOut()),
    lockSession: fromPromise(() => operators.lock()),
  } satisfies Parameters<typeof staffMachine.provide>[0]['actors'];
}
