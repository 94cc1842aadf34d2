-- Tickets a wallet shows, and the rent given back after the event (issue 22).
--
-- A burned ticket (`burn_ticket`: its NFT burned, its mint, token account and record
-- closed) and a closed buyer record (`close_buyer_record`) have no account any more: their
-- rows stay as history, marked by `closed_slot` (set from the TicketBurned /
-- BuyerRecordClosed event), as a closed listing's does. A newer account at the same
-- address (a ticket bought again with the same mint keypair) replaces the row and clears
-- it.
ALTER TABLE tickets ADD COLUMN closed_slot bigint;
ALTER TABLE buyer_records ADD COLUMN closed_slot bigint;
CREATE INDEX tickets_live_holder ON tickets (holder) WHERE closed_slot IS NULL;

-- How an event's tickets show in wallets (the API's own state, set by the organizer's
-- event managers): a description, an image URL (none: the API draws one from the event's
-- fields) and a venue, which the tickets' metadata JSON carries.
CREATE TABLE event_display (
    event        text PRIMARY KEY,
    organizer    text NOT NULL,
    description  text NOT NULL DEFAULT '',
    image_url    text NOT NULL DEFAULT '',
    venue        text NOT NULL DEFAULT '',
    updated_by   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE event_display ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_reads ON event_display FOR SELECT TO bitticket_api
    USING (organizer = bitticket_tenant());
CREATE POLICY tenant_writes ON event_display FOR INSERT TO bitticket_api
    WITH CHECK (organizer = bitticket_tenant());
CREATE POLICY tenant_replaces ON event_display FOR UPDATE TO bitticket_api
    USING (organizer = bitticket_tenant()) WITH CHECK (organizer = bitticket_tenant());
GRANT SELECT, INSERT, UPDATE ON event_display TO bitticket_api;

-- A ticket as its metadata shows it to anybody (a wallet fetches its URI unsigned): what
-- the chain shows of it anyway (its serial, mint, tier and state, whether it was burned),
-- never its holder, with its event's display. The public role reads this and the other
-- catalogue views only.
CREATE VIEW catalogue_tickets AS
SELECT t.event, t.serial, t.mint, t.tier, t.state, t.closed_slot IS NOT NULL AS burned,
       coalesce(d.description, '') AS description, coalesce(d.image_url, '') AS image_url,
       coalesce(d.venue, '') AS venue
FROM tickets t
LEFT JOIN event_display d ON d.event = t.event;
REVOKE ALL ON catalogue_tickets FROM PUBLIC;
GRANT SELECT ON catalogue_tickets TO bitticket_public;
