-- Ticket tiers (issue 21): an event's tiers, each with its sale phases, and the fields the
-- program added to events, shards, tickets and buyer records for them.
--
-- `tiers` mirrors the program's `Tier` accounts; its phases (at most 4, replaced with the
-- tier) travel as a JSON array of {start, end, price, max_per_wallet, allow_list}, the
-- price as a decimal string (u64) and the allow-list root as hex ('' for a public phase).
-- A shard, a ticket and a buyer record name their tier; 255 (the program's NO_TIER) is the
-- event's own sale. A buyer record's `tiers` is its per-tier counts, a JSON array of 8
-- {bought, phase, in_phase}.

ALTER TABLE events
    ADD COLUMN tier_count        integer NOT NULL DEFAULT 0,
    ADD COLUMN shards_reserved   integer NOT NULL DEFAULT 0,
    ADD COLUMN tier_serial_start bigint  NOT NULL DEFAULT 0,
    ADD COLUMN tier_serial_end   bigint  NOT NULL DEFAULT 0,
    ADD COLUMN tiers_changed_at_proposal numeric(20) NOT NULL DEFAULT 0;
ALTER TABLE shards ADD COLUMN tier integer NOT NULL DEFAULT 255;
ALTER TABLE tickets ADD COLUMN tier integer NOT NULL DEFAULT 255;
ALTER TABLE buyer_records ADD COLUMN tiers jsonb NOT NULL DEFAULT '[]';
-- a sale's tier and phase, for sales figures per tier
ALTER TABLE purchases
    ADD COLUMN tier  integer NOT NULL DEFAULT 255,
    ADD COLUMN phase integer NOT NULL DEFAULT 0;

CREATE TABLE tiers (
    pubkey          text PRIMARY KEY,
    organizer       text NOT NULL,
    event           text NOT NULL,
    index           integer NOT NULL,
    name            text NOT NULL,
    supply          bigint NOT NULL,
    max_per_wallet  integer NOT NULL,
    serial_base     bigint NOT NULL,
    serial_span     bigint NOT NULL,
    first_shard     integer NOT NULL,
    shard_count     integer NOT NULL,
    shards_opened   integer NOT NULL,
    phases          jsonb NOT NULL,
    lamports        bigint NOT NULL,
    slot            bigint NOT NULL,
    UNIQUE (event, index)
);

-- Tiers are public, as events and shards are; the indexer writes them.
GRANT SELECT ON tiers TO bitticket_api;
ALTER TABLE tiers ENABLE ROW LEVEL SECURITY;
CREATE POLICY catalogue ON tiers FOR SELECT TO bitticket_api USING (true);
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON tiers TO bitticket_indexer;
CREATE POLICY indexer ON tiers FOR ALL TO bitticket_indexer USING (true) WITH CHECK (true);

-- The catalogue's `price_lamports` and `supply` stay the event's own sale's; `sold`, the
-- money columns and `open_room` are event-wide, and `total_supply` (added last) is the
-- event's own supply and its tiers' together. Tier shards issue their tier's serials:
-- shard first_shard + k of a tier holds (supply - 1 - k) / shard_count + 1 of them (none
-- when k >= supply).
CREATE OR REPLACE VIEW catalogue AS
SELECT e.pubkey, e.organizer, e.event_id, e.name, e.uri, e.price_lamports, e.supply,
       e.sale_start, e.sale_end, e.resale_unlock, e.max_per_wallet, e.check_in_start,
       e.check_in_end, e.paused, e.cancelled, e.approved,
       s.sold, s.revenue, s.refunded, s.swept, s.shards_opened,
       coalesce(o.name, '') AS organizer_name, s.open_room,
       e.supply + (SELECT coalesce(sum(t.supply), 0) FROM tiers t
                   WHERE t.event = e.pubkey)::bigint AS total_supply
FROM events e
LEFT JOIN organizers o ON o.pubkey = e.organizer
CROSS JOIN LATERAL (
    SELECT coalesce(sum(sh.sold), 0)::bigint AS sold,
           coalesce(sum(sh.revenue), 0) AS revenue,
           coalesce(sum(sh.refunded), 0) AS refunded,
           coalesce(sum(sh.swept), 0) AS swept,
           count(*)::int AS shards_opened,
           coalesce(sum(greatest(0,
               CASE WHEN sh.tier = 255 AND sh.index < e.supply
                    THEN (e.supply - 1 - sh.index) / greatest(e.shard_count, 1) + 1
                    WHEN sh.tier = 255 THEN 0
                    ELSE coalesce((SELECT CASE WHEN sh.index - t.first_shard < t.supply
                        THEN (t.supply - 1 - (sh.index - t.first_shard))
                             / greatest(t.shard_count, 1) + 1 ELSE 0 END
                        FROM tiers t WHERE t.event = e.pubkey AND t.index = sh.tier), 0)
               END - sh.sold)), 0)::bigint AS open_room
    FROM shards sh WHERE sh.event = e.pubkey
) s;

-- The public catalogue's tiers: each with its phases, what it sold and the room its opened
-- shards still hold.
CREATE VIEW catalogue_tiers AS
SELECT t.event, t.index, t.name, t.supply, t.max_per_wallet, t.phases, t.first_shard,
       t.shard_count, s.sold, s.shards_opened, s.open_room
FROM tiers t
CROSS JOIN LATERAL (
    SELECT coalesce(sum(sh.sold), 0)::bigint AS sold,
           count(*)::int AS shards_opened,
           coalesce(sum(greatest(0,
               CASE WHEN sh.index - t.first_shard < t.supply
                    THEN (t.supply - 1 - (sh.index - t.first_shard))
                         / greatest(t.shard_count, 1) + 1
                    ELSE 0 END - sh.sold)), 0)::bigint AS open_room
    FROM shards sh WHERE sh.event = t.event AND sh.tier = t.index
) s;

REVOKE ALL ON catalogue_tiers FROM PUBLIC;
GRANT SELECT ON catalogue_tiers TO bitticket_public;
