//! The second outside review: one test per finding (numbered as in the review), each
//! failing on the program before its change and passing after it.
use anchor_lang::AccountSerialize;
use bitticket::constants::{ACCOUNT_VERSION, MAX_MEMBERS, PROPOSAL_MEMBER_SLOTS, REFUND_PERIOD};
use bitticket::state::EventConfig;
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::spending::{cap, sol_limit};
use crate::vault::{none, treasury};

const DAY: i64 = 86_400;

fn members(h: &Harness, org: &Address) -> usize {
    h.account::<Organizer>(org).unwrap().members.len()
}

fn pass(h: &mut Harness, t: &Treasury, action: ProposalAction) -> TxResult {
    h.pass(&t.org(), action, &[&t.bob, &t.carol], none()).1
}

fn spend_as(h: &mut Harness, org: &Address, who: &Keypair, id: u8, amount: u64) -> TxResult {
    h.send(
        &[ix_spend(
            org,
            &who.pubkey(),
            id,
            amount,
            Outflow::sol(Address::new_unique()),
        )],
        &[who],
    )
}

/// Finding 1: a sole admin fills the member list with gatekeepers; the multisig still
/// adds a member, and changes roles in place, so it can take the admin role away.
#[test]
fn f1_a_sole_admin_cannot_make_itself_irremovable() {
    let (mut h, t) = treasury();
    let (org, alice) = (t.org(), t.alice());
    let mut added = vec![];
    let refused = loop {
        let g = Address::new_unique();
        let r = h.send(
            &[ix_add_member(
                &org,
                &alice.pubkey(),
                &g,
                permission::GATEKEEPER,
            )],
            &[alice],
        );
        if r.is_err() {
            break r;
        }
        added.push(g);
    };
    assert_err(&refused, BitTicketError::MemberSlotReserved);
    assert_eq!(
        members(&h, &org),
        usize::from(MAX_MEMBERS - PROPOSAL_MEMBER_SLOTS)
    );
    // demoting the only admin is refused: an admin must remain
    let demote = ProposalAction::SetPermissions {
        key: alice.pubkey(),
        permissions: permission::MULTISIG,
    };
    assert_err(&pass(&mut h, &t, demote.clone()), BitTicketError::LastAdmin);
    // a new admin takes the slot kept for proposals, then alice is demoted in place
    let dave = h.wallet(SOL);
    let member = Member {
        key: dave.pubkey(),
        permissions: permission::ADMIN,
    };
    pass(&mut h, &t, ProposalAction::AddMember { member }).unwrap();
    assert_eq!(members(&h, &org), usize::from(MAX_MEMBERS));
    pass(&mut h, &t, demote).unwrap();
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!(
        o.permissions_of(&alice.pubkey()),
        Some(permission::MULTISIG)
    );
    assert_err(
        &h.send(
            &[ix_remove_member(&org, &alice.pubkey(), &added[0])],
            &[alice],
        ),
        BitTicketError::MissingPermission,
    );
    // the new admin restores check-in staff alone; alice can be removed altogether
    h.send(
        &[ix_remove_member(&org, &dave.pubkey(), &added[0])],
        &[&dave],
    )
    .unwrap();
    pass(
        &mut h,
        &t,
        ProposalAction::RemoveMember {
            key: alice.pubkey(),
        },
    )
    .unwrap();
    h.account::<Organizer>(&org).unwrap().invariant().unwrap();
}

/// Finding 1: one admin cannot close the door by removing every gatekeeper; the last one
/// goes only by proposal, or after another is added.
#[test]
fn f1_one_admin_cannot_remove_the_last_gatekeeper() {
    let (mut h, t) = treasury();
    let (org, alice) = (t.org(), t.alice());
    // alice's own GATEKEEPER bit counts too: take it off first, by proposal
    let set = ProposalAction::SetPermissions {
        key: alice.pubkey(),
        permissions: permission::ALL & !permission::GATEKEEPER,
    };
    pass(&mut h, &t, set).unwrap();
    let gk = t.sale.gatekeeper.pubkey();
    assert_err(
        &h.send(&[ix_remove_member(&org, &alice.pubkey(), &gk)], &[alice]),
        BitTicketError::LastGatekeeper,
    );
    let other = Address::new_unique();
    h.send(
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &other,
            permission::GATEKEEPER,
        )],
        &[alice],
    )
    .unwrap();
    h.send(&[ix_remove_member(&org, &alice.pubkey(), &gk)], &[alice])
        .unwrap();
    assert_err(
        &h.send(&[ix_remove_member(&org, &alice.pubkey(), &other)], &[alice]),
        BitTicketError::LastGatekeeper,
    );
    // the multisig may
    pass(&mut h, &t, ProposalAction::RemoveMember { key: other }).unwrap();
}

