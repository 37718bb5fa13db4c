import { err, ok, type Result } from '../../shared/result';
import type { CardSession, KeyCandidate, SessionError } from '../nfc/card-session';
import { blockSize, transportKey, trailerBlockOf } from '../nfc/mifare';
import type { NfcError, WriteReport, WriteState } from '../nfc/types';
import type { ChipKeys } from './keys';
import {
  decodeCardRecord,
  encodeCardRecord,
  macBlock,
  recordSectors,
  sectorTrailers,
  walletBlock,
  reservedBlock,
  headerBlock,
  detailsBlock,
  holderBlock,
  type CitizenCardRecord,
} from './layout';
import type { CitizenCardError } from './types';

/**
 * The personalisation sequence. The MAC block is the commit point: it is zeroed first and written
 * last, so a card pulled away at any moment is either fully personalised or reads as `incomplete`
 * (or, if never touched, as it was) — never a record that verifies but is wrong.
 *
 *   1. sector 14 (transport key A or our key B): MAC := 0, wallet, reserved, trailer (our keys)
 *   2. sector 13: header, details, holder hash, trailer (our keys)
 *   3. sector 14 (our key B): MAC                                           ← commit
 *   4. read everything back with key A, decode, verify the MAC, compare with the record
 */
const [headerSector, walletSector] = recordSectors;

interface Step {
  readonly sector: number;
  readonly blocks: readonly number[];
}

const plan: readonly Step[] = [
  { sector: walletSector, blocks: [macBlock, walletBlock, reservedBlock, trailerBlockOf(walletSector)] },
  { sector: headerSector, blocks: [headerBlock, detailsBlock, holderBlock, trailerBlockOf(headerSector)] },
  { sector: walletSector, blocks: [macBlock] },
];

/**
 * Writing: the transport key first (a blank card: the kiosk's usual case), then our key B (a card being
 * re-personalised). A MIFARE Classic halts after a failed authentication and the session re-selects it,
 * which costs a power cycle: so the likely key goes first and a blank card meets no failure at all.
 */
function writeKeys(keys: ChipKeys, sector: number): KeyCandidate[] {
  const ours = keys.sectors[sector];
  return [{ keyType: 'A', key: transportKey }, ...(ours ? [{ keyType: 'B' as const, key: ours.keyB }] : [])];
}

function readKeys(keys: ChipKeys, sector: number): KeyCandidate[] {
  const ours = keys.sectors[sector];
  return ours ? [{ keyType: 'A', key: ours.keyA }] : [];
}

export async function personaliseCard(
  session: CardSession,
  record: CitizenCardRecord,
  keys: ChipKeys,
): Promise<Result<{ written: number[] }, CitizenCardError>> {
  const encoded = encodeCardRecord(record, keys);
  if (!encoded.ok) return err({ kind: 'invalid_record', error: encoded.error, message: encoded.error.message });
  const image = new Map(encoded.value);
  for (const [block, trailer] of sectorTrailers(keys)) image.set(block, trailer);
  const zeroMac = new Uint8Array(blockSize);

  const written: number[] = [];
  const remaining = plan.flatMap((step) => step.blocks);
  let inFlight: number | null = null;
  const removed = (error: SessionError): NfcError => {
    const state = stateAfter(written, inFlight);
    const notWritten = remaining.filter((block, index) => remaining.indexOf(block) === index);
    const report: WriteReport = { written: [...written], notWritten, inFlight, state };
    const message = `${error.message}; chip state: ${state}`;
    switch (error.kind) {
      case 'card_removed':
      case 'reader_unavailable':
        return { kind: 'card_removed', ...report, message };
      case 'timeout':
        return { kind: 'timeout', command: error.command, ...report, message };
      case 'command_failed':
      case 'auth_failed':
      case 'write_verify_failed':
        return error;
    }
  };

  for (const [index, step] of plan.entries()) {
    const commit = index === plan.length - 1;
    // The commit step runs after our trailer is in place: only our key B may open it.
    const candidates = commit ? writeKeys(keys, step.sector).filter((c) => c.keyType === 'B') : writeKeys(keys, step.sector);
    const opened = await session.authenticate(step.sector, candidates);
    if (!opened.ok && opened.error.kind === 'auth_failed' && written.length === 0) {
      // Nothing written yet and neither key opens the sector: not a blank card, not one of ours.
      return err({ kind: 'auth_failed', sector: step.sector, message: `neither the transport key nor this kiosk's key opens sector ${step.sector}: the card is keyed by another master key` });
    }
    if (!opened.ok) return err(removed(opened.error));
    for (const block of step.blocks) {
      const data = block === macBlock && !commit ? zeroMac : image.get(block);
      if (!data) throw new Error(`no data planned for block ${block}`);
      const result = await session.writeVerified(block, data, () => (inFlight = block));
      if (!result.ok) return err(removed(result.error));
      inFlight = null;
      written.push(block);
      remaining.splice(remaining.indexOf(block), 1);
    }
  }

  const verified = await readCardRecord(session, keys);
  if (!verified.ok) {
    if (verified.error.kind === 'card_removed' || verified.error.kind === 'timeout') {
      return err({ ...verified.error, written: [...written], notWritten: [], inFlight: null, state: 'written_unverified' });
    }
    return err({ kind: 'write_verify_failed', block: macBlock, message: `read-back after personalisation failed: ${verified.error.message}` });
  }
  if (JSON.stringify(verified.value) !== JSON.stringify(record)) {
    return err({ kind: 'write_verify_failed', block: headerBlock, message: 'the record read back differs from the one written' });
  }
  return ok({ written });
}

