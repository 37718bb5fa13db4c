import { z } from 'zod';
import { cardTypes, schoolLevels, transitSchemes } from '../domain/card-types';
import type { CardLookupStatus } from '../domain/card-status';
import type { EligibilityDecision } from '../domain/eligibility';
import type { Bilingual } from '../i18n/localized-text';

/**
 * The contract between the kiosk UI and the controller: commands the UI may send (validated with
 * zod by the controller, never trusted) and the flat snapshot the controller pushes back.
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
  'other',
] as const;
export type RefusalCode = (typeof refusalCodes)[number];

export type CommandReply =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly code: RefusalCode; readonly reason: string; readonly role?: OperatorRole };

export function refused(code: RefusalCode, reason: string): CommandReply {
  return { accepted: false, code, reason };
}

export const kioskCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start-application') }),
  z.object({ type: z.literal('update-application'), fields: applicationFormSchema.partial().strict() }),
  z.object({ type: z.literal('submit-application') }),
  /** `source`: an imported file (no camera) is graded on its ID-photo crop; default `camera`. */
  z.object({ type: z.literal('capture-photo'), jpegBase64: z.string().min(16).max(maxPhotoBase64), source: z.enum(photoSources).optional() }),
  /** A small live frame for guidance and auto-capture: judged, never counted as an attempt. */
  z.object({ type: z.literal('preview-photo'), jpegBase64: z.string().min(16).max(maxPhotoBase64) }),
  z.object({ type: z.literal('override-photo'), reason: z.string().trim().min(4).max(200) }),
  z.object({ type: z.literal('retake-photo') }),
  z.object({ type: z.literal('confirm-print') }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('back') }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('finish') }),
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
  z.object({ type: z.literal('take-over-job') }),
  /** Self-service: the citizen is done looking at their own card ("Done"): the screen clears at once. */
  z.object({ type: z.literal('dismiss-card') }),
]);
export type KioskCommand = z.infer<typeof kioskCommandSchema>;

/** Chinese and English always; Vietnamese and Indonesian on the texts an applicant reads. */
export type { ApplicantText, Bilingual } from '../i18n/localized-text';

export type Screen = 'home' | 'application' | 'photo' | 'review' | 'issuing' | 'done' | 'failed';

export type DeviceName = 'printer' | 'scanner' | 'nfc' | 'board';
export type DeviceState = 'connected' | 'disconnected' | 'fault' | 'starting';
export interface DeviceStatusView {
  readonly state: DeviceState;
  readonly simulated: boolean;
  readonly detail: string;
}

/**
 * The kiosk's own log: written to its file, or (the file failing: disk full, no permission, I/O
 * error) kept in a bounded ring in memory only, oldest lines dropped first. `reason` is the error
 * code (`ENOSPC`, `EACCES`, `EIO`...).
 */
export type LogHealthView =
  | { readonly state: 'writing' }
  | { readonly state: 'memory-only'; readonly since: string; readonly reason: string; readonly keptLines: number; readonly droppedLines: number };

/** The eligibility rules' decision, as shown on the application screen (pure data). */
export type EligibilityView = EligibilityDecision;

export interface PhotoCheckView {
  readonly id: string;
  readonly passed: boolean;
  readonly value: number | null;
  readonly threshold: string;
  readonly message: Bilingual;
}

/** Who is at the kiosk: signed out (tap a staff card), typing a PIN, or signed in. */
export interface SessionView {
  readonly state: 'signed-out' | 'pin' | 'signed-in';
  readonly operator: { readonly name: string; readonly role: OperatorRole } | null;
  /** A supervisor's approval is being asked for this action (tap a supervisor card, then PIN). */
  readonly approval: { readonly action: string; readonly state: 'waiting-card' | 'pin' } | null;
  /** What went wrong last (wrong PIN with attempts left, locked, not a staff card...). */
  readonly message: Bilingual | null;
  /** Seconds before the idle lock, shown in the last half minute. */
  readonly idleSecondsLeft: number | null;
  /** Whoever is signed in may start an application (the permission table's issue-card): a technician may not. */
  readonly mayStartApplication: boolean;
}

/** A citizen card tapped on the counter reader: what its chip says, checked against the kiosk's records. */
export type CardCheckView =
  | {
      readonly verified: true;
      readonly cardNumber: string;
      readonly cardType: string;
      readonly scheme: string;
      readonly issuedOn: string;
      readonly expiresOn: string;
      readonly balance: number;
      /** The kiosk's record of the card; `unknown` when another kiosk issued it. */
      readonly status: CardLookupStatus;
      /** The outcome of the operator's last action on this card (voided, or why not). */
      readonly notice: Bilingual | null;
    }
  | { readonly verified: false; readonly problem: Bilingual };

/**
 * `staffed`: an operator signs in and issues cards. `self-service`: unattended; a citizen taps their
 * own card; staff may still sign in to serve.
 */
export type KioskMode = 'staffed' | 'self-service';

/** Why the unattended kiosk is out of service (the UI words it in every language). */
export type SelfServiceClosure = 'board-disconnected' | 'tamper';

/** What a self-service card look-up could not do, as a code the UI words kindly in every language. */
export type SelfServiceProblem = 'not-a-citizen-card' | 'unreadable' | 'several-cards';

/**
 * A citizen's own card as the unattended kiosk shows it: the chip's data and the kiosk's status
 * only. Never a name, an ID number or the whole card number (only its last 4 digits); no balance
 * for a card that is hot-listed or void.
 */
