import { describe, expect, it } from 'vitest';
import { spoilReasonFor } from '../../../../kiosk/controller/store/blanks';

/** A blank's spoil reason from the failure its job step was journaled with, as the steps journal them. */
describe('the reason a blank is spoiled', () => {
  it.each([
    // The card job's error kinds (prefixed) and the encoding step's own NFC kinds (as journaled).
    ['nfc_write_verify_failed', 'chip-verify-failed'],
    ['write_verify_failed', 'chip-verify-failed'],
    ['auth_failed', 'chip-verify-failed'],
    ['card_removed', 'chip-verify-failed'],
    ['printer_jam', 'jam'],
    ['jam', 'jam'],
    ['interrupted-at-printing', 'crash-recovery'],
    // A printer's timeout or head fault spoils a printed blank as a misprint, not as a chip failure.
    ['timeout', 'misprint'],
    ['head_error', 'misprint'],
    [undefined, 'misprint'],
  ] as const)('%s → %s', (failure, reason) => {
    expect(spoilReasonFor(failure)).toBe(reason);
  });
});
