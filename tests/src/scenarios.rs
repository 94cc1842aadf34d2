//! Ready scenarios over the harness: an event on sale with its shards (`Sale`), a
//! governed vault (`Treasury`), proposals passed.
use bitticket::state::EventConfig;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::*;

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
