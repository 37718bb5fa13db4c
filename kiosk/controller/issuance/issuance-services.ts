import { fromPromise } from 'xstate';
import { deriveChipKeys, holderIdHash } from '../../../hardware/card-record/keys';
import { formatVersion, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import { nextCard } from '../../../hardware/nfc/next-card';
import type { CardTap } from '../../../hardware/nfc/types';
import type { CitizenCardStation } from '../../../hardware/card-record/types';
import type { CardPrinter, PrinterError, PrinterStep, PrintJob } from '../../../hardware/printer/types';
import { isoDay, type Clock } from '../../../shared/clock';
import type { ApplicationForm, PhotoCheckView, PhotoSource } from '../../../shared/contract/kiosk-api';
import { message, type Message } from '../../../shared/contract/messages';
import { assertNever } from '../../../shared/result';
import type { CardType } from '../../../shared/domain/card-types';
import { cardExpiryText } from '../../../shared/domain/card-validity';
import type { CityRules } from '../../../shared/domain/rules';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import type { LogSink } from '../../../shared/log';
import { photoBox } from '../card-face/layout';
import { renderCardFace } from '../card-face/render-card-face';
import { compareFaces, cropToCardAndArchive, defaultMatchThreshold, evaluateCapture, photoMessages, toCheckView, type FaceCompareError, type PhotoGate } from '../photo';
import { diskLowReason, type DiskReserve } from '../store/disk-space';
import type { Store } from '../store/store';
import { assessApplication, recentHandOverMs } from './assess-application';
import { nfcFailure, printerFailure } from './device-messages';
import type { HandOverWatch } from './hand-over-watch';
import { diskFullStepError, IssuanceStepError } from './issuance-errors';
import { NoOpenSession } from '../store/jobs';
import { cardJobMachine, type EncodedCard } from './card-job-machine';
import type { issuanceMachine } from './issuance-machine';
import type { Assessment, CardPreview, FaceMatch, IssuanceJob, ParkedJobData, PhotoVerdict, ResumedJob } from './issuance-types';
import type { JobProgressTracker } from './job-progress';
import { parkedJobFromJson, parkedJobToJson } from './parked-job';
import { cardMayExist } from './recover-interrupted-jobs';
import type { ReceiptFields } from '../../../shared/contract/receipt';
import type { FeeReceiptPrint } from '../receipt/fee-receipt-print';
import type { FeeReceipt, FeeWallet } from './issuance-types';
import { crashPoint } from '../crash-points';

/**
 * The issuance machine's actors over the real drivers, the store and the photo gate. Every step
 * is journaled in the store before and after it runs, so that a crash leaves a job that says
 * exactly how far the card got (and a card is never printed or recorded twice).
 */
export interface IssuanceDevices {
  readonly printer: CardPrinter;
  /** The contactless encoder at the printer's station. */
  readonly encoder: CitizenCardStation;
  readonly store: Store;
  readonly photoGate: PhotoGate;
  readonly rules: CityRules;
  readonly clock: Clock;
  readonly chipMasterKey: Uint8Array;
  readonly kioskId: string;
  readonly log: LogSink;
  /** The signed-in operator, recorded with every journal step and the issuance. */
  readonly operatorId?: () => string | null;
  /** Called when a card is handed over, e.g. to sound the "take your card" buzzer. */
  readonly onHandOver?: () => void;
  /** Told when a card reached the exit slot, to journal `taken` once the slot is empty. */
  readonly handOver?: Pick<HandOverWatch, 'cardEjected'>;
  /** How long to wait for the printed card to show up at the encoder. */
  readonly cardArrivalTimeoutMs?: number;
  /** Free space kept for the store: a job is begun and sent to the printer only while it is there. */
  readonly diskReserve?: DiskReserve;
  /** The open service session's id, as the session region knows it (the store's open session otherwise). */
  readonly serviceSessionId?: () => string | null;
  /** Told each step of a card job as its device reports it, for the queue's progress (issue 16). */
  readonly progress?: Pick<JobProgressTracker, 'printing' | 'begin' | 'done' | 'failed'>;
  /** The card jobs' named delays (their defaults otherwise). */
  readonly jobDelays?: { readonly handOverTimeout: number };
  /**
   * Signs a paid fee's receipt (kiosk/controller/receipt/receipt-signer.ts) and prints it where a receipt
   * printer exists (never throws, never waits for the paper). Without it a paid fee has no receipt.
   */
  readonly feeReceipts?: FeeReceipts;
}

export interface FeeReceipts {
  sign(fields: ReceiptFields): string;
  /** Prints it in the background where `devices.receiptPrinter` exists; the paper's fate is logged. */
  print?(receipt: FeeReceiptPrint): void;
}

const defaultCardArrivalTimeoutMs = 5_000;

export function issuanceActors(devices: IssuanceDevices): NonNullable<Parameters<typeof issuanceMachine.provide>[0]['actors']> {
  const { abandonJob, parkJob, resumeJob, printCard, reprintCard, encodeCard, commitIssuance, feeReceipt, ejectCard, journalQueued, ...flow } = issuanceSteps(devices);
  return {
    ...flow,
    abandonJob,
    cardJob: cardJobMachine.provide({
      actors: { abandonJob, parkJob, resumeJob, printCard, reprintCard, encodeCard, commitIssuance, feeReceipt, ejectCard, journalQueued },
      ...(devices.jobDelays ? { delays: devices.jobDelays } : {}),
    }),
  };
}

/** A print that ended in these left the card as the printer had it when it fell silent or away: half printed, perhaps. */
const stateUnknownAfter: ReadonlySet<PrinterError['kind']> = new Set(['timeout', 'disconnected', 'closed']);

/** Every step of the flow and of a card job, over the devices and the store (each one alone, for tests of a step). */
export function issuanceSteps(devices: IssuanceDevices) {
  const { store, printer, encoder, clock } = devices;
  const today = (): string => isoDay(clock);
  const { progress } = devices;
  /** The printer's own step reports while one of its commands for a job runs (a printer without them reports none). */
  const onPrinterStep = (listener: (step: PrinterStep) => void): (() => void) =>
    progress && typeof printer.on === 'function' ? printer.on('step', listener) : () => undefined;
  /** Parking is the end of the last side: the encoder's step starts there. */
  const reportPrinterStep = (jobId: string, step: PrinterStep): void => {
    if (step !== 'park') progress?.done(jobId, step);
  };
  const operatorId = (): string | null => devices.operatorId?.() ?? null;
  const journal = async (jobId: string, step: Parameters<Store['markJobStep']>[1], options: Parameters<Store['markJobStep']>[2] = {}) => {
    const marked = await store.markJobStep(jobId, step, options);
    if (!marked.ok) throw new IssuanceStepError(`journal_${marked.error.kind}`, message('step.journal-refused'), false);
  };
  /** Refuses the step while the data disk is below its reserve: nothing irreversible has happened yet. */
  const ensureDiskReserve = async (): Promise<void> => {
    const space = await devices.diskReserve?.check();
    if (space && !space.ok) throw diskFullStepError(diskLowReason(space.error));
  };

  /**
   * A replacement's new photo against the photo kept from the person's previous card of that type;
   * null only when there is no photo on file. A comparison that cannot be made says why.
   */
  const compareWithPhotoOnFile = async (photo: Buffer, form: ApplicationForm): Promise<FaceMatch | null> => {
    if (!form.cardType) return null;
    const onFile = await store.photoOnFile(checkTaiwanId(form.idNumber).id, form.cardType);
    if (!onFile) return null;
    const compared = await compareFaces(photo, onFile, { config: devices.photoGate.config });
    if (!compared.ok) {
      devices.log({ eventId: 'issuance-face-compared', disposition: 'failure', message: `replacement photo could not be compared: ${compared.error.kind} in the ${compared.error.image === 'a' ? 'new photo' : 'photo on file'}` });
      return { verdict: 'unavailable', match: false, distance: Number.NaN, threshold: defaultMatchThreshold, reason: faceCompareProblem(compared.error) };
    }
    devices.log({
      eventId: 'issuance-face-compared',
      disposition: compared.value.match ? 'success' : 'failure',
      message: `replacement photo ${compared.value.match ? 'matches' : 'does NOT match'} the photo on file`,
      distance: Math.round(compared.value.distance * 1000) / 1000,
    });
    return { verdict: compared.value.match ? 'match' : 'mismatch', match: compared.value.match, distance: compared.value.distance, threshold: compared.value.threshold };
  };

  /** Jobs whose last print failed, and how: only their retry asks the printer whether their card is still inside. */
  const failedPrints = new Map<string, PrinterError['kind']>();
  const cardInPrinter = async (): Promise<'present' | 'none' | 'unknown'> => {
    const status = await printer.status();
    if (!status.ok || status.value.card === 'unknown') return 'unknown';
    return status.value.card === 'none' ? 'none' : 'present';
  };

  /**
   * A print that failed with the printer silent or away (its power cut, its cable pulled) left the card
   * in an unknown state: half printed, perhaps. Found inside now, it is the job's blank: booked to the
   * job, sent to the reject box and spoiled for that failure, so that the job prints on a new blank.
   * True when it was rejected. (A jam or an open cover is reported before the card moves on: that card
   * is still blank and is used.)
   */
  const rejectCutOffCard = async (jobId: string): Promise<boolean> => {
    const failure = failedPrints.get(jobId);
    if (failure === undefined || !stateUnknownAfter.has(failure) || (await cardInPrinter()) !== 'present') return false;
    const reason = `printer_${failure}`;
    await journal(jobId, 'printing', { disposition: 'failure', reason, blank: 'in-printer' });
    const rejected = await printer.rejectCard();
    if (!rejected.ok) throw printerFailure(rejected.error);
    await journal(jobId, 'printing', { disposition: 'failure', reason, blank: 'not-in-printer' });
    devices.log({ eventId: 'issuance-job-step', disposition: 'failure', message: `the card left in the printer by a ${failure} was sent to the reject box and spoiled; the job prints on a new blank`, jobId });
    return true;
  };

  return {
    assessApplication: fromPromise(async ({ input }: { input: { form: ApplicationForm } }) =>
      assessApplication(input.form, {
        rules: devices.rules,
        today,
        heldCards: (idNumber) => store.heldCards(idNumber),
        cardsBeingHandedOver: (idNumber) => store.cardsBeingHandedOver(idNumber, new Date(clock.now().getTime() - recentHandOverMs).toISOString()),
      }),
    ),

    evaluatePhoto: fromPromise(async ({ input }: { input: { image: Uint8Array; source: PhotoSource; form: ApplicationForm; replacement: boolean } }): Promise<PhotoVerdict> => {
      const { verdict, image } = await evaluateCapture(devices.photoGate, Buffer.from(input.image), input.source);
      // Crops only around exactly one face (a passed photo, or one an operator may accept by exception).
      const crop = verdict.faceCount === 1 && verdict.face ? { face: verdict.face, config: devices.photoGate.config } : null;
      const crops = crop ? await cropToCardAndArchive(image, photoBox, crop) : null;
      const card = crops?.ok ? crops.value.card : null;
      const archive = crops?.ok ? crops.value.archive : null;
      // A photo that passed but could not be cropped must not go on a card without its face.
      const cropped = card !== null && archive !== null;
      const checks: PhotoCheckView[] = verdict.checks.map(toCheckView);
      if (verdict.passed && !cropped) checks.push({ id: 'crop', passed: false, value: null, threshold: 'card and archive crops', message: photoMessages.cropFailed });
      return {
        passed: verdict.passed && cropped,
        checks,
        cardPhoto: card ? new Uint8Array(card) : null,
        archivePhoto: archive ? new Uint8Array(archive) : null,
        // Every usable photo of a replacement is compared, passed or not (an override is no less a new face).
        faceMatch: input.replacement && archive ? await compareWithPhotoOnFile(archive, input.form) : null,
      };
    }),

    /** The replaced card's e-wallet, for a replacement whose fee may be paid from it (null: no fee, no wallet). */
    feeWallet: fromPromise(async ({ input }: { input: { form: ApplicationForm; assessment: Assessment } }): Promise<FeeWallet | null> => {
      if (input.assessment.fee <= 0 || input.assessment.action !== 'replacement' || !input.form.cardType) return null;
      const id = checkTaiwanId(input.form.idNumber);
      if (!id.valid) return null;
      return store.feeWallet(id.id, input.form.cardType);
    }),

    beginJob: fromPromise(async ({ input }: { input: { form: ApplicationForm; batchRowId: string | null } }) => {
      await ensureDiskReserve();
      // Every card belongs to the open service session; the store refuses one that is not open.
      const sessionId = devices.serviceSessionId ? devices.serviceSessionId() : ((await store.sessions.current())?.id ?? null);
      if (sessionId === null) throw noSessionError();
      try {
        return await store.beginIssuanceJob({ sessionId, scheme: input.form.scheme, cardType: cardTypeOf(input.form), operatorId: operatorId(), context: { scheme: input.form.scheme }, batchRowId: input.batchRowId });
      } catch (error) {
        if (error instanceof NoOpenSession) throw noSessionError();
        throw error;
      }
    }),

    renderCard: fromPromise(async ({ input }: { input: { jobId: string; form: ApplicationForm; photo: Uint8Array | null } }): Promise<CardPreview> => {
      const cardType = cardTypeOf(input.form);
      const cardNumber = await store.nextCardNumber(cardType, operatorId());
      await journal(input.jobId, 'card-number-allocated', { context: { cardNumber, scheme: input.form.scheme } });
      return renderFace(input.form, cardNumber, input.photo, today());
    }),

    /** The confirm, journaled for the figures: the counter stage ends and the queue wait begins (kiosk/controller/reports). */
    journalQueued: fromPromise(async ({ input }: { input: { jobId: string; applicationStartedAt: number | null } }) => {
      const startedAt = input.applicationStartedAt === null ? null : new Date(input.applicationStartedAt).toISOString();
      await store.appendAudit({ eventId: 'issuance-job-step', operatorId: operatorId(), disposition: 'na', details: { jobId: input.jobId, step: 'queued', reason: null, applicationStartedAt: startedAt } });
    }),

    parkJob: fromPromise(async ({ input }: { input: { jobId: string; owner: string | null; data: ParkedJobData } }) => {
      const parked = await store.parkJob(input.jobId, parkedJobToJson(input.data), input.owner);
      if (!parked.ok) throw new Error(`the job could not be parked: ${parked.error.kind}`);
    }),

    resumeJob: fromPromise(async ({ input }: { input: { jobId: string; resumedBy: string | null; takenOverFrom: string | null } }): Promise<ResumedJob> => {
      const taken = await store.unparkJob(input.jobId, { operatorId: input.resumedBy, takenOverFrom: input.takenOverFrom });
      if (!taken.ok) throw new IssuanceStepError(`resume_${taken.error.kind}`, message('step.job-not-resumable', { detail: taken.error.kind }), false);
      const data = parkedJobFromJson(taken.value.parked);
      const cardNumber = taken.value.context['cardNumber'];
      if (typeof cardNumber !== 'string') throw new IssuanceStepError('resume_no_card_number', message('step.job-not-resumable', { detail: 'no card number' }), false);
      // The same card number and the same face: the printer is given exactly the card that was confirmed.
      return { ...data, preview: await renderFace(data.form, cardNumber, data.verdict?.cardPhoto ?? null, today()) };
    }),

    /**
     * A card whose chip failed is lost, not its job: the card goes to the reject box, its blank is booked
     * spoiled for the failure, and the job prints again on a new blank (same card number, same face).
     */
    reprintCard: fromPromise(async ({ input }: { input: { jobId: string; failure: string } }) => {
      const rejected = await printer.rejectCard();
      if (!rejected.ok) throw printerFailure(rejected.error);
      await journal(input.jobId, 'encoding', { disposition: 'failure', reason: input.failure, blank: 'not-in-printer' });
    }),

    printCard: fromPromise(async ({ input }: { input: IssuanceJob }) => {
      // Checked again at the printer: the disk may have filled up while the review screen was open.
      await ensureDiskReserve();
      // A card that may be half printed never gets the face printed over it: to the reject box, spoiled.
      if (await rejectCutOffCard(input.jobId)) failedPrints.delete(input.jobId);
      // A retry: the card the failed print left may have been pulled out since (a jam cleared by hand).
      const gone = failedPrints.has(input.jobId) && (await cardInPrinter()) === 'none';
      await journal(input.jobId, 'printing', gone ? { blank: 'not-in-printer' } : {});
      const job = input.preview.job as PrintJob;
      progress?.printing(input.jobId, { doubleSided: job.back !== undefined && job.back !== null });
      const stopReports = onPrinterStep((step) => reportPrinterStep(input.jobId, step));
      const printed = await printer.printCard(job).finally(stopReports);
      if (!printed.ok) {
        progress?.failed(input.jobId);
        failedPrints.set(input.jobId, printed.error.kind);
        // A card left inside (picked before the fault) is the job's blank until it is issued or spoiled.
        const held = (await cardInPrinter()) === 'present';
        await journal(input.jobId, 'printing', { disposition: 'failure', reason: printed.error.kind, ...(held ? { blank: 'in-printer' as const } : {}) });
        throw printerFailure(printed.error);
      }
      failedPrints.delete(input.jobId);
      await journal(input.jobId, 'printed', { blank: 'in-printer' });
    }),

    encodeCard: fromPromise(async ({ input }: { input: IssuanceJob }): Promise<EncodedCard> => {
      await journal(input.jobId, 'encoding');
      progress?.begin(input.jobId, 'encode');
      const tap = await cardAtEncoder(encoder, devices.cardArrivalTimeoutMs ?? defaultCardArrivalTimeoutMs);
      if (tap.kind !== 'mifare-classic-1k') throw nfcFailure({ kind: 'unsupported_card', atr: tap.atr, message: 'not a MIFARE Classic 1K' });
      const keys = deriveChipKeys(devices.chipMasterKey, Buffer.from(tap.uid, 'hex'));
      const idNumber = checkTaiwanId(input.form.idNumber);
      const issuedOn = today();
      const record: CitizenCardRecord = {
        formatVersion,
        cardNumber: input.preview.cardNumber,
        cardType: cardTypeOf(input.form),
        scheme: input.form.scheme,
        issuedOn,
        expiresOn: cardExpiryText(issuedOn),
        issuingKioskId: devices.kioskId.slice(0, 12),
        holderIdHash: holderIdHash(devices.chipMasterKey, idNumber.id),
        wallet: { balance: 0, transactionCounter: 0 },
      };
      const written = await encoder.personalise(record, keys);
      if (!written.ok) {
        progress?.failed(input.jobId);
        await journal(input.jobId, 'encoding', { disposition: 'failure', reason: written.error.kind, blank: 'in-printer' });
        throw nfcFailure(written.error);
      }
      await journal(input.jobId, 'encoded', { context: { cardNumber: record.cardNumber, uid: tap.uid } });
      progress?.done(input.jobId, 'encode');
      const readBack = await encoder.readRecord(keys);
      if (!readBack.ok || readBack.value.record.cardNumber !== record.cardNumber) {
        const failure = readBack.ok ? ({ kind: 'write_verify_failed', block: 0, message: 'card number read back differs' } as const) : readBack.error;
        progress?.failed(input.jobId);
        await journal(input.jobId, 'encoding', { disposition: 'failure', reason: failure.kind, blank: 'in-printer' });
        throw nfcFailure(failure);
      }
      await journal(input.jobId, 'verified');
      progress?.done(input.jobId, 'verify');
      return { uid: tap.uid, expiresOn: record.expiresOn };
    }),

    commitIssuance: fromPromise(async ({ input }: { input: IssuanceJob & { uid: string } }) => {
      const { form, assessment } = input;
      const id = checkTaiwanId(form.idNumber);
      const recorded = await store.recordIssuance({
        jobId: input.jobId,
        applicant: {
          idNumber: id.id,
          idKind: id.kind ?? 'unknown',
          name: form.name.trim() || form.nameZh.trim(),
          ...(form.nameZh.trim() ? { nameZh: form.nameZh.trim() } : {}),
          birthDate: form.birthDate,
          ...(form.sex ? { sex: form.sex } : {}),
          ...(form.nationality ? { nationality: form.nationality } : {}),
          ...(form.documentNumber ? { documentNumber: form.documentNumber } : {}),
        },
        ...(input.archivePhoto ? { photoJpeg: Buffer.from(input.archivePhoto) } : {}),
        card: {
          cardNumber: input.preview.cardNumber,
          cardType: cardTypeOf(form),
          scheme: form.scheme,
          uid: input.uid,
          ...(form.school ? { schoolLevel: form.school } : {}),
        },
        cause: assessment.action === 'replacement' ? 'replacement' : 'new',
        ...(assessment.action === 'replacement' ? { replacementCause: form.replacementCause } : {}),
        fee: assessment.fee,
        // The eligibility rules' points for the chosen type (Fuxing District households included): the self-service tap loads them each month.
        ...monthlyPointsOf(assessment, cardTypeOf(form)),
        // The job's owner, not whoever happens to be signed in when the commit runs.
        operatorId: input.owner,
        ...(input.photoOverride ? { photoOverride: input.photoOverride } : {}),
        ...(input.fee
          ? {
              feeSettlement: {
                method: input.fee.method,
                waiverReason: input.fee.waiverReason,
                approvedBy: input.fee.approvedBy,
                // A paid fee's receipt is the job's: signed (again, identically) from the same id once recorded.
                receiptId: input.fee.method !== 'waived' && devices.feeReceipts ? input.jobId : null,
                walletCardNumber: input.fee.walletCardNumber,
              },
            }
          : {}),
      });
      if (!recorded.ok) {
        progress?.failed(input.jobId);
        // The replaced card's e-wallet no longer holds the fee: nothing was taken nor recorded, and the same commit cannot succeed.
        const retryable = recorded.error.kind !== 'job_not_open' && recorded.error.kind !== 'wallet_short' && recorded.error.kind !== 'invalid_fee_settlement';
        throw new IssuanceStepError(`store_${recorded.error.kind}`, message('step.store-failed', { detail: recorded.error.kind }), retryable);
      }
      progress?.done(input.jobId, 'record');
    }),

    /** The signed receipt of a paid fee, once its issuance is recorded; printed where a receipt printer exists. */
    feeReceipt: fromPromise(async ({ input }: { input: { jobId: string; cardNumber: string; amount: number } }): Promise<FeeReceipt> => {
      const receipts = devices.feeReceipts;
      if (!receipts) throw new Error('this kiosk signs no receipts');
      const at = clock.now().toISOString();
      const text = receipts.sign({ kioskId: devices.kioskId, last4: input.cardNumber.slice(-4), amount: input.amount, at, journalId: input.jobId, kind: 'fee' });
      receipts.print?.({ kioskId: devices.kioskId, last4: input.cardNumber.slice(-4), amount: input.amount, time: at, jobId: input.jobId, qr: text });
      return { id: input.jobId, text };
    }),

    ejectCard: fromPromise(async ({ input }: { input: { jobId: string } }) => {
      const stopReports = onPrinterStep((step) => reportPrinterStep(input.jobId, step));
      const ejected = await printer.ejectCard().finally(stopReports);
      if (!ejected.ok) progress?.failed(input.jobId);
      devices.onHandOver?.();
      // Not ejected: the job stays at `committed`, so the restart and the applicant's retry find the card.
      if (!ejected.ok) throw printerFailure(ejected.error);
      crashPoint('issuance:ejected');
      await journal(input.jobId, 'ejected');
      devices.handOver?.cardEjected();
    }),

    abandonJob: fromPromise(async ({ input }: { input: { jobId: string | null; cardInPrinter: boolean; reason: string } }) => {
      // The journal is the truth: a job refused before it was journaled as printing has no card to reject.
      const step = input.jobId ? (await store.pendingJobs()).find((job) => job.jobId === input.jobId)?.step : undefined;
      const cardInPrinter = input.cardInPrinter && (step === undefined || cardMayExist.has(step));
      // A card cut off by a power loss was never booked to the job (the printer was silent then): it is now.
      if (cardInPrinter && input.jobId && (await rejectCutOffCard(input.jobId).catch(() => false))) failedPrints.delete(input.jobId);
      else if (cardInPrinter) await printer.rejectCard();
      if (input.jobId && step !== undefined) {
        await store.markJobStep(input.jobId, cardInPrinter ? 'spoiled' : 'abandoned', { reason: input.reason });
      }
    }),
  };
}

/** The chosen type's monthly welfare points as the assessment decided them; nothing when it was not assessed. */
function monthlyPointsOf(assessment: Assessment, cardType: CardType): { monthlyPoints?: number } {
  const decision = assessment.eligibility?.cards.find((card) => card.type === cardType);
  return decision ? { monthlyPoints: decision.monthlyPoints } : {};
}

/** No card is made without an open service session. */
function noSessionError(): IssuanceStepError {
  return new IssuanceStepError('no_session', message('step.no-session'), false);
}

/** What the operator reads when a replacement's photos could not be compared. */
function faceCompareProblem(error: FaceCompareError): Message {
  const newPhoto = error.image === 'a';
  switch (error.kind) {
    case 'no_face':
      return message(newPhoto ? 'face.no-face-new' : 'face.no-face-on-file');
    case 'unreadable_image':
      return message(newPhoto ? 'face.unreadable-new' : 'face.unreadable-on-file');
    default:
      return assertNever(error);
  }
}

/** The card face as it is printed, and its preview, for a card number already allocated. */
async function renderFace(form: ApplicationForm, cardNumber: string, photo: Uint8Array | null, issueDate: string): Promise<CardPreview> {
  // Both sides' PNGs: the review shows the front, the applicant's window both.
  const face = await renderCardFace({
    cardType: cardTypeOf(form),
    ...(form.school ? { schoolLevel: form.school } : {}),
    scheme: form.scheme,
    holderName: form.nameZh.trim() || form.name.trim(),
    cardNumber,
    issueDate,
    ...(photo ? { photoJpeg: Buffer.from(photo) } : {}),
  });
  if (!face.ok) {
    throw new IssuanceStepError(`card_face_${face.error.kind}`, message('step.card-face', { field: 'field' in face.error ? face.error.field : face.error.kind }), false);
  }
  return { cardNumber, frontPng: new Uint8Array(face.value.frontPng), backPng: new Uint8Array(face.value.backPng), job: face.value.job };
}

function cardTypeOf(form: ApplicationForm): CardType {
  if (!form.cardType) throw new IssuanceStepError('no_card_type', message('step.no-card-type'), false);
  return form.cardType;
}

/** The card the printer just parked at its contactless station, once the encoder sees it. */
async function cardAtEncoder(encoder: CitizenCardStation, timeoutMs: number): Promise<CardTap> {
  const tap = encoder.currentCard() ?? (await nextCard(encoder, timeoutMs));
  if (!tap) throw nfcFailure({ kind: 'no_card', message: `no card at the encoder within ${timeoutMs} ms` });
  return tap;
}
