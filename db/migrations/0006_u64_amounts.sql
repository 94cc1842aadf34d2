-- Amounts that are a u64 on chain are stored whole. An event's price is whatever its
-- organizer set (10^19 lamports is a valid price), and bigint stopped at 2^63 - 1, where
-- the sink clamped it; the sums and copies of prices follow it. Account balances and slots
-- stay bigint: every lamport ever minted fits.
ALTER TABLE events ALTER COLUMN price_lamports TYPE numeric(20);
ALTER TABLE shards
    ALTER COLUMN revenue TYPE numeric(20),
    ALTER COLUMN refunded TYPE numeric(20),
    ALTER COLUMN swept TYPE numeric(20),
    ALTER COLUMN reserve TYPE numeric(20);
ALTER TABLE tickets ALTER COLUMN price_paid TYPE numeric(20);
ALTER TABLE purchases ALTER COLUMN price TYPE numeric(20);
ALTER TABLE refunds ALTER COLUMN amount TYPE numeric(20);
ALTER TABLE sweeps ALTER COLUMN amount TYPE numeric(20);
