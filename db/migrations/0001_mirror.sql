-- The BitTicket mirror. Addresses and signatures are base58 text. Lamport amounts are
-- bigint (all SOL ever minted fits); token amounts and limits, full u64, are numeric(20).
--
-- Two kinds of table:
-- * account tables (organizers, members, spending_limits, outflow_caps, events, shards,
--   tickets, buyer_records, proposals, vaults) hold the latest state read from the chain.
--   Each row carries the slot it was read at; a write with an older slot never replaces
--   a newer one (slot-guarded upserts).
-- * history tables (transactions, event_log, purchases, transfers, check_ins, refunds,
--   sweeps, member_changes, votes, executions, spending_limit_uses) are append-only,
--   keyed by (signature, event_index), written with ON CONFLICT DO NOTHING. A row is
--   final once its slot is in `slots` with status 'finalized' (its `finalized` flag is
--   set in the same transaction); the rows of a slot that never finalizes are deleted.
--
-- Every tenant table carries `organizer`, for row-level security in the API.

CREATE TABLE checkpoints (
    stream      text PRIMARY KEY,
    slot        bigint NOT NULL,
    signature   text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE slots (
    slot        bigint PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('confirmed', 'finalized')),
    block_time  bigint
);

-- Every transaction that mentions the program, failed ones included, with its fee payer.
CREATE TABLE transactions (
    signature       text PRIMARY KEY,
    -- ingest order, which is chain order: the checkpoint falls back along it on a fork
    seq             bigserial UNIQUE,
    slot            bigint NOT NULL,
    block_time      bigint,
    signer          text NOT NULL,
    success         boolean NOT NULL,
    err             text,
    logs_truncated  boolean NOT NULL,
    accounts        text[] NOT NULL,
    finalized       boolean NOT NULL DEFAULT false
);
CREATE INDEX transactions_slot ON transactions (slot);
CREATE INDEX transactions_signer ON transactions (signer);

-- Every decoded program event, in order.
CREATE TABLE event_log (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    kind         text NOT NULL,
    data         jsonb NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);
CREATE INDEX event_log_slot ON event_log (slot);
CREATE INDEX event_log_organizer ON event_log (organizer, slot);

