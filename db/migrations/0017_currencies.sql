-- Tiers priced in an SPL mint (issue 21): a tier's currency (the program's SOL_CURRENCY,
-- all zeros, reads '11111111111111111111111111111111' in base58: SOL; otherwise the mint)
-- with its decimals, and the currency of each shard, whose revenue, refunded and swept
-- are in that currency's smallest unit (lamports for SOL). A token shard holds its
-- proceeds in its own token account (its till), not in its lamports.
ALTER TABLE tiers
    ADD COLUMN currency          text    NOT NULL DEFAULT '11111111111111111111111111111111',
    ADD COLUMN currency_decimals integer NOT NULL DEFAULT 9;
ALTER TABLE shards
    ADD COLUMN currency text NOT NULL DEFAULT '11111111111111111111111111111111';

-- Sales figures per tier in its currency. New columns go last, so the view is replaced in
-- place with its grants.
CREATE OR REPLACE VIEW catalogue_tiers AS
SELECT t.event, t.index, t.name, t.supply, t.max_per_wallet, t.phases, t.first_shard,
       t.shard_count, s.sold, s.shards_opened, s.open_room,
       s.revenue, s.refunded, s.swept, t.currency, t.currency_decimals
FROM tiers t
CROSS JOIN LATERAL (
    SELECT coalesce(sum(sh.sold), 0)::bigint AS sold,
           count(*)::int AS shards_opened,
           coalesce(sum(greatest(0,
               CASE WHEN sh.index - t.first_shard < t.supply
                    THEN (t.supply - 1 - (sh.index - t.first_shard))
                         / greatest(t.shard_count, 1) + 1
                    ELSE 0 END - sh.sold)), 0)::bigint AS open_room,
           coalesce(sum(sh.revenue), 0) AS revenue,
           coalesce(sum(sh.refunded), 0) AS refunded,
           coalesce(sum(sh.swept), 0) AS swept
    FROM shards sh WHERE sh.event = t.event AND sh.tier = t.index
) s;

-- A listing is bought in its ticket's currency (its shard's): the resale market names it
-- with its decimals. New columns last, as above.
CREATE OR REPLACE VIEW catalogue_listings AS
SELECT l.pubkey AS listing, l.event, l.ticket, l.mint, l.seller, l.price, l.listed_at,
       t.tier, t.serial, t.shard_index, t.price_paid AS face_value,
       coalesce(sh.currency, '11111111111111111111111111111111') AS currency,
       coalesce(tr.currency_decimals, 9) AS currency_decimals
FROM listings l
JOIN tickets t ON t.pubkey = l.ticket
JOIN events e ON e.pubkey = l.event
LEFT JOIN shards sh ON sh.event = t.event AND sh.index = t.shard_index
LEFT JOIN tiers tr ON tr.event = t.event AND tr.index = t.tier
WHERE l.closed_slot IS NULL AND t.holder = l.seller AND t.state = 'valid'
  AND NOT e.cancelled;

-- An event's own sales figures are in lamports: they add up its SOL shards only (a token
-- tier's are its own, in its mint's units, in catalogue_tiers). Same columns, same order.
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
           coalesce(sum(sh.revenue) FILTER (WHERE sh.currency = '11111111111111111111111111111111'), 0) AS revenue,
           coalesce(sum(sh.refunded) FILTER (WHERE sh.currency = '11111111111111111111111111111111'), 0) AS refunded,
           coalesce(sum(sh.swept) FILTER (WHERE sh.currency = '11111111111111111111111111111111'), 0) AS swept,
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
