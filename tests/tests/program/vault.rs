use anchor_lang::error::ErrorCode as Anchor;
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

pub fn treasury() -> (Harness, Treasury) {
    let mut h = Harness::new().unwrap();
    let t = Treasury::new(&mut h, config(10, SOL, 5), 2);
    (h, t)
}

pub fn none() -> Outflow {
    Outflow::default()
}

#[test]
fn setup_through_proposals_gives_a_two_of_three_vault() {
    let (h, t) = treasury();
    let o: Organizer = h.account(&t.org()).unwrap();
    assert_eq!(
        (o.threshold, o.time_lock, o.voter_count()),
        (2, Treasury::TIME_LOCK, 3)
    );
    assert_eq!((o.transaction_index, o.stale_transaction_index), (4, 4));
    o.invariant().unwrap();
}

// ---- sweep ----------------------------------------------------------------------------

#[test]
fn proceeds_are_swept_into_the_vault_only_once_the_event_is_over() {
    let (mut h, t) = treasury();
    let (org, ev) = (t.org(), t.sale.event);
    let c = config(10, SOL, 5);
    h.set_time(c.sale_start);
    t.sale.buy(&mut h, 0);
    t.sale.buy(&mut h, 0);
    let cranker = h.wallet(SOL);
    h.set_time(c.check_in_end - 1);
    assert_err(
        &h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker]),
        BitTicketError::EventNotOver,
    );
    h.set_time(c.check_in_end);
    h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker])
        .unwrap();
    assert_eq!(h.vault_funds(&org), 2 * SOL);
    let sh: Shard = h.account(&shard_pda(&ev, 0)).unwrap();
    assert_eq!(
        (sh.revenue, sh.refunded, sh.swept, sh.held()),
        (2 * SOL, 0, 2 * SOL, 0)
    );
    assert_eq!(
        h.lamports(&shard_pda(&ev, 0)),
        h.svm.minimum_balance_for_rent_exemption(Shard::SIZE)
    );
    assert_err(
        &h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker]),
        BitTicketError::NothingToSweep,
    );
    assert_err(
        &h.send(&[ix_sweep_shard(&org, &ev, 1)], &[&cranker]),
        BitTicketError::NothingToSweep,
    );
    // an event that is over can no longer be cancelled, so its refunds can't be owed later
    let cancel = ProposalAction::CancelEvent { event: ev };
    let r = h.pass(&org, cancel, &[t.alice(), &t.bob], none()).1;
    assert_err(&r, BitTicketError::EventAlreadyHeld);
}

#[test]
fn a_cancelled_events_proceeds_stay_for_refunds() {
    let (mut h, t) = treasury();
    let c = config(10, SOL, 5);
    h.set_time(c.sale_start);
    let b = t.sale.buy(&mut h, 0);
    let cancel = ProposalAction::CancelEvent {
        event: t.sale.event,
    };
    h.pass(&t.org(), cancel, &[t.alice(), &t.bob], none())
        .1
        .unwrap();
    h.set_time(c.check_in_end);
    assert_err(
        &h.send(&[ix_sweep_shard(&t.org(), &t.sale.event, 0)], &[&t.bob]),
        BitTicketError::RefundPeriodOpen,
    );
    h.send(
        &[ix_claim_refund(
            &b.buyer.pubkey(),
            &t.sale.event,
            0,
            &b.mint.pubkey(),
        )],
        &[&b.buyer],
    )
    .unwrap();
    assert_eq!(h.vault_funds(&t.org()), 0);
}

/// Finding 8b: a sweep of less than the rent-exempt minimum into a vault that holds
/// nothing else succeeds: the vault is funded with its reserve when the organizer is made.
#[test]
fn a_sweep_below_the_rent_exempt_minimum_lands_in_a_fresh_vault() {
    let mut h = Harness::new().unwrap();
    let c = config(10, 1_000, 5);
    let s = Sale::new(&mut h, c.clone(), 1);
    let vault = vault_pda(&s.organizer);
    assert_eq!(h.lamports(&vault), h.vault_reserve());
    h.set_time(c.sale_start);
    s.buy(&mut h, 0);
    h.set_time(c.check_in_end);
    let cranker = h.wallet(SOL);
    h.send(&[ix_sweep_shard(&s.organizer, &s.event, 0)], &[&cranker])
        .unwrap();
    assert_eq!(h.vault_funds(&s.organizer), 1_000);
    // and it is never withdrawn below its reserve
    let all = ProposalAction::WithdrawSol {
        destination: cranker.pubkey(),
        amount: 1_001,
    };
    assert_err(
        &h.pass(
            &s.organizer,
            all,
            &[&s.admin],
            Outflow::sol(cranker.pubkey()),
        )
        .1,
        BitTicketError::InsufficientVaultFunds,
    );
}

