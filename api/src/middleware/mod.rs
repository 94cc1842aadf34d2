//! One file per concern.
pub mod actions;
pub mod authorize;
pub mod client_addr;
pub mod cors;
pub mod metrics;
pub mod rate_limit;
pub mod security_headers;
