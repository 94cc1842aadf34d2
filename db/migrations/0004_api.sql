-- The API's side of the database: the role it connects as, row-level security on every
-- tenant table, and its own tables (sign-in nonces, refresh tokens, the audit log).
--
-- The API connects as `bitticket_api` (or a login role that is a member of it): it owns no
-- table and does not bypass RLS. Each request sets, in the same transaction as its queries:
--   bitticket.wallet  the signed-in wallet (empty for a service)
--   bitticket.tenant  the organizer the request acts for, once RBAC has allowed it
-- The indexer writes as the tables' owner, which RLS does not restrict (no FORCE).

DO $$
BEGIN
    CREATE ROLE bitticket_api NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
    -- roles are cluster-wide: another database's migration (or a concurrent one) made it
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

CREATE FUNCTION bitticket_wallet() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('bitticket.wallet', true), '') $$;
CREATE FUNCTION bitticket_tenant() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('bitticket.tenant', true), '') $$;

-- API tables --------------------------------------------------------------------------

-- A sign-in nonce works once: consumed by DELETE ... RETURNING.
CREATE TABLE auth_nonces (
    nonce       text PRIMARY KEY,
    wallet      text NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX auth_nonces_expiry ON auth_nonces (expires_at);

-- Refresh tokens are stored as SHA-256 hashes. Each use rotates the token; reusing a rotated
-- one revokes its whole family (a stolen token and its thief's successors).
CREATE TABLE refresh_tokens (
    hash        bytea PRIMARY KEY,
    family      uuid NOT NULL,
    wallet      text NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

-- Append-only: the API's role may insert, never update or delete.
CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    actor    text NOT NULL,            -- wallet, service:<name>, or anonymous
    action   text NOT NULL,            -- sign_in, refresh, qr_issue, gate_decision, denied, ...
    tenant   text,
    target   text,
    outcome  text NOT NULL,
    source   text,                     -- the client address the request came from
    detail   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_actor ON audit_log (actor, at);

-- Grants ---------------------------------------------------------------------------------

GRANT USAGE ON SCHEMA public TO bitticket_api;
GRANT SELECT ON organizers, members, spending_limits, outflow_caps, vaults, events, shards,
    tickets, buyer_records, proposals, purchases, transfers, check_ins, refunds, sweeps,
    member_changes, votes, executions, spending_limit_uses, alerts, event_log,
    checkpoints, slots
    TO bitticket_api;
GRANT SELECT, INSERT, DELETE ON auth_nonces TO bitticket_api;
GRANT SELECT, INSERT, UPDATE ON refresh_tokens TO bitticket_api;
GRANT INSERT ON audit_log TO bitticket_api;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO bitticket_api;

-- Row-level security ----------------------------------------------------------------------

-- The public catalogue: any signed-in caller may read events and their shards.
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY catalogue ON events FOR SELECT TO bitticket_api USING (true);
ALTER TABLE shards ENABLE ROW LEVEL SECURITY;
CREATE POLICY catalogue ON shards FOR SELECT TO bitticket_api USING (true);

-- A wallet sees its own rows in every tenant; a tenant's staff see the tenant's rows.
ALTER TABLE members ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON members FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant() OR member = bitticket_wallet());
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON tickets FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant() OR holder = bitticket_wallet());
ALTER TABLE buyer_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON buyer_records FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant() OR buyer = bitticket_wallet());
ALTER TABLE purchases ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON purchases FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant() OR buyer = bitticket_wallet());
ALTER TABLE transfers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON transfers FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant()
           OR from_wallet = bitticket_wallet() OR to_wallet = bitticket_wallet());
ALTER TABLE check_ins ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON check_ins FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant() OR holder = bitticket_wallet());
ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_self ON refunds FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant() OR holder = bitticket_wallet());

-- Tenant only.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['organizers', 'spending_limits', 'outflow_caps', 'vaults',
        'proposals', 'sweeps', 'member_changes', 'votes', 'executions',
        'spending_limit_uses', 'alerts', 'event_log']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant ON %I FOR SELECT TO bitticket_api
                        USING (organizer = bitticket_tenant())', t);
    END LOOP;
END
$$;