#[test]
fn sweep_goes_only_to_the_organizers_own_vault() {
    let (mut h, t) = treasury();
    let c = config(10, SOL, 5);
    h.set_time(c.sale_start);
    t.sale.buy(&mut h, 0);
    h.set_time(c.check_in_end);
    let thief = h.wallet(SOL);
    let mut ix = ix_sweep_shard(&t.org(), &t.sale.event, 0);
    ix.accounts[3].pubkey = thief.pubkey();
    assert_anchor(&h.send(&[ix], &[&thief]), Anchor::ConstraintSeeds);
    // another organizer (and its vault) with this event's shard
    let other = Sale::new(&mut h, config(10, SOL, 5), 1);
    let mut ix = ix_sweep_shard(&other.organizer, &t.sale.event, 0);
    ix.accounts[3].pubkey = vault_pda(&other.organizer);
    assert_anchor(&h.send(&[ix], &[&thief]), Anchor::ConstraintHasOne);
    assert_eq!(
        h.account::<Shard>(&shard_pda(&t.sale.event, 0))
            .unwrap()
            .swept,
        0
    );
}

// ---- proposals -------------------------------------------------------------------------

#[test]
fn a_withdrawal_needs_two_approvals_and_the_time_lock_and_executes_once() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 3);
    let org = t.org();
    let dest = Address::new_unique();
    let i = h.next_proposal(&org);
    let action = ProposalAction::WithdrawSol {
        destination: dest,
        amount: 2 * SOL,
    };
    h.send(
        &[ix_create_proposal(&org, &t.bob.pubkey(), i, action.clone())],
        &[&t.bob],
    )
    .unwrap();
    let p: Proposal = h.account(&proposal_pda(&org, i)).unwrap();
    assert_eq!(
        (p.index, p.proposer, p.action, p.status),
        (i, t.bob.pubkey(), action, ProposalStatus::Active)
    );

    h.send(
        &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Approve)],
        &[&t.bob],
    )
    .unwrap();
    // one approval is not the threshold
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::ProposalNotApproved,
    );
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Approve)],
            &[&t.bob],
        ),
        BitTicketError::AlreadyVoted,
    );
    h.send(
        &[ix_vote(&org, i, &t.carol.pubkey(), Vote::Approve)],
        &[&t.carol],
    )
    .unwrap();
    let approved_at = h.now();
    assert_eq!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Approved { at: approved_at }
    );

    // the time-lock runs from the approval
    h.set_time(approved_at + i64::from(Treasury::TIME_LOCK) - 1);
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::TimeLockNotElapsed,
    );
    h.set_time(approved_at + i64::from(Treasury::TIME_LOCK));
    let stranger = h.wallet(SOL);
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &stranger.pubkey(), Outflow::sol(dest))],
            &[&stranger],
        ),
        BitTicketError::NotAMember,
    );
    let gk = &t.sale.gatekeeper;
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &gk.pubkey(), Outflow::sol(dest))],
            &[gk],
        ),
        BitTicketError::MissingPermission,
    );
    let elsewhere = Address::new_unique();
    assert_err(
        &h.send(
            &[ix_execute(
                &org,
                i,
                &t.bob.pubkey(),
                Outflow::sol(elsewhere),
            )],
            &[&t.bob],
        ),
        BitTicketError::DestinationMismatch,
    );
    assert_err(
        &h.send(&[ix_execute(&org, i, &t.bob.pubkey(), none())], &[&t.bob]),
        BitTicketError::MissingAccount,
    );

    h.send(
        &[ix_execute(&org, i, &t.carol.pubkey(), Outflow::sol(dest))],
        &[&t.carol],
    )
    .unwrap();
    assert_eq!(h.lamports(&dest), 2 * SOL);
    assert_eq!(h.vault_funds(&org), SOL);
    assert!(matches!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Executed { .. }
    ));
    h.set_time(h.now() + 1);
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::ProposalNotApproved,
    );
    assert_eq!(h.lamports(&dest), 2 * SOL);
}

