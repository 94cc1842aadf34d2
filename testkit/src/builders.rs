//! Builders for the program's configuration types, so that a test names only what it is
//! about and every test agrees on the rest.
use bitticket::state::EventConfig;

/// An `EventConfig`: 0.001 SOL, 10 tickets, 2 a wallet, "Fest", unless told otherwise.
#[derive(Debug, Clone)]
pub struct EventConfigBuilder(EventConfig);

impl EventConfigBuilder {
    /// On sale from `sale` to `end`; resale and check-in open at `unlock`; check-in
    /// closes at `end`.
    pub fn at(sale: i64, unlock: i64, end: i64) -> Self {
        Self(EventConfig {
            price_lamports: 1_000_000,
            supply: 10,
            sale_start: sale,
            sale_end: end,
            resale_unlock: unlock,
            max_per_wallet: 2,
            check_in_start: unlock,
            check_in_end: end,
            name: "Fest".into(),
            uri: "https://example.com/e.json".into(),
        })
    }

    pub fn price(mut self, lamports: u64) -> Self {
        self.0.price_lamports = lamports;
        self
    }

    pub fn supply(mut self, supply: u32) -> Self {
        self.0.supply = supply;
        self
    }

    pub fn max_per_wallet(mut self, n: u16) -> Self {
        self.0.max_per_wallet = n;
        self
    }

    pub fn check_in_end(mut self, t: i64) -> Self {
        self.0.check_in_end = t;
        self
    }

    pub fn named(mut self, name: &str, uri: &str) -> Self {
        self.0.name = name.into();
        self.0.uri = uri.into();
        self
    }

    pub fn build(self) -> EventConfig {
        self.0
    }
}