/// Finding 1, the other side: where one key governs, it may use every slot.
#[test]
fn f1_a_single_key_organizer_uses_every_member_slot() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    while members(&h, &s.organizer) < usize::from(MAX_MEMBERS) {
        h.send(
            &[ix_add_member(
                &s.organizer,
                &s.admin.pubkey(),
                &Address::new_unique(),
                permission::GATEKEEPER,
            )],
            &[&s.admin],
        )
        .unwrap();
    }
    assert_err(
        &h.send(
            &[ix_add_member(
                &s.organizer,
                &s.admin.pubkey(),
                &Address::new_unique(),
                permission::GATEKEEPER,
            )],
            &[&s.admin],
        ),
        BitTicketError::TooManyMembers,
    );
}

/// Finding 2: an approved removal revokes the key's spending rights even when one admin
/// removed the member first, and a limit member who never was an organizer member is
/// revoked the same way.
#[test]
fn f2_a_spending_right_ends_with_its_removal_whoever_removed_the_member_first() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let (org, alice) = (t.org(), t.alice());
    let (dave, erin) = (h.wallet(SOL), h.wallet(SOL));
    h.send(
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &dave.pubkey(),
            permission::FINANCE,
        )],
        &[alice],
    )
    .unwrap();
    pass(&mut h, &t, cap(3 * SOL, Period::Month)).unwrap();
    let limit = sol_limit(
        1,
        SOL,
        Period::Month,
        vec![dave.pubkey(), erin.pubkey()],
        vec![],
    );
    pass(&mut h, &t, limit).unwrap();
    spend_as(&mut h, &org, &dave, 1, SOL / 10).unwrap();

    let remove = |key| ProposalAction::RemoveMember { key };
    let i = h.propose_and_approve(&org, remove(dave.pubkey()), &[&t.bob, &t.carol]);
    // one admin removes dave (he held only FINANCE) before the proposal executes
    h.send(
        &[ix_remove_member(&org, &alice.pubkey(), &dave.pubkey())],
        &[alice],
    )
    .unwrap();
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    h.send(&[ix_execute(&org, i, &t.bob.pubkey(), none())], &[&t.bob])
        .unwrap();
    assert_err(
        &spend_as(&mut h, &org, &dave, 1, 1),
        BitTicketError::NotLimitMember,
    );
    // erin was never an organizer member
    spend_as(&mut h, &org, &erin, 1, SOL / 10).unwrap();
    pass(&mut h, &t, remove(erin.pubkey())).unwrap();
    assert_err(
        &spend_as(&mut h, &org, &erin, 1, 1),
        BitTicketError::SpendingLimitNotFound,
    );
    // a key holding no right at all
    assert_err(
        &pass(&mut h, &t, remove(Address::new_unique())),
        BitTicketError::NotAMember,
    );
}