#[test]
fn only_proposers_propose_and_only_voters_vote() {
    let (mut h, t) = treasury();
    let org = t.org();
    let i = h.next_proposal(&org);
    let action = ProposalAction::SetTimeLock { seconds: 1 };
    let gk = &t.sale.gatekeeper;
    assert_err(
        &h.send(
            &[ix_create_proposal(&org, &gk.pubkey(), i, action.clone())],
            &[gk],
        ),
        BitTicketError::MissingPermission,
    );
    let stranger = h.wallet(SOL);
    assert_err(
        &h.send(
            &[ix_create_proposal(
                &org,
                &stranger.pubkey(),
                i,
                action.clone(),
            )],
            &[&stranger],
        ),
        BitTicketError::NotAMember,
    );
    // the proposal index must be the next one (no skipping, no overwriting)
    let r = h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i + 1,
            action.clone(),
        )],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::ProposalIndexMismatch);
    let r = h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i - 1,
            action.clone(),
        )],
        &[&t.bob],
    );
    assert!(assert_failed(&r).contains("Custom(0)"), "already in use");
    h.send(
        &[ix_create_proposal(&org, &t.bob.pubkey(), i, action)],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(&[ix_vote(&org, i, &gk.pubkey(), Vote::Approve)], &[gk]),
        BitTicketError::MissingPermission,
    );
    let mut ix = ix_vote(&org, i, &t.carol.pubkey(), Vote::Approve);
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&stranger]), Anchor::AccountNotSigner);
    let bad = ProposalAction::WithdrawSol {
        destination: Address::new_unique(),
        amount: 0,
    };
    let r = h.send(
        &[ix_create_proposal(&org, &t.bob.pubkey(), i + 1, bad)],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::InvalidAmount);
}

#[test]
fn rejections_past_the_cutoff_close_a_proposal() {
    let (mut h, t) = treasury();
    let org = t.org();
    let i = h.next_proposal(&org);
    h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i,
            ProposalAction::SetTimeLock { seconds: 0 },
        )],
        &[&t.bob],
    )
    .unwrap();
    h.send(
        &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Reject)],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Approve)],
            &[&t.bob],
        ),
        BitTicketError::AlreadyVoted,
    );
    assert_eq!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Active
    );
    // 3 voters, threshold 2: the second rejection makes approval unreachable
    h.send(
        &[ix_vote(&org, i, &t.carol.pubkey(), Vote::Reject)],
        &[&t.carol],
    )
    .unwrap();
    assert!(matches!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Rejected { .. }
    ));
    let alice = t.alice();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &alice.pubkey(), Vote::Approve)],
            &[alice],
        ),
        BitTicketError::ProposalNotActive,
    );
}

#[test]
fn an_approved_proposal_can_be_cancelled_by_the_threshold() {
    let (mut h, t) = treasury();
    let org = t.org();
    let i = h.next_proposal(&org);
    h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i,
            ProposalAction::SetTimeLock { seconds: 0 },
        )],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Cancel)],
            &[&t.bob],
        ),
        BitTicketError::ProposalNotApproved,
    );
    for v in [&t.bob, &t.carol] {
        h.send(&[ix_vote(&org, i, &v.pubkey(), Vote::Approve)], &[v])
            .unwrap();
    }
    h.send(
        &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Cancel)],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Cancel)],
            &[&t.bob],
        ),
        BitTicketError::AlreadyVoted,
    );
    h.send(
        &[ix_vote(&org, i, &t.carol.pubkey(), Vote::Cancel)],
        &[&t.carol],
    )
    .unwrap();
    assert!(matches!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Cancelled { .. }
    ));
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    assert_err(
        &h.send(&[ix_execute(&org, i, &t.bob.pubkey(), none())], &[&t.bob]),
        BitTicketError::ProposalNotApproved,
    );
    assert_eq!(
        h.account::<Organizer>(&org).unwrap().time_lock,
        Treasury::TIME_LOCK
    );
}

