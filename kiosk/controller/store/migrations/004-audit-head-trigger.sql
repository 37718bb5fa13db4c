-- 004: each audit row carries the seal of the chain head it creates; a trigger moves it into
-- audit_head, so an append is one statement instead of two.

ALTER TABLE audit ADD COLUMN head_seal BLOB;

CREATE TRIGGER audit_move_head AFTER INSERT ON audit WHEN NEW.head_seal IS NOT NULL
BEGIN
  INSERT INTO audit_head (one, seq, mac, seal) VALUES (1, NEW.seq, NEW.mac, NEW.head_seal)
  ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, mac = excluded.mac, seal = excluded.seal;
END;
