-- 006: nursing-home and pre-registered batches. A row's personal data (names, ID number, birth date, the
-- guardian) is one encrypted JSON blob, found by the keyed hash of the ID number like a cardholder. A row's
-- progress is not stored here: it is the card job the row started (issuance_jobs.batch_row_id).

CREATE TABLE batches (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  kiosk_id TEXT NOT NULL,
  label TEXT NOT NULL,                 -- the home or the list ("康寧長照中心 12月"), never a person
  source TEXT NOT NULL CHECK (source IN ('nursing-home', 'pre-registered')),
  session_id TEXT REFERENCES service_sessions(id),
  rows_in_file INTEGER NOT NULL CHECK (rows_in_file >= 0),
  rows_left_out INTEGER NOT NULL CHECK (rows_left_out >= 0),  -- rows with problems, not imported (supervisor's say-so)
  imported_at TEXT NOT NULL,
  imported_by TEXT
) STRICT;

CREATE TABLE batch_rows (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  batch_id TEXT NOT NULL REFERENCES batches(id),
  row_number INTEGER NOT NULL,         -- the row in the imported file
  room TEXT NOT NULL,                  -- worked room by room: a room number, not a person
  id_hash BLOB NOT NULL,               -- HMAC of the ID number
  pii BLOB,                            -- encrypted JSON: the row's whole application; NULL once purged
  card_type TEXT NOT NULL,
  scheme TEXT NOT NULL CHECK (scheme IN ('easycard', 'ipass')),
  replacement INTEGER NOT NULL CHECK (replacement IN (0, 1)),
  bedridden INTEGER NOT NULL CHECK (bedridden IN (0, 1)),
  second_visit_reason TEXT,            -- a SecondVisitReason code
  second_visit_at TEXT,
  second_visit_by TEXT,
  UNIQUE (batch_id, id_hash)
) STRICT;
CREATE INDEX batch_rows_by_batch ON batch_rows (batch_id, room, row_number);

-- The batch row a card job was started for (picked from the list): the row's status is read from its jobs.
ALTER TABLE issuance_jobs ADD COLUMN batch_row_id TEXT REFERENCES batch_rows(id);
CREATE INDEX issuance_jobs_by_batch_row ON issuance_jobs (batch_row_id) WHERE batch_row_id IS NOT NULL;
