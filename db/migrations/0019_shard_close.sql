-- Closing shards after the event (issue 22): a shard records the event manager who opened
-- it and paid its rent (`opened_by`), to whom `close_shard` gives it back. A closed shard
-- has no account any more: its row stays, marked by `closed_slot` (set from the
-- ShardClosed event), so the sales figures that add up shards keep counting what it sold.
-- A shard never reopens at the same address.
ALTER TABLE shards
    ADD COLUMN opened_by   text NOT NULL DEFAULT '',
    ADD COLUMN closed_slot bigint;
