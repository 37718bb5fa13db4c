import { z } from 'zod';
import { cardTypes, schoolLevels, transitSchemes } from '../domain/card-types';
import { cardLookupStatuses } from '../domain/card-status';
import { cashClosures, moneyNoticeSchema, topUpCommandSchemas, topUpDoneViewSchema, topUpViewSchema, walletCardViewSchema } from './top-up';
import { sessionModes } from '../domain/service-session';
import type { ApplicantText, Bilingual } from '../i18n/localized-text';
import type { Immutable } from './immutable';
import { batchCommandSchemas, batchSnapshotSchema } from './batch';
import { jobProgressSchema, jobSummarySchema } from './job-progress';
import { messageSchema } from './messages';
import { applicantCommandSchemas, applicantViewSchema } from './applicant';

/**
 * The contract between the kiosk UI and the controller: commands the UI may send (validated with
 * zod by the controller, never trusted) and the flat snapshot and replies the controller sends back
 * (validated with zod by the UI, never trusted either).
 */

export const taoyuanDistricts = [
  '桃園區', '中壢區', '平鎮區', '八德區', '楊梅區', '蘆竹區', '大溪區',
  '龍潭區', '龜山區', '大園區', '觀音區', '新屋區', '復興區',
] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** What the operator (or the ID scanner) fills in for one application. */
export const applicationFormSchema = z.object({
  idNumber: z.string().max(20),
  name: z.string().max(80),
  nameZh: z.string().max(40),
  birthDate: z.union([isoDate, z.literal('')]),
  sex: z.enum(['M', 'F', '']),
  nationality: z.string().max(3),
  documentNumber: z.string().max(20),
  /** '' = no Taoyuan household registration. */
  district: z.union([z.enum(taoyuanDistricts), z.literal('')]),
  indigenous: z.boolean(),
  disabilityCertificate: z.enum(['none', 'yes', 'yes-companion']),
  residencePermit: z.boolean(),
  spouseOfResident: z.boolean(),
  universityInTaoyuan: z.boolean(),
  school: z.union([z.enum(schoolLevels), z.literal('')]),
  cityEmployee: z.boolean(),
  guardianConsent: z.boolean(),
  cardType: z.union([z.enum(cardTypes), z.literal('')]),
  scheme: z.enum(transitSchemes),
  replacementCause: z.enum(['lost', 'damaged', 'data-changed', 'defect', 'transfer']),
});
export type ApplicationForm = z.infer<typeof applicationFormSchema>;

export const emptyApplicationForm: ApplicationForm = {
  idNumber: '', name: '', nameZh: '', birthDate: '', sex: '', nationality: '', documentNumber: '',
  district: '', indigenous: false, disabilityCertificate: 'none', residencePermit: false,
  spouseOfResident: false, universityInTaoyuan: false, school: '', cityEmployee: false,
  guardianConsent: false, cardType: '', scheme: 'easycard', replacementCause: 'lost',
};

const maxPhotoBase64 = 8 * 1024 * 1024;

/** Why an issued card is taken out of use (a code for the audit log and the fleet, not free text). */
export const voidReasons = ['misprint', 'wrong-details', 'damaged', 'withdrawn'] as const;
export type VoidReason = (typeof voidReasons)[number];

/** Where a captured photo came from: a camera frame, or a file the operator imported (framed loosely). */
export const photoSources = ['camera', 'import'] as const;
export type PhotoSource = (typeof photoSources)[number];

/** Staff roles (kiosk/controller/auth/roles.ts). Self-service (unattended) mode is not a role. */
export const operatorRoles = ['operator', 'supervisor', 'technician'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

/**
 * Why the controller refused a command, for the screen to say in its own language; `reason` keeps the
 * controller's English sentence for staff and logs. `other` is shown as "could not be done" with it.
 */
export const refusalCodes = [
  'role', // the permission table refuses the signed-in role (`role` says which)
  'wrong-screen',
  'sign-in-first',
  'token', // the request carried no valid launch token
  'out-of-service',
  'invalid-input',
  'technician-only',
  'door-open',
  'tap-card-to-void',
  'ask-staff', // self-service: staff only
  'job-of-another-operator', // the card job belongs to the operator who started it (or the supervisor who took it over)
  'disk-full', // the data disk is below its reserve, or the store could not write: nothing was done
  'no-session', // no service session is open: a supervisor opens one before any card is made
  'session-open', // a session is already open (close it first)
  'no-blanks', // no free blank of the chosen scheme for this card (refill, or choose the other scheme)
  'no-ribbon', // the ribbon cannot print this card after the queued ones
  'count-note-required', // the closing count differs from the ledger: the supervisor's note says why
  'cards-in-queue', // the session cannot close while cards are still in the print queue
  'other',
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

/** The controller's answer to a command (and to a dev-panel command): done, or refused and why. */
export const commandReplySchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true) }).strict(),
  z
    .object({
      accepted: z.literal(false),
      code: z.enum(refusalCodes),
      /** The controller's English sentence, for staff and logs. */
      reason: z.string(),
      /** With `role`: the signed-in role the permission table refuses. */
      role: z.enum(operatorRoles).exactOptional(),
    })
    .strict(),
]);
export type CommandReply = Immutable<z.infer<typeof commandReplySchema>>;