-- What could not be decoded (bad event data, unknown account layout), kept and skipped.
CREATE TABLE ingest_errors (
    id         bigserial PRIMARY KEY,
    signature  text,
    account    text,
    slot       bigint NOT NULL,
    kind       text NOT NULL,
    detail     text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ingest_errors_once ON ingest_errors (coalesce(signature, ''), coalesce(account, ''), kind, detail);

-- Account tables ---------------------------------------------------------------------

CREATE TABLE organizers (
    pubkey                   text PRIMARY KEY,
    organizer                text GENERATED ALWAYS AS (pubkey) STORED,
    creator                  text NOT NULL,
    organizer_id             numeric(20) NOT NULL,
    next_event_id            numeric(20) NOT NULL,
    threshold                integer NOT NULL,
    time_lock                bigint NOT NULL,
    transaction_index        numeric(20) NOT NULL,
    stale_transaction_index  numeric(20) NOT NULL,
    vault                    text NOT NULL,
    lamports                 bigint NOT NULL,
    slot                     bigint NOT NULL
);

CREATE TABLE members (
    organizer    text NOT NULL REFERENCES organizers (pubkey) ON DELETE CASCADE,
    member       text NOT NULL,
    permissions  integer NOT NULL,
    slot         bigint NOT NULL,
    PRIMARY KEY (organizer, member)
);
CREATE INDEX members_member ON members (member);

CREATE TABLE spending_limits (
    organizer     text NOT NULL REFERENCES organizers (pubkey) ON DELETE CASCADE,
    limit_id      integer NOT NULL,
    mint          text NOT NULL,
    amount        numeric(20) NOT NULL,
    period        text NOT NULL,
    remaining     numeric(20) NOT NULL,
    window_start  bigint NOT NULL,
    members       text[] NOT NULL,
    destinations  text[] NOT NULL,
    slot          bigint NOT NULL,
    PRIMARY KEY (organizer, limit_id)
);

CREATE TABLE outflow_caps (
    organizer     text NOT NULL REFERENCES organizers (pubkey) ON DELETE CASCADE,
    mint          text NOT NULL,
    amount        numeric(20) NOT NULL,
    period        text NOT NULL,
    used          numeric(20) NOT NULL,
    window_start  bigint NOT NULL,
    slot          bigint NOT NULL,
    PRIMARY KEY (organizer, mint)
);

-- The organizer's SOL vault (a system account, the PDA ["vault", organizer]).
CREATE TABLE vaults (
    address    text PRIMARY KEY,
    organizer  text NOT NULL,
    lamports   bigint NOT NULL,
    slot       bigint NOT NULL
);
CREATE INDEX vaults_organizer ON vaults (organizer);

CREATE TABLE events (
    pubkey          text PRIMARY KEY,
    organizer       text NOT NULL,
    event_id        numeric(20) NOT NULL,
    name            text NOT NULL,
    uri             text NOT NULL,
    price_lamports  bigint NOT NULL,
    supply          bigint NOT NULL,
    sale_start      bigint NOT NULL,
    sale_end        bigint NOT NULL,
    resale_unlock   bigint NOT NULL,
    max_per_wallet  integer NOT NULL,
    check_in_start  bigint NOT NULL,
    check_in_end    bigint NOT NULL,
    shard_count     integer NOT NULL,
    shards_opened   integer NOT NULL,
    paused          boolean NOT NULL,
    cancelled       boolean NOT NULL,
    cancelled_at    bigint NOT NULL,
    lamports        bigint NOT NULL,
    slot            bigint NOT NULL
);
CREATE INDEX events_organizer ON events (organizer);
CREATE INDEX events_sale ON events (sale_start, sale_end);

CREATE TABLE shards (
    pubkey     text PRIMARY KEY,
    organizer  text NOT NULL,
    event      text NOT NULL,
    index      integer NOT NULL,
    sold       bigint NOT NULL,
    revenue    bigint NOT NULL,
    refunded   bigint NOT NULL,
    swept      bigint NOT NULL,
    reserve    bigint NOT NULL,
    lamports   bigint NOT NULL,
    slot       bigint NOT NULL
);
CREATE INDEX shards_event ON shards (event);

CREATE TABLE tickets (
    pubkey         text PRIMARY KEY,
    organizer      text NOT NULL,
    event          text NOT NULL,
    mint           text NOT NULL UNIQUE,
    holder         text NOT NULL,
    serial         bigint NOT NULL,
    shard_index    integer NOT NULL,
    price_paid     bigint NOT NULL,
    state          text NOT NULL CHECK (state IN ('valid', 'checked_in', 'refunded')),
    checked_in_at  bigint NOT NULL,
    lamports       bigint NOT NULL,
    slot           bigint NOT NULL
);
CREATE INDEX tickets_event ON tickets (event);
CREATE INDEX tickets_holder ON tickets (holder);

CREATE TABLE buyer_records (
    pubkey     text PRIMARY KEY,
    organizer  text NOT NULL,
    event      text NOT NULL,
    buyer      text NOT NULL,
    purchased  integer NOT NULL,
    lamports   bigint NOT NULL,
    slot       bigint NOT NULL
);
CREATE INDEX buyer_records_event ON buyer_records (event);

CREATE TABLE proposals (
    pubkey     text PRIMARY KEY,
    organizer  text NOT NULL,
    index      numeric(20) NOT NULL,
    proposer   text NOT NULL,
    action     jsonb NOT NULL,
    status     text NOT NULL,
    status_at  bigint,
    approved   text[] NOT NULL,
    rejected   text[] NOT NULL,
    cancelled  text[] NOT NULL,
    lamports   bigint NOT NULL,
    slot       bigint NOT NULL
);
CREATE INDEX proposals_organizer ON proposals (organizer, index);

-- History tables, one row per program event ------------------------------------------

CREATE TABLE purchases (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    event        text NOT NULL,
    shard        text NOT NULL,
    ticket       text NOT NULL,
    mint         text NOT NULL,
    buyer        text NOT NULL,
    serial       bigint NOT NULL,
    price        bigint NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);
CREATE INDEX purchases_event ON purchases (event, slot);
CREATE INDEX purchases_slot ON purchases (slot);
CREATE INDEX purchases_buyer ON purchases (buyer);

CREATE TABLE transfers (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    event        text NOT NULL,
    ticket       text NOT NULL,
    mint         text NOT NULL,
    from_wallet  text NOT NULL,
    to_wallet    text NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);
CREATE INDEX transfers_ticket ON transfers (ticket);

CREATE TABLE check_ins (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    event        text NOT NULL,
    ticket       text NOT NULL,
    holder       text NOT NULL,
    gatekeeper   text NOT NULL,
    at           bigint NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);
CREATE INDEX check_ins_event ON check_ins (event);

CREATE TABLE refunds (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    event        text NOT NULL,
    ticket       text NOT NULL,
    shard        text NOT NULL,
    holder       text NOT NULL,
    amount       bigint NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);

CREATE TABLE sweeps (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    event        text NOT NULL,
    shard        text NOT NULL,
    vault        text NOT NULL,
    amount       bigint NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);

CREATE TABLE member_changes (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    member       text NOT NULL,
    change       text NOT NULL CHECK (change IN ('added', 'removed')),
    permissions  integer,
    by_wallet    text NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);

CREATE TABLE votes (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    proposal     text NOT NULL,
    member       text NOT NULL,
    vote         text NOT NULL,
    status       text NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);
CREATE INDEX votes_proposal ON votes (proposal);

CREATE TABLE executions (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    proposal     text NOT NULL,
    index        numeric(20) NOT NULL,
    executor     text NOT NULL,
    action       jsonb NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);

CREATE TABLE spending_limit_uses (
    signature    text NOT NULL,
    event_index  integer NOT NULL,
    slot         bigint NOT NULL,
    organizer    text NOT NULL,
    limit_id     integer NOT NULL,
    member       text NOT NULL,
    mint         text NOT NULL,
    destination  text NOT NULL,
    amount       numeric(20) NOT NULL,
    remaining    numeric(20) NOT NULL,
    finalized    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (signature, event_index)
);

-- The rows still waiting for finality, found by slot without scanning the final ones.
CREATE INDEX transactions_pending ON transactions (slot) WHERE NOT finalized;
CREATE INDEX event_log_pending ON event_log (slot) WHERE NOT finalized;
CREATE INDEX purchases_pending ON purchases (slot) WHERE NOT finalized;
CREATE INDEX transfers_pending ON transfers (slot) WHERE NOT finalized;
CREATE INDEX check_ins_pending ON check_ins (slot) WHERE NOT finalized;
CREATE INDEX refunds_pending ON refunds (slot) WHERE NOT finalized;
CREATE INDEX sweeps_pending ON sweeps (slot) WHERE NOT finalized;
CREATE INDEX member_changes_pending ON member_changes (slot) WHERE NOT finalized;
CREATE INDEX votes_pending ON votes (slot) WHERE NOT finalized;
CREATE INDEX executions_pending ON executions (slot) WHERE NOT finalized;
CREATE INDEX spending_limit_uses_pending ON spending_limit_uses (slot) WHERE NOT finalized;

-- Transaction monitoring: rules over the raw log flag bot-like buying.
CREATE TABLE alerts (
    id         bigserial PRIMARY KEY,
    organizer  text NOT NULL,
    rule       text NOT NULL,
    subject    text NOT NULL,
    slot       bigint NOT NULL,
    detail     jsonb NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (rule, subject, slot)
);
