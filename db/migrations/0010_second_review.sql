-- The program's second review (issue 18): what the accounts now carry.
-- events.approved: whether the multisig approved the event's sale terms (nothing sells before).
ALTER TABLE events ADD COLUMN approved boolean NOT NULL DEFAULT true;
-- spending_limits.frozen: frozen by an admin or finance member; only a proposal thaws it.
ALTER TABLE spending_limits ADD COLUMN frozen boolean NOT NULL DEFAULT false;
-- outflow_caps.carry_*: what a replaced cap still allowed in its window, binding until
-- carry_until (0: nothing carried).
ALTER TABLE outflow_caps ADD COLUMN carry_room numeric(20) NOT NULL DEFAULT 0;
ALTER TABLE outflow_caps ADD COLUMN carry_until bigint NOT NULL DEFAULT 0;
-- proposals.closed_slot: the slot of the ProposalClosed event; the row stays as history (a
-- tombstone, so that no late read of the account brings it back as live), and `verify`
-- compares only proposals that are not closed with the chain's.
ALTER TABLE proposals ADD COLUMN closed_slot bigint;