/**
 * What the request guard (401, 403) or a route (400, 404, 413, 500) answers instead of a reply.
 * `code` is absent from older controllers: the UI then knows a token refusal by its status.
 */
export const httpRefusalSchema = z.object({ error: z.string(), code: z.enum(refusalCodes).exactOptional() }).strict();
export type HttpRefusal = z.infer<typeof httpRefusalSchema>;

export function refused(code: RefusalCode, reason: string): CommandReply {
  return { accepted: false, code, reason };
}

/** A card job's id (the store's job id). */
const jobIdSchema = z.string().regex(/^[\w-]{1,64}$/, 'a job id');

/** A number of blank cards (a box holds a few hundred). */
const blankQuantity = z.number().int().min(0).max(2000);
/** Blanks per transit scheme. */
export const blankCountSchema = z.object({ easycard: blankQuantity, ipass: blankQuantity }).strict();

export const kioskCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start-application') }),
  z.object({ type: z.literal('update-application'), fields: applicationFormSchema.partial().strict() }),
  z.object({ type: z.literal('submit-application') }),
  /** `source`: an imported file (no camera) is graded on its ID-photo crop; default `camera`. */
  z.object({ type: z.literal('capture-photo'), jpegBase64: z.string().min(16).max(maxPhotoBase64), source: z.enum(photoSources).optional() }),
  /** A photo file instead of the camera: only with a reason and a supervisor's approval, like an override (audited). */
  z.object({ type: z.literal('import-photo'), jpegBase64: z.string().min(16).max(maxPhotoBase64), reason: z.string().trim().min(4).max(200) }),
  /** A small live frame for guidance and auto-capture: judged, never counted as an attempt. */
  z.object({ type: z.literal('preview-photo'), jpegBase64: z.string().min(16).max(maxPhotoBase64) }),
  z.object({ type: z.literal('override-photo'), reason: z.string().trim().min(4).max(200) }),
  z.object({ type: z.literal('retake-photo') }),
  /** The review is confirmed: the card joins the print queue and the screen is free for the next applicant. */
  z.object({ type: z.literal('confirm-print') }),
  /** Without `jobId`: make the card face again (review). With it: that card job continues from the step that failed. */
  z.object({ type: z.literal('retry'), jobId: jobIdSchema.optional() }),
  z.object({ type: z.literal('back') }),
  /** Drops the application on the screen (not a card already in the print queue: `cancel-job`). */
  z.object({ type: z.literal('cancel') }),
  /** "Discard this application?" answered yes (the second tap after Cancel) or no. */
  z.object({ type: z.literal('confirm-discard') }),
  z.object({ type: z.literal('keep-application') }),
  /** Back on the photo screen from the review: go on with the photo already accepted. */
  z.object({ type: z.literal('use-photo') }),
  /** Gives up a failed card job: its card, if printed, goes to the reject box and the job is closed. */
  z.object({ type: z.literal('cancel-job'), jobId: jobIdSchema }),
  /** The card of this job was handed over: it leaves the queue. */
  z.object({ type: z.literal('finish'), jobId: jobIdSchema }),
  /** The photo screen's camera went live or stopped (the fill light follows it). */
  z.object({ type: z.literal('camera'), live: z.boolean() }),
  /** The PIN after a staff card was tapped (sign-in, or a supervisor's approval). */
  z.object({ type: z.literal('enter-pin'), pin: z.string().regex(/^\d{4,12}$/, '4 to 12 digits') }),
  z.object({ type: z.literal('cancel-pin') }),
  z.object({ type: z.literal('sign-out') }),
  /** "Stay signed in" during the idle countdown. */
  z.object({ type: z.literal('keep-alive') }),
  /** Closes the details of a card tapped on the counter reader. */
  z.object({ type: z.literal('close-card-check') }),
  /** Voids the card shown by the card check (its number repeated, so a stale screen voids nothing else). */
  z.object({ type: z.literal('void-card'), cardNumber: z.string().regex(/^\d{16}$/, 'a 16-digit card number'), reason: z.enum(voidReasons) }),
  /** A technician, the door shut again, puts the kiosk back in service after a tamper alarm. */
  z.object({ type: z.literal('clear-tamper') }),
  /** A supervisor takes over the unfinished card job of an operator who signed out (audited with both ids). */
  z.object({ type: z.literal('take-over-job'), jobId: jobIdSchema }),
  /** Self-service: the citizen is done looking at their own card ("Done"): the screen clears at once. */
  z.object({ type: z.literal('dismiss-card') }),
  /**
   * A supervisor opens a service session: where, what kind of site, and the blanks loaded from the box
   * per scheme (the ribbon's prints are read from the printer). Every card made belongs to it.
   */
  z.object({ type: z.literal('open-session'), site: z.string().trim().min(2).max(60), mode: z.enum(sessionModes), blanks: blankCountSchema }).strict(),
  /** More blanks of a scheme taken from the box into the session's stock. */
  z.object({ type: z.literal('load-blanks'), scheme: z.enum(transitSchemes), count: blankQuantity.min(1) }).strict(),
  /** Blanks put back in the box, out of the session's stock (handed back to the depot). */
  z.object({ type: z.literal('return-blanks'), scheme: z.enum(transitSchemes), count: blankQuantity.min(1) }).strict(),
  /**
   * A supervisor closes the session with the blanks counted per scheme; a count that differs from the
   * ledger needs a note and is booked as a discrepancy, never absorbed.
   */
  z.object({ type: z.literal('close-session'), counted: blankCountSchema, note: z.string().trim().max(500).exactOptional() }).strict(),
  // Batches (issue 14): nursing-home and pre-registered lists (./batch.ts).
  ...batchCommandSchemas,
  // Self-service top-up (issue 15): ./top-up.ts.
  ...topUpCommandSchemas,
  // The applicant's own window (issue 16): ./applicant.ts.
  ...applicantCommandSchemas,
]);
export type KioskCommand = z.infer<typeof kioskCommandSchema>;

