-- Organizers have a name (the program's `Organizer::name`, set at creation), shown by the
-- CLI, the API and the public catalogue beside each event. Rows mirrored before this
-- migration get '' until their account is written again.
ALTER TABLE organizers ADD COLUMN name text NOT NULL DEFAULT '';

-- The catalogue gains the organizer's name, last (CREATE OR REPLACE VIEW may only add
-- columns at the end); an event whose organizer the mirror lacks shows ''.
CREATE OR REPLACE VIEW catalogue AS
SELECT e.pubkey, e.organizer, e.event_id, e.name, e.uri, e.price_lamports, e.supply,
       e.sale_start, e.sale_end, e.resale_unlock, e.max_per_wallet, e.check_in_start,
       e.check_in_end, e.paused, e.cancelled, e.approved,
       s.sold, s.revenue, s.refunded, s.swept, s.shards_opened,
       coalesce(o.name, '') AS organizer_name
FROM events e
LEFT JOIN organizers o ON o.pubkey = e.organizer
CROSS JOIN LATERAL (
    SELECT coalesce(sum(sh.sold), 0)::bigint AS sold,
           coalesce(sum(sh.revenue), 0) AS revenue,
           coalesce(sum(sh.refunded), 0) AS refunded,
           coalesce(sum(sh.swept), 0) AS swept,
           count(*)::int AS shards_opened
    FROM shards sh WHERE sh.event = e.pubkey
) s;
