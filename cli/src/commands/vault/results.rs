//! What the vault's commands did, as JSON and as lines: a proposal's steps (proposed,
//! voted on, executed, closed), a spend, a frozen limit, a sweep.
use serde::Serialize;
use solana_address::Address;

use crate::output::{b58, sol, Render};

/// A proposal's step (proposed, voted on, executed, closed): the JSON's fields and the
/// line a person reads.
#[derive(Debug, Serialize)]
pub struct Step<T> {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    pub index: u64,
    #[serde(flatten)]
    pub fields: T,
    #[serde(skip)]
    pub line: String,
}

impl<T> Render for Step<T> {
    fn human(&self) -> Vec<String> {
        vec![self.line.clone()]
    }
}

#[derive(Debug, Serialize)]
pub struct Proposed {
    #[serde(serialize_with = "b58")]
    pub proposal: Address,
    pub action: String,
}

#[derive(Debug, Serialize)]
pub struct Voted {
    pub vote: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Executed {
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Closed {
    #[serde(serialize_with = "b58")]
    pub rent_to: Address,
}

#[derive(Debug, Serialize)]
pub struct Spent {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    pub limit: u8,
    pub amount_lamports: u64,
    #[serde(serialize_with = "b58")]
    pub to: Address,
}

impl Render for Spent {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "{} SOL spent to {} under limit {}",
            sol(self.amount_lamports),
            self.to,
            self.limit
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Frozen {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    pub limit: u8,
    pub frozen: bool,
}

impl Render for Frozen {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "spending limit {} of {} frozen",
            self.limit, self.organizer
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Swept {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    /// From its SOL shards.
    pub swept_lamports: u64,
    /// From its token tiers' shards, per mint, into the vault's account in each.
    pub tokens: Vec<TokensSwept>,
    pub shards: usize,
    #[serde(skip)]
    pub vault: Address,
}

#[derive(Debug, Serialize)]
pub struct TokensSwept {
    /// The mint.
    pub currency: String,
    /// In its smallest unit.
    pub amount: u64,
    #[serde(skip)]
    pub money: crate::money::Money,
}

impl Render for Swept {
    fn human(&self) -> Vec<String> {
        let tokens: String = self
            .tokens
            .iter()
            .map(|t| format!(" and {}", t.money.show(t.amount)))
            .collect();
        vec![format!(
            "{} SOL{tokens} swept from {} shard(s) into vault {}",
            sol(self.swept_lamports),
            self.shards,
            self.vault
        )]
    }
}