function stateAfter(written: readonly number[], inFlight: number | null): WriteState {
  if (written.length === 0 && inFlight === null) return 'untouched';
  // The MAC was zeroed first, so only the final MAC write can make the record verify.
  if (inFlight === macBlock && written.includes(macBlock)) return 'commit_uncertain';
  return 'incomplete';
}

/** Reads the application sectors with the diversified key A, decodes and verifies the MAC. */
export async function readCardRecord(session: CardSession, keys: ChipKeys): Promise<Result<CitizenCardRecord, CitizenCardError>> {
  const image = new Map<number, Uint8Array>();
  for (const sector of recordSectors) {
    const opened = await session.authenticate(sector, readKeys(keys, sector));
    if (!opened.ok) {
      if (opened.error.kind !== 'auth_failed') return err(sessionToNfcError(opened.error));
      // Our key does not open it: a blank sector still has the transport key.
      const blank = await session.authenticate(sector, [{ keyType: 'A', key: transportKey }]);
      if (blank.ok) return err({ kind: 'record_invalid', error: { kind: 'not_personalised', message: `sector ${sector} still has the transport key` }, message: 'card not personalised' });
      if (blank.error.kind !== 'auth_failed') return err(sessionToNfcError(blank.error));
      // Neither key opens it: keys of another master key (another city, a test card) or a foreign card.
      return err({ kind: 'auth_failed', sector, message: `neither this kiosk's key nor the transport key opens sector ${sector}: the card is keyed by another master key` });
    }
    for (let block = sector * 4; block < trailerBlockOf(sector); block++) {
      const data = await session.read(block);
      if (!data.ok) return err(sessionToNfcError(data.error));
      image.set(block, data.value);
    }
  }
  const decoded = decodeCardRecord(image, keys);
  if (!decoded.ok) return err({ kind: 'record_invalid', error: decoded.error, message: decoded.error.message });
  return ok(decoded.value);
}

/** A read writes nothing: a card that leaves or falls silent during one is untouched by it. */
const untouched: WriteReport = { written: [], notWritten: [], inFlight: null, state: 'untouched' };

function sessionToNfcError(error: SessionError): NfcError {
  switch (error.kind) {
    case 'card_removed':
      return { kind: 'card_removed', ...untouched, message: error.message };
    case 'timeout':
      return { kind: 'timeout', command: error.command, ...untouched, message: error.message };
    case 'reader_unavailable':
    case 'command_failed':
    case 'auth_failed':
    case 'write_verify_failed':
      return error;
  }
}
