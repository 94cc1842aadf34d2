//! Wallet-visible tickets (a Token-2022 mint with its metadata) and the rent coming back
//! after the event: `burn_ticket` and `close_buyer_record`, each with its refusals.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_spl::token_2022::spl_token_2022::extension::metadata_pointer::MetadataPointer;
use anchor_spl::token_2022::spl_token_2022::extension::mint_close_authority::MintCloseAuthority;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use bitticket_tests::*;
use solana_address::Address;
use solana_signer::Signer;

/// After the event: the clock at the end of check-in.
const OVER: i64 = T0 + 40_000;

#[test]
fn a_wallet_reads_the_tickets_name_symbol_and_uri_from_its_mint() {
    let (h, s, b) = sale_with_one_ticket(1);
    let mint = b.mint.pubkey();
    let account = h.svm.get_account(&mint).expect("mint");
    // what a wallet does: the owner is Token-2022, the pointer names the mint itself, and
    // the metadata is read from there
    assert_eq!(account.owner, TICKET_TOKEN);
    let state = StateWithExtensions::<Mint>::unpack(&account.data).expect("a Token-2022 mint");
    assert_eq!((state.base.supply, state.base.decimals), (1, 0));
    let pointer = state.get_extension::<MetadataPointer>().expect("pointer");
    assert_eq!(
        Option::<Address>::from(pointer.metadata_address),
        Some(mint)
    );
    assert_eq!(Option::<Address>::from(pointer.authority), Some(s.event));
    let close = state
        .get_extension::<MintCloseAuthority>()
        .expect("close authority");
    assert_eq!(
        Option::<Address>::from(close.close_authority),
        Some(s.event)
    );
    let meta = state
        .get_variable_len_extension::<TokenMetadata>()
        .expect("metadata");
    let serial = h.account::<Ticket>(&ticket_pda(&mint)).unwrap().serial;
    let c = config(10, SOL, 2);
    assert_eq!(meta.name, format!("{} #{serial}", c.name));
    assert_eq!(meta.symbol, "TIX");
    assert_eq!(meta.uri, format!("{}{serial}", c.uri));
    assert_eq!(meta.mint, mint);
    assert_eq!(
        Option::<Address>::from(meta.update_authority),
        Some(s.event)
    );
    assert!(meta.additional_metadata.is_empty());
    // and it holds exactly the rent of that size
    assert_eq!(
        account.lamports,
        h.svm.minimum_balance_for_rent_exemption(account.data.len())
    );
}

#[test]
fn after_the_event_the_holder_burns_the_ticket_and_every_lamport_of_rent_comes_back() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let ticket = ticket_pda(&mint);
    let closed = [mint, ata(&alice, &mint), ticket];
    let rent: u64 = closed.iter().map(|k| h.lamports(k)).sum();
    h.set_time(OVER);
    let before = h.lamports(&alice);
    h.send(&[ix_burn_ticket(&alice, &s.event, &mint)], &[&b.buyer])
        .unwrap();
    assert_eq!(h.lamports(&alice), before + rent - 5_000);
    for key in closed {
        assert!(!h.exists(&key), "{key} is closed");
    }
    // burned once: nothing is left to burn again
    assert_failed(&h.send(&[ix_burn_ticket(&alice, &s.event, &mint)], &[&b.buyer]));
    // the buyer's record goes back too, to the buyer, whoever cranks it
    let record = buyer_pda(&s.event, &alice);
    let record_rent = h.lamports(&record);
    let before = h.lamports(&alice);
    let cranker = h.wallet(SOL);
    h.send(&[ix_close_buyer_record(&s.event, &alice)], &[&cranker])
        .unwrap();
    assert_eq!(h.lamports(&alice), before + record_rent);
    assert!(!h.exists(&record));
}

#[test]
fn a_checked_in_ticket_burns_after_the_event() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    h.set_time(T0 + 30_000);
    let gk = s.gatekeeper.pubkey();
    h.send(
        &check_in_ixs(&h, &gk, &b.buyer, &s.organizer, &s.event, &mint),
        &[&s.gatekeeper],
    )
    .unwrap();
    h.set_time(OVER);
    h.send(&[ix_burn_ticket(&alice, &s.event, &mint)], &[&b.buyer])
        .unwrap();
    assert!(!h.exists(&ticket_pda(&mint)));
}

