import { chmodSync, existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import type { Clock } from '../../../shared/clock';
import { systemClock } from '../../../shared/clock';
import type { CardType } from '../../../shared/domain/card-types';
import type { LogSink } from '../../../shared/log';
import { silentLog } from '../../../shared/log';
import { err, ok, type Result } from '../../../shared/result';
import type { SecondVisitReason } from '../../../shared/contract/batch';
import { batchRow, batchRows, importBatch, listBatches, markSecondVisit, type BatchRowError, type BatchSummary, type ImportBatchInput, type StoredBatchRow } from './batches';
import { appendAuditAlone, audited, readAudit, verifyAuditChain, type AuditAppender, type AuditBreak, type AuditEntry, type AuditInput, type ReadAuditOptions } from './audit';
import type { StoreContext } from './context';
import { createVault, loadOrCreateKeyFile, type KeyFileError } from './crypto';
import { openDatabase, type Database, type Queries } from './database';
import {
  cardByNumber, cardsBeingHandedOver, feeWallet, findCardholder, heldCards, issuancePhoto, photoOnFile, nextCardNumber, recordIssuance, setCardStatus, voidUndeliveredCard,
  type CardHandOver, type CardholderView, type HeldCard, type RecordedIssuance, type RecordIssuanceError, type RecordIssuanceInput,
  type SetCardStatusError, type SetCardStatusInput, type VoidUndeliveredError,
} from './issuances';
import { beginIssuanceJob, markCardsTaken, markJobStep, parkJob, pendingJobs, unparkJob, type BeginJobInput, type IssuanceJob, type JobError, type JobStep, type MarkJobStepOptions, type UnparkInput } from './jobs';
import { highWaterFileOf, macPrefix, openHighWater, readHighWater, type HighWaterOptions } from './high-water';
import { migrate, type MigrationError } from './migrate';
import { operatorTable, type OperatorTable } from './operators';
import { markSynced, pendingChanges, type OutboxEntry } from './outbox';
import { listSessionRows, periodReportRows, sessionReportRows, type PeriodReportRows, type SessionReportRows, type SessionRow } from './report-rows';
import { purge, type PurgeOptions, type PurgeReport } from './retention';
import {
  closeSession, currentSession, listSessions, loadBlanks, openSession, returnBlanks, sessionById, sessionCounts, sessionMovements, sessionStock,
  type AdjustStockInput, type ClosedSession, type CloseSessionInput, type OpenSessionInput, type ServiceSessionRecord, type SessionError,
} from './sessions';
import type { BlankCount, SessionStock, StockMovement } from '../../../shared/domain/service-session';
import { walletTable } from './wallet';
import type { WalletTable } from './wallet-types';

export interface OpenStoreOptions {
  /** The SQLite file (created when missing). */
  readonly path: string;
  /** The key file, outside the database; created 0600 with a fresh key when missing. */
  readonly keyFile: string;
  /** This kiosk's id: prefixes card numbers, stamps audit and outbox rows; letters, digits, dashes. */
  readonly kioskId: string;
  /** The registry's number for this kiosk (1..9999), part of every card number; default 1 (development). */
  readonly kioskNumber?: number;
  readonly clock?: Clock;
  readonly log?: LogSink;
  /** Default FULL (every commit durable). */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Default true: an `store-opened` audit row per start, the kiosk's boot record. */
  readonly auditOpen?: boolean;
  /**
   * Default `refuse`: a database missing commits its high-water mark recorded is not opened. `open` is for
   * the supervisor's `kioskctl lost-records accept` only: the store opens, the mark stays where it is until
   * `acceptLostRecords` records the loss.
   */
  readonly lostRecords?: 'refuse' | 'open';
}

/** Committed records the database no longer holds: its newest audit row is below the mark kept outside it. */
export interface RecordsLost {
  readonly kind: 'records_lost';
  /** The newest audit sequence committed, as the high-water mark recorded it. */
  readonly markSeq: number;
  /** The newest audit sequence the database holds. */
  readonly foundSeq: number;
  /** The database holds a row numbered `markSeq`, but not the one committed: records lost, then others written. */
  readonly overwritten: boolean;
  readonly markFile: string;
}

export type OpenStoreError =
  | KeyFileError
  | MigrationError
  | { readonly kind: 'invalid_kiosk_id' }
  | { readonly kind: 'wrong_key' }
  | { readonly kind: 'kiosk_mismatch'; readonly storedKioskId: string }
  | RecordsLost;

export interface Store {
  readonly kioskId: string;
  readonly path: string;
  recordIssuance(input: RecordIssuanceInput): Promise<Result<RecordedIssuance, RecordIssuanceError>>;
  heldCards(idNumber: string): Promise<HeldCard[]>;
  /** One card by its number, with its status (active, hot-listed, void); null when not issued by this kiosk. */
  cardByNumber(cardNumber: string): Promise<HeldCard | null>;
  findCardholder(idNumber: string): Promise<CardholderView | null>;
  issuancePhoto(issuanceId: string): Promise<Buffer | null>;
  /** The photo of the person's latest card of this type, for comparing a replacement's new photo. */
  photoOnFile(idNumber: string, cardType: CardType): Promise<Buffer | null>;
  setCardStatus(input: SetCardStatusInput): Promise<Result<void, SetCardStatusError>>;
  /** The replaced card's e-wallet for a replacement's fee (its number and ledger balance), or null when the ledger keeps none. */
  feeWallet(idNumber: string, cardType: CardType): Promise<{ cardNumber: string; balance: number } | null>;
  nextCardNumber(cardType: CardType, operatorId?: string | null): Promise<string>;
  beginIssuanceJob(input: BeginJobInput): Promise<string>;
  markJobStep(jobId: string, step: JobStep, options?: MarkJobStepOptions): Promise<Result<void, JobError>>;
  pendingJobs(): Promise<IssuanceJob[]>;
  parkJob(jobId: string, data: Readonly<Record<string, unknown>>, operatorId: string | null): Promise<Result<void, JobError>>;
  unparkJob(jobId: string, input: UnparkInput): ReturnType<typeof unparkJob>;
  /** The exit slot is empty: every ejected card was taken (their jobs close); returns those jobs. */
  markCardsTaken(): Promise<string[]>;
  /** The person's active cards never ejected, or ejected at or after `since` (ISO time) and not yet taken. */
  cardsBeingHandedOver(idNumber: string, since: string): Promise<CardHandOver[]>;
  /** A committed card that cannot be handed over: void it and spoil its job (crash recovery). */
  voidUndeliveredCard(jobId: string, reason: string): Promise<Result<{ cardNumber: string }, VoidUndeliveredError>>;
  /** Service sessions and their stock ledger (sessions.ts). */
  readonly sessions: {
    open(input: OpenSessionInput): Promise<Result<ServiceSessionRecord, SessionError>>;
    loadBlanks(input: AdjustStockInput): Promise<Result<SessionStock, SessionError>>;
    returnBlanks(input: AdjustStockInput): Promise<Result<SessionStock, SessionError>>;
    close(input: CloseSessionInput): Promise<Result<ClosedSession, SessionError>>;
    /** The session open on this kiosk, or null. */
    current(): Promise<ServiceSessionRecord | null>;
    byId(sessionId: string): Promise<ServiceSessionRecord | null>;
    movements(sessionId: string): Promise<StockMovement[]>;
    stock(sessionId: string): Promise<SessionStock>;
    /** The closing count, null while the session is open. */
    counts(sessionId: string): Promise<BlankCount | null>;
    list(limit?: number): Promise<ServiceSessionRecord[]>;
  };
  appendAudit(input: AuditInput): Promise<{ auditId: string; seq: number }>;
  /** Your own change and its audit rows in one transaction (top-up, cash-box...). */
  audited<T>(work: (tx: Queries, audit: AuditAppender) => Promise<T>): Promise<T>;
  verifyAudit(): Promise<Result<{ rows: number }, AuditBreak>>;
  readAudit(options?: ReadAuditOptions): Promise<AuditEntry[]>;
  readonly operators: OperatorTable;
  readonly outbox: { pending(limit: number): Promise<OutboxEntry[]>; markSynced(ids: readonly string[]): Promise<number> };
  /** The rows the figures are made of (kiosk/controller/reports): no personal data. */
  readonly reportRows: {
    session(sessionId: string): Promise<SessionReportRows | null>;
    /** `[fromIso, toIso)`, UTC instants. */
    period(fromIso: string, toIso: string): Promise<PeriodReportRows>;
    sessions(limit: number): Promise<SessionRow[]>;
  };
  purge(options: PurgeOptions): Promise<PurgeReport>;
  /** An online, consistent copy (`VACUUM INTO`); encrypted columns stay encrypted. The file must not exist. */
  backup(file: string, operatorId?: string | null): Promise<Result<{ file: string }, { kind: 'backup_failed'; message: string }>>;
  close(): Promise<void>;
  /** Records lost found at open (opened with `lostRecords: 'open'`), null when none or once accepted. */
  lostRecords(): RecordsLost | null;
  /**
   * A supervisor acknowledges the loss (after counting the stock): audited with the missing sequences,
   * then the mark follows the database again and the kiosk starts.
   */
  acceptLostRecords(operatorId: string): Promise<Result<{ markSeq: number; foundSeq: number; auditSeq: number }, { kind: 'nothing_lost' }>>;
  /** Nursing-home and pre-registered batches (./batches.ts). */
  readonly batches: BatchTable;
  /** The e-wallet, welfare points, cash journal and cash box (./wallet.ts). */
  readonly wallet: WalletTable;
}

export interface BatchTable {
  import(input: ImportBatchInput): Promise<string>;
  list(): Promise<BatchSummary[]>;
  rows(batchId: string): Promise<StoredBatchRow[]>;
  row(rowId: string): Promise<StoredBatchRow | null>;
  markSecondVisit(rowId: string, reason: SecondVisitReason, operatorId: string | null): Promise<Result<void, BatchRowError>>;
}

const privateFileMode = 0o600;
const kioskIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;

export async function openStore(options: OpenStoreOptions): Promise<Result<Store, OpenStoreError>> {
  if (!kioskIdPattern.test(options.kioskId)) return err({ kind: 'invalid_kiosk_id' });
  const key = loadOrCreateKeyFile(options.keyFile);
  if (!key.ok) return key;
  const vault = createVault(key.value);
  // Before anything writes: a refused database and its WAL stay exactly as found, to be mended.
  const lost = await recordsLost(options.path);
  if (lost && (options.lostRecords ?? 'refuse') === 'refuse') return err(lost);
  const created = !existsSync(options.path);
  const db = await openDatabase(options.path, options.synchronous ? { synchronous: options.synchronous } : {});
  if (created) chmodSync(options.path, privateFileMode); // encrypted, but still nobody else's business
  const clock = options.clock ?? systemClock;
  // Lost records acknowledged by nobody yet: the mark stays where it is (the refusal stands) until then.
  const log = options.log ?? silentLog;
  const markOptions = {
    onFailure: (error: Error) =>
      log({ eventId: 'store-high-water-failed', disposition: 'failure', message: `the high-water mark could not be written (${error.message}): a loss of the newest records would go unnoticed until it is` }),
  };
  const highWater = { mark: lost ? null : openHighWater(highWaterFileOf(options.path), markOptions) };
  const context: StoreContext = { db, vault, kioskId: options.kioskId, kioskNumber: options.kioskNumber ?? 1, clock, log, highWater };

  const checked = await prepare(context, options.auditOpen ?? true);
  if (!checked.ok) {
    await db.close();
    await highWater.mark?.close();
    return checked;
  }
  // A database from before the mark existed (or with nothing audited yet at this start) gets its mark now.
  const newest = await newestAuditRow(db);
  if (newest) highWater.mark?.advance(newest.seq, newest.mac);
  return ok(storeOver(context, lost, markOptions));
}

/** The newest audit row (none in a new database): every write that matters appends one. */
function newestAuditRow(db: Queries): Promise<{ seq: number; mac: Buffer } | undefined> {
  return db.get<{ seq: number; mac: Buffer }>('SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1');
}

/**
 * Compares the database with its high-water mark on a read-only connection: a read-only connection never
 * checkpoints nor removes the WAL as it closes, so a refusal leaves the files as they were.
 */
async function recordsLost(path: string): Promise<RecordsLost | null> {
  const markFile = highWaterFileOf(path);
  const mark = readHighWater(markFile);
  if (mark === null) return null;
  let foundSeq = 0;
  let atMark: Buffer | undefined;
  if (existsSync(path)) {
    dropStaleWalIndex(path);
    const db = await openDatabase(path, { readOnly: true });
    try {
      const table = await db.get('SELECT 1 AS present FROM sqlite_schema WHERE type = ? AND name = ?', ['table', 'audit']);
      foundSeq = table ? ((await newestAuditRow(db))?.seq ?? 0) : 0;
      atMark = table ? (await db.get<{ mac: Buffer }>('SELECT mac FROM audit WHERE seq = ?', [mark.seq]))?.mac : undefined;
    } finally {
      await db.close();
    }
  }
  if (atMark && macPrefix(atMark) === mark.mac) return null;
  return { kind: 'records_lost', markSeq: mark.seq, foundSeq, overwritten: atMark !== undefined, markFile };
}

/**
 * The `-shm` file is only an index of the WAL, rebuilt by the first connection that can write it. One
 * left by a killed process can point past the end of a WAL cut since, and a read-only connection trusts
 * it (it may not rebuild it): with no process holding the database, it is dropped, so that SQLite
 * rebuilds it from the WAL as it is.
 */
function dropStaleWalIndex(path: string): void {
  const index = `${path}-shm`;
  if (existsSync(index) && !openedByAnyProcess(path)) rmSync(index, { force: true });
}

/** Whether any process has `path` (or its -wal/-shm) open, from /proc (Linux, as the kiosk). */
function openedByAnyProcess(path: string): boolean {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile, or not ours to look at
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(path)) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}

