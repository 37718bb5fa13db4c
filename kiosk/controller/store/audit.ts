import type { Clock } from '../../../shared/clock';
import type { Disposition, LogEvent, LogSink } from '../../../shared/log';
import { err, ok, type Result } from '../../../shared/result';
import { auditEvents, isAuditEventId, type AuditEventId } from '../logging/events';
import { redactRecord, type Primitive } from '../logging/redact';
import { sameBytes, type Vault } from './crypto';
import type { Database, Queries } from './database';
import type { HighWaterMark } from './high-water';
import { uuidv7 } from './ids';

export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditInput {
  readonly eventId: AuditEventId;
  readonly operatorId: string | null;
  readonly disposition: Disposition;
  /** Ids, codes, amounts: never personal data (what looks like it is redacted anyway). */
  readonly details?: AuditDetails;
}

export interface AuditEntry {
  readonly seq: number;
  readonly id: string;
  readonly kioskId: string;
  readonly at: string;
  readonly eventId: string;
  readonly operatorId: string | null;
  readonly disposition: Disposition;
  readonly details: Record<string, Primitive>;
}

export type AuditBreak = {
  readonly kind: 'audit_broken';
  /** The first row that fails, or for `head_mismatch` the newest row present. */
  readonly seq: number;
  readonly reason: 'gap' | 'prev_mismatch' | 'mac_mismatch' | 'head_mismatch';
};

interface AuditContext {
  readonly vault: Vault;
  readonly kioskId: string;
  readonly clock: Clock;
  /** Where the newest committed audit sequence is recorded after each commit (high-water.ts); none in tools that only read. */
  readonly highWater?: { mark: HighWaterMark | null };
}

/** Appends from inside a transaction; returns the log event to emit once that transaction commits. */
export type AuditAppender = (input: AuditInput) => Promise<{ auditId: string; seq: number }>;

const genesis = Buffer.alloc(32);
const pageSize = 5_000;

interface AuditRow {
  seq: number;
  id: string;
  kiosk_id: string;
  at: string;
  event_id: string;
  operator_id: string | null;
  disposition: string;
  details: string;
  prev_mac: Buffer;
  mac: Buffer;
}

function canonical(row: Omit<AuditRow, 'prev_mac' | 'mac'>): string {
  return JSON.stringify([row.seq, row.id, row.kiosk_id, row.at, row.event_id, row.operator_id, row.disposition, row.details]);
}

function canonicalDetails(details: AuditDetails | undefined): string {
  const redacted = redactRecord(details ?? {});
  return JSON.stringify(Object.fromEntries(Object.keys(redacted).sort().map((key) => [key, redacted[key] ?? null])));
}

const headSeal = (vault: Vault, seq: number, mac: Buffer): Buffer => vault.auditMac(mac, `head:${seq}`);

interface Head {
  readonly seq: number;
  readonly mac: Buffer;
}

/**
 * The chain head as of the last COMMIT this process saw, to skip one query per append. It may be
 * behind (another process, e.g. kioskctl, appended; or a grouped transaction appended before us): the
 * insert then hits the primary key and we read the real head. It is never ahead: it is set only after
 * the commit, so a rolled-back append never leaves it pointing at a row that does not exist.
 */
const committedHeads = new WeakMap<Database, Head>();

const isSeqConflict = (error: unknown): boolean => /UNIQUE constraint failed: audit\.seq|PRIMARY KEY/i.test(String((error as Error).message));

