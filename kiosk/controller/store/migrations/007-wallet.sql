-- 007: the e-wallet, welfare points and the cash journal (shared/domain/wallet.ts). Money is whole NT
-- dollars. Every note is journaled while it is still in escrow and credited, once, in the transaction
-- that closes its journal row; a card's balance is derived from its transfers, never stored alone.

-- A citizen's visit to top up: the notes of one receipt.
CREATE TABLE top_ups (
  id TEXT PRIMARY KEY,                 -- UUIDv7: the receipt's journal id
  kiosk_id TEXT NOT NULL,
  card_number TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT
) STRICT;

-- One row per note, from escrow to its end. `escrow_counter` is the validator's event counter of the
-- escrow report; `state` moves escrow → routing (stack sent) → credited | returned | exception.
CREATE TABLE cash_journal (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  top_up_id TEXT NOT NULL REFERENCES top_ups(id),
  card_number TEXT NOT NULL,
  device TEXT NOT NULL CHECK (device IN ('cctalk', 'pulse')),
  bill_type INTEGER,                   -- the validator's bill type (NULL for a pulse acceptor)
  amount INTEGER NOT NULL CHECK (amount > 0),
  escrow_counter INTEGER,              -- NULL for a pulse acceptor (no escrow)
  stacked_counter INTEGER,
  state TEXT NOT NULL CHECK (state IN ('escrow', 'routing', 'credited', 'returned', 'exception')),
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  CHECK ((state IN ('escrow', 'routing')) = (closed_at IS NULL))
) STRICT;
-- A validator holds one note in escrow at a time: at most one journal row is open.
CREATE UNIQUE INDEX cash_journal_one_open ON cash_journal (device) WHERE state IN ('escrow', 'routing');
CREATE INDEX cash_journal_by_top_up ON cash_journal (top_up_id);

-- The double-entry ledger: money and points move from one account to another, amount > 0.
CREATE TABLE ledger_transfers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,             -- UUIDv7
  kiosk_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('cash-top-up', 'adjustment', 'points-load', 'points-lapse')),
  from_account TEXT NOT NULL,
  to_account TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  card_number TEXT NOT NULL,
  journal_id TEXT,                     -- cash-top-up: the note's cash_journal id; adjustment: the exception's id
  month TEXT,                          -- points: YYYY-MM
  operator_id TEXT,                    -- adjustment: the supervisor
  at TEXT NOT NULL,
  CHECK (from_account <> to_account),
  CHECK ((kind IN ('points-load', 'points-lapse')) = (month IS NOT NULL))
) STRICT;
CREATE INDEX ledger_transfers_by_card ON ledger_transfers (card_number, seq);
-- A note is credited once; a month's points are loaded once per card, and lapse once.
CREATE UNIQUE INDEX ledger_one_credit_per_note ON ledger_transfers (journal_id) WHERE kind = 'cash-top-up';
CREATE UNIQUE INDEX ledger_one_load_per_month ON ledger_transfers (card_number, month) WHERE kind = 'points-load';
CREATE UNIQUE INDEX ledger_one_lapse_per_month ON ledger_transfers (card_number, month) WHERE kind = 'points-lapse';
-- A supervisor's settlement credits an exception once.
CREATE UNIQUE INDEX ledger_one_adjustment_per_exception ON ledger_transfers (journal_id) WHERE kind = 'adjustment';

-- The card's balance mirror as last read back from the chip: the wallet counter on the chip, and
-- the balance it showed. The ledger's counter for a card is the number of its wallet transfers; a
-- card whose confirmed counter is behind it has a credit pending for the next tap.
CREATE TABLE card_mirrors (
  card_number TEXT PRIMARY KEY,
  counter INTEGER NOT NULL CHECK (counter >= 0),
  balance INTEGER NOT NULL CHECK (balance >= 0),
  confirmed_at TEXT NOT NULL
) STRICT;

-- What the kiosk will not guess about, for a supervisor to settle: lost validator events, a jam that
-- may have taken a note, a chip mirror ahead of the ledger or with a bad MAC.
CREATE TABLE wallet_exceptions (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  kind TEXT NOT NULL CHECK (kind IN ('events-lost', 'validator-restarted', 'note-unsafe-jam', 'note-unknown', 'mirror-ahead', 'mirror-bad-mac', 'note-unclaimed')),
  card_number TEXT,
  journal_id TEXT REFERENCES cash_journal(id),
  amount INTEGER,                      -- the money in question, when known
  details TEXT NOT NULL,               -- JSON, no personal data
  opened_at TEXT NOT NULL,
  settled_at TEXT,
  settled_by TEXT,
  settlement TEXT CHECK (settlement IN ('credited', 'refunded', 'no-money', 'card-corrected')),
  CHECK ((settled_at IS NULL) = (settlement IS NULL))
) STRICT;
CREATE INDEX wallet_exceptions_open ON wallet_exceptions (opened_at) WHERE settled_at IS NULL;

-- The cash box: opened (audited) and counted by denomination, for `kioskctl reconcile`.
CREATE TABLE cash_box_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('opened', 'counted')),
  counts TEXT,                         -- counted: JSON {"100": n, "500": n, "1000": n}
  operator_id TEXT NOT NULL,
  at TEXT NOT NULL,
  CHECK ((kind = 'counted') = (counts IS NOT NULL))
) STRICT;

-- The month's welfare points of a card this kiosk issued (its type and household district decide them).
ALTER TABLE issuances ADD COLUMN monthly_points INTEGER CHECK (monthly_points >= 0);
