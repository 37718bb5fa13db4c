import { err, ok, type Result } from '../../shared/result';
import type { CardSession, SessionError } from '../nfc/card-session';
import { trailerBlockOf } from '../nfc/mifare';
import type { WriteReport } from '../nfc/types';
import type { ChipKeys } from './keys';
import { decodeCardRecord, encodeWalletBlock, headerBlock, recordSectors, walletBlock, type CardImage } from './layout';
import type { WalletWriteError, WalletWriteRequest } from './types';

/**
 * The wallet mirror write of a top-up, on one card session: read the record (the static part must
 * verify and carry `cardNumber`; a wallet that does not verify is what a torn write left, and is
 * overwritten), then write block 56 (sector 14 opened with our key B), read it back and compare. The wallet block is
 * signed on its own (layout v2), so this one block write is the whole change: the chip holds either
 * the old wallet, the new one, or (torn) one that does not verify.
 */
const [headerSector, walletSector] = recordSectors;

export async function writeWalletOnCard(
  session: CardSession,
  keys: ChipKeys,
  request: WalletWriteRequest,
): Promise<Result<{ balance: number; counter: number }, WalletWriteError>> {
  let inFlight: number | null = null;
  const stopped = (error: SessionError): WalletWriteError => {
    const report: WriteReport =
      inFlight === null
        ? { written: [], notWritten: [walletBlock], inFlight: null, state: 'untouched' }
        : // The write may have landed whole, in part (torn) or not at all: read the card to know.
          { written: [], notWritten: [], inFlight, state: 'commit_uncertain' };
    const message = `${error.message}; chip state: ${report.state}`;
    switch (error.kind) {
      case 'card_removed':
      case 'reader_unavailable':
        return { kind: 'card_removed', ...report, message };
      case 'timeout':
        return { kind: 'timeout', command: error.command, ...report, message };
      case 'write_verify_failed':
        return { kind: 'verify_failed', block: error.block, message: error.message };
      case 'command_failed':
      case 'auth_failed':
        return error;
    }
  };

  const read = await readRecordBlocks(session, keys);
  if (!read.ok) return err(stopped(read.error));
  const decoded = decodeCardRecord(read.value, keys);
  // A torn wallet under a verified record is exactly what this write mends; anything else is refused.
  const record = decoded.ok ? decoded.value : decoded.error.kind === 'wallet_invalid' ? decoded.error.record : undefined;
  if (!decoded.ok && !record) return err({ kind: 'record_invalid', error: decoded.error, message: decoded.error.message });
  if (record && record.cardNumber !== request.cardNumber) {
    const uid = Buffer.from(keys.uid).toString('hex').toUpperCase();
    return err({ kind: 'wrong_card', expectedUid: uid, actualUid: uid, reason: 'card_number', message: 'the card on the reader carries another card number; nothing was written' });
  }
  const block = encodeWalletBlock(read.value.get(headerBlock) ?? new Uint8Array(), { balance: request.balance, transactionCounter: request.counter }, keys);
  if (!block.ok) return err({ kind: 'invalid_record', error: block.error, message: block.error.message });

  // Sector 14 is still open with key B from the read (data blocks: read A|B, write B only).
  const written = await session.writeVerified(walletBlock, block.value, () => (inFlight = walletBlock));
  if (!written.ok) return err(stopped(written.error));
  return ok({ balance: request.balance, counter: request.counter });
}

/**
 * Blocks 52..54 with the diversified key A, then 56..58 with key B, which the write needs next: the
 * wallet sector stays authenticated for it (a blank or foreign sector fails as auth_failed).
 */
async function readRecordBlocks(session: CardSession, keys: ChipKeys): Promise<Result<CardImage, SessionError>> {
  const image = new Map<number, Uint8Array>();
  for (const [sector, keyType] of [[headerSector, 'A'], [walletSector, 'B']] as const) {
    const sectorKeys = keys.sectors[sector];
    if (!sectorKeys) throw new Error(`no keys for sector ${sector}`);
    const opened = await session.authenticate(sector, [{ keyType, key: keyType === 'A' ? sectorKeys.keyA : sectorKeys.keyB }]);
    if (!opened.ok) return opened;
    for (let block = sector * 4; block < trailerBlockOf(sector); block++) {
      const data = await session.read(block);
      if (!data.ok) return data;
      image.set(block, data.value);
    }
  }
  return ok(image);
}
