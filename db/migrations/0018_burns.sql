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
