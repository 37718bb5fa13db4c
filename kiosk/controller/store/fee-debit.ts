import { feeIncomeAccount, walletAccount } from '../../../shared/domain/wallet';
import { err, ok, type Result } from '../../../shared/result';
import type { StoreContext } from './context';
import type { Queries } from './database';
import { uuidv7 } from './ids';

/**
 * A replacement's fee paid from the replaced card's e-wallet (issue 16): one `fee` transfer from the
 * card's wallet to fee income, inside the caller's transaction (the issuance's), so the money moves
 * with the card's record or not at all. Once per job: a second call for the same job changes nothing
 * (and the unique index `ledger_one_fee_per_job` says so to any second writer).
 */
export async function debitFee(
  tx: Queries,
  context: StoreContext,
  input: { readonly cardNumber: string; readonly amount: number; readonly jobId: string; readonly operatorId: string | null; readonly at: string },
): Promise<Result<{ readonly transferId: string; readonly balance: number }, { readonly kind: 'wallet_short'; readonly balance: number }>> {
  const account = walletAccount(input.cardNumber);
  const done = await tx.get<{ id: string }>(`SELECT id FROM ledger_transfers WHERE kind = 'fee' AND journal_id = ?`, [input.jobId]);
  const balance = await walletBalance(tx, input.cardNumber);
  if (done) return ok({ transferId: done.id, balance });
  if (balance < input.amount) return err({ kind: 'wallet_short', balance });
  const transferId = uuidv7(context.clock);
  await tx.run(
    `INSERT INTO ledger_transfers (id, kiosk_id, kind, from_account, to_account, amount, card_number, journal_id, month, operator_id, at)
     VALUES (?, ?, 'fee', ?, ?, ?, ?, ?, NULL, ?, ?)`,
    [transferId, context.kioskId, account, feeIncomeAccount, input.amount, input.cardNumber, input.jobId, input.operatorId, input.at],
  );
  return ok({ transferId, balance: balance - input.amount });
}

/** The card's e-wallet balance as its transfers say (0 when the ledger has none). */
export async function walletBalance(tx: Queries, cardNumber: string): Promise<number> {
  const account = walletAccount(cardNumber);
  const row = await tx.get<{ balance: number | null }>(
    `SELECT SUM(CASE WHEN to_account = ? THEN amount ELSE -amount END) AS balance
     FROM ledger_transfers WHERE card_number = ? AND (to_account = ? OR from_account = ?)`,
    [account, cardNumber, account, account],
  );
  return row?.balance ?? 0;
}

/**
 * The e-wallet a replacement's fee may be paid from: the person's latest card of that type still
 * theirs (active or hot-listed), when the ledger keeps a wallet account for it (it has transfers).
 */
export async function replacedCardWallet(tx: Queries, cardholderIdHash: Buffer, cardType: string): Promise<{ readonly cardNumber: string; readonly balance: number } | null> {
  const card = await tx.get<{ card_number: string }>(
    `SELECT i.card_number FROM issuances i JOIN cardholders c ON c.id = i.cardholder_id
     WHERE c.id_hash = ? AND i.card_type = ? AND i.status IN ('active', 'hot-listed') ORDER BY i.issued_at DESC, i.rowid DESC LIMIT 1`,
    [cardholderIdHash, cardType],
  );
  if (!card) return null;
  const account = walletAccount(card.card_number);
  const has = await tx.get('SELECT 1 AS one FROM ledger_transfers WHERE card_number = ? AND (to_account = ? OR from_account = ?) LIMIT 1', [card.card_number, account, account]);
  if (!has) return null;
  return { cardNumber: card.card_number, balance: await walletBalance(tx, card.card_number) };
}
