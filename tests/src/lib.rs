//! Host-side harness: loads the real `target/deploy/bitticket.so` into LiteSVM next to the
//! real SPL Token and Associated Token programs, and builds instructions through the
//! program crate's own Anchor client types.
use std::path::PathBuf;

use anchor_lang::{AccountDeserialize, InstructionData, ToAccountMetas};
use anchor_spl::associated_token::get_associated_token_address;
use anchor_spl::token::{Mint, TokenAccount};
use bitticket::constants::*;
pub use bitticket::instructions::TicketBumps;
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
pub use bitticket::ID as PROGRAM_ID;

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

// ---- addresses -------------------------------------------------------------------------

pub fn pda(seeds: &[&[u8]]) -> Address {
    Address::find_program_address(seeds, &PROGRAM_ID).0
}
pub fn organizer_pda(creator: &Address, id: u64) -> Address {
    pda(&[SEED_ORGANIZER, creator.as_ref(), &id.to_le_bytes()])
}
pub fn event_pda(organizer: &Address, id: u64) -> Address {
    pda(&[SEED_EVENT, organizer.as_ref(), &id.to_le_bytes()])
}
pub fn shard_pda(event: &Address, index: u8) -> Address {
    pda(&[SEED_SHARD, event.as_ref(), &[index]])
}
pub fn buyer_pda(event: &Address, buyer: &Address) -> Address {
    pda(&[SEED_BUYER, event.as_ref(), buyer.as_ref()])
}
pub fn ticket_pda(mint: &Address) -> Address {
    pda(&[SEED_TICKET, mint.as_ref()])
}
pub fn ata(owner: &Address, mint: &Address) -> Address {
    get_associated_token_address(owner, mint)
}

fn bump(seeds: &[&[u8]], program: &Address) -> u8 {
    Address::find_program_address(seeds, program).1
}

/// The canonical bumps a client passes to `purchase` (it proves them on chain).
pub fn ticket_bumps(event: &Address, buyer: &Address, mint: &Address) -> TicketBumps {
    TicketBumps {
        ticket: bump(&[SEED_TICKET, mint.as_ref()], &PROGRAM_ID),
        buyer_record: bump(&[SEED_BUYER, event.as_ref(), buyer.as_ref()], &PROGRAM_ID),
    }
}

/// A fresh mint keypair for `buyer`'s next ticket, picked (about 4 tries) so that the
/// ticket PDA and the buyer's associated token account both have bump 255: the purchase
/// then proves the ticket's bump for free and the Associated Token program finds its
/// address in one hash instead of two on average.
pub fn ticket_mint(buyer: &Address) -> Keypair {
    loop {
        let mint = Keypair::new();
        let m = mint.pubkey();
        if bump(&[SEED_TICKET, m.as_ref()], &PROGRAM_ID) == u8::MAX
            && bump(&[buyer.as_ref(), TOKEN.as_ref(), m.as_ref()], &ATA_PROGRAM) == u8::MAX
        {
            return mint;
        }
    }
}

// ---- instructions ----------------------------------------------------------------------

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

use bitticket::accounts as acc;
use bitticket::instruction as args;

const SYSTEM: Address = solana_sdk_ids::system_program::ID;
pub const TOKEN: Address = anchor_spl::token::ID;
pub const ATA_PROGRAM: Address = anchor_spl::associated_token::ID;

pub fn ix_create_organizer(creator: &Address, id: u64) -> Instruction {
    ix(
        acc::CreateOrganizer {
            organizer: organizer_pda(creator, id),
            vault: vault_pda(&organizer_pda(creator, id)),
            creator: *creator,
            system_program: SYSTEM,
        },
        args::CreateOrganizer { organizer_id: id },
    )
}

pub fn ix_add_member(
    organizer: &Address,
    admin: &Address,
    member: &Address,
    permissions: u8,
) -> Instruction {
    ix(
        acc::AddMember {
            organizer: *organizer,
            admin: *admin,
        },
        args::AddMember {
            member: *member,
            permissions,
        },
    )
}

pub fn ix_remove_member(organizer: &Address, admin: &Address, member: &Address) -> Instruction {
    ix(
        acc::RemoveMember {
            organizer: *organizer,
            admin: *admin,
        },
        args::RemoveMember { member: *member },
    )
}

pub fn ix_create_event(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    config: EventConfig,
    shard_count: u8,
) -> Instruction {
    ix(
        acc::CreateEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
            system_program: SYSTEM,
        },
        args::CreateEvent {
            config,
            shard_count,
        },
    )
}

pub fn ix_update_event(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    config: EventConfig,
) -> Instruction {
    ix(
        acc::UpdateEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::UpdateEvent { config },
    )
}

pub fn ix_open_shard(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    index: u8,
) -> Instruction {
    ix(
        acc::OpenShard {
            organizer: *organizer,
            event: *event,
            shard: shard_pda(event, index),
            manager: *manager,
            system_program: SYSTEM,
        },
        args::OpenShard { index },
    )
}

