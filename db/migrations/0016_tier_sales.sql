-- Sales figures per tier (issue 21): what the tier's shards took in (its tickets' prices
-- and the royalties of their resales, which join the shard that sold each ticket), paid
-- back as refunds and swept to the organizer's vault, in lamports: every tier sells in SOL.
-- New columns go last, so the view is replaced in place with its grants.
CREATE OR REPLACE VIEW catalogue_tiers AS
SELECT t.event, t.index, t.name, t.supply, t.max_per_wallet, t.phases, t.first_shard,
       t.shard_count, s.sold, s.shards_opened, s.open_room,
       s.revenue, s.refunded, s.swept
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