/// Finding 3: an event cancelled long before its date keeps refunds open until its own
/// end of check-in plus the refund period; only then is the rest swept.
#[test]
fn f3_refunds_stay_open_until_the_events_own_end_plus_the_period() {
    let mut h = Harness::new().unwrap();
    let c = EventConfig {
        check_in_end: T0 + 300 * DAY,
        ..config(10, SOL, 2)
    };
    let s = Sale::new(&mut h, c.clone(), 1);
    h.set_time(c.sale_start);
    let (early, late) = (s.buy(&mut h, 0), s.buy(&mut h, 0));
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    let e: Event = h.account(&s.event).unwrap();
    assert_eq!(e.refund_deadline(), c.check_in_end + REFUND_PERIOD);
    let sweep = |h: &mut Harness| {
        let cranker = h.wallet(SOL);
        h.send(&[ix_sweep_shard(&s.organizer, &s.event, 0)], &[&cranker])
    };
    // 30 days after the cancellation: refunds still open, nothing swept
    h.set_time(e.cancelled_at + REFUND_PERIOD + 1);
    assert_err(&sweep(&mut h), BitTicketError::RefundPeriodOpen);
    let refund = |h: &mut Harness, b: &Bought| {
        h.send(
            &[ix_claim_refund(
                &b.buyer.pubkey(),
                &s.event,
                0,
                &b.mint.pubkey(),
            )],
            &[&b.buyer],
        )
    };
    refund(&mut h, &early).unwrap();
    h.set_time(c.check_in_end + REFUND_PERIOD - 1);
    assert_err(&sweep(&mut h), BitTicketError::RefundPeriodOpen);
    h.set_time(c.check_in_end + REFUND_PERIOD);
    assert_err(&refund(&mut h, &late), BitTicketError::RefundPeriodOver);
    sweep(&mut h).unwrap();
}

/// Finding 4: a monthly cap used up, replaced by a daily one, lets nothing more out
/// before the month ends.
#[test]
fn f4_replacing_a_cap_by_a_shorter_period_opens_no_new_room() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    pass(&mut h, &t, cap(3 * SOL, Period::Month)).unwrap();
    pass(
        &mut h,
        &t,
        sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
    )
    .unwrap();
    let start = h.now();
    for day in 0..3 {
        h.set_time(start + day * DAY);
        spend_as(&mut h, &org, &t.bob, 1, SOL).unwrap();
    }
    let cap_start = h
        .account::<Organizer>(&org)
        .unwrap()
        .cap_for(&Address::default())
        .unwrap()
        .window_start;
    pass(&mut h, &t, cap(SOL, Period::Day)).unwrap();
    for day in [1, 19] {
        h.set_time(h.now() + day * DAY);
        assert_err(
            &spend_as(&mut h, &org, &t.bob, 1, 1),
            BitTicketError::OutflowCapExceeded,
        );
    }
    // the month the old cap counted is over: the daily cap alone binds
    h.set_time(cap_start + 30 * DAY);
    spend_as(&mut h, &org, &t.bob, 1, SOL).unwrap();
    let o: Organizer = h.account(&org).unwrap();
    let c = o.cap_for(&Address::default()).unwrap();
    assert_eq!((c.used, c.carry_until, c.carry_room), (SOL, 0, 0));
}

/// Finding 5: in a multisig, a manager alone can neither reprice an event (see
/// `governance`) nor sell one it created: its terms need the multisig's approval.
#[test]
fn f5_an_event_made_by_one_manager_in_a_multisig_sells_only_once_approved() {
    let (mut h, t) = treasury();
    let (org, alice) = (t.org(), t.alice());
    let id = h.account::<Organizer>(&org).unwrap().next_event_id;
    let ev = event_pda(&org, id);
    let free = EventConfig {
        price_lamports: 0,
        ..later(config(10, SOL, 10), T0 + 50_000)
    };
    h.send(
        &[
            ix_create_event(&org, &ev, &alice.pubkey(), free.clone(), 1),
            ix_open_shard(&org, &ev, &alice.pubkey(), 0),
        ],
        &[alice],
    )
    .unwrap();
    // a manager's own update (same terms) approves nothing
    h.send(
        &[ix_update_event(&org, &ev, &alice.pubkey(), free.clone())],
        &[alice],
    )
    .unwrap();
    h.set_time(free.sale_start);
    let buyer = h.wallet(10 * SOL);
    let mint = Keypair::new();
    let buy = |h: &mut Harness, mint: &Keypair| {
        h.send(
            &[ix_purchase(&buyer.pubkey(), &ev, 0, &mint.pubkey())],
            &[&buyer, mint],
        )
    };
    assert_err(&buy(&mut h, &mint), BitTicketError::EventNotApproved);
    // its start has passed unapproved (nothing sold): the manager alone still cannot
    // change its terms, but the multisig can give it new windows and approve them
    let moved = later(free.clone(), h.now() + 3 * i64::from(Treasury::TIME_LOCK));
    assert_err(
        &h.send(
            &[ix_update_event(&org, &ev, &alice.pubkey(), moved.clone())],
            &[alice],
        ),
        BitTicketError::MultisigRequired,
    );
    let approve_late = ProposalAction::UpdateEvent {
        event: ev,
        config: moved.clone(),
    };
    h.pass(&org, approve_late, &[&t.bob, &t.carol], none())
        .1
        .unwrap();
    assert!(h.account::<Event>(&ev).unwrap().approved);
    h.set_time(moved.sale_start);
    let mint = Keypair::new();
    buy(&mut h, &mint).unwrap();
    // the multisig approves terms before the sale (a proposal, at the priced terms)
    let id = h.account::<Organizer>(&org).unwrap().next_event_id;
    let priced = later(
        config(10, SOL, 10),
        h.now() + 3 * i64::from(Treasury::TIME_LOCK),
    );
    let ev2 = event_pda(&org, id);
    h.send(
        &[
            ix_create_event(&org, &ev2, &alice.pubkey(), priced.clone(), 1),
            ix_open_shard(&org, &ev2, &alice.pubkey(), 0),
        ],
        &[alice],
    )
    .unwrap();
    let approve = ProposalAction::UpdateEvent {
        event: ev2,
        config: priced.clone(),
    };
    h.pass(&org, approve, &[&t.bob, &t.carol], none())
        .1
        .unwrap();
    assert!(h.account::<Event>(&ev2).unwrap().approved);
    h.set_time(priced.sale_start);
    let mint = Keypair::new();
    h.send(
        &[ix_purchase(&buyer.pubkey(), &ev2, 0, &mint.pubkey())],
        &[&buyer, &mint],
    )
    .unwrap();
}

