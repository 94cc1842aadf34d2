//! Host-side harness: loads the real `target/deploy/bitticket.so` into LiteSVM next to the
//! real SPL Token and Associated Token programs, and sends the instructions the client
//! library (`bitticket-client`, re-exported here) builds.
use std::path::PathBuf;

use anchor_lang::AccountDeserialize;
use anchor_spl::token::{Mint, TokenAccount};
use bitticket::state::EventConfig;
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
pub use bitticket::state::{permission, BuyerRecord, Event, Organizer, Shard, Ticket, TicketState};

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

pub mod idl;

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

// ---- a ready event ---------------------------------------------------------------------

/// The standard schedule relative to T0: sale [T0+100, T0+10_000), resale from T0+20_000,
/// check-in [T0+30_000, T0+40_000).
pub fn config(supply: u32, price: u64, max_per_wallet: u16) -> EventConfig {
    EventConfig {
        name: "Solana Summer Fest".into(),
        uri: "https://bitticket.example/e/1.json".into(),
        price_lamports: price,
        supply,
        sale_start: T0 + 100,
        sale_end: T0 + 10_000,
        resale_unlock: T0 + 20_000,
        max_per_wallet,
        check_in_start: T0 + 30_000,
        check_in_end: T0 + 40_000,
    }
}

/// An organizer with an admin (all roles), a gatekeeper, and one event with all shards open.
pub struct Sale {
    pub admin: Keypair,
    pub gatekeeper: Keypair,
    pub organizer: Address,
    pub event: Address,
    pub shard_count: u8,
}

/// A bought ticket.
pub struct Bought {
    pub buyer: Keypair,
    pub mint: Keypair,
    pub shard: u8,
}

impl Sale {
    pub fn new(h: &mut Harness, config: EventConfig, shard_count: u8) -> Self {
        let admin = h.wallet(100 * SOL);
        let gatekeeper = h.wallet(SOL);
        let organizer = organizer_pda(&admin.pubkey(), 7);
        let event = event_pda(&organizer, 0);
        let mut ixs = vec![
            ix_create_organizer(&admin.pubkey(), 7),
            ix_add_member(
                &organizer,
                &admin.pubkey(),
                &gatekeeper.pubkey(),
                permission::GATEKEEPER,
            ),
            ix_create_event(&organizer, &event, &admin.pubkey(), config, shard_count),
        ];
        ixs.extend((0..shard_count).map(|i| ix_open_shard(&organizer, &event, &admin.pubkey(), i)));
        for chunk in ixs.chunks(8) {
            h.send(chunk, &[&admin]).expect("set up the sale");
        }
        Self {
            admin,
            gatekeeper,
            organizer,
            event,
            shard_count,
        }
    }

    pub fn shards(&self) -> Vec<Address> {
        (0..self.shard_count)
            .map(|i| shard_pda(&self.event, i))
            .collect()
    }

    pub fn buy_as(&self, h: &mut Harness, buyer: &Keypair, shard: u8) -> (Keypair, TxResult) {
        let mint = ticket_mint(&buyer.pubkey());
        let r = h.send(
            &[ix_purchase(
                &buyer.pubkey(),
                &self.event,
                shard,
                &mint.pubkey(),
            )],
            &[buyer, &mint],
        );
        (mint, r)
    }

    /// A fresh buyer buys through `shard`; panics if the purchase fails.
    pub fn buy(&self, h: &mut Harness, shard: u8) -> Bought {
        let buyer = h.wallet(10 * SOL);
        let (mint, r) = self.buy_as(h, &buyer, shard);
        if let Err(e) = r {
            panic!("purchase failed: {:?}\n{}", e.err, e.meta.logs.join("\n"));
        }
        Bought { buyer, mint, shard }
    }
}

/// A sale of 10 tickets at 1 SOL (2 per wallet) over `shards` shards, with the clock at the
/// sale start and one ticket bought through the last shard.
pub fn sale_with_one_ticket(shards: u8) -> (Harness, Sale, Bought) {
    let mut h = Harness::new().expect("load the program");
    let s = Sale::new(&mut h, config(10, SOL, 2), shards);
    h.set_time(T0 + 100);
    let b = s.buy(&mut h, shards - 1);
    (h, s, b)
}

// ---- a governed vault ------------------------------------------------------------------

impl Harness {
    pub fn now(&self) -> i64 {
        self.svm.get_sysvar::<Clock>().unix_timestamp
    }

    /// The rent-exempt minimum an organizer's vault keeps (funded at its creation).
    pub fn vault_reserve(&self) -> u64 {
        self.svm.minimum_balance_for_rent_exemption(0)
    }

    /// What an organizer's SOL vault holds above its reserve.
    pub fn vault_funds(&self, organizer: &Address) -> u64 {
        self.lamports(&vault_pda(organizer)) - self.vault_reserve()
    }

    pub fn next_proposal(&self, organizer: &Address) -> u64 {
        self.account::<Organizer>(organizer)
            .map(|o| o.transaction_index + 1)
            .expect("organizer")
    }

