-- How far the mirror is complete: every transaction of the program at or below
-- `synced_slot` is in it. The checkpoint's (slot, signature) is where ingest resumes;
-- it only moves when the program has a transaction, so on a quiet program it falls
-- behind the chain while the mirror is in fact current. Lag is tip - synced_slot.
ALTER TABLE checkpoints ADD COLUMN synced_slot bigint NOT NULL DEFAULT 0;
UPDATE checkpoints SET synced_slot = slot;