export function auditAppender(tx: Queries, context: AuditContext, logged: LogEvent[], cached?: Head, appended?: (head: Head) => void): AuditAppender {
  let known = cached;
  return async (input) => {
    if (!isAuditEventId(input.eventId)) throw new Error(`audit: event id not in the catalogue: ${String(input.eventId)}`);
    const readHead = () => tx.get<Head>('SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1');
    const head = known ?? (await readHead());
    try {
      return await insertAfter(head, input);
    } catch (error) {
      if (!known || !isSeqConflict(error)) throw error;
      return insertAfter(await readHead(), input);
    }
  };

  async function insertAfter(head: Head | undefined, input: AuditInput): Promise<{ auditId: string; seq: number }> {
    const row = {
      seq: (head?.seq ?? 0) + 1,
      id: uuidv7(context.clock),
      kiosk_id: context.kioskId,
      at: context.clock.now().toISOString(),
      event_id: input.eventId,
      operator_id: input.operatorId,
      disposition: input.disposition,
      details: canonicalDetails(input.details),
    };
    const prev = head?.mac ?? genesis;
    const mac = context.vault.auditMac(prev, canonical(row));
    await tx.run(
      `INSERT INTO audit (seq, id, kiosk_id, at, event_id, operator_id, disposition, details, prev_mac, mac, head_seal)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [row.seq, row.id, row.kiosk_id, row.at, row.event_id, row.operator_id, row.disposition, row.details, prev, mac, headSeal(context.vault, row.seq, mac)],
    );
    known = { seq: row.seq, mac };
    appended?.(known);
    logged.push({
      ...maskCardNumbers(JSON.parse(row.details) as Record<string, Primitive>),
      eventId: row.event_id,
      disposition: input.disposition,
      message: auditEvents[input.eventId],
      auditSeq: row.seq,
      operatorId: row.operator_id,
    });
    return { auditId: row.id, seq: row.seq };
  }
}

/**
 * Runs `work` in one transaction with an audit appender: the change and its audit rows commit or
 * roll back together. The same events go to the log, after the commit only.
 */
export function audited<T>(
  db: Database,
  context: AuditContext & { readonly log: LogSink },
  work: (tx: Queries, audit: AuditAppender) => Promise<T>,
): Promise<T> {
  return withAppender(db, context, (run) => db.transaction(run), work);
}

/**
 * One audit row on its own (no other change to record with it): a single INSERT — its trigger moves
 * the chain head in the same statement — is atomic and durable by itself, so it runs without the
 * BEGIN/COMMIT round trips of `audited` (one fsync either way). At its turn in the queue, so it
 * chains onto the row committed just before it.
 */
export function appendAuditAlone(db: Database, context: AuditContext & { readonly log: LogSink }, input: AuditInput): Promise<{ auditId: string; seq: number }> {
  return withAppender(db, context, (run) => db.inTurn(run), (_queries, audit) => audit(input));
}

/** `work` with an appender, run by `schedule`; once it has committed, the chain head is remembered and the events logged. */
async function withAppender<T>(
  db: Database,
  context: AuditContext & { readonly log: LogSink },
  schedule: (run: (queries: Queries) => Promise<T>) => Promise<T>,
  work: (queries: Queries, audit: AuditAppender) => Promise<T>,
): Promise<T> {
  const logged: LogEvent[] = [];
  let last: Head | undefined;
  const value = await schedule((queries) =>
    work(queries, auditAppender(queries, context, logged, committedHeads.get(db), (head) => {
      last = head;
    })),
  );
  if (last) {
    committedHeads.set(db, last);
    // Before the caller acts on the commit (prints a card, hands back change): a loss of it is then detectable.
    context.highWater?.mark?.advance(last.seq, last.mac);
  }
  for (const event of logged) context.log(event);
  return value;
}

/** Recomputes the chain from the first row; names the first row that does not verify. */
export async function verifyAuditChain(db: Database, vault: Vault): Promise<Result<{ rows: number }, AuditBreak>> {
  let expectedSeq = 1;
  let prev: Buffer = genesis;
  for (let catchUps = 0; ; catchUps++) {
    for (;;) {
      const rows = await db.all<AuditRow>('SELECT * FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?', [expectedSeq, pageSize]);
      for (const row of rows) {
        if (row.seq !== expectedSeq) return err({ kind: 'audit_broken', seq: row.seq, reason: 'gap' });
        if (!sameBytes(row.prev_mac, prev)) return err({ kind: 'audit_broken', seq: row.seq, reason: 'prev_mismatch' });
        const mac = vault.auditMac(prev, canonical(row));
        if (!sameBytes(row.mac, mac)) return err({ kind: 'audit_broken', seq: row.seq, reason: 'mac_mismatch' });
        prev = mac;
        expectedSeq += 1;
      }
      if (rows.length < pageSize) break;
    }
    const last = expectedSeq - 1;
    const head = await db.get<{ seq: number; mac: Buffer; seal: Buffer }>('SELECT seq, mac, seal FROM audit_head');
    if (last === 0 && !head) return ok({ rows: 0 });
    // The running kiosk (another connection: kioskctl verifies beside it) appended rows after the last page
    // was read: the chain goes on to the head, so verify those rows too rather than call the head wrong.
    if (head && head.seq > last && catchUps < maxCatchUps) continue;
    if (!head || head.seq !== last || !sameBytes(head.mac, prev) || !sameBytes(head.seal, headSeal(vault, head.seq, head.mac))) {
      return err({ kind: 'audit_broken', seq: last, reason: 'head_mismatch' });
    }
    return ok({ rows: last });
  }
}

/** How many times a verification follows rows appended while it read (a kiosk appends a few a second at most). */
const maxCatchUps = 100;

export interface ReadAuditOptions {
  readonly afterSeq?: number;
  readonly limit?: number;
  /** The newest `limit` rows instead of the oldest after `afterSeq`. */
  readonly newest?: boolean;
  /**
   * Only these events (e.g. the tamper alarms, to restore the latch at start). Not indexed: an index
   * on event ids costs every append ~10 % for a query the kiosk makes once at start (a backward scan).
   */
  readonly eventIds?: readonly string[];
}

export async function readAudit(db: Database, options: ReadAuditOptions = {}): Promise<AuditEntry[]> {
  const limit = options.limit ?? 100;
  const events = options.eventIds ?? [];
  const only = events.length > 0 ? ` AND event_id IN (${events.map(() => '?').join(', ')})` : '';
  const rows = options.newest
    ? await db.all<AuditRow>(`SELECT * FROM (SELECT * FROM audit WHERE seq > ?${only} ORDER BY seq DESC LIMIT ?) ORDER BY seq`, [options.afterSeq ?? 0, ...events, limit])
    : await db.all<AuditRow>(`SELECT * FROM audit WHERE seq > ?${only} ORDER BY seq LIMIT ?`, [options.afterSeq ?? 0, ...events, limit]);
  return rows.map((row) => ({
    seq: row.seq,
    id: row.id,
    kioskId: row.kiosk_id,
    at: row.at,
    eventId: row.event_id,
    operatorId: row.operator_id,
    disposition: row.disposition as Disposition,
    details: JSON.parse(row.details) as Record<string, Primitive>,
  }));
}

/**
 * The log mirror of an audit row names a card by its last 4 digits only: the audit row keeps the whole
 * number (it is the record), the log file is read by more people and leaves the kiosk.
 */
function maskCardNumbers(details: Record<string, Primitive>): Record<string, Primitive> {
  const masked: Record<string, Primitive> = {};
  for (const [field, value] of Object.entries(details)) {
    masked[field] = /cardnumber$/i.test(field) && typeof value === 'string' && value.length > 4 ? `…${value.slice(-4)}` : value;
  }
  return masked;
}
