//! Indexer: mirrors the bitticket program into Postgres. Built in its own issue.
