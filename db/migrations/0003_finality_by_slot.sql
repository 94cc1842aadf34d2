-- A row is final when its slot is: `slots.status` says so, once per slot. History rows
-- no longer carry a `finalized` flag of their own: setting it rewrote every history row a
-- second time (an UPDATE is a new row version, with its index entries), which doubled the
-- write load about 13 seconds behind the tail, when the finalized root reached it.
-- Readers that need finality join `slots` on `slot` (status 'finalized'); undo deletes the
-- rows of slots still 'confirmed'.
DROP INDEX transactions_pending, event_log_pending, purchases_pending, transfers_pending,
    check_ins_pending, refunds_pending, sweeps_pending, member_changes_pending,
    votes_pending, executions_pending, spending_limit_uses_pending;

ALTER TABLE transactions DROP COLUMN finalized;
ALTER TABLE event_log DROP COLUMN finalized;
ALTER TABLE purchases DROP COLUMN finalized;
ALTER TABLE transfers DROP COLUMN finalized;
ALTER TABLE check_ins DROP COLUMN finalized;
ALTER TABLE refunds DROP COLUMN finalized;
ALTER TABLE sweeps DROP COLUMN finalized;
ALTER TABLE member_changes DROP COLUMN finalized;
ALTER TABLE votes DROP COLUMN finalized;
ALTER TABLE executions DROP COLUMN finalized;
ALTER TABLE spending_limit_uses DROP COLUMN finalized;

-- undo finds a slot's rows by slot (transactions, event_log, purchases have theirs)
CREATE INDEX transfers_slot ON transfers (slot);
CREATE INDEX check_ins_slot ON check_ins (slot);
CREATE INDEX refunds_slot ON refunds (slot);
CREATE INDEX sweeps_slot ON sweeps (slot);
CREATE INDEX member_changes_slot ON member_changes (slot);
CREATE INDEX votes_slot ON votes (slot);
CREATE INDEX executions_slot ON executions (slot);
CREATE INDEX spending_limit_uses_slot ON spending_limit_uses (slot);
-- the finalizer's queue: slots not final yet
CREATE INDEX slots_pending ON slots (slot) WHERE status = 'confirmed';
