-- Allow-lists uploaded by an organizer's event managers (the API's own state): the wallets
-- of one phase of one tier, in the order their Merkle tree was built, and its root (hex),
-- which the tier's phase holds on chain. A wallet reads the list it is on (to be served
-- its proof); the tenant's staff read and write theirs.
CREATE TABLE allow_lists (
    event        text NOT NULL,
    tier         integer NOT NULL CHECK (tier BETWEEN 0 AND 7),
    phase        integer NOT NULL CHECK (phase BETWEEN 0 AND 3),
    organizer    text NOT NULL,
    root         text NOT NULL,
    wallets      text[] NOT NULL,
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event, tier, phase)
);
ALTER TABLE allow_lists ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_or_listed ON allow_lists FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant() OR bitticket_wallet() = ANY (wallets));
CREATE POLICY tenant_writes ON allow_lists FOR INSERT TO bitticket_api
    WITH CHECK (organizer = bitticket_tenant());
CREATE POLICY tenant_replaces ON allow_lists FOR UPDATE TO bitticket_api
    USING (organizer = bitticket_tenant()) WITH CHECK (organizer = bitticket_tenant());
GRANT SELECT, INSERT, UPDATE ON allow_lists TO bitticket_api;