#[test]
fn burns_are_refused_before_the_event_for_others_and_while_listed() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    // before the end of check-in
    h.set_time(OVER - 1);
    assert_err(
        &h.send(&[ix_burn_ticket(&alice, &s.event, &mint)], &[&b.buyer]),
        BitTicketError::EventNotOver,
    );
    assert_err(
        &h.send(&[ix_close_buyer_record(&s.event, &alice)], &[&b.buyer]),
        BitTicketError::EventNotOver,
    );
    h.set_time(OVER);
    // mallory burns alice's ticket: with alice's token account she is not its owner, with
    // her own she holds nothing of it
    let mallory = h.wallet(SOL);
    let mut theirs = ix_burn_ticket(&mallory.pubkey(), &s.event, &mint);
    theirs.accounts[4].pubkey = ata(&alice, &mint);
    assert_anchor(
        &h.send(&[theirs], &[&mallory]),
        Anchor::ConstraintTokenOwner,
    );
    // the holder must sign
    let mut unsigned = ix_burn_ticket(&alice, &s.event, &mint);
    unsigned.accounts[0].is_signer = false;
    assert_anchor(&h.send(&[unsigned], &[&mallory]), Anchor::AccountNotSigner);
    // a ticket of this event against another event (PDA sharing)
    let other = Sale::new(&mut h, config(10, SOL, 2), 1);
    assert_anchor(
        &h.send(&[ix_burn_ticket(&alice, &other.event, &mint)], &[&b.buyer]),
        Anchor::ConstraintHasOne,
    );
    // the rent of someone else's record goes to its buyer only
    let mut diverted = ix_close_buyer_record(&s.event, &alice);
    diverted.accounts[2].pubkey = mallory.pubkey();
    assert_failed(&h.send(&[diverted], &[&mallory]));
    // a ticket outside the program's mint: its token account cannot be passed off
    let mut fake = ix_burn_ticket(&alice, &s.event, &mint);
    fake.accounts[6].pubkey = TOKEN;
    assert_anchor(&h.send(&[fake], &[&b.buyer]), Anchor::InvalidProgramId);
    assert!(h.exists(&ticket_pda(&mint)));
}

#[test]
fn a_listed_ticket_is_delisted_before_it_burns() {
    let mut h = Harness::new().expect("load the program");
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    h.send(
        &[ix_set_resale_terms(
            &s.organizer,
            &s.event,
            &s.admin.pubkey(),
            ResaleTerms {
                cap_bps: 10_000,
                royalty_bps: 500,
                transfers_locked: false,
            },
        )],
        &[&s.admin],
    )
    .unwrap();
    h.set_time(T0 + 100);
    let b = s.buy(&mut h, 0);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    h.set_time(T0 + 20_000);
    h.send(&[ix_list_ticket(&alice, &s.event, &mint, SOL)], &[&b.buyer])
        .unwrap();
    h.set_time(OVER);
    assert_err(
        &h.send(&[ix_burn_ticket(&alice, &s.event, &mint)], &[&b.buyer]),
        BitTicketError::TicketListed,
    );
    h.send(
        &[
            ix_delist_ticket(&alice, &alice, &s.event, &mint),
            ix_burn_ticket(&alice, &s.event, &mint),
        ],
        &[&b.buyer],
    )
    .unwrap();
    assert!(!h.exists(&ticket_pda(&mint)));
}

#[test]
fn a_ticket_of_a_cancelled_event_burns_once_its_refund_is_claimed_or_lapsed() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let carol = s.buy(&mut h, 0);
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    // the refund is still owed
    assert_err(
        &h.send(&[ix_burn_ticket(&alice, &s.event, &mint)], &[&b.buyer]),
        BitTicketError::RefundStillOwed,
    );
    // records close at once: nothing can sell any more
    h.send(&[ix_close_buyer_record(&s.event, &alice)], &[&b.buyer])
        .unwrap();
    // refunded, it burns at once
    h.send(
        &[
            ix_claim_refund(&alice, &s.event, 0, &mint),
            ix_burn_ticket(&alice, &s.event, &mint),
        ],
        &[&b.buyer],
    )
    .unwrap();
    assert!(!h.exists(&ticket_pda(&mint)));
    // unclaimed, it burns once the refund period is over
    let event: Event = h.account(&s.event).unwrap();
    let carol_mint = carol.mint.pubkey();
    h.set_time(event.refund_deadline() - 1);
    assert_err(
        &h.send(
            &[ix_burn_ticket(&carol.buyer.pubkey(), &s.event, &carol_mint)],
            &[&carol.buyer],
        ),
        BitTicketError::RefundStillOwed,
    );
    h.set_time(event.refund_deadline());
    h.send(
        &[ix_burn_ticket(&carol.buyer.pubkey(), &s.event, &carol_mint)],
        &[&carol.buyer],
    )
    .unwrap();
}

