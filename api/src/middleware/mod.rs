//! One file per concern.
pub mod authorize;
pub mod metrics;
pub mod security_headers;
