-- 001: cardholders, their cards, card-number sequences and the hash-chained audit log.
-- Personal data lives only in encrypted BLOBs (AES-256-GCM); look-ups go through keyed hashes.

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE cardholders (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  id_hash BLOB NOT NULL UNIQUE,        -- HMAC of the ID number
  pii BLOB,                            -- encrypted JSON; NULL once purged
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  purged_at TEXT
) STRICT;

CREATE TABLE issuances (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  cardholder_id TEXT NOT NULL REFERENCES cardholders(id),
  kiosk_id TEXT NOT NULL,
  card_number TEXT NOT NULL UNIQUE,
  card_type TEXT NOT NULL,
  scheme TEXT NOT NULL,
  uid TEXT NOT NULL,
  school_level TEXT,
  cause TEXT NOT NULL CHECK (cause IN ('new', 'replacement')),
  replacement_cause TEXT,
  replaces_issuance_id TEXT REFERENCES issuances(id),
  fee INTEGER NOT NULL CHECK (fee >= 0),  -- whole NT dollars
  status TEXT NOT NULL CHECK (status IN ('active', 'hot-listed', 'void')),
  status_changed_at TEXT,
  operator_id TEXT,
  photo BLOB,                          -- encrypted JPEG; NULL when none or purged
  issued_at TEXT NOT NULL
) STRICT;
CREATE INDEX issuances_by_cardholder ON issuances (cardholder_id, card_type, status);

CREATE TABLE card_sequences (
  card_type TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) STRICT;

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,             -- chain order
  id TEXT NOT NULL UNIQUE,             -- UUIDv7, unique across the fleet
  kiosk_id TEXT NOT NULL,
  at TEXT NOT NULL,
  event_id TEXT NOT NULL,
  operator_id TEXT,
  disposition TEXT NOT NULL CHECK (disposition IN ('success', 'failure', 'na')),
  details TEXT NOT NULL,               -- JSON, no personal data
  prev_mac BLOB NOT NULL,
  mac BLOB NOT NULL                    -- HMAC(audit key, prev_mac || canonical row)
) STRICT;

-- The newest row's MAC, itself MACed: deleting the last rows of the chain is detected too.
CREATE TABLE audit_head (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  seq INTEGER NOT NULL,
  mac BLOB NOT NULL,
  seal BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