async function prepare(context: StoreContext, auditOpen: boolean): Promise<Result<void, OpenStoreError>> {
  const migrated = await migrate(context.db);
  if (!migrated.ok) return migrated;
  const identity = await context.db.transaction(async (tx): Promise<Result<void, OpenStoreError>> => {
    const rows = await tx.all<{ key: string; value: string }>(`SELECT key, value FROM meta WHERE key IN ('key_fingerprint', 'kiosk_id')`);
    const meta = new Map(rows.map((row) => [row.key, row.value]));
    const fingerprint = meta.get('key_fingerprint');
    if (fingerprint !== undefined && fingerprint !== context.vault.fingerprint) return err({ kind: 'wrong_key' });
    const storedKioskId = meta.get('kiosk_id');
    if (storedKioskId !== undefined && storedKioskId !== context.kioskId) return err({ kind: 'kiosk_mismatch', storedKioskId });
    await tx.run(`INSERT OR IGNORE INTO meta (key, value) VALUES ('key_fingerprint', ?), ('kiosk_id', ?)`, [context.vault.fingerprint, context.kioskId]);
    return ok(undefined);
  });
  if (!identity.ok) return identity;
  if (auditOpen || migrated.value.from !== migrated.value.to) {
    await audited(context.db, context, (_tx, audit) =>
      audit({ eventId: 'store-opened', operatorId: null, disposition: 'success', details: { schemaFrom: migrated.value.from, schemaTo: migrated.value.to } }),
    );
  }
  return ok(undefined);
}

