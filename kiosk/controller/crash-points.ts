/**
 * Named points where a crash test pulls the plug on the controller at an exact step (the failpoints of
 * FoundationDB or TiKV, in their simplest form): with `KIOSK_CRASH_AT=<name>` in its environment the
 * process SIGKILLs itself when it reaches that point, as a power cut would, with nothing flushed or
 * closed. Unset (always, in the field), a crash point does nothing. Killing from outside cannot hit
 * a step that lasts a few microseconds; this can, every time.
 */
/** The top-up's steps. */
export const crashPoints = [
  'top-up:escrow-reported', // the validator reported a note in escrow; nothing journaled yet
  'top-up:journaled', // the note is journaled (escrow); nothing sent to the validator
  'top-up:route-sent', // "route to stacker" sent; the stacked report not read yet
  'top-up:stacked-reported', // the validator reported the note stacked; not credited yet
  'top-up:credited', // the note is credited in the ledger; the chip's mirror not written yet
  'top-up:mirror-written', // the mirror is written and read back; not confirmed in the store yet
] as const;
export type CrashPoint = (typeof crashPoints)[number];

/** The issuance's: the few microseconds a killed card job is hardest to recover from. */
export const issuanceCrashPoints = [
  'issuance:ejected', // the printer ejected the committed card; the journal does not say `ejected` yet
] as const;
export type IssuanceCrashPoint = (typeof issuanceCrashPoints)[number];

export const crashPointEnv = 'KIOSK_CRASH_AT';

const armed = process.env[crashPointEnv];

export function crashPoint(name: CrashPoint | IssuanceCrashPoint): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