/** Chinese and English always; Vietnamese and Indonesian on the texts an applicant reads. */
export type { ApplicantText, Bilingual } from '../i18n/localized-text';

/**
 * What the controller sends the UI, as zod schemas: the source of truth for the snapshot's shape. The
 * UI parses every push with them (an unreadable one is not shown); the types below are inferred from
 * them. Strict objects: the controller is the only producer, so a field it adds without saying so here
 * fails the contract's tests instead of passing unseen.
 */

/** A controller text in Chinese and English; Vietnamese and Indonesian where an applicant reads it. */
export const bilingualSchema = z
  .object({ zh: z.string(), en: z.string(), vi: z.string().exactOptional(), id: z.string().exactOptional() })
  .strict() satisfies z.ZodType<Bilingual>;
/** A message the controller sends as a code and parameters; the UI words it (shared/contract/messages.ts). */
export { message, messageCodes, messageParams, messageSchema, type Message, type MessageCode } from './messages';

/** A text the applicant reads: all four languages. */
export const applicantTextSchema = z
  .object({ zh: z.string(), en: z.string(), vi: z.string(), id: z.string() })
  .strict() satisfies z.ZodType<ApplicantText>;

const count = z.number().int().nonnegative();

/** The applicant flow's screens; a confirmed card leaves the flow for the print queue (`printQueue`). */
export const screens = ['home', 'application', 'photo', 'review'] as const;
export type Screen = (typeof screens)[number];

export const deviceNames = ['printer', 'scanner', 'nfc', 'board'] as const;
export type DeviceName = (typeof deviceNames)[number];
export const deviceStates = ['connected', 'disconnected', 'fault', 'starting'] as const;
export type DeviceState = (typeof deviceStates)[number];
export const deviceStatusViewSchema = z
  .object({
    state: z.enum(deviceStates),
    simulated: z.boolean(),
    detail: z.string(),
    /** A fault's words for staff (the same as the failed card job's when a job met it); absent when there are none. */
    message: messageSchema.nullable().optional(),
  })
  .strict();
