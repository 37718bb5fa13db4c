-- 002: staff who sign in with their employee card and a PIN.

CREATE TABLE operators (
  id TEXT PRIMARY KEY,                 -- UUIDv7
  staff_card_hash BLOB NOT NULL UNIQUE,-- HMAC of the staff card number
  name BLOB NOT NULL,                  -- encrypted
  role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'technician')),
  pin_hash TEXT NOT NULL,              -- scrypt
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until TEXT,
  disabled_at TEXT,
  created_at TEXT NOT NULL
) STRICT;
