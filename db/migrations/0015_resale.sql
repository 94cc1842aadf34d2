-- The capped resale market (issue 21): an event's resale terms, the listings the program
-- holds, and a history row for each listing, delisting and sale.
--
-- `listings` mirrors the program's `Listing` accounts (PDA ["listing", ticket]). A listing
-- that is closed (delisted, void or sold) has no account any more: its row stays as
-- history, marked by `closed_slot` (set from the TicketDelisted / ListingSold event), as a
-- closed proposal's does. The same address is used again when the ticket is listed again:
-- the newer account's row replaces the old one and clears `closed_slot`.
--
-- `resales` holds one row per market event: kind 'listed', 'delisted' (by the seller),
-- 'void' (closed by anyone once void) or 'sold' (with the buyer and the royalty that went
-- to the event's proceeds).

ALTER TABLE events
    ADD COLUMN resale_cap_bps   bigint  NOT NULL DEFAULT 0,
    ADD COLUMN royalty_bps      integer NOT NULL DEFAULT 0,
    ADD COLUMN transfers_locked boolean NOT NULL DEFAULT false;

CREATE TABLE listings (
    pubkey      text PRIMARY KEY,
    organizer   text NOT NULL,
    event       text NOT NULL,
    ticket      text NOT NULL,
    mint        text NOT NULL,
    seller      text NOT NULL,
    price       numeric(20) NOT NULL,
    listed_at   bigint NOT NULL,
    lamports    bigint NOT NULL,
    slot        bigint NOT NULL,
    closed_slot bigint
);
CREATE INDEX listings_open ON listings (event) WHERE closed_slot IS NULL;

CREATE TABLE resales (
    signature   text NOT NULL,
    event_index integer NOT NULL,
    slot        bigint NOT NULL,
    organizer   text NOT NULL,
    event       text NOT NULL,
    ticket      text NOT NULL,
    listing     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('listed', 'delisted', 'void', 'sold')),
    seller      text NOT NULL,
    buyer       text,
    price       numeric(20),
    royalty     numeric(20),
    PRIMARY KEY (signature, event_index)
);
CREATE INDEX resales_slot ON resales (slot);
CREATE INDEX resales_event ON resales (event, kind);

-- Listings are public offers, as events are; the market's history is the tenant's, and each
-- wallet's own part of it.
GRANT SELECT ON listings, resales TO bitticket_api;
ALTER TABLE listings ENABLE ROW LEVEL SECURITY;
CREATE POLICY catalogue ON listings FOR SELECT TO bitticket_api USING (true);
ALTER TABLE resales ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON resales FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant()
           OR seller = bitticket_wallet() OR buyer = bitticket_wallet());
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON listings, resales TO bitticket_indexer;
CREATE POLICY indexer ON listings FOR ALL TO bitticket_indexer USING (true) WITH CHECK (true);
CREATE POLICY indexer ON resales FOR ALL TO bitticket_indexer USING (true) WITH CHECK (true);

-- The catalogue gains the event's resale terms (added last, as a view's new columns must be;
-- the rest is 0013's definition).
CREATE OR REPLACE VIEW catalogue AS
SELECT e.pubkey, e.organizer, e.event_id, e.name, e.uri, e.price_lamports, e.supply,
       e.sale_start, e.sale_end, e.resale_unlock, e.max_per_wallet, e.check_in_start,
       e.check_in_end, e.paused, e.cancelled, e.approved,
       s.sold, s.revenue, s.refunded, s.swept, s.shards_opened,
       coalesce(o.name, '') AS organizer_name, s.open_room,
       e.supply + (SELECT coalesce(sum(t.supply), 0) FROM tiers t
                   WHERE t.event = e.pubkey)::bigint AS total_supply,
       e.resale_cap_bps, e.royalty_bps, e.transfers_locked
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

-- The public market of an event: listings that stand (open, their seller still holding the
-- valid ticket of an event not cancelled), with the ticket's tier, serial and face value.
CREATE VIEW catalogue_listings AS
SELECT l.pubkey AS listing, l.event, l.ticket, l.mint, l.seller, l.price, l.listed_at,
       t.tier, t.serial, t.shard_index, t.price_paid AS face_value
FROM listings l
JOIN tickets t ON t.pubkey = l.ticket
JOIN events e ON e.pubkey = l.event
WHERE l.closed_slot IS NULL AND t.holder = l.seller AND t.state = 'valid'
  AND NOT e.cancelled;

REVOKE ALL ON catalogue_listings FROM PUBLIC;
GRANT SELECT ON catalogue_listings TO bitticket_public;