export type DeviceStatusView = Immutable<z.infer<typeof deviceStatusViewSchema>>;

/**
 * The kiosk's own log: written to its file, or (the file failing: disk full, no permission, I/O
 * error) kept in a bounded ring in memory only, oldest lines dropped first. `reason` is the error
 * code (`ENOSPC`, `EACCES`, `EIO`...).
 */
export const logHealthViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('writing') }).strict(),
  z
    .object({ state: z.literal('memory-only'), since: z.string(), reason: z.string(), keptLines: count, droppedLines: count })
    .strict(),
]);
export type LogHealthView = Immutable<z.infer<typeof logHealthViewSchema>>;

/** The eligibility rules' decision, as shown on the application screen (pure data; shared/domain/eligibility). */
export const eligibilityViewSchema = z
  .object({
    /** One entry per card type on offer, in the rules' order. */
    cards: z.array(
      z
        .object({
          type: z.enum(cardTypes),
          eligible: z.boolean(),
          /** `replacement` when the person already holds a card of this type; null when not eligible. */
          action: z.enum(['new', 'replacement']).nullable(),
          /** Every decision explains itself, in all four languages: the applicant reads the reasons too. */
          reasons: z.array(applicantTextSchema),
          /** Welfare points loaded each month (0 when not eligible or none for this type). */
          monthlyPoints: count,
          /** The student card's design by school level; null otherwise. */
          design: z.string().nullable(),
          /** Other types this person could also have or holds, of which only one may be held. */
          exclusiveWith: z.array(z.enum(cardTypes)),
        })
        .strict(),
    ),
    guardianConsentRequired: z.boolean(),
    /** The eligible type the screen preselects (the most benefit; see recommended-card.ts), or null when none is eligible. */
    recommended: z.enum(cardTypes).nullable(),
  })
  .strict();
export type EligibilityView = Immutable<z.infer<typeof eligibilityViewSchema>>;

export const photoCheckViewSchema = z
  .object({
    id: z.string(),
    passed: z.boolean(),
    /** The measured value; null when there is none (NaN travels as null). */
    value: z.number().nullable(),
    threshold: z.string(),
    /** What the check tells the applicant (the advice when it failed). */
    message: messageSchema,
  })
  .strict();
export type PhotoCheckView = Immutable<z.infer<typeof photoCheckViewSchema>>;

/** Who is at the kiosk: signed out (tap a staff card), typing a PIN, or signed in. */
export const sessionViewSchema = z
  .object({
    state: z.enum(['signed-out', 'pin', 'signed-in']),
    operator: z.object({ name: z.string(), role: z.enum(operatorRoles) }).strict().nullable(),
    /** A supervisor's approval is being asked for this action (tap a supervisor card, then PIN). */
    approval: z.object({ action: z.string(), state: z.enum(['waiting-card', 'pin']) }).strict().nullable(),
    /** What went wrong last (wrong PIN with attempts left, locked, not a staff card...). */
    message: messageSchema.nullable(),
    /** Seconds before the idle lock, shown in the last half minute. */
    idleSecondsLeft: count.nullable(),
    /** Whoever is signed in may start an application (the permission table's issue-card): a technician may not. */
    mayStartApplication: z.boolean(),
    /** Whoever is signed in may put the kiosk back in service after a tamper alarm (the door shut): only a technician. */
    mayClearTamper: z.boolean(),
  })
  .strict();
export type SessionView = Immutable<z.infer<typeof sessionViewSchema>>;

/** A citizen card tapped on the counter reader: what its chip says, checked against the kiosk's records. */
export const cardCheckViewSchema = z.discriminatedUnion('verified', [
  z
    .object({
      verified: z.literal(true),
      cardNumber: z.string(),
      cardType: z.string(),
      scheme: z.string(),
      issuedOn: z.string(),
      expiresOn: z.string(),
      balance: z.number().int(),
      /** The kiosk's record of the card; `unknown` when another kiosk issued it. */
      status: z.enum(cardLookupStatuses),
      /** The outcome of the operator's last action on this card (voided, or why not). */
      notice: messageSchema.nullable(),
    })
    .strict(),
  z.object({ verified: z.literal(false), problem: messageSchema }).strict(),
]);
export type CardCheckView = Immutable<z.infer<typeof cardCheckViewSchema>>;

