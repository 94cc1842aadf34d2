//! API: authenticated reads over the indexer mirror. Built in its own issue.