// ---- close_shard ----------------------------------------------------------------------

#[test]
fn a_swept_shard_closes_after_the_event_and_its_rent_goes_back_to_its_opener() {
    let (mut h, s, _) = sale_with_one_ticket(1);
    let (org, ev, admin) = (s.organizer, s.event, s.admin.pubkey());
    let shard = shard_pda(&ev, 0);
    assert_eq!(h.account::<Shard>(&shard).unwrap().opened_by, admin);
    let cranker = h.wallet(SOL);
    let close = || ix_close_shard(&org, &ev, 0, &admin, None);
    // before the event is over: refunds could still be owed from it
    h.set_time(OVER - 1);
    assert_err(
        &h.send(&[close()], &[&cranker]),
        BitTicketError::EventNotOver,
    );
    // over, but still holding the sale's proceeds
    h.set_time(OVER);
    assert_err(
        &h.send(&[close()], &[&cranker]),
        BitTicketError::ShardHoldsProceeds,
    );
    h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker])
        .unwrap();
    // the rent goes back to its opener only
    assert_err(
        &h.send(
            &[ix_close_shard(&org, &ev, 0, &cranker.pubkey(), None)],
            &[&cranker],
        ),
        BitTicketError::RentCollectorMismatch,
    );
    // another event's shard, and the shard under another index (PDA sharing, seeds)
    let other = Sale::new(&mut h, config(10, SOL, 2), 1);
    let mut foreign = ix_close_shard(&other.organizer, &other.event, 0, &admin, None);
    foreign.accounts[2].pubkey = shard;
    assert_anchor(&h.send(&[foreign], &[&cranker]), Anchor::ConstraintSeeds);
    let mut shifted = ix_close_shard(&org, &ev, 1, &admin, None);
    shifted.accounts[2].pubkey = shard;
    assert_anchor(&h.send(&[shifted], &[&cranker]), Anchor::ConstraintSeeds);
    // a token account for a SOL shard
    let c = bitticket_tests::currency::new_currency(
        &mut h,
        TOKEN,
        bitticket_tests::currency::Ext::None,
    );
    assert_err(
        &h.send(
            &[ix_close_shard(&org, &ev, 0, &admin, Some(c))],
            &[&cranker],
        ),
        BitTicketError::CurrencyMismatch,
    );
    // anyone cranks it: every lamport it holds (its reserve, and anything sent to it) goes
    // to its opener
    h.svm
        .airdrop(&shard, 1_000)
        .expect("someone sends lamports to the shard");
    let rent = h.lamports(&shard);
    assert_eq!(
        rent,
        h.svm.minimum_balance_for_rent_exemption(Shard::SIZE) + 1_000
    );
    let before = h.lamports(&admin);
    h.send(&[close()], &[&cranker]).unwrap();
    assert_eq!(h.lamports(&admin), before + rent);
    assert!(!h.exists(&shard));
    // closed for good: nothing sweeps or closes it again, and it never reopens (shards
    // open only at the sale's next index)
    h.svm.expire_blockhash();
    assert_anchor(
        &h.send(&[close()], &[&cranker]),
        Anchor::AccountNotInitialized,
    );
    assert_anchor(
        &h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker]),
        Anchor::AccountNotInitialized,
    );
    assert_err(
        &h.send(&[ix_open_shard(&org, &ev, &admin, 0)], &[&s.admin]),
        BitTicketError::InvalidShardIndex,
    );
}

#[test]
fn a_cancelled_events_shard_closes_once_its_refund_period_is_over() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (org, ev, admin) = (s.organizer, s.event, s.admin.pubkey());
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    h.send(&[ix_cancel_event(&org, &ev, &admin)], &[&s.admin])
        .unwrap();
    // every ticket refunded, the shard holds nothing; still the refund period rules
    h.send(&[ix_claim_refund(&alice, &ev, 0, &mint)], &[&b.buyer])
        .unwrap();
    assert_eq!(h.account::<Shard>(&shard_pda(&ev, 0)).unwrap().held(), 0);
    let cranker = h.wallet(SOL);
    let close = ix_close_shard(&org, &ev, 0, &admin, None);
    assert_err(
        &h.send(std::slice::from_ref(&close), &[&cranker]),
        BitTicketError::RefundPeriodOpen,
    );
    let event: Event = h.account(&ev).unwrap();
    h.set_time(event.refund_deadline());
    h.send(&[close], &[&cranker]).unwrap();
    assert!(!h.exists(&shard_pda(&ev, 0)));
}