#[test]
fn a_configuration_change_makes_older_proposals_stale() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 2);
    let org = t.org();
    let dest = Address::new_unique();
    // p1: approved withdrawal waiting for its time-lock; p2: pending withdrawal
    let p1 = h.propose_and_approve(
        &org,
        ProposalAction::WithdrawSol {
            destination: dest,
            amount: SOL,
        },
        &[&t.bob, &t.carol],
    );
    let p2 = p1 + 1;
    h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            p2,
            ProposalAction::WithdrawSol {
                destination: dest,
                amount: SOL,
            },
        )],
        &[&t.bob],
    )
    .unwrap();
    // a config change passes (its own time-lock elapses, so p1's does too)
    let (cfg, r) = h.pass(
        &org,
        ProposalAction::SetTimeLock { seconds: 60 },
        &[t.alice(), &t.carol],
        none(),
    );
    r.unwrap();
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!((o.stale_transaction_index, o.time_lock), (cfg, 60));
    assert_err(
        &h.send(
            &[ix_execute(&org, p1, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::ProposalStale,
    );
    assert_err(
        &h.send(
            &[ix_vote(&org, p2, &t.carol.pubkey(), Vote::Approve)],
            &[&t.carol],
        ),
        BitTicketError::ProposalStale,
    );
    assert_eq!(h.lamports(&dest), 0);
    // a fresh proposal after the change works
    let (_, r) = h.pass(
        &org,
        ProposalAction::WithdrawSol {
            destination: dest,
            amount: SOL,
        },
        &[&t.bob, &t.carol],
        Outflow::sol(dest),
    );
    r.unwrap();
    assert_eq!(h.lamports(&dest), SOL);
}

#[test]
fn threshold_stays_between_one_and_the_voters() {
    let (mut h, t) = treasury();
    let org = t.org();
    let voters = [t.alice(), &t.bob];
    let i = h.next_proposal(&org);
    let r = h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i,
            ProposalAction::SetThreshold { threshold: 0 },
        )],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::InvalidThreshold);
    let (_, r) = h.pass(
        &org,
        ProposalAction::SetThreshold { threshold: 4 },
        &voters,
        none(),
    );
    assert_err(&r, BitTicketError::InvalidThreshold);
    // 3-of-3, then removing a voter would leave 2 voters under a threshold of 3
    h.pass(
        &org,
        ProposalAction::SetThreshold { threshold: 3 },
        &voters,
        none(),
    )
    .1
    .unwrap();
    let (_, r) = h.pass(
        &org,
        ProposalAction::RemoveMember {
            key: t.carol.pubkey(),
        },
        &[t.alice(), &t.bob, &t.carol],
        none(),
    );
    assert_err(&r, BitTicketError::InvalidThreshold);
    h.pass(
        &org,
        ProposalAction::SetThreshold { threshold: 2 },
        &[t.alice(), &t.bob, &t.carol],
        none(),
    )
    .1
    .unwrap();
    h.pass(
        &org,
        ProposalAction::RemoveMember {
            key: t.carol.pubkey(),
        },
        &voters,
        none(),
    )
    .1
    .unwrap();
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!((o.threshold, o.voter_count()), (2, 2));
}

#[test]
fn members_change_only_within_the_bounds() {
    let (mut h, t) = treasury();
    let org = t.org();
    let v = [&t.bob, &t.carol];
    let bad = Member {
        key: Address::new_unique(),
        permissions: 0x80,
    };
    assert_err(
        &h.pass(&org, ProposalAction::AddMember { member: bad }, &v, none())
            .1,
        BitTicketError::InvalidPermissions,
    );
    let dup = Member {
        key: t.bob.pubkey(),
        permissions: permission::VOTE,
    };
    assert_err(
        &h.pass(&org, ProposalAction::AddMember { member: dup }, &v, none())
            .1,
        BitTicketError::MemberAlreadyExists,
    );
    assert_err(
        &h.pass(
            &org,
            ProposalAction::RemoveMember {
                key: Address::new_unique(),
            },
            &v,
            none(),
        )
        .1,
        BitTicketError::NotAMember,
    );
    // the creator is the only admin
    let r = h
        .pass(
            &org,
            ProposalAction::RemoveMember {
                key: t.alice().pubkey(),
            },
            &v,
            none(),
        )
        .1;
    assert_err(&r, BitTicketError::LastAdmin);
    // fill up to the bound
    for _ in 4..bitticket::constants::MAX_MEMBERS {
        let m = Member {
            key: Address::new_unique(),
            permissions: permission::GATEKEEPER,
        };
        h.pass(&org, ProposalAction::AddMember { member: m }, &v, none())
            .1
            .unwrap();
    }
    let m = Member {
        key: Address::new_unique(),
        permissions: permission::GATEKEEPER,
    };
    assert_err(
        &h.pass(&org, ProposalAction::AddMember { member: m }, &v, none())
            .1,
        BitTicketError::TooManyMembers,
    );
}