/// `c` with its windows moved to start at `sale_start`.
fn later(c: EventConfig, sale_start: i64) -> EventConfig {
    let shift = sale_start - c.sale_start;
    EventConfig {
        sale_start,
        sale_end: c.sale_end + shift,
        resale_unlock: c.resale_unlock + shift,
        check_in_start: c.check_in_start + shift,
        check_in_end: c.check_in_end + shift,
        ..c
    }
}

/// Finding 6: lamports sent ahead to a mint or a PDA come back to the payer.
#[test]
fn f6_lamports_sent_ahead_come_back_to_the_payer() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    h.set_time(T0 + 100);
    let buyer = h.wallet(10 * SOL);
    let mint = ticket_mint(&buyer.pubkey());
    let ticket = ticket_pda(&mint.pubkey());
    h.svm.airdrop(&mint.pubkey(), SOL).unwrap();
    h.svm.airdrop(&ticket, SOL).unwrap();
    let before = h.lamports(&buyer.pubkey());
    h.send(
        &[ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey())],
        &[&buyer, &mint],
    )
    .unwrap();
    let rent = |h: &Harness, n: usize| h.svm.minimum_balance_for_rent_exemption(n);
    // the mint holds the rent of its size with its metadata, no more
    let mint_len = h.svm.get_account(&mint.pubkey()).unwrap().data.len();
    assert_eq!(h.lamports(&mint.pubkey()), rent(&h, mint_len));
    assert_eq!(h.lamports(&ticket), rent(&h, Ticket::SIZE));
    let paid = SOL
        + rent(&h, mint_len)
        + rent(&h, Ticket::SIZE)
        + rent(&h, BuyerRecord::SIZE)
        + rent(&h, 170)
        + 2 * 5_000;
    assert_eq!(h.lamports(&buyer.pubkey()), before + 2 * SOL - paid);
    // a proposal address funded ahead
    let org = s.organizer;
    let i = h.next_proposal(&org);
    h.svm.airdrop(&proposal_pda(&org, i), SOL).unwrap();
    let set = ProposalAction::SetTimeLock { seconds: 0 };
    h.send(
        &[ix_create_proposal(&org, &s.admin.pubkey(), i, set)],
        &[&s.admin],
    )
    .unwrap();
    assert_eq!(h.lamports(&proposal_pda(&org, i)), rent(&h, Proposal::SIZE));
}

