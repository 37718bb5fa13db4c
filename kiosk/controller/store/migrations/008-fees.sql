-- 008: a replacement's fee settled at the review (issue 16): how it was paid (cash, from the replaced
-- card's e-wallet) or why it was waived and who approved the waiver, and the signed receipt's id.
-- A fee paid from an e-wallet is a `fee` transfer (wallet:<old card> → fee-income) written in the
-- issuance's own transaction, once per job (its `journal_id` is the job id).

ALTER TABLE issuances ADD COLUMN fee_method TEXT CHECK (fee_method IN ('cash', 'wallet', 'waived'));
ALTER TABLE issuances ADD COLUMN fee_waiver_reason TEXT;
ALTER TABLE issuances ADD COLUMN fee_approved_by TEXT;
ALTER TABLE issuances ADD COLUMN fee_receipt_id TEXT;

-- SQLite cannot change a CHECK: the ledger is rebuilt with the `fee` kind, rows and order kept (seq).
CREATE TABLE ledger_transfers_008 (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,             -- UUIDv7
  kiosk_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('cash-top-up', 'adjustment', 'points-load', 'points-lapse', 'fee')),
  from_account TEXT NOT NULL,
  to_account TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  card_number TEXT NOT NULL,
  journal_id TEXT,                     -- cash-top-up: the note's cash_journal id; adjustment: the exception's id; fee: the job id
  month TEXT,                          -- points: YYYY-MM
  operator_id TEXT,                    -- adjustment: the supervisor; fee: the operator
  at TEXT NOT NULL,
  CHECK (from_account <> to_account),
  CHECK ((kind IN ('points-load', 'points-lapse')) = (month IS NOT NULL))
) STRICT;
INSERT INTO ledger_transfers_008 (seq, id, kiosk_id, kind, from_account, to_account, amount, card_number, journal_id, month, operator_id, at)
  SELECT seq, id, kiosk_id, kind, from_account, to_account, amount, card_number, journal_id, month, operator_id, at FROM ledger_transfers;
DROP TABLE ledger_transfers;
ALTER TABLE ledger_transfers_008 RENAME TO ledger_transfers;
CREATE INDEX ledger_transfers_by_card ON ledger_transfers (card_number, seq);
CREATE UNIQUE INDEX ledger_one_credit_per_note ON ledger_transfers (journal_id) WHERE kind = 'cash-top-up';
CREATE UNIQUE INDEX ledger_one_load_per_month ON ledger_transfers (card_number, month) WHERE kind = 'points-load';
CREATE UNIQUE INDEX ledger_one_lapse_per_month ON ledger_transfers (card_number, month) WHERE kind = 'points-lapse';
CREATE UNIQUE INDEX ledger_one_adjustment_per_exception ON ledger_transfers (journal_id) WHERE kind = 'adjustment';
-- A job's fee is taken from a wallet once, whatever retries or a second kiosk on the same file do.
CREATE UNIQUE INDEX ledger_one_fee_per_job ON ledger_transfers (journal_id) WHERE kind = 'fee';