// ---- tokens ----------------------------------------------------------------------------

/// A USDC-like mint (6 decimals) with `amount` deposited in the vault's token account.
pub fn usdc_in_vault(h: &mut Harness, org: &Address, amount: u64) -> (Address, Address) {
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
    use anchor_spl::token::spl_token::instruction as token_ix;
    let issuer = issuer();
    h.svm
        .airdrop(&issuer.pubkey(), 10 * SOL)
        .expect("fund issuer");
    let mint = Keypair::new();
    let rent = h.svm.minimum_balance_for_rent_exemption(82);
    let create = solana_system_interface_create(&issuer.pubkey(), &mint.pubkey(), rent, 82);
    let init =
        token_ix::initialize_mint2(&TOKEN, &mint.pubkey(), &issuer.pubkey(), None, 6).unwrap();
    let vault = vault_pda(org);
    let vault_ata = ata(&vault, &mint.pubkey());
    let open = create_associated_token_account(&issuer.pubkey(), &vault, &mint.pubkey(), &TOKEN);
    let deposit = token_ix::mint_to(
        &TOKEN,
        &mint.pubkey(),
        &vault_ata,
        &issuer.pubkey(),
        &[],
        amount,
    )
    .unwrap();
    let mut ixs = vec![create, init, open];
    if amount > 0 {
        ixs.push(deposit);
    }
    h.send(&ixs, &[&issuer, &mint]).expect("deposit tokens");
    (mint.pubkey(), vault_ata)
}

/// The mint authority of test mints (a fixed key, so later deposits can be minted).
fn issuer() -> Keypair {
    Keypair::new_from_array([7u8; 32])
}

/// A further deposit of `amount` into `to`.
pub fn mint_more(h: &mut Harness, mint: &Address, to: &Address, amount: u64) {
    let issuer = issuer();
    let ix = anchor_spl::token::spl_token::instruction::mint_to(
        &TOKEN,
        mint,
        to,
        &issuer.pubkey(),
        &[],
        amount,
    )
    .unwrap();
    h.send(&[ix], &[&issuer]).expect("mint more");
}

fn solana_system_interface_create(
    from: &Address,
    to: &Address,
    lamports: u64,
    space: u64,
) -> solana_instruction::Instruction {
    let mut data = vec![0u8; 4];
    data.extend_from_slice(&lamports.to_le_bytes());
    data.extend_from_slice(&space.to_le_bytes());
    data.extend_from_slice(TOKEN.as_ref());
    solana_instruction::Instruction {
        program_id: solana_sdk_ids::system_program::ID,
        accounts: vec![
            solana_instruction::AccountMeta::new(*from, true),
            solana_instruction::AccountMeta::new(*to, true),
        ],
        data,
    }
}

pub fn token_account_for(h: &mut Harness, owner: &Address, mint: &Address) -> Address {
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
    let payer = h.wallet(SOL);
    h.send(
        &[create_associated_token_account(
            &payer.pubkey(),
            owner,
            mint,
            &TOKEN,
        )],
        &[&payer],
    )
    .expect("open token account");
    ata(owner, mint)
}

#[test]
fn tokens_leave_the_vault_through_a_proposal() {
    let (mut h, t) = treasury();
    let org = t.org();
    let (mint, vault_ata) = usdc_in_vault(&mut h, &org, 5_000_000);
    let supplier = Address::new_unique();
    let dest = token_account_for(&mut h, &supplier, &mint);
    let action = ProposalAction::WithdrawToken {
        mint,
        destination: dest,
        amount: 2_000_000,
    };
    // someone else's token account of the same mint as the "vault" account
    let decoy = token_account_for(&mut h, &t.bob.pubkey(), &mint);
    let (i, r) = h.pass(
        &org,
        action,
        &[&t.bob, &t.carol],
        Outflow::token(decoy, dest, mint),
    );
    assert_err(&r, BitTicketError::VaultTokenMismatch);
    assert_err(
        &h.send(
            &[ix_execute(
                &org,
                i,
                &t.bob.pubkey(),
                Outflow::token(vault_ata, decoy, mint),
            )],
            &[&t.bob],
        ),
        BitTicketError::DestinationMismatch,
    );
    h.send(
        &[ix_execute(
            &org,
            i,
            &t.bob.pubkey(),
            Outflow::token(vault_ata, dest, mint),
        )],
        &[&t.bob],
    )
    .unwrap();
    assert_eq!(h.token(&dest).unwrap().amount, 2_000_000);
    assert_eq!(h.token(&vault_ata).unwrap().amount, 3_000_000);
    // more than the vault holds
    let (_, r) = h.pass(
        &org,
        ProposalAction::WithdrawToken {
            mint,
            destination: dest,
            amount: 3_000_001,
        },
        &[&t.bob, &t.carol],
        Outflow::token(vault_ata, dest, mint),
    );
    assert_err(&r, BitTicketError::InsufficientVaultFunds);
}

