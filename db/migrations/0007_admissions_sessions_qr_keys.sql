-- Admission at the gate is single use, across API instances: the first admit of a ticket
-- inserts its row (the primary key refuses a second one), and any later scan of a QR code
-- of that ticket answers `already_admitted`, with the door and the time of the first.
CREATE TABLE admissions (
    ticket          text PRIMARY KEY,
    organizer       text NOT NULL,
    event           text NOT NULL,
    holder          text NOT NULL,
    gate            text NOT NULL,     -- who admitted: a gatekeeper's wallet, or service:<name>
    payload_sha256  bytea NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE admissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON admissions FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant());
CREATE POLICY tenant_admits ON admissions FOR INSERT TO bitticket_api
    WITH CHECK (organizer = bitticket_tenant());
GRANT SELECT, INSERT ON admissions TO bitticket_api;

-- QR keys: the wrap of a new key binds its key id and names the master key's version
-- (format 2), so that the master key can be rotated; format 1 rows (wrapped before) still
-- open under master key version 1.
ALTER TABLE qr_keys ADD COLUMN wrap_format smallint NOT NULL DEFAULT 1;
ALTER TABLE qr_keys ADD COLUMN master_version integer NOT NULL DEFAULT 1;

-- Sign-out ends the wallet's access tokens too: an access token issued before its wallet's
-- not-before is refused (refresh families are revoked as before).
CREATE TABLE wallet_not_before (
    wallet      text PRIMARY KEY,
    not_before  timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON wallet_not_before TO bitticket_api;

-- A refresh family has an absolute lifetime from its sign-in, whatever its rotations.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at timestamptz NOT NULL DEFAULT now();
