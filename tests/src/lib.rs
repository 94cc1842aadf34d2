//! Host-side harness: loads the real `target/deploy/bitticket.so` into LiteSVM next to the
//! real SPL Token and Associated Token programs, and sends the instructions the client
//! library (`bitticket-client`, re-exported here) builds.
use std::path::PathBuf;

use anchor_lang::AccountDeserialize;
use anchor_spl::token_interface::{Mint, TokenAccount};
pub use bitticket::state::{
    Member, Period, Proposal, ProposalAction, ProposalStatus, SpendingLimitConfig, Vote,
};
use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
use litesvm::LiteSVM;
use solana_address::Address;
use solana_clock::Clock;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::Message;
use solana_signer::Signer;
use solana_transaction::Transaction;

pub use bitticket::errors::BitTicketError;
pub use bitticket::state::{
    permission, BuyerRecord, Event, Listing, Organizer, ResaleTerms, Shard, Ticket, TicketState,
};

/// A chain time far from zero, so that windows before "now" are representable.
pub const T0: i64 = 1_800_000_000;
pub const SOL: u64 = 1_000_000_000;

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("cannot read program {path}: {source}")]
    Program {
        path: PathBuf,
        source: litesvm::error::LiteSVMError,
    },
    #[error("account {0} not found or not decodable")]
    Account(Address),
}

pub mod currency;
pub mod idl;

/// The check-in a gatekeeper sends alone: `holder`'s pass (valid a minute from the chain's
/// clock) in its Ed25519 instruction, then the check-in.
pub fn check_in_ixs(
    h: &Harness,
    gatekeeper: &Address,
    holder: &Keypair,
    organizer: &Address,
    event: &Address,
    mint: &Address,
) -> Vec<Instruction> {
    let pass = bitticket_client::pass::Pass::sign(holder, mint, h.now() + 60);
    bitticket_client::pass::ix_check_in_with_pass(gatekeeper, &pass, organizer, event).to_vec()
}

pub type TxResult = Result<TransactionMetadata, Box<FailedTransactionMetadata>>;

/// Where the sBPF build writes the program (`scripts/build-program.sh`), or `BITTICKET_SO`.
pub fn program_path() -> PathBuf {
    std::env::var_os("BITTICKET_SO")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/bitticket.so")
        })
}

pub struct Harness {
    pub svm: LiteSVM,
}

impl Harness {
    pub fn new() -> Result<Self, HarnessError> {
        Self::with_svm(LiteSVM::new())
    }

    /// A cluster on which `feature` is not active (mainnet's features otherwise).
    pub fn without_feature(feature: &Address) -> Result<Self, HarnessError> {
        let mut features = LiteSVM::mainnet_feature_set();
        features.deactivate(feature);
        Self::with_svm(LiteSVM::new().with_feature_set(features))
    }

    /// A cluster without SIMD-0312's `CreateAccountAllowPrefund` system instruction.
    pub fn without_create_account_allow_prefund() -> Result<Self, HarnessError> {
        Self::without_feature(&agave_feature_set::create_account_allow_prefund::id())
    }

    /// Multiplies the Rent sysvar's lamports per byte by `num / den` (the rent-exempt
    /// minimum of every size follows), from the next transaction on.
    pub fn scale_rent(&mut self, num: u64, den: u64) {
        let mut rent: solana_rent::Rent = self.svm.get_sysvar();
        rent.lamports_per_byte = rent.lamports_per_byte * num / den;
        self.svm.set_sysvar(&rent);
    }

    fn with_svm(mut svm: LiteSVM) -> Result<Self, HarnessError> {
        let path = program_path();
        svm.add_program_from_file(PROGRAM_ID, &path)
            .map_err(|source| HarnessError::Program { path, source })?;
        let mut h = Self { svm };
        h.set_time(T0);
        Ok(h)
    }

    /// Sets the Clock sysvar's unix timestamp (and moves the slot forward).
    pub fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock: Clock = self.svm.get_sysvar();
        clock.unix_timestamp = unix_timestamp;
        clock.slot += 1;
        self.svm.set_sysvar(&clock);
    }

    pub fn wallet(&mut self, lamports: u64) -> Keypair {
        let k = Keypair::new();
        self.svm
            .airdrop(&k.pubkey(), lamports)
            .expect("airdrop to a fresh wallet");
        k
    }

    pub fn lamports(&self, key: &Address) -> u64 {
        self.svm.get_balance(key).unwrap_or(0)
    }

    /// Sends one transaction; the first signer pays the fee.
    pub fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let payer = signers[0].pubkey();
        let tx = Transaction::new(
            signers,
            Message::new(ixs, Some(&payer)),
            self.svm.latest_blockhash(),
        );
        let r = self.svm.send_transaction(tx).map_err(Box::new);
        self.svm.expire_blockhash();
        r
    }

    pub fn account<T: AccountDeserialize>(&self, key: &Address) -> Result<T, HarnessError> {
        let acc = self
            .svm
            .get_account(key)
            .ok_or(HarnessError::Account(*key))?;
        T::try_deserialize(&mut acc.data.as_slice()).map_err(|_| HarnessError::Account(*key))
    }

    pub fn token(&self, key: &Address) -> Result<TokenAccount, HarnessError> {
        self.account::<TokenAccount>(key)
    }

    pub fn mint(&self, key: &Address) -> Result<Mint, HarnessError> {
        self.account::<Mint>(key)
    }

    pub fn exists(&self, key: &Address) -> bool {
        self.svm.get_account(key).is_some_and(|a| a.lamports > 0)
    }
}

pub use bitticket_client::*;

mod errors;
mod scenarios;

pub use errors::*;
pub use scenarios::*;