#[test]
fn a_fake_token_program_is_refused() {
    let (mut h, t) = treasury();
    let org = t.org();
    let (mint, vault_ata) = usdc_in_vault(&mut h, &org, 5_000_000);
    let dest = token_account_for(&mut h, &Address::new_unique(), &mint);
    let i = h.propose_and_approve(
        &org,
        ProposalAction::WithdrawToken {
            mint,
            destination: dest,
            amount: 1,
        },
        &[&t.bob, &t.carol],
    );
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    let mut ix = ix_execute(
        &org,
        i,
        &t.bob.pubkey(),
        Outflow::token(vault_ata, dest, mint),
    );
    // (our own program id would mean "no account" in Anchor's optional-account encoding)
    // (our own program id would mean "no account" in Anchor's optional-account encoding)
    ix.accounts[9].pubkey = ATA_PROGRAM;
    assert_anchor(&h.send(&[ix], &[&t.bob]), Anchor::InvalidProgramId);
}

// ---- spending limits -------------------------------------------------------------------

pub fn sol_limit(
    id: u8,
    amount: u64,
    period: Period,
    members: Vec<Address>,
    destinations: Vec<Address>,
) -> ProposalAction {
    ProposalAction::AddSpendingLimit {
        limit: SpendingLimitConfig {
            id,
            mint: Address::default(),
            amount,
            period,
            members,
            destinations,
        },
    }
}

pub fn cap(amount: u64, period: Period) -> ProposalAction {
    ProposalAction::SetOutflowCap {
        mint: Address::default(),
        amount,
        period,
    }
}