/// Finding 6: Token-2022 tokens sent to the vault leave it by proposal.
#[test]
fn f6_token_2022_tokens_leave_the_vault_by_proposal() {
    use anchor_spl::associated_token::get_associated_token_address_with_program_id as ata_of;
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
    use anchor_spl::token_2022::spl_token_2022::instruction as t22;
    let token_2022 = anchor_spl::token_2022::ID;
    let (mut h, t) = treasury();
    let org = t.org();
    let issuer = h.wallet(10 * SOL);
    let mint = Keypair::new();
    let rent = h.svm.minimum_balance_for_rent_exemption(82);
    let mut create = solana_instruction::Instruction {
        program_id: solana_sdk_ids::system_program::ID,
        accounts: vec![
            solana_instruction::AccountMeta::new(issuer.pubkey(), true),
            solana_instruction::AccountMeta::new(mint.pubkey(), true),
        ],
        data: vec![0u8; 4],
    };
    create.data.extend_from_slice(&rent.to_le_bytes());
    create.data.extend_from_slice(&82u64.to_le_bytes());
    create.data.extend_from_slice(token_2022.as_ref());
    let vault = vault_pda(&org);
    let payee = Address::new_unique();
    let (vault_ata, payee_ata) = (
        ata_of(&vault, &mint.pubkey(), &token_2022),
        ata_of(&payee, &mint.pubkey(), &token_2022),
    );
    h.send(
        &[
            create,
            t22::initialize_mint2(&token_2022, &mint.pubkey(), &issuer.pubkey(), None, 6).unwrap(),
            create_associated_token_account(&issuer.pubkey(), &vault, &mint.pubkey(), &token_2022),
            create_associated_token_account(&issuer.pubkey(), &payee, &mint.pubkey(), &token_2022),
            t22::mint_to(
                &token_2022,
                &mint.pubkey(),
                &vault_ata,
                &issuer.pubkey(),
                &[],
                5_000_000,
            )
            .unwrap(),
        ],
        &[&issuer, &mint],
    )
    .unwrap();
    let action = ProposalAction::WithdrawToken {
        mint: mint.pubkey(),
        destination: payee_ata,
        amount: 2_000_000,
    };
    let out = Outflow::token(vault_ata, payee_ata, mint.pubkey());
    // through the classic program's id, the Token-2022 accounts are refused
    let (_, r) = h.pass(&org, action.clone(), &[&t.bob, &t.carol], out);
    assert!(r.is_err());
    h.pass(&org, action, &[&t.bob, &t.carol], out.through(token_2022))
        .1
        .unwrap();
    let amount = |h: &Harness, key: &Address| {
        let data = h.svm.get_account(key).unwrap().data;
        u64::from_le_bytes(data[64..72].try_into().unwrap())
    };
    assert_eq!(
        (amount(&h, &vault_ata), amount(&h, &payee_ata)),
        (3_000_000, 2_000_000)
    );
}

/// Finding 6: executed, rejected, cancelled and stale proposals close, their rent back to
/// the proposer; live ones do not, and a closed index never comes back.
#[test]
fn f6_finished_proposals_close_and_give_their_rent_back() {
    let (mut h, t) = treasury();
    let org = t.org();
    let (bob, carol) = (&t.bob, &t.carol);
    let cranker = h.wallet(SOL);
    let close = |h: &mut Harness, i: u64, to: &Address| {
        h.send(&[ix_close_proposal(&org, i, to)], &[&cranker])
    };
    // an active proposal stays
    let i = h.next_proposal(&org);
    h.send(
        &[ix_create_proposal(
            &org,
            &bob.pubkey(),
            i,
            ProposalAction::SetTimeLock { seconds: 60 },
        )],
        &[bob],
    )
    .unwrap();
    assert_err(
        &close(&mut h, i, &bob.pubkey()),
        BitTicketError::ProposalNotClosable,
    );
    // a rejected one closes, to its proposer only
    for v in [bob, carol] {
        h.send(&[ix_vote(&org, i, &v.pubkey(), Vote::Reject)], &[v])
            .unwrap();
    }
    assert_err(
        &close(&mut h, i, &carol.pubkey()),
        BitTicketError::RentCollectorMismatch,
    );
    let before = h.lamports(&bob.pubkey());
    close(&mut h, i, &bob.pubkey()).unwrap();
    assert!(!h.exists(&proposal_pda(&org, i)));
    assert_eq!(
        h.lamports(&bob.pubkey()),
        before + h.svm.minimum_balance_for_rent_exemption(Proposal::SIZE)
    );
    // and its index never comes back
    assert_err(
        &h.send(
            &[ix_create_proposal(
                &org,
                &bob.pubkey(),
                i,
                ProposalAction::SetTimeLock { seconds: 60 },
            )],
            &[bob],
        ),
        BitTicketError::ProposalIndexMismatch,
    );
    // an approved one, made stale by a later configuration change, closes too
    let stale = h.propose_and_approve(
        &org,
        ProposalAction::SetTimeLock { seconds: 120 },
        &[bob, carol],
    );
    assert_err(
        &close(&mut h, stale, &bob.pubkey()),
        BitTicketError::ProposalNotClosable,
    );
    let (executed, r) = h.pass(
        &org,
        ProposalAction::SetTimeLock { seconds: 60 },
        &[bob, carol],
        none(),
    );
    r.unwrap();
    close(&mut h, stale, &bob.pubkey()).unwrap();
    close(&mut h, executed, &bob.pubkey()).unwrap();
    assert_anchor(
        &close(&mut h, executed, &bob.pubkey()),
        anchor_lang::error::ErrorCode::AccountNotInitialized,
    );
}

