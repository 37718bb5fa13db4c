import { z } from 'zod';

/**
 * The controller speaks codes, the UI speaks languages: a message the controller sends is a code and
 * its parameters, worded by the UI in the screen's language from one catalogue
 * (shared/i18n/message-catalogue.ts); logs keep its English rendering (`englishOf`).
 *
 * Each code lists the parameters its sentence takes, so that a message built without one is a
 * compile error (`message`) and a snapshot carrying one without it does not parse.
 */
export const messageParams = {
  // The staff region (kiosk/controller/machine/staff-messages.ts).
  'staff.idle-locked': [],
  'staff.cards-unreadable': [],
  'staff.not-a-staff-card': [],
  'staff.unverified-card': [],
  'staff.citizen-card': [],
  'staff.unknown-card': [],
  'staff.card-disabled': [],
  /** `until`: the time the lock ends, as HH:MM on the kiosk's clock. */
  'staff.locked': ['until'],
  'staff.wrong-pin': ['attemptsLeft'],
  'staff.not-a-supervisor': [],
  'staff.same-person': [],
  /** `reason`: the controller's English sentence for the refusal (staff read it). */
  'staff.approved-but-failed': ['reason'],

  // Why the kiosk is out of service (kiosk/controller/machine/service-glue.ts).
  'service.door-opened': [],
  'service.board-lost': [],

  // The application's missing items, document problems and the card check (kiosk/controller).
  'application.enter-id': [],
  'application.id-wrong': ['detail'],
  'application.enter-name': [],
  'application.enter-birth-date': [],
  'application.birth-date-future': [],
  'application.choose-card-type': [],
  'application.not-eligible': [],
  'application.card-type-not-available': [],
  'application.guardian-consent': [],
  'application.own-card-in-printer': ['cardNumber', 'time'],
  'application.own-card-in-output': ['cardNumber', 'time'],
  'document.id-invalid': ['detail'],
  'document.mrz-check-failed': ['field', 'detail'],
  'document.ocr-suggestion': ['line', 'column', 'from', 'to'],
  'document.expired': ['date'],
  'card-check.not-a-citizen-card': [],
  'card-check.no-answer': [],
  'card-check.not-verified': [],
  'card-check.not-on-show': [],
  'card-check.void-not-active': ['status'],
  'card-check.record-changed': ['detail'],
  'card-check.voided': [],

  // A card step that failed (kiosk/controller/issuance): what the operator can do about it.
  'printer.feeder-empty': [],
  'printer.ribbon-out': [],
  'printer.cover-open': [],
  'printer.jam': [],
  'printer.hopper-full': [],
  'printer.need-cleaning': [],
  'printer.head-error': [],
  'printer.bad-reply': [],
  'printer.timeout': [],
  'printer.disconnected': [],
  'nfc.no-card': [],
  'nfc.card-removed': [],
  'nfc.unsupported-card': [],
  'nfc.wrong-card': [],
  'nfc.auth-failed': [],
  'nfc.write-verify-failed': [],
  'nfc.no-answer': [],
  'nfc.reader-unavailable': [],
  'nfc.record-invalid': [],
  'step.journal-refused': [],
  'step.store-failed': ['detail'],
  'step.card-face': ['field'],
  'step.no-card-type': [],
  'step.job-not-resumable': ['detail'],
  'step.job-parked': [],
  'step.no-session': [],
  'step.disk-full': ['detail'],
  'step.unexpected': ['detail'],
  'face.no-face-new': [],
  'face.no-face-on-file': [],
  'face.unreadable-new': [],
  'face.unreadable-on-file': [],
  'photo.override-needs-attempts': ['attempts'],
  'photo.override-no-face': [],

  // The photo gate's advice (kiosk/controller/photo): left and right are the applicant's own.
  'photo.no-face': [],
  'photo.many-faces': [],
  'photo.come-closer': [],
  'photo.move-back': [],
  'photo.move-to-your-left': [],
  'photo.move-to-your-right': [],
  'photo.move-up': [],
  'photo.move-down': [],
  'photo.face-camera': [],
  'photo.head-straight': [],
  'photo.open-eyes': [],
  'photo.open-both-eyes': [],
  'photo.too-dark': [],
  'photo.too-bright': [],
  'photo.low-contrast': [],
  'photo.blurred': [],
  'photo.dark-background': [],
  'photo.busy-background': [],
  'photo.unreadable': [],
  /** A check that needs one face first (there was none, or several). */
  'photo.not-measured': [],
  /** The accepted photo could not be cut to the card and archive sizes. */
  'photo.crop-failed': [],
  // A check passed, one code per check of the gate.
  'photo.passed.one-face': [],
  'photo.passed.head-height': [],
  'photo.passed.centred': [],
  'photo.passed.frontal': [],
  'photo.passed.eyes-open': [],
  'photo.passed.brightness': [],
  'photo.passed.contrast': [],
  'photo.passed.sharpness': [],
  'photo.passed.background': [],

  // Batches (issue 14): a batch file's problems, row by row (kiosk/controller/batch).
  'batch.file-empty': [],
  /** `detail`: the CSV or JSON parser's own words (where in the file), never a row's values. */
  'batch.file-unreadable': ['detail'],
  'batch.too-many-rows': ['max'],
  'batch.column-missing': ['column'],
  'batch.column-unknown': ['column'],
  'batch.row-not-an-object': [],
  'batch.value-missing': ['column'],
  /** `allowed`: the values the column takes, as the README lists them. */
  'batch.value-not-allowed': ['value', 'allowed'],
  /** A free-text cell longer than the counter's form takes (`max` characters). */
  'batch.value-too-long': ['column', 'max'],
  'batch.date-invalid': ['value'],
  'batch.duplicate-row': ['firstRow'],
  'batch.replacement-cause-missing': [],
  'batch.guardian-id-wrong': ['detail'],
  'batch.guardian-incomplete': [],
  /** A document scanned for a resident picked from a list is neither theirs nor their guardian's: the form keeps the row. */
  'batch.document-not-resident': [],
} as const satisfies Record<string, readonly string[]>;

export type MessageCode = keyof typeof messageParams;
export const messageCodes = Object.keys(messageParams) as [MessageCode, ...MessageCode[]];

/** The names of the parameters a code's sentence takes. */
export type MessageParamName<C extends MessageCode> = (typeof messageParams)[C][number];
export type MessageParamValue = string | number;

/** A message from the controller: what to say (the code) and what to fill in (the parameters). */
export interface Message {
  readonly code: MessageCode;
  readonly params: Readonly<Record<string, MessageParamValue>>;
}

/** `message('staff.wrong-pin', { attemptsLeft: 2 })`: the parameters the code's sentence takes, no more, no fewer. */
export function message<C extends MessageCode>(
  code: C,
  ...params: [MessageParamName<C>] extends [never] ? [] : [{ readonly [P in MessageParamName<C>]: MessageParamValue }]
): Message {
  return { code, params: { ...params[0] } };
}

export const messageSchema = z
  .object({
    code: z.enum(messageCodes),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
  })
  .strict()
  .superRefine((value, context) => {
    const expected: readonly string[] = messageParams[value.code];
    for (const name of expected) {
      if (!(name in value.params)) context.addIssue({ code: 'custom', path: ['params', name], message: `${value.code} takes {${name}}` });
    }
    for (const name of Object.keys(value.params)) {
      if (!expected.includes(name)) context.addIssue({ code: 'custom', path: ['params', name], message: `${value.code} takes no {${name}}` });
    }
  }) satisfies z.ZodType<Message>;
