//! The nodes the gate verifies ownership on and transactions take their blockhash from.
use bitticket_settings::vars::split_list;
use bitticket_settings::Vars;

/// Comma-separated, best first.
pub const RPC_URLS: &str = "BITTICKET_API_RPC_URLS";
/// One node, when `RPC_URLS` is unset.
pub const RPC_URL: &str = "BITTICKET_API_RPC_URL";

#[derive(Debug, Clone)]
pub struct Rpc {
    /// The nodes, best first: the client library's failover pool, a breaker per node
    /// (`http://127.0.0.1:8899`).
    pub urls: Vec<String>,
}

impl Rpc {
    pub fn read(v: &Vars) -> Self {
        let urls = v
            .get(RPC_URLS)
            .or(v.get(RPC_URL))
            .unwrap_or("http://127.0.0.1:8899");
        Rpc {
            urls: split_list(urls),
        }
    }
}