/// Finding 6: any admin or finance member freezes a spending limit at once; only the
/// multisig thaws it.
#[test]
fn f6_a_limit_is_frozen_by_one_key_and_thawed_only_by_the_multisig() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let (org, alice) = (t.org(), t.alice());
    pass(&mut h, &t, cap(3 * SOL, Period::Month)).unwrap();
    pass(
        &mut h,
        &t,
        sol_limit(1, SOL, Period::Month, vec![t.bob.pubkey()], vec![]),
    )
    .unwrap();
    let fin = h.wallet(SOL);
    h.send(
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &fin.pubkey(),
            permission::FINANCE,
        )],
        &[alice],
    )
    .unwrap();
    let freeze = |h: &mut Harness, who: &Keypair| {
        h.send(&[ix_freeze_spending_limit(&org, &who.pubkey(), 1)], &[who])
    };
    // a gatekeeper and a stranger may not
    let stranger = h.wallet(SOL);
    assert_err(
        &freeze(&mut h, &t.sale.gatekeeper),
        BitTicketError::MissingPermission,
    );
    assert_err(&freeze(&mut h, &stranger), BitTicketError::NotAMember);
    freeze(&mut h, &fin).unwrap();
    assert_err(&freeze(&mut h, alice), BitTicketError::SpendingLimitFrozen);
    assert_err(
        &spend_as(&mut h, &org, &t.bob, 1, 1),
        BitTicketError::SpendingLimitFrozen,
    );
    let thaw = ProposalAction::UnfreezeSpendingLimit { id: 1 };
    pass(&mut h, &t, thaw.clone()).unwrap();
    assert_err(
        &pass(&mut h, &t, thaw),
        BitTicketError::SpendingLimitNotFrozen,
    );
    spend_as(&mut h, &org, &t.bob, 1, SOL / 10).unwrap();
    // an admin may freeze too
    freeze(&mut h, alice).unwrap();
}

/// Finding 6: a 1-of-N organizer with a time-lock puts the single-key paths behind
/// proposals too, so nothing skips the time-lock.
#[test]
fn f6_a_time_lock_puts_single_key_paths_behind_proposals() {
    let mut h = Harness::new().unwrap();
    let c = EventConfig {
        sale_start: T0 + 50_000,
        sale_end: T0 + 60_000,
        resale_unlock: T0 + 60_000,
        check_in_start: T0 + 60_000,
        check_in_end: T0 + 70_000,
        ..config(10, SOL, 2)
    };
    let s = Sale::new(&mut h, c.clone(), 1);
    let (org, admin) = (s.organizer, &s.admin);
    h.pass(
        &org,
        ProposalAction::SetTimeLock { seconds: 3_600 },
        &[admin],
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.send(
            &[ix_add_member(
                &org,
                &admin.pubkey(),
                &Address::new_unique(),
                permission::EVENT_MANAGER,
            )],
            &[admin],
        ),
        BitTicketError::MultisigRoleNeedsProposal,
    );
    let moved = EventConfig {
        price_lamports: 0,
        ..c.clone()
    };
    assert_err(
        &h.send(
            &[ix_update_event(&org, &s.event, &admin.pubkey(), moved)],
            &[admin],
        ),
        BitTicketError::MultisigRequired,
    );
    h.set_time(c.sale_start);
    assert_err(
        &h.send(
            &[ix_cancel_event(&org, &s.event, &admin.pubkey())],
            &[admin],
        ),
        BitTicketError::MultisigRequired,
    );
}

