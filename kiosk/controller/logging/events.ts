/**
 * The event catalogue shared by the audit log and the JSON-lines log: every audited action has one id
 * here. Add new ids here (kebab-case, area prefix) rather than inventing them at the call site.
 */
export const auditEvents = {
  // operators
  'auth-sign-in': 'An operator signed in with staff card and PIN (failure: wrong PIN, locked, disabled, unknown card).',
  'auth-sign-out': 'An operator signed out.',
  'auth-idle-lock': 'The session locked itself after the idle timeout.',
  'auth-lockout': 'Too many wrong PINs: the staff card is locked for a while.',
  'auth-operator-added': 'A staff member was given access.',
  'auth-operator-disabled': 'A staff member lost access.',
  'auth-supervisor-approval': 'A supervisor approved (or refused) an override or a void.',
  'auth-permission-refused': 'A command was refused to whoever was at the screen (code, command, actor; refusals to nobody folded, see auth/refusal-audit.ts).',
  // issuance
  'issuance-application': 'An application was accepted for processing.',
  'issuance-photo-override': 'A photo that failed the quality gate was accepted by a person.',
  'issuance-photo-import': 'A photo file was taken in place of the camera, with its reason and the approving supervisor.',
  'issuance-card-number': 'A card number was allocated.',
  'issuance-job-begin': 'An issuance job was journaled.',
  'issuance-job-step': 'An issuance job reached a step (print, encode, ...).',
  'issuance-job-parked': 'A failed job waits for its operator, who signed out or was locked out; its data is kept encrypted in the store.',
  'issuance-job-resumed': 'An operator signed in again and their parked job came back.',
  'issuance-job-taken-over': 'A supervisor took over the parked job of an operator who was away (both ids recorded).',
  'issuance-print': 'A card was printed.',
  'issuance-encode': 'A card chip was encoded and read back.',
  'issuance-recorded': 'A card was issued and recorded.',
  'issuance-fee': 'A replacement fee was settled with its card: paid in cash, paid from the replaced card\'s e-wallet, or waived (reason, approving supervisor).',
  'issuance-replacement': 'A previous card of the same type was hot-listed by a replacement.',
  'issuance-void': 'A card was voided.',
  'issuance-spoil': 'A card blank was spoiled (misprint, encode failure).',
  // service sessions and their stock ledger
  'session-opened': 'A supervisor opened a service session with the blanks loaded per scheme.',
  'session-closed': 'A supervisor counted the blanks left and closed the service session (a discrepancy is booked with their note).',
  'session-report-written': "A closed session's report (PDF and CSV of its figures) was written under the data directory, or could not be.",
  'stock-loaded': 'Blanks were loaded into the open session.',
  'stock-returned': 'Blanks were returned from the open session to the box.',
  // money and devices
  'wallet-top-up': 'Stored value was added to a card.',
  'wallet-top-up-start': "A citizen began a top-up at the kiosk (the receipt's journal id).",
  'wallet-top-up-end': 'A top-up ended (its notes credited or returned).',
  'wallet-note-escrow': 'A note was reported in escrow and journaled before it was routed.',
  'wallet-note-routing': 'A journaled note was sent to the stacker.',
  'wallet-note-returned': 'A journaled note was returned (by command, escrow timeout or refusal): nothing credited.',
  'wallet-points-load': "A card's welfare points for the month were loaded.",
  'wallet-points-lapse': "What a card left of an earlier month's welfare points lapsed.",
  'wallet-mirror-confirmed': "A card's wallet mirror was written and read back equal to the ledger.",
  'wallet-exception': 'The kiosk recorded what it will not guess about money (lost events, a jam, a mirror ahead of the ledger) for a supervisor.',
  'wallet-exception-settled': 'A supervisor settled a money exception (credited, refunded, no money, card corrected).',
  'cash-box-open': 'The cash box was opened.',
  'cash-box-count': 'The notes in the cash box were counted by denomination.',
  'cash-note-unclaimed': 'A note was taken while no top-up was open: the money is recorded for a supervisor to refund.',
  'device-fault': 'A device reported a fault.',
  'device-config-change': 'A device setting was changed.',
  'tamper-detected': 'The enclosure tamper switch fired.',
  'tamper-cleared': 'A technician put the kiosk back in service after a tamper alarm.',
  // the store itself
  'store-opened': 'The store was opened (schema migrated when needed).',
  'store-purge': 'Personal data past its retention period was purged.',
  'store-backup': 'A backup was written.',
  'store-restore': 'The store was restored from a backup.',
  'store-records-lost-accepted': 'A supervisor acknowledged committed records lost from the store (a cut-off WAL): the audit sequences missing, as numbers.',
  // batches (issue 14)
  'batch-imported': 'A nursing-home or pre-registered list was imported (rows imported and rows left out, as counts).',
  'batch-second-visit': 'A resident of a batch needs a second visit (the reason code).',
} as const;

export type AuditEventId = keyof typeof auditEvents;

export function isAuditEventId(value: string): value is AuditEventId {
  return Object.hasOwn(auditEvents, value);
}
