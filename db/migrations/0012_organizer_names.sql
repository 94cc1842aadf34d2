-- Organizers have a name (the program's `Organizer::name`, set at creation), shown by the
-- CLI, the API and the public catalogue beside each event. Rows mirrored before this
-- migration get '' until their account is written again.
ALTER TABLE organizers ADD COLUMN name text NOT NULL DEFAULT '';

-- The catalogue gains, last (CREATE OR REPLACE VIEW may only add columns at the end), the
-- organizer's name ('' while the mirror lacks the organizer) and `open_room`: the tickets
-- its opened shards can still issue. Shard i issues serials sold * shard_count + i below the
-- supply, so it holds (supply - 1 - i) / shard_count + 1 of them (none when i >= supply);
-- an event whose opened shards are full is sold out to a buyer now, as the purchase says,
-- even while unopened shards hold the rest of its supply.
CREATE OR REPLACE VIEW catalogue AS
SELECT e.pubkey, e.organizer, e.event_id, e.name, e.uri, e.price_lamports, e.supply,
       e.sale_start, e.sale_end, e.resale_unlock, e.max_per_wallet, e.check_in_start,
       e.check_in_end, e.paused, e.cancelled, e.approved,
       s.sold, s.revenue, s.refunded, s.swept, s.shards_opened,
       coalesce(o.name, '') AS organizer_name, s.open_room
FROM events e
LEFT JOIN organizers o ON o.pubkey = e.organizer
CROSS JOIN LATERAL (
    SELECT coalesce(sum(sh.sold), 0)::bigint AS sold,
           coalesce(sum(sh.revenue), 0) AS revenue,
           coalesce(sum(sh.refunded), 0) AS refunded,
           coalesce(sum(sh.swept), 0) AS swept,
           count(*)::int AS shards_opened,
           coalesce(sum(greatest(0,
               CASE WHEN sh.index < e.supply
                    THEN (e.supply - 1 - sh.index) / greatest(e.shard_count, 1) + 1
                    ELSE 0 END - sh.sold)), 0)::bigint AS open_room
    FROM shards sh WHERE sh.event = e.pubkey
) s;