/// Finding 6: every account carries its layout version; another version is refused.
#[test]
fn f6_every_account_carries_its_layout_version() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let o: Organizer = h.account(&s.organizer).unwrap();
    let e: Event = h.account(&s.event).unwrap();
    let sh: Shard = h.account(&shard_pda(&s.event, 0)).unwrap();
    let tk: Ticket = h.account(&ticket_pda(&b.mint.pubkey())).unwrap();
    let br: BuyerRecord = h.account(&buyer_pda(&s.event, &b.buyer.pubkey())).unwrap();
    for v in [o.version, e.version, sh.version, tk.version, br.version] {
        assert_eq!(v, ACCOUNT_VERSION);
    }
    let mut future = e;
    future.version = ACCOUNT_VERSION + 1;
    let mut data = Vec::new();
    future.try_serialize(&mut data).unwrap();
    crate::rewrite(&mut h, &s.event, &future);
    let buyer = h.wallet(10 * SOL);
    let (_, r) = s.buy_as(&mut h, &buyer, 0);
    assert_err(&r, BitTicketError::AccountVersionMismatch);
}

/// Finding 6: a refund below the rent-exempt minimum to a wallet holding nothing fails
/// alone (the runtime refuses an account left below its rent); the documented remedy, a
/// transfer of that minimum in the same transaction, lands it.
#[test]
fn f6_a_small_refund_to_an_empty_wallet_lands_with_its_rent() {
    let mut h = Harness::new().unwrap();
    let price = 500_000;
    let s = Sale::new(&mut h, config(10, price, 2), 1);
    h.set_time(T0 + 100);
    let b = s.buy(&mut h, 0);
    h.set_time(T0 + 20_000);
    let empty = Keypair::new();
    h.send(
        &[ix_transfer_ticket(
            &b.buyer.pubkey(),
            &empty.pubkey(),
            &s.event,
            &b.mint.pubkey(),
        )],
        &[&b.buyer],
    )
    .unwrap();
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    let relayer = h.wallet(SOL);
    let claim = ix_claim_refund(&empty.pubkey(), &s.event, 0, &b.mint.pubkey());
    assert_failed(&h.send(std::slice::from_ref(&claim), &[&relayer, &empty]));
    let rent = h.svm.minimum_balance_for_rent_exemption(0);
    let fund = solana_system_interface_transfer(&relayer.pubkey(), &empty.pubkey(), rent);
    h.send(&[fund, claim], &[&relayer, &empty]).unwrap();
    assert_eq!(h.lamports(&empty.pubkey()), rent + price);
}

fn solana_system_interface_transfer(
    from: &Address,
    to: &Address,
    lamports: u64,
) -> solana_instruction::Instruction {
    let mut data = 2u32.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    solana_instruction::Instruction {
        program_id: solana_sdk_ids::system_program::ID,
        accounts: vec![
            solana_instruction::AccountMeta::new(*from, true),
            solana_instruction::AccountMeta::new(*to, false),
        ],
        data,
    }
}

/// The IDL review: a client that fills a missing mint with the buyer's key (both sign)
/// is refused, and the buyer's wallet is left as it was.
#[test]
fn a_purchase_naming_the_buyer_as_its_mint_is_refused() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    h.set_time(T0 + 100);
    let buyer = h.wallet(10 * SOL);
    let r = h.send(
        &[ix_purchase(&buyer.pubkey(), &s.event, 0, &buyer.pubkey())],
        &[&buyer],
    );
    assert_err(&r, BitTicketError::MintIsBuyer);
    let acc = h.svm.get_account(&buyer.pubkey()).unwrap();
    assert_eq!((acc.owner, acc.data.len()), (SYSTEM, 0));
}