#[test]
fn a_spending_limit_allows_spending_within_its_period_only() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    let payee = Address::new_unique();
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![payee]),
            &v,
            none(),
        )
        .1,
        BitTicketError::NoOutflowCap,
    );
    h.pass(&org, cap(2 * SOL, Period::Day), &v, none())
        .1
        .unwrap();
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, 3 * SOL, Period::Day, vec![t.bob.pubkey()], vec![payee]),
            &v,
            none(),
        )
        .1,
        BitTicketError::LimitAboveCap,
    );
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, SOL, Period::Day, vec![], vec![]),
            &v,
            none(),
        )
        .1,
        BitTicketError::InvalidSpendingLimit,
    );
    h.pass(
        &org,
        sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![payee]),
        &v,
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
            &v,
            none(),
        )
        .1,
        BitTicketError::SpendingLimitExists,
    );

    let spend = |h: &mut Harness, who: &Keypair, amount: u64, to: Address| {
        h.send(
            &[ix_spend(&org, &who.pubkey(), 1, amount, Outflow::sol(to))],
            &[who],
        )
    };
    // over the limit in one go
    assert_err(
        &spend(&mut h, &t.bob, SOL + 1, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    // not a member of the limit / not an allowed destination / nothing
    assert_err(
        &spend(&mut h, &t.carol, 1, payee),
        BitTicketError::NotLimitMember,
    );
    assert_err(
        &spend(&mut h, &t.bob, 1, Address::new_unique()),
        BitTicketError::DestinationNotAllowed,
    );
    assert_err(
        &spend(&mut h, &t.bob, 0, payee),
        BitTicketError::InvalidAmount,
    );
    // in pieces within one period
    spend(&mut h, &t.bob, SOL * 6 / 10, payee).unwrap();
    assert_err(
        &spend(&mut h, &t.bob, SOL * 5 / 10, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    spend(&mut h, &t.bob, SOL * 4 / 10, payee).unwrap();
    assert_err(
        &spend(&mut h, &t.bob, 1, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    assert_eq!(h.lamports(&payee), SOL);
    // the next day, by the chain clock
    let limit_start = h.account::<Organizer>(&org).unwrap().spending_limits[0].window_start;
    h.set_time(limit_start + 86_399);
    assert_err(
        &spend(&mut h, &t.bob, 1, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    h.set_time(limit_start + 86_400);
    spend(&mut h, &t.bob, SOL, payee).unwrap();
    assert_eq!(h.lamports(&payee), 2 * SOL);
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!(
        (o.spending_limits[0].remaining, o.outflow_caps[0].used),
        (0, SOL)
    );
}

#[test]
fn limits_share_the_organizers_outflow_cap() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    h.pass(&org, cap(SOL * 3 / 2, Period::Week), &v, none())
        .1
        .unwrap();
    h.pass(
        &org,
        sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
        &v,
        none(),
    )
    .1
    .unwrap();
    h.pass(
        &org,
        sol_limit(2, SOL, Period::Day, vec![t.carol.pubkey()], vec![]),
        &v,
        none(),
    )
    .1
    .unwrap();
    let payee = Address::new_unique();
    h.send(
        &[ix_spend(&org, &t.bob.pubkey(), 1, SOL, Outflow::sol(payee))],
        &[&t.bob],
    )
    .unwrap();
    let r = h.send(
        &[ix_spend(
            &org,
            &t.carol.pubkey(),
            2,
            SOL * 6 / 10,
            Outflow::sol(payee),
        )],
        &[&t.carol],
    );
    assert_err(&r, BitTicketError::OutflowCapExceeded);
    h.send(
        &[ix_spend(
            &org,
            &t.carol.pubkey(),
            2,
            SOL / 2,
            Outflow::sol(payee),
        )],
        &[&t.carol],
    )
    .unwrap();
    // the next day the limits reset, but the weekly cap does not
    h.set_time(h.now() + 86_400);
    let r = h.send(
        &[ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee))],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::OutflowCapExceeded);
    // a cap in use cannot be removed, nor lowered under a limit
    assert_err(
        &h.pass(&org, cap(0, Period::Week), &v, none()).1,
        BitTicketError::CapInUse,
    );
    assert_err(
        &h.pass(&org, cap(SOL / 2, Period::Week), &v, none()).1,
        BitTicketError::LimitAboveCap,
    );
    // removing the limits, then the cap
    h.pass(
        &org,
        ProposalAction::RemoveSpendingLimit { id: 1 },
        &v,
        none(),
    )
    .1
    .unwrap();
    h.pass(
        &org,
        ProposalAction::RemoveSpendingLimit { id: 2 },
        &v,
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.pass(
            &org,
            ProposalAction::RemoveSpendingLimit { id: 2 },
            &v,
            none(),
        )
        .1,
        BitTicketError::SpendingLimitNotFound,
    );
    assert_err(
        &h.send(
            &[ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee))],
            &[&t.bob],
        ),
        BitTicketError::SpendingLimitNotFound,
    );
    h.pass(&org, cap(0, Period::Week), &v, none()).1.unwrap();
    assert!(h
        .account::<Organizer>(&org)
        .unwrap()
        .outflow_caps
        .is_empty());
}

#[test]
fn a_one_time_limit_never_resets_and_a_removed_member_cannot_spend() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    h.pass(&org, cap(10 * SOL, Period::Month), &v, none())
        .1
        .unwrap();
    h.pass(
        &org,
        sol_limit(
            1,
            SOL,
            Period::OneTime,
            vec![t.bob.pubkey(), t.carol.pubkey()],
            vec![],
        ),
        &v,
        none(),
    )
    .1
    .unwrap();
    let payee = Address::new_unique();
    h.send(
        &[ix_spend(
            &org,
            &t.bob.pubkey(),
            1,
            SOL / 2,
            Outflow::sol(payee),
        )],
        &[&t.bob],
    )
    .unwrap();
    h.set_time(h.now() + 365 * 86_400);
    h.send(
        &[ix_spend(
            &org,
            &t.carol.pubkey(),
            1,
            SOL / 2,
            Outflow::sol(payee),
        )],
        &[&t.carol],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee))],
            &[&t.bob],
        ),
        BitTicketError::SpendingLimitExceeded,
    );
    // the multisig removes carol from the organizer: that ends her spending right too
    h.pass(
        &org,
        ProposalAction::RemoveMember {
            key: t.carol.pubkey(),
        },
        &[t.alice(), &t.bob],
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.send(
            &[ix_spend(&org, &t.carol.pubkey(), 1, 1, Outflow::sol(payee))],
            &[&t.carol],
        ),
        BitTicketError::NotLimitMember,
    );
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!(
        o.spending_limit(1).unwrap().config.members,
        vec![t.bob.pubkey()]
    );
}

