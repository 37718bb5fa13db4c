-- 005: service sessions and their stock ledger (shared/domain/service-session.ts). Every card job
-- belongs to the session open when it began; every blank that enters the printer ends as exactly one
-- `issued` or `spoiled` movement, written in the same transaction as the job step that decides it.

CREATE TABLE service_sessions (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  kiosk_id TEXT NOT NULL,
  site TEXT NOT NULL,                  -- where the team is (a place, never a person)
  mode TEXT NOT NULL CHECK (mode IN ('market', 'transit-station', 'campus', 'nursing-home', 'office-counter')),
  opened_at TEXT NOT NULL,
  opened_by TEXT,                      -- the supervisor's operator id
  ribbon_prints_at_open INTEGER,       -- the printer's `Rco;I` when the session opened; NULL if it did not say
  closed_at TEXT,
  closed_by TEXT,                      -- the supervisor who counted and closed
  ribbon_prints_at_close INTEGER,
  close_note TEXT                      -- the supervisor's note on a discrepancy
) STRICT;
-- At most one open session per kiosk.
CREATE UNIQUE INDEX service_sessions_one_open ON service_sessions (kiosk_id) WHERE closed_at IS NULL;

CREATE TABLE stock_movements (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,             -- UUIDv7
  session_id TEXT NOT NULL REFERENCES service_sessions(id),
  scheme TEXT NOT NULL CHECK (scheme IN ('easycard', 'ipass')),
  kind TEXT NOT NULL CHECK (kind IN ('loaded', 'issued', 'spoiled', 'returned', 'voided')),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  reason TEXT,                         -- loaded: box | count-discrepancy; spoiled, voided: a SpoilReason
  job_id TEXT REFERENCES issuance_jobs(id),
  blank TEXT,                          -- which blank of the job (its print attempt), so one blank is never booked twice
  card_number TEXT,
  operator_id TEXT,
  at TEXT NOT NULL,
  CHECK ((kind IN ('loaded', 'spoiled', 'voided')) = (reason IS NOT NULL))
) STRICT;
CREATE INDEX stock_movements_by_session ON stock_movements (session_id, seq);
CREATE UNIQUE INDEX stock_movements_one_end_per_blank ON stock_movements (job_id, blank) WHERE job_id IS NOT NULL AND kind IN ('issued', 'spoiled');
-- An issued card is voided at most once.
CREATE UNIQUE INDEX stock_movements_one_void_per_blank ON stock_movements (job_id, blank) WHERE job_id IS NOT NULL AND kind = 'voided';

-- The closing count per scheme (what the ledger expected, what the supervisor counted).
CREATE TABLE session_counts (
  session_id TEXT NOT NULL REFERENCES service_sessions(id),
  scheme TEXT NOT NULL CHECK (scheme IN ('easycard', 'ipass')),
  expected INTEGER NOT NULL,
  counted INTEGER NOT NULL CHECK (counted >= 0),
  PRIMARY KEY (session_id, scheme)
) STRICT;

ALTER TABLE issuance_jobs ADD COLUMN session_id TEXT REFERENCES service_sessions(id);
ALTER TABLE issuance_jobs ADD COLUMN scheme TEXT;
-- How many blanks the job has taken from the feeder (its print attempts that picked a card); the
-- current one is `blanks_used`, booked as stock_movements.blank = that number once it ends.
ALTER TABLE issuance_jobs ADD COLUMN blanks_used INTEGER NOT NULL DEFAULT 0;
-- Why the blank the job holds failed last (a SpoilReason), for booking it if it leaves the printer unseen.
ALTER TABLE issuance_jobs ADD COLUMN blank_fault TEXT;
