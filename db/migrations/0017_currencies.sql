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
