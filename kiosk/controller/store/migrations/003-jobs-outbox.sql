-- 003: the journal of issuances in progress (resume after a crash) and the outbox for the fleet sync.

CREATE TABLE issuance_jobs (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  kiosk_id TEXT NOT NULL,
  card_type TEXT NOT NULL,
  operator_id TEXT,
  step TEXT NOT NULL,
  open INTEGER NOT NULL CHECK (open IN (0, 1)),
  context BLOB,                        -- encrypted JSON; NULL once purged
  issuance_id TEXT REFERENCES issuances(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX issuance_jobs_open ON issuance_jobs (open) WHERE open = 1;

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,             -- UUIDv7
  kiosk_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL,
  cardholder_id TEXT,                  -- lets retention find what a purge may drop
  payload BLOB,                        -- encrypted JSON; NULL once purged
  created_at TEXT NOT NULL,
  synced_at TEXT
) STRICT;
CREATE INDEX outbox_unsynced ON outbox (seq) WHERE synced_at IS NULL;
CREATE INDEX outbox_by_cardholder ON outbox (cardholder_id);