pub fn ix_set_paused(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    paused: bool,
) -> Instruction {
    ix(
        acc::SetPaused {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::SetPaused { paused },
    )
}

pub fn ix_cancel_event(organizer: &Address, event: &Address, manager: &Address) -> Instruction {
    ix(
        acc::CancelEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::CancelEvent {},
    )
}

/// A purchase that agrees to pay at most `max_price` lamports.
pub fn ix_purchase_at_most(
    buyer: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
    max_price: u64,
) -> Instruction {
    ix(
        acc::Purchase {
            buyer: *buyer,
            event: *event,
            shard: shard_pda(event, shard_index),
            buyer_record: buyer_pda(event, buyer),
            mint: *mint,
            buyer_token: ata(buyer, mint),
            ticket: ticket_pda(mint),
            token_program: TOKEN,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM,
        },
        args::Purchase {
            bumps: ticket_bumps(event, buyer, mint),
            max_price,
        },
    )
}

/// A purchase at whatever price (`u64::MAX` as the most the buyer agrees to pay).
pub fn ix_purchase(
    buyer: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
) -> Instruction {
    ix_purchase_at_most(buyer, event, shard_index, mint, u64::MAX)
}

pub fn ix_transfer_ticket(
    holder: &Address,
    recipient: &Address,
    event: &Address,
    mint: &Address,
) -> Instruction {
    ix(
        acc::TransferTicket {
            holder: *holder,
            recipient: *recipient,
            event: *event,
            ticket: ticket_pda(mint),
            mint: *mint,
            from_token: ata(holder, mint),
            to_token: ata(recipient, mint),
            token_program: TOKEN,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM,
        },
        args::TransferTicket {},
    )
}

pub fn ix_check_in(
    gatekeeper: &Address,
    holder: &Address,
    organizer: &Address,
    event: &Address,
    mint: &Address,
) -> Instruction {
    ix(
        acc::CheckIn {
            gatekeeper: *gatekeeper,
            holder: *holder,
            organizer: *organizer,
            event: *event,
            ticket: ticket_pda(mint),
            holder_token: ata(holder, mint),
        },
        args::CheckIn {},
    )
}

pub fn ix_claim_refund(
    holder: &Address,
    event: &Address,
    shard_index: u8,
    mint: &Address,
) -> Instruction {
    ix(
        acc::ClaimRefund {
            holder: *holder,
            event: *event,
            shard: shard_pda(event, shard_index),
            ticket: ticket_pda(mint),
            holder_token: ata(holder, mint),
        },
        args::ClaimRefund {},
    )
}

pub fn vault_pda(organizer: &Address) -> Address {
    pda(&[SEED_VAULT, organizer.as_ref()])
}
pub fn proposal_pda(organizer: &Address, index: u64) -> Address {
    pda(&[SEED_PROPOSAL, organizer.as_ref(), &index.to_le_bytes()])
}

pub fn ix_sweep_shard(organizer: &Address, event: &Address, shard_index: u8) -> Instruction {
    ix(
        acc::SweepShard {
            organizer: *organizer,
            event: *event,
            shard: shard_pda(event, shard_index),
            vault: vault_pda(organizer),
        },
        args::SweepShard {},
    )
}

pub fn ix_create_proposal(
    organizer: &Address,
    proposer: &Address,
    index: u64,
    action: ProposalAction,
) -> Instruction {
    ix(
        acc::CreateProposal {
            organizer: *organizer,
            proposal: proposal_pda(organizer, index),
            proposer: *proposer,
            system_program: SYSTEM,
        },
        args::CreateProposal { index, action },
    )
}

pub fn ix_vote(organizer: &Address, index: u64, member: &Address, vote: Vote) -> Instruction {
    let accounts = acc::VoteOnProposal {
        organizer: *organizer,
        proposal: proposal_pda(organizer, index),
        member: *member,
    };
    match vote {
        Vote::Approve => ix(accounts, args::ApproveProposal {}),
        Vote::Reject => ix(accounts, args::RejectProposal {}),
        Vote::Cancel => ix(accounts, args::CancelProposal {}),
    }
}

/// The optional accounts of execute_proposal and spend.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outflow {
    /// SOL: the receiving wallet.
    pub destination: Option<Address>,
    /// Tokens: vault's token account, destination token account, mint.
    pub tokens: Option<(Address, Address, Address)>,
}

impl Outflow {
    fn accounts(self) -> bitticket::vault::__client_accounts_vault_outflow::VaultOutflow {
        bitticket::vault::__client_accounts_vault_outflow::VaultOutflow {
            destination: self.destination,
            vault_token: self.tokens.map(|t| t.0),
            destination_token: self.tokens.map(|t| t.1),
            mint: self.tokens.map(|t| t.2),
            token_program: self.tokens.map(|_| TOKEN),
            system_program: SYSTEM,
        }
    }

    pub fn sol(destination: Address) -> Self {
        Self {
            destination: Some(destination),
            tokens: None,
        }
    }
    pub fn token(vault_token: Address, destination_token: Address, mint: Address) -> Self {
        Self {
            destination: None,
            tokens: Some((vault_token, destination_token, mint)),
        }
    }
}

pub fn ix_execute(
    organizer: &Address,
    index: u64,
    executor: &Address,
    out: Outflow,
) -> Instruction {
    ix_execute_on(organizer, index, executor, None, out)
}

/// Executes a proposal, passing `event` for an event action.
pub fn ix_execute_on(
    organizer: &Address,
    index: u64,
    executor: &Address,
    event: Option<Address>,
    out: Outflow,
) -> Instruction {
    ix(
        acc::ExecuteProposal {
            organizer: *organizer,
            proposal: proposal_pda(organizer, index),
            executor: *executor,
            vault: vault_pda(organizer),
            event,
            outflow: out.accounts(),
        },
        args::ExecuteProposal {},
    )
}

pub fn ix_spend(
    organizer: &Address,
    member: &Address,
    limit_id: u8,
    amount: u64,
    out: Outflow,
) -> Instruction {
    ix(
        acc::Spend {
            organizer: *organizer,
            member: *member,
            vault: vault_pda(organizer),
            outflow: out.accounts(),
        },
        args::Spend { limit_id, amount },
    )
}

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