/**
 * `staffed`: an operator signs in and issues cards. `self-service`: unattended; a citizen taps their
 * own card; staff may still sign in to serve.
 */
export const kioskModes = ['staffed', 'self-service'] as const;
export type KioskMode = (typeof kioskModes)[number];

/** Why the unattended kiosk is out of service (the UI words it in every language). */
export const selfServiceClosures = ['board-disconnected', 'tamper', ...cashClosures] as const;
export type SelfServiceClosure = (typeof selfServiceClosures)[number];

/** What a self-service card look-up could not do, as a code the UI words kindly in every language. */
export const selfServiceProblems = ['not-a-citizen-card', 'unreadable', 'several-cards'] as const;
export type SelfServiceProblem = (typeof selfServiceProblems)[number];

/**
 * A citizen's own card as the unattended kiosk shows it: the chip's data and the kiosk's status
 * only. Never a name, an ID number or the whole card number (only its last 4 digits); no balance
 * for a card that is hot-listed or void.
 */
export const selfServiceCardViewSchema = z
  .object({
    last4: z.string().regex(/^\d{4}$/, 'the last 4 digits'),
    cardType: z.string(),
    scheme: z.string(),
    status: z.enum(cardLookupStatuses),
    expiresOn: z.string(),
    /** True once the expiry date has passed. */
    expired: z.boolean(),
    /** NT dollars on the chip; null when the card must not be used (hot-listed or void). */
    balance: z.number().int().nullable(),
    /** The ledger's wallet, points and history (issue 15); null where the kiosk keeps no wallet for the card. */
    wallet: walletCardViewSchema.nullable(),
  })
  .strict();
export type SelfServiceCardView = Immutable<z.infer<typeof selfServiceCardViewSchema>>;

/** The unattended home screen: waiting for a card, a card on show, a kind problem, or out of service. */
export const selfServiceViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready') }).strict(),
  z.object({ state: z.literal('reading') }).strict(),
  z
    .object({
      state: z.literal('card'),
      card: selfServiceCardViewSchema,
      /** How long it stays on show unless the card is taken away first. */
      showSeconds: count,
    })
    .strict(),
  z.object({ state: z.literal('problem'), problem: z.enum(selfServiceProblems) }).strict(),
  z.object({ state: z.literal('top-up'), topUp: topUpViewSchema }).strict(),
  z.object({ state: z.literal('top-up-done'), done: topUpDoneViewSchema, showSeconds: count }).strict(),
  z
    .object({
      state: z.literal('out-of-service'),
      reason: z.enum(selfServiceClosures),
      /** What happened to the money of the person at the kiosk when it closed (absent: none was in play). */
      money: moneyNoticeSchema.exactOptional(),
    })
    .strict(),
]);
export type SelfServiceView = Immutable<z.infer<typeof selfServiceViewSchema>>;

/** A replacement's new photo against the one on file; `unavailable` when no comparison could be made, and why. */
export const faceMatchViewSchema = z.union([
  z
    .object({ verdict: z.enum(['match', 'mismatch']), match: z.boolean(), distance: z.number(), threshold: z.number() })
    .strict(),
  z
    .object({ verdict: z.literal('unavailable'), match: z.literal(false), threshold: z.number(), reason: messageSchema })
    .strict(),
]);
export type FaceMatchView = Immutable<z.infer<typeof faceMatchViewSchema>>;

export const issuingSteps = ['rendering', 'printing', 'encoding', 'verifying', 'committing'] as const;
export type IssuingStep = (typeof issuingSteps)[number];

/** A failed step: its kind, what the operator can do about it, and whether trying it again can help. */
export const stepErrorViewSchema = z.object({ kind: z.string(), message: messageSchema, canRetry: z.boolean() }).strict();
export type StepErrorView = Immutable<z.infer<typeof stepErrorViewSchema>>;

/**
 * Where a card job stands. `ready`: the card is at the printer's exit ("take your card"); `failed`: a
 * step failed and the queue waits for the job's operator; `parked`: failed while its operator is away
 * (only they, or a supervisor taking it over, may continue it); `closing`: being cancelled.
 */
export const jobStages = ['queued', 'printing', 'encoding', 'committing', 'ejecting', 'ready', 'failed', 'parked', 'closing'] as const;
export type JobStage = (typeof jobStages)[number];

/**
 * One card job as the queue shows it. Whoever may not see the applicant (another operator's job, a
 * technician) gets its ticket and stage only: `initials`, `cardNumber` and `uid` are null then.
 */
