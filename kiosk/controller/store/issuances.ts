import type { FeeMethod, FeeWaiverReason } from '../../../shared/contract/fee';
import type { RecordedCardStatus } from '../../../shared/domain/card-status';
import type { CardType, SchoolLevel, TransitScheme } from '../../../shared/domain/card-types';
import { err, ok, type Result } from '../../../shared/result';
import { audited } from './audit';
import { issueHeldBlank, voidIssuedBlank } from './blanks';
import { hashPurpose, isoNow, normalizeIdNumber, type StoreContext } from './context';
import type { Queries } from './database';
import { formatCardNumber } from './card-number';
import { uuidv7 } from './ids';
import { enqueueChange } from './outbox';
import { debitFee, replacedCardWallet } from './fee-debit';

export interface ApplicantData {
  readonly idNumber: string;
  /** e.g. `national`, `resident`, `passport`: the identity module's kind, stored as given. */
  readonly idKind: string;
  readonly name: string;
  readonly nameZh?: string;
  /** ISO date `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly sex?: string;
  readonly nationality?: string;
  readonly documentNumber?: string;
  readonly address?: string;
  readonly phone?: string;
}

export interface IssuedCard {
  readonly cardNumber: string;
  readonly cardType: CardType;
  readonly scheme: TransitScheme;
  /** Chip UID, hex. */
  readonly uid: string;
  readonly schoolLevel?: SchoolLevel;
}

export interface RecordIssuanceInput {
  readonly applicant: ApplicantData;
  readonly photoJpeg?: Buffer;
  readonly card: IssuedCard;
  readonly cause: 'new' | 'replacement';
  /** Why a replacement (lost, damaged, data-changed, defect, transfer...): a code, not free text. */
  readonly replacementCause?: string;
  /** Whole NT dollars. */
  readonly fee: number;
  /** The welfare points this card receives each month (its type and the household district decide them); absent: unknown, kept as NULL. */
  readonly monthlyPoints?: number;
  readonly operatorId: string | null;
  /** The journaled job this issuance completes: marked `committed` in the same transaction (it stays open until the card is taken). */
  readonly jobId?: string;
  /**
   * A photo that failed the gate and was accepted by the operator (the nursing-home exception):
   * audited as `issuance-photo-override` in the same transaction, naming the approving supervisor.
   */
  readonly photoOverride?: { readonly reason: string; readonly approvedBy: string | null };
  /**
   * How the fee was settled at the review (issue 16). `wallet`: the fee moves from the replaced card's
   * e-wallet to fee income in this transaction, once per job. Absent for a free card.
   */
  readonly feeSettlement?: FeeSettlementRecord;
}

export interface FeeSettlementRecord {
  readonly method: FeeMethod;
  readonly waiverReason: FeeWaiverReason | null;
  /** The supervisor who approved a waiver. */
  readonly approvedBy: string | null;
  /** The signed receipt's id (its journal id) for a paid fee; null for a waiver. */
  readonly receiptId: string | null;
  /** `wallet`: the replaced card whose e-wallet pays. */
  readonly walletCardNumber: string | null;
}

export type RecordIssuanceError =
  | { readonly kind: 'invalid_fee'; readonly fee: number }
  | { readonly kind: 'card_number_taken'; readonly cardNumber: string }
  | { readonly kind: 'active_card_exists'; readonly cardType: CardType }
  /** The card a replacement would hot-list was never ejected: it is still in the printer, not lost. */
  | { readonly kind: 'card_not_handed_over'; readonly cardNumber: string }
  | { readonly kind: 'job_not_open'; readonly jobId: string }
  /** The fee's settlement does not fit the fee (a waiver without its reason or supervisor, a wallet without its card). */
  | { readonly kind: 'invalid_fee_settlement'; readonly detail: string }
  /** The replaced card's e-wallet holds less than the fee (checked again inside the transaction): nothing was recorded. */
  | { readonly kind: 'wallet_short'; readonly balance: number; readonly fee: number };