#[test]
fn spend_and_execute_use_only_the_organizers_vault() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 3);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    h.pass(&org, cap(SOL, Period::Day), &v, none()).1.unwrap();
    h.pass(
        &org,
        sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
        &v,
        none(),
    )
    .1
    .unwrap();
    let payee = Address::new_unique();
    // a substituted vault (bob's own wallet)
    let mut ix = ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee));
    ix.accounts[2].pubkey = t.bob.pubkey();
    assert_anchor(&h.send(&[ix], &[&t.bob]), Anchor::ConstraintSeeds);
    // the vault as its own destination (duplicate mutable accounts): refused, allowance kept
    let r = h.send(
        &[ix_spend(
            &org,
            &t.bob.pubkey(),
            1,
            1,
            Outflow::sol(vault_pda(&org)),
        )],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::DestinationIsVault);
    assert_eq!(
        h.account::<Organizer>(&org).unwrap().spending_limits[0].remaining,
        SOL
    );
    // the spender must sign
    let mut ix = ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee));
    ix.accounts[1].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&t.carol]), Anchor::AccountNotSigner);
    // a proposal of another organizer run against this one (PDA sharing)
    let other = Treasury::new(&mut h, config(10, SOL, 5), 1);
    let oi = h.next_proposal(&other.org());
    h.send(
        &[ix_create_proposal(
            &other.org(),
            &other.bob.pubkey(),
            oi,
            ProposalAction::WithdrawSol {
                destination: payee,
                amount: 1,
            },
        )],
        &[&other.bob],
    )
    .unwrap();
    let mut ix = ix_execute(&org, 1, &t.bob.pubkey(), Outflow::sol(payee));
    ix.accounts[1].pubkey = proposal_pda(&other.org(), oi);
    assert_anchor(&h.send(&[ix], &[&t.bob]), Anchor::ConstraintSeeds);
    // a shard posing as a proposal (type cosplay)
    let mut ix = ix_execute(&org, 1, &t.bob.pubkey(), Outflow::sol(payee));
    ix.accounts[1].pubkey = shard_pda(&t.sale.event, 0);
    assert_anchor(
        &h.send(&[ix], &[&t.bob]),
        Anchor::AccountDiscriminatorMismatch,
    );
    assert_eq!(h.lamports(&payee), 0);
}

#[test]
fn vault_instructions_check_signers_and_account_types() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 1);
    let org = t.org();
    let relayer = h.wallet(SOL);
    // create_proposal without the proposer's signature
    let i = h.next_proposal(&org);
    let mut ix = ix_create_proposal(
        &org,
        &t.bob.pubkey(),
        i,
        ProposalAction::SetTimeLock { seconds: 0 },
    );
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&relayer]), Anchor::AccountNotSigner);
    // execute without the executor's signature
    let dest = Address::new_unique();
    let (i, _) = h.pass(
        &org,
        ProposalAction::WithdrawSol {
            destination: dest,
            amount: 1,
        },
        &[&t.bob, &t.carol],
        Outflow::default(),
    );
    let mut ix = ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest));
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&relayer]), Anchor::AccountNotSigner);
    // the event posing as a shard, and a forged organizer owned by another program
    let mut ix = ix_sweep_shard(&org, &t.sale.event, 1);
    ix.accounts[2].pubkey = t.sale.event;
    assert_anchor(
        &h.send(&[ix], &[&relayer]),
        Anchor::AccountDiscriminatorMismatch,
    );
    let forged = crate::clone_with_owner(&mut h, &org, Address::new_unique());
    let r = h.send(
        &[ix_vote(&forged, i, &t.bob.pubkey(), Vote::Approve)],
        &[&t.bob],
    );
    assert_anchor(&r, Anchor::AccountOwnedByWrongProgram);
    // an organizer vote on a proposal number that does not exist yet
    let r = h.send(
        &[ix_vote(&org, i + 10, &t.bob.pubkey(), Vote::Approve)],
        &[&t.bob],
    );
    assert_anchor(&r, Anchor::AccountNotInitialized);
    assert_eq!(h.lamports(&dest), 0);
}