export const jobViewSchema = z
  .object({
    jobId: z.string(),
    /** Its number in the queue since the kiosk started (1, 2, 3 …): what the operator calls out. */
    ticket: count,
    initials: z.string().nullable(),
    stage: z.enum(jobStages),
    /** Steps done (printing, encoding, committing): a retry continues after them. */
    completed: z.array(z.enum(issuingSteps)),
    /** How long the job has been at its stage, when the snapshot was made. */
    stageSeconds: count,
    cardType: z.string(),
    cardNumber: z.string().nullable(),
    uid: z.string().nullable(),
    error: stepErrorViewSchema.nullable(),
    /** The signed-in operator's own job (they may retry, cancel or hand it over). */
    mine: z.boolean(),
    /** A parked job the signed-in supervisor may take over. */
    mayTakeOver: z.boolean(),
    /** Its steps at the printer and the encoder, how far it is and the seconds left (issue 16). */
    progress: jobProgressSchema,
    /** The issued card for the done view; null until its chip is written, and for whoever may not see the applicant. */
    summary: jobSummarySchema.nullable(),
  })
  .strict();
export type JobView = Immutable<z.infer<typeof jobViewSchema>>;

/** The print queue: its jobs, and whether it waits on a failed job (whose card is still in the printer). */
export const printQueueViewSchema = z.object({ paused: z.boolean(), jobs: z.array(jobViewSchema) }).strict();
export type PrintQueueView = Immutable<z.infer<typeof printQueueViewSchema>>;

/** One scheme's blanks in the open session: the ledger's lines, what the queue has promised, and what is free. */
export const schemeStockViewSchema = z
  .object({
    loaded: count,
    issued: count,
    spoiled: count,
    returned: count,
    /** What should be in the feeder and the box now (the ledger says). */
    inHand: z.number().int(),
    /** Cards of this scheme in the print queue, not yet printed. */
    queued: count,
    /** In hand and not promised to a queued card: what the next applicants can have. */
    free: z.number().int(),
  })
  .strict();
export type SchemeStockView = Immutable<z.infer<typeof schemeStockViewSchema>>;

/** What the screen warns of before the next applicant (the UI words it, with the scheme's name). */
export const stockWarningSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('blanks-low'), scheme: z.enum(transitSchemes), free: z.number().int() }).strict(),
  z.object({ kind: z.literal('blanks-out'), scheme: z.enum(transitSchemes) }).strict(),
  z.object({ kind: z.literal('ribbon-low'), cardsLeft: z.number().int() }).strict(),
  z.object({ kind: z.literal('ribbon-out') }).strict(),
]);
export type StockWarningView = Immutable<z.infer<typeof stockWarningSchema>>;

/** The open service session: where, since when, its stock and the ribbon, and what will run out. */
export const serviceSessionViewSchema = z
  .object({
    id: z.string(),
    site: z.string(),
    mode: z.enum(sessionModes),
    /** ISO time. */
    openedAt: z.string(),
    stock: z.object({ easycard: schemeStockViewSchema, ipass: schemeStockViewSchema }).strict(),
    /** The printer's prints left on its ribbon (null when it has not said), and whole cards after the queued ones. */
    ribbon: z.object({ printsLeft: count.nullable(), cardsFree: z.number().int().nullable() }).strict(),
    warnings: z.array(stockWarningSchema),
  })
  .strict();
export type ServiceSessionView = Immutable<z.infer<typeof serviceSessionViewSchema>>;

/** The `error.kind` of a card step refused or failed because the data disk is full: the UI words it in every language. */
export const diskFullErrorKind = 'disk_full';

