-- The indexer writes as a role of its own, not as the tables' owner: `bitticket_indexer`
-- owns nothing, has the DML the sink needs on the mirror's tables (TRUNCATE for
-- `rebuild`), reads the migration history, and has nothing at all on the API's tables
-- (nonces, refresh tokens, sessions, admissions, QR keys, the audit log). Migrations run as
-- the owner (`bitticket-indexer migrate` with the owner's URL); the indexer's other
-- commands check that they are applied. Row-level security lets it see and write every
-- row of the tables that have it.
DO $$
BEGIN
    CREATE ROLE bitticket_indexer NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO bitticket_indexer;
GRANT SELECT ON _sqlx_migrations TO bitticket_indexer;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['checkpoints', 'slots', 'transactions', 'event_log',
        'ingest_errors', 'organizers', 'members', 'spending_limits', 'outflow_caps', 'vaults',
        'events', 'shards', 'tickets', 'buyer_records', 'proposals', 'purchases', 'transfers',
        'check_ins', 'refunds', 'sweeps', 'member_changes', 'votes', 'executions',
        'spending_limit_uses', 'alerts']
    LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %I TO bitticket_indexer', t);
        IF (SELECT relrowsecurity FROM pg_class WHERE oid = t::regclass) THEN
            EXECUTE format('CREATE POLICY indexer ON %I FOR ALL TO bitticket_indexer
                            USING (true) WITH CHECK (true)', t);
        END IF;
    END LOOP;
END
$$;

GRANT USAGE, SELECT ON SEQUENCE transactions_seq_seq, ingest_errors_id_seq, alerts_id_seq
    TO bitticket_indexer;