export interface SelfServiceCardView {
  readonly last4: string;
  readonly cardType: string;
  readonly scheme: string;
  readonly status: CardLookupStatus;
  readonly expiresOn: string;
  /** True once the expiry date has passed. */
  readonly expired: boolean;
  /** NT dollars on the chip; null when the card must not be used (hot-listed or void). */
  readonly balance: number | null;
}

/** The unattended home screen: waiting for a card, a card on show, a kind problem, or out of service. */
export type SelfServiceView =
  | { readonly state: 'ready' }
  | { readonly state: 'reading' }
  /** `showSeconds`: how long it stays on show unless the card is taken away first. */
  | { readonly state: 'card'; readonly card: SelfServiceCardView; readonly showSeconds: number }
  | { readonly state: 'problem'; readonly problem: SelfServiceProblem }
  | { readonly state: 'out-of-service'; readonly reason: SelfServiceClosure };

/** A replacement's new photo against the one on file; `unavailable` when no comparison could be made, and why. */
export type FaceMatchView =
  | { readonly verdict: 'match' | 'mismatch'; readonly match: boolean; readonly distance: number; readonly threshold: number }
  | { readonly verdict: 'unavailable'; readonly match: false; readonly threshold: number; readonly reason: Bilingual };

export type IssuingStep = 'rendering' | 'printing' | 'encoding' | 'verifying' | 'committing';

/** The `error.kind` of a card step refused or failed because the data disk is full: the UI words it in every language. */
export const diskFullErrorKind = 'disk_full';

export interface KioskSnapshot {
  readonly screen: Screen;
  readonly mode: KioskMode;
  /**
   * Self-service mode with nobody signed in: the unattended home. Null otherwise (staffed mode, or
   * staff signed in), and then the rest of the snapshot is the staffed one. While it is set the
   * snapshot carries nobody's application, photo, result or card check.
   */
  readonly selfService: SelfServiceView | null;
  readonly session: SessionView;
  /** Why the kiosk takes no new applications (the enclosure was opened), or null. */
  readonly outOfService: Bilingual | null;
  /** The card last tapped on the counter reader by a signed-in operator, until closed. */
  readonly cardCheck: CardCheckView | null;
  /** Bumped on every change, so the UI can ignore stale pushes. */
  readonly version: number;
  readonly application: {
    readonly form: ApplicationForm;
    readonly source: 'manual' | 'scanner';
    readonly documentProblems: readonly Bilingual[];
    readonly eligibility: EligibilityView | null;
    readonly problems: readonly Bilingual[];
    readonly fee: number;
  };
  readonly photo: {
    readonly attempts: number;
    readonly maxAttempts: number;
    readonly evaluating: boolean;
    readonly checks: readonly PhotoCheckView[];
    readonly passed: boolean | null;
    readonly overrideAllowed: boolean;
    /** A replacement's photo against the one on file: a mismatch asks the operator to check the person. */
    readonly faceMatch: FaceMatchView | null;
    /** The gate's verdict on the latest live frame (guidance, auto-capture), or null. */
    readonly live: { readonly passed: boolean; readonly checks: readonly PhotoCheckView[] } | null;
  };
  /** URL (under /api/) of the card face preview, once rendered. */
  readonly previewUrl: string | null;
  readonly issuing: { readonly step: IssuingStep; readonly completed: readonly IssuingStep[] } | null;
  readonly result: { readonly cardNumber: string; readonly cardType: string; readonly uid: string } | null;
  readonly error: { readonly kind: string; readonly message: Bilingual; readonly canRetry: boolean } | null;
  readonly devices: Readonly<Record<DeviceName, DeviceStatusView>>;
  /**
   * A card job that failed and waits for the operator who started it (they signed out or were locked
   * out): only they, or a supervisor taking it over, may finish or cancel it. Nothing of the applicant.
   */
  readonly parkedJob: { readonly failedStep: IssuingStep | null; readonly mayTakeOver: boolean } | null;
  /** Whether the log reaches its file (staff screens say so when it does not). */
  readonly logging: LogHealthView;
}

/** The printer's mechanical steps a dev-panel fault can be timed to (the simulator's `SimulatorStep`). */
export const printerFaultSteps = ['insert', 'print-front', 'print-back', 'park', 'eject', 'reject'] as const;
export type PrinterFaultStep = (typeof printerFaultSteps)[number];
/** The simulated devices on a serial cable that the dev panel can unplug and plug back. */
export const cabledDevices = ['printer', 'scanner', 'board'] as const;
export type CabledDevice = (typeof cabledDevices)[number];

/** Dev panel (simulated devices only): what a person can do to the simulated world. */
export const devCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('feed-document'), fixture: z.string().max(60) }),
  z.object({ type: z.literal('feed-taiwan-id'), idNumber: z.string().max(12) }),
  z.object({ type: z.literal('place-card'), kind: z.enum(['staff', 'supervisor', 'technician', 'citizen', 'first-citizen', 'blank', 'phone']) }),
  z.object({ type: z.literal('remove-card') }),
  /**
   * `atStep` times `jam`, `cover-open` and `power-loss` to a step of the next job (a jam without one
   * happens at `print-front`; the other two without one happen now).
   */
  z.object({ type: z.literal('printer-fault'), fault: z.string().max(40), atStep: z.enum(printerFaultSteps).optional() }),
  /** Pulls a device's serial cable out (`plugged: false`) or plugs it back in. */
  z.object({ type: z.literal('cable'), device: z.enum(cabledDevices), plugged: z.boolean() }),
  z.object({ type: z.literal('insert-note'), amount: z.union([z.literal(100), z.literal(500), z.literal(1000)]) }),
  z.object({ type: z.literal('door'), open: z.boolean() }),
]);
export type DevCommand = z.infer<typeof devCommandSchema>;
