-- Ticket QR keys: random AES-256 keys, stored wrapped (AES-256-GCM) under the master key
-- the API reads from its environment. The newest key younger than the rotation period
-- issues; keys open payloads for the rotation period plus a grace window.
CREATE TABLE qr_keys (
    kid         serial PRIMARY KEY,
    wrapped     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT ON qr_keys TO bitticket_api;
GRANT USAGE ON SEQUENCE qr_keys_kid_seq TO bitticket_api;