export interface RecordedIssuance {
  readonly issuanceId: string;
  readonly cardholderId: string;
  /** The card hot-listed by this replacement, if there was an active one. */
  readonly hotListedCardNumber: string | null;
}

export interface HeldCard {
  readonly type: CardType;
  readonly status: RecordedCardStatus;
  readonly cardNumber: string;
  readonly issuedAt: string;
}

export interface CardholderView {
  readonly cardholderId: string;
  /** null once retention purged the personal data. */
  readonly applicant: ApplicantData | null;
  readonly cards: readonly HeldCard[];
}

const piiContext = (cardholderId: string): string => `cardholders.pii:${cardholderId}`;
const photoContext = (issuanceId: string): string => `issuances.photo:${issuanceId}`;

/** Thrown inside a transaction to roll it back with an expected failure. */
class Refusal {
  constructor(readonly error: RecordIssuanceError) {}
}

export async function recordIssuance(context: StoreContext, input: RecordIssuanceInput): Promise<Result<RecordedIssuance, RecordIssuanceError>> {
  if (!Number.isSafeInteger(input.fee) || input.fee < 0) return err({ kind: 'invalid_fee', fee: input.fee });
  const settlementProblem = feeSettlementProblem(input.fee, input.feeSettlement);
  if (settlementProblem) return err({ kind: 'invalid_fee_settlement', detail: settlementProblem });
  const fee = input.feeSettlement ?? null;
  if (input.monthlyPoints !== undefined && (!Number.isSafeInteger(input.monthlyPoints) || input.monthlyPoints < 0)) throw new Error(`monthly points must be a whole number ≥ 0, not ${input.monthlyPoints}`);
  const idHash = context.vault.lookupHash(hashPurpose.idNumber, normalizeIdNumber(input.applicant.idNumber));
  const now = isoNow(context);
  try {
    const value = await audited(context.db, context, async (tx, audit) => {
      const taken = await tx.get('SELECT 1 AS one FROM issuances WHERE card_number = ?', [input.card.cardNumber]);
      if (taken) throw new Refusal({ kind: 'card_number_taken', cardNumber: input.card.cardNumber });
      if (input.jobId !== undefined) {
        const job = await tx.get('SELECT 1 AS one FROM issuance_jobs WHERE id = ? AND open = 1', [input.jobId]);
        if (!job) throw new Refusal({ kind: 'job_not_open', jobId: input.jobId });
      }

      const cardholderId = await upsertCardholder(tx, context, idHash, input.applicant, now);
      const previous = await tx.get<{ id: string; card_number: string }>(
        `SELECT id, card_number FROM issuances WHERE cardholder_id = ? AND card_type = ? AND status = 'active'`,
        [cardholderId, input.card.cardType],
      );
      if (previous && input.cause === 'new') throw new Refusal({ kind: 'active_card_exists', cardType: input.card.cardType });
      if (previous) {
        const undelivered = await tx.get(`SELECT 1 AS one FROM issuance_jobs WHERE issuance_id = ? AND open = 1 AND step = 'committed'`, [previous.id]);
        if (undelivered) throw new Refusal({ kind: 'card_not_handed_over', cardNumber: previous.card_number });
      }

      const issuanceId = uuidv7(context.clock);
      if (previous) {
        await tx.run(`UPDATE issuances SET status = 'hot-listed', status_changed_at = ? WHERE id = ?`, [now, previous.id]);
        await enqueueChange(tx, context, {
          entity: 'issuance', entityId: previous.id, op: 'status', cardholderId, payload: { status: 'hot-listed', replacedBy: issuanceId, at: now },
        });
        await audit({
          eventId: 'issuance-replacement',
          operatorId: input.operatorId,
          disposition: 'success',
          details: { hotListedIssuanceId: previous.id, hotListedCardNumber: previous.card_number, replacedBy: issuanceId, replacementCause: input.replacementCause ?? null },
        });
      }
      await tx.run(
        `INSERT INTO issuances (id, cardholder_id, kiosk_id, card_number, card_type, scheme, uid, school_level, cause,
           replacement_cause, replaces_issuance_id, fee, status, operator_id, photo, issued_at, monthly_points,
           fee_method, fee_waiver_reason, fee_approved_by, fee_receipt_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          issuanceId, cardholderId, context.kioskId, input.card.cardNumber, input.card.cardType, input.card.scheme, input.card.uid,
          input.card.schoolLevel ?? null, input.cause, input.replacementCause ?? null, previous?.id ?? null, input.fee, input.operatorId,
          input.photoJpeg ? context.vault.encrypt(input.photoJpeg, photoContext(issuanceId)) : null, now, input.monthlyPoints ?? null,
          fee?.method ?? null, fee?.waiverReason ?? null, fee?.approvedBy ?? null, fee?.receiptId ?? null,
        ],
      );
      // Paid from the replaced card's e-wallet: the money moves in this transaction, or nothing is recorded.
      const debit = fee?.method === 'wallet' && fee.walletCardNumber !== null
        ? await debitFee(tx, context, { cardNumber: fee.walletCardNumber, amount: input.fee, jobId: input.jobId ?? issuanceId, operatorId: input.operatorId, at: now })
        : null;
      if (debit && !debit.ok) throw new Refusal({ kind: 'wallet_short', balance: debit.error.balance, fee: input.fee });
      await enqueueChange(tx, context, {
        entity: 'issuance', entityId: issuanceId, op: 'insert', cardholderId,
        payload: { ...input.card, cause: input.cause, replacementCause: input.replacementCause ?? null, replaces: previous?.id ?? null, fee: input.fee, operatorId: input.operatorId, issuedAt: now, hasPhoto: input.photoJpeg !== undefined },
      });
      if (input.jobId !== undefined) {
        await tx.run(`UPDATE issuance_jobs SET step = 'committed', issuance_id = ?, updated_at = ? WHERE id = ?`, [issuanceId, now, input.jobId]);
        // The card is issued, so its blank is: one ledger line, in this transaction.
        await issueHeldBlank(tx, context, input.jobId, input.card.cardNumber);
      }
      await audit({
        eventId: 'issuance-recorded',
        operatorId: input.operatorId,
        disposition: 'success',
        details: {
          issuanceId, cardholderId, cardNumber: input.card.cardNumber, cardType: input.card.cardType, scheme: input.card.scheme,
          cause: input.cause, fee: input.fee, jobId: input.jobId ?? null, withPhoto: input.photoJpeg !== undefined,
          feeMethod: fee?.method ?? null,
        },
      });
      if (fee) {
        await audit({
          eventId: 'issuance-fee',
          operatorId: input.operatorId,
          disposition: 'success',
          details: {
            issuanceId, jobId: input.jobId ?? null, cardNumber: input.card.cardNumber, amount: input.fee, method: fee.method,
            waiverReason: fee.waiverReason, approvedBy: fee.approvedBy, receiptId: fee.receiptId,
            walletCardNumber: fee.walletCardNumber, transferId: debit?.ok ? debit.value.transferId : null,
          },
        });
      }
      if (input.photoOverride !== undefined) {
        await audit({
          eventId: 'issuance-photo-override',
          operatorId: input.operatorId,
          disposition: 'success',
          details: { issuanceId, jobId: input.jobId ?? null, reason: input.photoOverride.reason, approvedBy: input.photoOverride.approvedBy },
        });
      }
      return { issuanceId, cardholderId, hotListedCardNumber: previous?.card_number ?? null };
    });
    return ok(value);
  } catch (error) {
    if (error instanceof Refusal) return err(error.error);
    throw error;
  }
}

/** Why a settlement cannot go with this fee, or null: the store refuses what the flow should never send. */
function feeSettlementProblem(fee: number, settlement: FeeSettlementRecord | undefined): string | null {
  if (!settlement) return null;
  if (fee === 0) return 'a free card has no fee to settle';
  if (settlement.method === 'waived' && (settlement.waiverReason === null || settlement.approvedBy === null)) return 'a waiver needs its reason and the approving supervisor';
  if (settlement.method !== 'waived' && settlement.waiverReason !== null) return 'only a waiver has a reason';
  if (settlement.method === 'wallet' && settlement.walletCardNumber === null) return 'a fee paid from an e-wallet needs the replaced card';
  return null;
}

async function upsertCardholder(tx: Queries, context: StoreContext, idHash: Buffer, applicant: ApplicantData, now: string): Promise<string> {
  const existing = await tx.get<{ id: string }>('SELECT id FROM cardholders WHERE id_hash = ?', [idHash]);
  const cardholderId = existing?.id ?? uuidv7(context.clock);
  const pii = context.vault.encryptJson({ ...applicant, idNumber: normalizeIdNumber(applicant.idNumber) }, piiContext(cardholderId));
  if (existing) {
    await tx.run('UPDATE cardholders SET pii = ?, updated_at = ?, purged_at = NULL WHERE id = ?', [pii, now, cardholderId]);
  } else {
    await tx.run('INSERT INTO cardholders (id, id_hash, pii, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [cardholderId, idHash, pii, now, now]);
  }
  await enqueueChange(tx, context, { entity: 'cardholder', entityId: cardholderId, op: 'upsert', cardholderId, payload: { applicant, at: now } });
  return cardholderId;
}

interface CardRow {
  card_type: CardType;
  status: RecordedCardStatus;
  card_number: string;
  issued_at: string;
}

const toHeldCard = (row: CardRow): HeldCard => ({ type: row.card_type, status: row.status, cardNumber: row.card_number, issuedAt: row.issued_at });

/** One card by its number (what a tap on the counter reader shows); no personal data. */
export async function cardByNumber(context: StoreContext, cardNumber: string): Promise<HeldCard | null> {
  const row = await context.db.get<CardRow>('SELECT card_type, status, card_number, issued_at FROM issuances WHERE card_number = ?', [cardNumber]);
  return row ? toHeldCard(row) : null;
}

/** The person's cards, found through the keyed hash of the ID number (feeds the eligibility rules). */
export async function heldCards(context: StoreContext, idNumber: string): Promise<HeldCard[]> {
  const idHash = context.vault.lookupHash(hashPurpose.idNumber, normalizeIdNumber(idNumber));
  const rows = await context.db.all<CardRow>(
    `SELECT i.card_type, i.status, i.card_number, i.issued_at FROM cardholders c JOIN issuances i ON i.cardholder_id = c.id
     WHERE c.id_hash = ? ORDER BY i.issued_at, i.rowid`,
    [idHash],
  );
  return rows.map(toHeldCard);
}

/** The decrypted record of one person, for a signed-in operator's screen (gate it with `can`). */
export async function findCardholder(context: StoreContext, idNumber: string): Promise<CardholderView | null> {
  const idHash = context.vault.lookupHash(hashPurpose.idNumber, normalizeIdNumber(idNumber));
  const row = await context.db.get<{ id: string; pii: Buffer | null }>('SELECT id, pii FROM cardholders WHERE id_hash = ?', [idHash]);
  if (!row) return null;
  const cards = await context.db.all<CardRow>('SELECT card_type, status, card_number, issued_at FROM issuances WHERE cardholder_id = ? ORDER BY issued_at, rowid', [row.id]);
  return {
    cardholderId: row.id,
    applicant: row.pii ? context.vault.decryptJson<ApplicantData>(row.pii, piiContext(row.id)) : null,
    cards: cards.map(toHeldCard),
  };
}

/** The e-wallet of the card a replacement of this type replaces, when the ledger keeps one (issue 16). */
export async function feeWallet(context: StoreContext, idNumber: string, cardType: CardType): Promise<{ cardNumber: string; balance: number } | null> {
  const idHash = context.vault.lookupHash(hashPurpose.idNumber, normalizeIdNumber(idNumber));
  return context.db.transaction((tx) => replacedCardWallet(tx, idHash, cardType));
}

/** The photo of the person's latest card of this type that still has one (for a replacement's face check). */
export async function photoOnFile(context: StoreContext, idNumber: string, cardType: CardType): Promise<Buffer | null> {
  const idHash = context.vault.lookupHash(hashPurpose.idNumber, normalizeIdNumber(idNumber));
  const row = await context.db.get<{ id: string }>(
    `SELECT i.id FROM issuances i JOIN cardholders c ON c.id = i.cardholder_id
     WHERE c.id_hash = ? AND i.card_type = ? AND i.photo IS NOT NULL ORDER BY i.issued_at DESC, i.rowid DESC LIMIT 1`,
    [idHash, cardType],
  );
  return row ? issuancePhoto(context, row.id) : null;
}

export async function issuancePhoto(context: StoreContext, issuanceId: string): Promise<Buffer | null> {
  const row = await context.db.get<{ photo: Buffer | null }>('SELECT photo FROM issuances WHERE id = ?', [issuanceId]);
  return row?.photo ? context.vault.decrypt(row.photo, photoContext(issuanceId)) : null;
}

export interface SetCardStatusInput {
  readonly cardNumber: string;
  readonly status: Exclude<RecordedCardStatus, 'active'>;
  /** A code (lost, stolen, misprint, ...), not free text. */
  readonly reason: string;
  readonly operatorId: string | null;
  /** The supervisor whose approval the auth service checked, when the role needed one. */
  readonly approvedBy?: string;
}

export type SetCardStatusError =
  | { readonly kind: 'card_not_found'; readonly cardNumber: string }
  | { readonly kind: 'card_not_active'; readonly status: RecordedCardStatus };

export async function setCardStatus(context: StoreContext, input: SetCardStatusInput): Promise<Result<void, SetCardStatusError>> {
  const now = isoNow(context);
  return audited(context.db, context, async (tx, audit) => {
    const card = await tx.get<{ id: string; cardholder_id: string; status: RecordedCardStatus }>(
      'SELECT id, cardholder_id, status FROM issuances WHERE card_number = ?',
      [input.cardNumber],
    );
    if (!card) return err({ kind: 'card_not_found', cardNumber: input.cardNumber });
    if (card.status !== 'active') return err({ kind: 'card_not_active', status: card.status });
    await tx.run('UPDATE issuances SET status = ?, status_changed_at = ? WHERE id = ?', [input.status, now, card.id]);
    // A card voided at the counter was a blank issued: it moves to spoiled in the session that issued it.
    if (input.status === 'void') await voidIssuedBlank(tx, context, card.id, 'void-at-counter', input.operatorId);
    await enqueueChange(tx, context, { entity: 'issuance', entityId: card.id, op: 'status', cardholderId: card.cardholder_id, payload: { status: input.status, reason: input.reason, at: now } });
    await audit({
      eventId: input.status === 'void' ? 'issuance-void' : 'issuance-replacement',
      operatorId: input.operatorId,
      disposition: 'success',
      details: { issuanceId: card.id, cardNumber: input.cardNumber, status: input.status, reason: input.reason, approvedBy: input.approvedBy ?? null },
    });
    return ok(undefined);
  });
}

/** 16 digits (`card-number.ts`): unique across the fleet because kiosk numbers are. */
export async function nextCardNumber(context: StoreContext, cardType: CardType, operatorId: string | null = null): Promise<string> {
  return audited(context.db, context, async (tx, audit) => {
    const row = await tx.get<{ last: number }>(
      `INSERT INTO card_sequences (card_type, last) VALUES (?, 1)
       ON CONFLICT (card_type) DO UPDATE SET last = last + 1 RETURNING last`,
      [cardType],
    );
    const cardNumber = formatCardNumber(context.kioskNumber, cardType, row?.last ?? 1);
    await audit({ eventId: 'issuance-card-number', operatorId, disposition: 'success', details: { cardType, cardNumber } });
    return cardNumber;
  });
}

/** Where an issued card not yet in its holder's hands is, from its job's journal. */
export type HandOverStep = 'not-ejected' | 'in-output';

export interface CardHandOver {
  readonly cardNumber: string;
  readonly cardType: CardType;
  readonly issuedAt: string;
  readonly handOver: HandOverStep;
  /** When the job reached that step. */
  readonly at: string;
}

/**
 * The person's active cards issued by this kiosk that never left the printer (the job is still open at
 * `committed`) or were ejected at or after `since` and not seen taken: a retry after a crash or a
 * walk-away is their own card, not a lost one to replace for a fee. (Without an exit sensor a card is
 * never seen taken: `since` bounds how long it counts as waiting.)
 */
export async function cardsBeingHandedOver(context: StoreContext, idNumber: string, since: string): Promise<CardHandOver[]> {
  const idHash = context.vault.lookupHash(hashPurpose.idNumber, normalizeIdNumber(idNumber));
  const rows = await context.db.all<{ card_number: string; card_type: CardType; issued_at: string; step: string; updated_at: string }>(
    `SELECT i.card_number, i.card_type, i.issued_at, j.step, j.updated_at
     FROM cardholders c JOIN issuances i ON i.cardholder_id = c.id JOIN issuance_jobs j ON j.issuance_id = i.id
     WHERE c.id_hash = ? AND i.status = 'active'
       AND j.open = 1 AND (j.step = 'committed' OR (j.step = 'ejected' AND j.updated_at >= ?))
     ORDER BY i.issued_at, i.rowid`,
    [idHash, since],
  );
  return rows.map((row) => ({
    cardNumber: row.card_number,
    cardType: row.card_type,
    issuedAt: row.issued_at,
    handOver: row.step === 'committed' ? 'not-ejected' : 'in-output',
    at: row.updated_at,
  }));
}

export type VoidUndeliveredError =
  | { readonly kind: 'job_not_found'; readonly jobId: string }
  | { readonly kind: 'not_undelivered'; readonly jobId: string; readonly step: string; readonly open: boolean };

/**
 * A card recorded as issued that never left the printer and cannot be handed over (not found, or not
 * ours when read back): void it and close its job as spoiled, with both audit rows, in one transaction.
 */
export async function voidUndeliveredCard(context: StoreContext, jobId: string, reason: string): Promise<Result<{ cardNumber: string }, VoidUndeliveredError>> {
  const now = isoNow(context);
  return audited(context.db, context, async (tx, audit) => {
    const job = await tx.get<{ step: string; open: number; operator_id: string | null; issuance_id: string | null }>(
      'SELECT step, open, operator_id, issuance_id FROM issuance_jobs WHERE id = ?',
      [jobId],
    );
    if (!job) return err({ kind: 'job_not_found', jobId });
    const card = job.issuance_id
      ? await tx.get<{ id: string; cardholder_id: string; card_number: string; status: RecordedCardStatus }>('SELECT id, cardholder_id, card_number, status FROM issuances WHERE id = ?', [job.issuance_id])
      : undefined;
    if (job.open === 0 || job.step !== 'committed' || !card) return err({ kind: 'not_undelivered', jobId, step: job.step, open: job.open === 1 });
    if (card.status === 'active') {
      await tx.run(`UPDATE issuances SET status = 'void', status_changed_at = ? WHERE id = ?`, [now, card.id]);
      await voidIssuedBlank(tx, context, card.id, 'crash-recovery', null);
      await enqueueChange(tx, context, { entity: 'issuance', entityId: card.id, op: 'status', cardholderId: card.cardholder_id, payload: { status: 'void', reason, at: now } });
      await audit({
        eventId: 'issuance-void',
        operatorId: null,
        disposition: 'success',
        details: { issuanceId: card.id, cardNumber: card.card_number, status: 'void', reason, approvedBy: null, jobId },
      });
    }
    await tx.run(`UPDATE issuance_jobs SET step = 'spoiled', open = 0, updated_at = ? WHERE id = ?`, [now, jobId]);
    await audit({ eventId: 'issuance-spoil', operatorId: job.operator_id, disposition: 'failure', details: { jobId, step: 'spoiled', reason } });
    return ok({ cardNumber: card.card_number });
  });
}