    /// Proposes `action` (by voters[0]) and approves it by every voter; returns its index.
    pub fn propose_and_approve(
        &mut self,
        organizer: &Address,
        action: ProposalAction,
        voters: &[&Keypair],
    ) -> u64 {
        let index = self.next_proposal(organizer);
        let first = voters[0];
        self.send(
            &[ix_create_proposal(
                organizer,
                &first.pubkey(),
                index,
                action,
            )],
            &[first],
        )
        .expect("create proposal");
        for v in voters {
            self.send(
                &[ix_vote(organizer, index, &v.pubkey(), Vote::Approve)],
                &[v],
            )
            .expect("approve");
        }
        index
    }

    /// Proposes `action` (by voters[0]), approves it by every voter, waits out the
    /// time-lock and executes it (by voters[0]), with the event an event action names. Returns the proposal index and the
    /// execution's result.
    pub fn pass(
        &mut self,
        organizer: &Address,
        action: ProposalAction,
        voters: &[&Keypair],
        out: Outflow,
    ) -> (u64, TxResult) {
        let event = action.event();
        let index = self.propose_and_approve(organizer, action, voters);
        let first = voters[0];
        let lock = self
            .account::<Organizer>(organizer)
            .expect("organizer")
            .time_lock;
        let now = self.now();
        self.set_time(now + i64::from(lock));
        let r = self.send(
            &[ix_execute_on(organizer, index, &first.pubkey(), event, out)],
            &[first],
        );
        (index, r)
    }
}

/// A sale whose organizer governs its vault 2-of-3: the creator (`sale.admin`), bob and
/// carol hold propose, vote and execute; approvals wait `time_lock` seconds. Set up the
/// way a real organizer would: through proposals.
pub struct Treasury {
    pub sale: Sale,
    pub bob: Keypair,
    pub carol: Keypair,
}

impl Treasury {
    pub const TIME_LOCK: u32 = 3_600;

    pub fn new(h: &mut Harness, config: EventConfig, shard_count: u8) -> Self {
        let sale = Sale::new(h, config, shard_count);
        let (bob, carol) = (h.wallet(10 * SOL), h.wallet(10 * SOL));
        let org = sale.organizer;
        let alice = &sale.admin;
        for k in [bob.pubkey(), carol.pubkey()] {
            let member = Member {
                key: k,
                permissions: permission::MULTISIG,
            };
            h.pass(
                &org,
                ProposalAction::AddMember { member },
                &[alice],
                Outflow::default(),
            )
            .1
            .expect("add member");
        }
        h.pass(
            &org,
            ProposalAction::SetThreshold { threshold: 2 },
            &[alice],
            Outflow::default(),
        )
        .1
        .expect("threshold");
        h.pass(
            &org,
            ProposalAction::SetTimeLock {
                seconds: Self::TIME_LOCK,
            },
            &[alice, &bob],
            Outflow::default(),
        )
        .1
        .expect("time-lock");
        Self { sale, bob, carol }
    }

    pub fn org(&self) -> Address {
        self.sale.organizer
    }

    pub fn alice(&self) -> &Keypair {
        &self.sale.admin
    }

    /// Sells `n` tickets through shard 0, ends the event and sweeps shard 0 into the vault.
    pub fn fund_vault(&self, h: &mut Harness, n: usize) {
        let c: Event = h.account(&self.sale.event).expect("event");
        h.set_time(c.config.sale_start);
        for _ in 0..n {
            self.sale.buy(h, 0);
        }
        h.set_time(c.config.check_in_end);
        h.send(
            &[ix_sweep_shard(&self.org(), &self.sale.event, 0)],
            &[&self.bob],
        )
        .expect("sweep");
    }
}

// ---- errors ----------------------------------------------------------------------------

pub fn program_error(e: BitTicketError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}
pub fn anchor_error(e: anchor_lang::error::ErrorCode) -> u32 {
    e as u32
}

/// The custom error code a failed transaction ended with, if any.
pub fn custom_code(r: &TxResult) -> Option<u32> {
    use solana_instruction_error::InstructionError;
    use solana_transaction_error::TransactionError;
    match r {
        Err(f) => match &f.err {
            TransactionError::InstructionError(_, InstructionError::Custom(c)) => Some(*c),
            _ => None,
        },
        Ok(_) => None,
    }
}

/// Asserts the transaction failed with exactly this custom error code.
#[track_caller]
pub fn assert_code(r: &TxResult, code: u32) {
    match r {
        Ok(_) => panic!("expected error {code}, but the transaction succeeded"),
        Err(f) => assert_eq!(
            custom_code(r),
            Some(code),
            "expected custom error {code}, got {:?}\nlogs:\n{}",
            f.err,
            f.meta.logs.join("\n")
        ),
    }
}

#[track_caller]
pub fn assert_err(r: &TxResult, e: BitTicketError) {
    assert_code(r, program_error(e))
}

#[track_caller]
pub fn assert_anchor(r: &TxResult, e: anchor_lang::error::ErrorCode) {
    assert_code(r, anchor_error(e))
}

/// Asserts a transaction failed (any error) and returns its error, for failures raised by the
/// runtime or another program rather than by ours.
#[track_caller]
pub fn assert_failed(r: &TxResult) -> String {
    match r {
        Ok(_) => panic!("expected the transaction to fail"),
        Err(f) => format!("{:?}", f.err),
    }
}
