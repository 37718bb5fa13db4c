import { silentLog, type LogSink } from '../../shared/log';
import { ok, type Result } from '../../shared/result';
import type { NfcStation } from '../nfc/types';
import type { ChipKeys } from './keys';
import type { CitizenCardRecord } from './layout';
import { personaliseCard, readCardRecord } from './personalise';
import type { CitizenCardError, CitizenCardStation, PersonaliseReport, ReadRecordValue, WalletWriteError, WalletWriteRequest, WalletWritten } from './types';
import { writeWalletOnCard } from './wallet-write';

/** The citizen-card record over a station: each write or read is one operation on the card the keys were derived for. */
export function citizenCardStation(station: NfcStation, log: LogSink = silentLog): CitizenCardStation {
  return {
    on: (event, listener) => station.on(event, listener),
    off: (event, listener) => station.off(event, listener),
    readerName: () => station.readerName(),
    currentCard: () => station.currentCard(),
    close: () => station.close(),
    personalise(record: CitizenCardRecord, keys: ChipKeys): Promise<Result<PersonaliseReport, CitizenCardError>> {
      return station.withCard(keys.uid, async (session, tap): Promise<Result<PersonaliseReport, CitizenCardError>> => {
        log({ eventId: 'nfc-personalise-init', disposition: 'na', message: 'personalising card' });
        const result = await personaliseCard(session, record, keys);
        log({
          eventId: 'nfc-personalise-complete',
          disposition: result.ok ? 'success' : 'failure',
          message: result.ok ? 'card personalised and verified' : result.error.message,
          ...(result.ok ? {} : { error: result.error.kind }),
        });
        return result.ok ? ok({ uid: tap.uid, written: result.value.written, record }) : result;
      });
    },
    readRecord(keys: ChipKeys): Promise<Result<ReadRecordValue, CitizenCardError>> {
      return station.withCard(keys.uid, async (session, tap): Promise<Result<ReadRecordValue, CitizenCardError>> => {
        const result = await readCardRecord(session, keys);
        log({
          eventId: 'nfc-read-record',
          disposition: result.ok ? 'success' : 'failure',
          message: result.ok ? 'record read and verified' : result.error.message,
          ...(result.ok ? {} : { error: result.error.kind }),
        });
        return result.ok ? ok({ uid: tap.uid, record: result.value, mac: 'verified' as const }) : result;
      });
    },
    writeWallet(keys: ChipKeys, wallet: WalletWriteRequest): Promise<Result<WalletWritten, WalletWriteError>> {
      return station.withCard(keys.uid, async (session, tap): Promise<Result<WalletWritten, WalletWriteError>> => {
        const result = await writeWalletOnCard(session, keys, wallet);
        // No balance or card number in the log: personal data.
        log({
          eventId: 'nfc-wallet-write',
          disposition: result.ok ? 'success' : 'failure',
          message: result.ok ? 'wallet mirror written and verified' : result.error.message,
          ...(result.ok ? {} : { error: result.error.kind }),
        });
        return result.ok ? ok({ uid: tap.uid, cardNumber: wallet.cardNumber, ...result.value }) : result;
      });
    },
  };
}