export const kioskSnapshotSchema = z
  .object({
    screen: z.enum(screens),
    mode: z.enum(kioskModes),
    /**
     * Self-service mode with nobody signed in: the unattended home. Null otherwise (staffed mode, or
     * staff signed in), and then the rest of the snapshot is the staffed one. While it is set the
     * snapshot carries nobody's application, photo, result or card check.
     */
    selfService: selfServiceViewSchema.nullable(),
    session: sessionViewSchema,
    /** Why the kiosk takes no new applications (the enclosure was opened), or null. */
    outOfService: messageSchema.nullable(),
    /** The card last tapped on the counter reader by a signed-in operator, until closed. */
    cardCheck: cardCheckViewSchema.nullable(),
    /** Bumped on every change, so the UI can ignore stale pushes. */
    version: count,
    application: z
      .object({
        form: applicationFormSchema.strict(),
        source: z.enum(['manual', 'scanner']),
        /** The fields as the scanner read them, not corrected since (shown read-only until tapped). */
        scannedFields: z.array(applicationFormSchema.keyof()),
        /** Cancel was tapped after a scan or a photo: "discard this application?" waits for its answer. */
        confirmingDiscard: z.boolean(),
        documentProblems: z.array(messageSchema),
        eligibility: eligibilityViewSchema.nullable(),
        problems: z.array(messageSchema),
        fee: count,
      })
      .strict(),
    photo: z
      .object({
        attempts: count,
        maxAttempts: count,
        evaluating: z.boolean(),
        checks: z.array(photoCheckViewSchema),
        passed: z.boolean().nullable(),
        overrideAllowed: z.boolean(),
        /** A photo accepted before (back from the review) that `use-photo` goes on with. */
        accepted: z.boolean(),
        /** A replacement's photo against the one on file: a mismatch asks the operator to check the person. */
        faceMatch: faceMatchViewSchema.nullable(),
        /** The gate's verdict on the latest live frame (guidance, auto-capture), or null. */
        live: z.object({ passed: z.boolean(), checks: z.array(photoCheckViewSchema) }).strict().nullable(),
      })
      .strict(),
    /** URL (under /api/) of the card face preview, once rendered. */
    previewUrl: z.string().startsWith('api/').nullable(),
    /** The review's card face is being made. */
    rendering: z.boolean(),
    /** Why the photo could not be judged or the card face not made (the flow's own steps), or null. */
    error: stepErrorViewSchema.nullable(),
    /** Every card confirmed and not yet handed over or spoiled, in order of confirmation. */
    printQueue: printQueueViewSchema,
    /** The open service session (stock, ribbon, warnings); null when none is open: no card is made then. */
    serviceSession: serviceSessionViewSchema.nullable(),
    /** Nursing-home and pre-registered batches (to signed-in staff who may see applicants; null otherwise). */
    batch: batchSnapshotSchema.nullable(),
    devices: z
      .object({
        printer: deviceStatusViewSchema,
        scanner: deviceStatusViewSchema,
        nfc: deviceStatusViewSchema,
        board: deviceStatusViewSchema,
      })
      .strict() satisfies z.ZodType<Record<DeviceName, unknown>>,
    /** Whether the log reaches its file (staff screens say so when it does not). */
    logging: logHealthViewSchema,
    /** What the applicant's own window shows (./applicant.ts); null when nobody may see an applicant here. */
    applicant: applicantViewSchema.nullable(),
  })
  .strict();
export type KioskSnapshot = Immutable<z.infer<typeof kioskSnapshotSchema>>;

/** The printer's mechanical steps a dev-panel fault can be timed to (the simulator's `SimulatorStep`). */
export const printerFaultSteps = ['insert', 'print-front', 'print-back', 'park', 'eject', 'reject'] as const;
export type PrinterFaultStep = (typeof printerFaultSteps)[number];
/** Taiwan notes a person can put into the cash device from the dev panel. */
export const noteValues = [100, 200, 500, 1000, 2000] as const;
/** What the dev panel can do to the simulated bill validator (its simulator's `ValidatorFault`s). */
export const validatorFaults = [
  'jam-unsafe',
  'jam-safe',
  'jam-stacker',
  'clear-jam',
  'stacker-removed',
  'stacker-inserted',
  'stacker-full',
  'fraud-opto',
  'fraud-string',
  'power-loss',
  'garbage',
] as const;
export type ValidatorFaultName = (typeof validatorFaults)[number];
/** The simulated devices on a serial cable that the dev panel can unplug and plug back. */
export const cabledDevices = ['printer', 'scanner', 'board', 'billValidator'] as const;
export type CabledDevice = (typeof cabledDevices)[number];

