-- The public catalogue: what anybody may read without signing in, through one narrow path.
--
-- `catalogue` is a view of the events with their sales summed over their shards, and only
-- the columns a buyer needs (no account bookkeeping: lamports, slots, reserves). Every
-- catalogue read, with a token or without, runs in a transaction that first does
-- `SET LOCAL ROLE bitticket_public`: that role may read this view and nothing else (no
-- table of the mirror or of the API, no other column), so a catalogue query cannot reach
-- a member, a ticket, a holder, a vault, a proposal or a check-in, even by mistake.
-- Row-level security stays on every table; the view reads them as its owner. (A later
-- migration that changes the type of a column the view shows recreates the view.)

DO $$
BEGIN
    CREATE ROLE bitticket_public NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
    -- roles are cluster-wide: another database's migration (or a concurrent one) made it
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- The API's role may become it (SET LOCAL ROLE, for one transaction).
DO $$
BEGIN
    GRANT bitticket_public TO bitticket_api;
EXCEPTION
    WHEN unique_violation THEN NULL;
END
$$;

CREATE VIEW catalogue AS
SELECT e.pubkey, e.organizer, e.event_id, e.name, e.uri, e.price_lamports, e.supply,
       e.sale_start, e.sale_end, e.resale_unlock, e.max_per_wallet, e.check_in_start,
       e.check_in_end, e.paused, e.cancelled, e.approved,
       s.sold, s.revenue, s.refunded, s.swept, s.shards_opened
FROM events e
CROSS JOIN LATERAL (
    SELECT coalesce(sum(sh.sold), 0)::bigint AS sold,
           coalesce(sum(sh.revenue), 0) AS revenue,
           coalesce(sum(sh.refunded), 0) AS refunded,
           coalesce(sum(sh.swept), 0) AS swept,
           count(*)::int AS shards_opened
    FROM shards sh WHERE sh.event = e.pubkey
) s;

REVOKE ALL ON catalogue FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO bitticket_public;
GRANT SELECT ON catalogue TO bitticket_public;
