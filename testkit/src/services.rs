//! The test services' URLs, as `scripts/test.sh` (scripts/services.sh) exports them.

/// The validator's JSON-RPC URL (BITTICKET_TEST_RPC).
pub fn rpc_url() -> String {
    std::env::var("BITTICKET_TEST_RPC")
        .expect("BITTICKET_TEST_RPC (a validator's RPC URL) is not set: run scripts/test.sh")
}

/// The validator's PubSub URL (BITTICKET_TEST_WS, else next to the RPC port).
pub fn ws_url() -> String {
    std::env::var("BITTICKET_TEST_WS")
        .unwrap_or_else(|_| rpc_url().replace("http", "ws").replace("8899", "8900"))
}

/// Redis (BITTICKET_TEST_REDIS).
pub fn redis_url() -> String {
    std::env::var("BITTICKET_TEST_REDIS")
        .expect("BITTICKET_TEST_REDIS (a Redis URL) is not set: run scripts/test.sh")
}
