-- 005: find the latest audit row of an event (the tamper latch at start, cash sequence numbers)
-- without scanning the whole log.

CREATE INDEX audit_event_seq ON audit (event_id, seq);