function storeOver(context: StoreContext, lostAtOpen: RecordsLost | null, markOptions: HighWaterOptions): Store {
  const { db } = context;
  let lost = lostAtOpen;
  return {
    lostRecords: () => lost,
    async acceptLostRecords(operatorId) {
      if (!lost) return err({ kind: 'nothing_lost' });
      const { markSeq, foundSeq, markFile } = lost;
      const { seq } = await appendAuditAlone(db, context, {
        eventId: 'store-records-lost-accepted',
        operatorId,
        disposition: 'success',
        details: { markSeq, foundSeq, overwritten: lost.overwritten },
      });
      // From here on the database is the record again: the mark follows it, down to its newest row.
      const mark = openHighWater(markFile, markOptions);
      const newest = await newestAuditRow(db);
      if (newest) await mark.reset(newest.seq, newest.mac);
      if (context.highWater) context.highWater.mark = mark;
      lost = null;
      return ok({ markSeq, foundSeq, auditSeq: seq });
    },
    kioskId: context.kioskId,
    path: db.path,
    recordIssuance: (input) => recordIssuance(context, input),
    heldCards: (idNumber) => heldCards(context, idNumber),
    cardByNumber: (cardNumber) => cardByNumber(context, cardNumber),
    feeWallet: (idNumber, cardType) => feeWallet(context, idNumber, cardType),
    findCardholder: (idNumber) => findCardholder(context, idNumber),
    issuancePhoto: (issuanceId) => issuancePhoto(context, issuanceId),
    photoOnFile: (idNumber, cardType) => photoOnFile(context, idNumber, cardType),
    setCardStatus: (input) => setCardStatus(context, input),
    nextCardNumber: (cardType, operatorId) => nextCardNumber(context, cardType, operatorId ?? null),
    beginIssuanceJob: (input) => beginIssuanceJob(context, input),
    markJobStep: (jobId, step, options) => markJobStep(context, jobId, step, options),
    pendingJobs: () => pendingJobs(context),
    parkJob: (jobId, data, operatorId) => parkJob(context, jobId, data, operatorId),
    unparkJob: (jobId, input) => unparkJob(context, jobId, input),
    markCardsTaken: () => markCardsTaken(context),
    cardsBeingHandedOver: (idNumber, takenSince) => cardsBeingHandedOver(context, idNumber, takenSince),
    voidUndeliveredCard: (jobId, reason) => voidUndeliveredCard(context, jobId, reason),
    sessions: {
      open: (input) => openSession(context, input),
      loadBlanks: (input) => loadBlanks(context, input),
      returnBlanks: (input) => returnBlanks(context, input),
      close: (input) => closeSession(context, input),
      current: () => currentSession(context),
      byId: (sessionId) => sessionById(context, sessionId),
      movements: (sessionId) => sessionMovements(context, sessionId),
      stock: (sessionId) => sessionStock(context, sessionId),
      counts: (sessionId) => sessionCounts(context, sessionId),
      list: (limit) => listSessions(context, limit),
    },
    appendAudit: (input) => appendAuditAlone(db, context, input),
    audited: (work) => audited(db, context, work),
    verifyAudit: () => verifyAuditChain(db, context.vault),
    readAudit: (options) => readAudit(db, options),
    operators: operatorTable(context),
    outbox: { pending: (limit) => pendingChanges(context, limit), markSynced: (ids) => markSynced(context, ids) },
    reportRows: {
      session: (sessionId) => sessionReportRows(context, sessionId),
      period: (fromIso, toIso) => periodReportRows(context, fromIso, toIso),
      sessions: (limit) => listSessionRows(context, limit),
    },
    purge: (options) => purge(context, options),
    backup: (file, operatorId) => backupTo(context, file, operatorId ?? null),
    close: async () => {
      await db.close();
      await context.highWater?.mark?.close();
    },
    batches: {
      import: (input) => importBatch(context, input),
      list: () => listBatches(context),
      rows: (batchId) => batchRows(context, batchId),
      row: (rowId) => batchRow(context, rowId),
      markSecondVisit: (rowId, reason, operatorId) => markSecondVisit(context, rowId, reason, operatorId),
    },
    wallet: walletTable(context),
  };
}

async function backupTo(context: StoreContext, file: string, operatorId: string | null): Promise<Result<{ file: string }, { kind: 'backup_failed'; message: string }>> {
  let failure: string | null = null;
  try {
    await context.db.run('VACUUM INTO ?', [file]);
    chmodSync(file, privateFileMode);
  } catch (error) {
    failure = (error as Error).message;
  }
  await audited(context.db, context, (_tx, audit) =>
    audit({ eventId: 'store-backup', operatorId, disposition: failure ? 'failure' : 'success', details: { error: failure } }),
  );
  return failure ? err({ kind: 'backup_failed', message: failure }) : ok({ file });
}

export type { Database };