/** What the dev panel shows of the simulated world (GET /api/dev): what a person at the kiosk could see. */
export const devWorldStateSchema = z
  .object({
    printer: z
      .object({
        cardsInFeeder: count,
        ribbonPrintsLeft: count,
        cover: z.string(),
        card: z.string(),
        powered: z.boolean(),
        cardsPrinted: count,
        cardsInOutput: count,
      })
      .strict()
      .nullable(),
    counterReader: z.enum(['empty', 'card']),
    encoder: z.enum(['empty', 'card']),
    cardsIssued: count,
    /** The simulated ccTalk bill validator (null: not simulated): what a technician opening it would see. */
    validator: z
      .object({
        powered: z.boolean(),
        masterInhibit: z.boolean(),
        /** The value of the note held in escrow, null when none. */
        escrow: z.number().int().nullable(),
        stacker: z.enum(['in', 'removed', 'full']),
        jam: z.enum(['unsafe', 'safe', 'stacker']).nullable(),
        counter: count,
        /** Notes in the cash box by value, e.g. { "500": 2 }. */
        stackerNotes: z.record(z.string(), count),
      })
      .strict()
      .nullable(),
    /** Whether each simulated serial device's cable is plugged in (absent: not simulated). */
    cables: z
      .object({
        printer: z.boolean().exactOptional(),
        scanner: z.boolean().exactOptional(),
        board: z.boolean().exactOptional(),
        billValidator: z.boolean().exactOptional(),
      })
      .strict() satisfies z.ZodType<Partial<Record<CabledDevice, boolean>>>,
  })
  .strict();
export type DevWorldState = Immutable<z.infer<typeof devWorldStateSchema>>;

/** Faults of the citizen card on the counter reader (dev `card-fault`), for the wallet mirror write. */
export const cardFaults = ['lift-before-wallet-write', 'tear-wallet-write'] as const;
export type CardFault = (typeof cardFaults)[number];
/** What can happen to the simulated receipt printer (a new roll is `paper-loaded`). */
export const receiptPrinterFaults = ['paper-out', 'paper-near-end', 'paper-loaded', 'cover-open', 'cover-close', 'cutter-jam', 'clear-error'] as const;

/** Dev panel (simulated devices only): what a person can do to the simulated world. */
export const devCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('feed-document'), fixture: z.string().max(60) }),
  z.object({ type: z.literal('feed-taiwan-id'), idNumber: z.string().max(12) }),
  /** `citizen`: the card this kiosk issued last (`first-citizen`: its first); `demo-*`: the demo citizens' cards seeded in a fully simulated kiosk. */
  z.object({
    type: z.literal('place-card'),
    kind: z.enum(['staff', 'supervisor', 'technician', 'citizen', 'first-citizen', 'blank', 'phone', 'demo-senior', 'demo-disability', 'demo-general', 'demo-hot-listed']),
  }),
  z.object({ type: z.literal('remove-card') }),
  /**
   * `atStep` times `jam`, `cover-open` and `power-loss` to a step of the next job (a jam without one
   * happens at `print-front`; the other two without one happen now).
   */
  z.object({ type: z.literal('printer-fault'), fault: z.string().max(40), atStep: z.enum(printerFaultSteps).optional() }),
  /**
   * The next blank to reach the encoder has a defective chip: its writes do not hold (each block reads
   * back with a wrong byte), so the kiosk's verification fails and the card is spoiled.
   */
  z.object({ type: z.literal('chip-fault') }),
  /**
   * The citizen card on the counter reader (or, when none is there, the next card laid there):
   * `lift-before-wallet-write` — the card is lifted as the kiosk sends its next wallet write (nothing
   * lands); `tear-wallet-write` — that write tears (balance and counter new, the wallet MAC old) and the
   * card is lifted. Once: the card laid down again has no fault.
   */
  z.object({ type: z.literal('card-fault'), fault: z.enum(cardFaults) }),
  /** Pulls a device's serial cable out (`plugged: false`) or plugs it back in. */
  z.object({ type: z.literal('cable'), device: z.enum(cabledDevices), plugged: z.boolean() }),
  /**
   * A note into the cash device: the ccTalk validator when it is the kiosk's cash device (every Taiwan
   * note; `counterfeit` is refused by it), else the I/O board's pulse acceptor (100, 500, 1000).
   */
  z.object({ type: z.literal('insert-note'), amount: z.union(noteValues.map((value) => z.literal(value))), counterfeit: z.boolean().optional() }),
  /** A fault of the simulated bill validator (hardware/bill-validator/README.md). */
  z.object({ type: z.literal('validator-fault'), fault: z.enum(validatorFaults) }),
  z.object({ type: z.literal('door'), open: z.boolean() }),
  z.object({ type: z.literal('receipt-printer-fault'), fault: z.enum(receiptPrinterFaults) }),
]);
export type DevCommand = z.infer<typeof devCommandSchema>;
